from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ruiraq import cache
from ruiraq.backups import BackupError, restore
from ruiraq.models import install_published_counts


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
        if database_url is None:
            # The site's database changed behind the signals: no page cached before may be
            # served again (a Redis cache outlives the restore; so may a restored token). The
            # backup may come from a database without the token's table (createcachetable),
            # or without the kept counts of published records and their triggers.
            call_command("createcachetable", verbosity=0)
            install_published_counts()
            cache.invalidate()
        self.stdout.write(self.style.SUCCESS(f"Restored {path}"))
