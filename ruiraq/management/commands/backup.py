from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from ruiraq.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the whole database (records, citations, history) to one file."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to write (default: var/backups/<time>.*).")

    def handle(self, *args, output=None, **options):
        if not output:
            suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            output = settings.BASE_DIR / "var" / "backups" / f"ruiraq-{stamp}.{suffix}"
        try:
            path = backup(output)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
