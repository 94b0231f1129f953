from django.core.management.base import BaseCommand, CommandError

from ruiraq.backups import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database's content with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file.")
        parser.add_argument(
            "--into",
            dest="database_url",
            help="Restore into this DATABASE_URL instead of the configured one.",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirm: everything in the target database is replaced.",
        )

    def handle(self, *args, path, database_url=None, yes=False, **options):
        if not yes:
            raise CommandError(
                "Restoring replaces the target database's content; run again with --yes to confirm."
            )
        try:
            restore(path, database_url)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored {path}"))
