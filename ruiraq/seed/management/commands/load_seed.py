from django.core.management.base import BaseCommand, CommandError

from ruiraq.seed.loader import SEED_PATH, SeedError, load_seed


class Command(BaseCommand):
    help = "Load the seed dataset curated from the corpus. Safe to run again: it changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(SEED_PATH), help="Seed JSON file to load.")

    def handle(self, *args, path, **options):
        try:
            counts = load_seed(path)
        except (OSError, ValueError, SeedError) as exc:
            raise CommandError(f"Could not load the seed dataset: {exc}") from exc
        if counts:
            for what, n in sorted(counts.items()):
                self.stdout.write(f"  {what}: {n}")
        else:
            self.stdout.write("Seed dataset already loaded: nothing to change.")
