"""``manage.py build_dump``: the prepared dump of the published dataset (ruiraq.site.dump).

Run it after publishing changes, or on a schedule (README, "Bulk data"): it writes a new
gzip'd JSON Lines file and its manifest to settings.DUMP_DIR and makes them the ones
/api/v1/export/dump/ serves, atomically. Safe to run while the site serves the previous one.
"""

from django.core.management.base import BaseCommand, CommandError

from ruiraq.site import dump


class Command(BaseCommand):
    help = "Write the published dataset as a gzip'd JSON Lines dump into DUMP_DIR."

    def add_arguments(self, parser):
        parser.add_argument(
            "--compresslevel",
            type=int,
            default=6,
            choices=range(1, 10),
            metavar="1-9",
            help="gzip level (default 6: nearly 9's size at a third of its time).",
        )

    def handle(self, *args, compresslevel, **options):
        try:
            meta = dump.build(compresslevel=compresslevel)
        except OSError as exc:
            raise CommandError(f"Could not write the dump into {dump.directory()}: {exc}") from exc
        counts = ", ".join(f"{n} {t}s" for t, n in meta["counts"].items())
        self.stdout.write(
            f"Wrote {meta['records']} records ({counts}) to "
            f"{dump.directory() / meta['build'] / meta['file']['name']}: "
            f"{meta['file']['bytes']:,} bytes gzip'd, in {meta['build_seconds']} s."
        )
