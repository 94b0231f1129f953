import time

from django.core.management.base import BaseCommand, CommandError

from ruiraq.devtools import synthetic


class Command(BaseCommand):
    help = (
        "Generate a synthetic dataset of realistic shape for measuring search: per 100,000 "
        "events, 5,000 actors, 10,000 agreements, 20,000 sources and their citations, in "
        "English, Russian and Arabic. The same --seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=1000, help="How many events (scale).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Rows per bulk insert (default 2000)."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete a previous synthetic dataset first (slow at large scale: use a "
            "fresh database instead).",
        )

    def handle(self, *args, events, seed, batch_size, replace, **options):
        if events < 1 or batch_size < 1:
            raise CommandError("--events and --batch-size must be positive.")
        if synthetic.synthetic_exists():
            if not replace:
                raise CommandError(
                    "This database already holds a synthetic dataset; "
                    "pass --replace or use a fresh database."
                )
            synthetic.delete_synthetic()
        started = time.perf_counter()
        counts = synthetic.generate(
            events, seed=seed, batch_size=batch_size, log=lambda m: self.stderr.write(m)
        )
        elapsed = time.perf_counter() - started
        for what, n in sorted(counts.items()):
            self.stdout.write(f"  {what}: {n}")
        self.stdout.write(f"Generated in {elapsed:.1f} s (seed {seed}).")
