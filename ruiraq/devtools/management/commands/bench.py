import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ruiraq.devtools import benchmarks


class Command(BaseCommand):
    help = (
        "Benchmark the API's 50-row event list and an event detail against a hand-written "
        "floor (values() + JsonResponse) and a naive DRF build of the same JSON, and the public "
        "pages, search, the pictures and the admin's changelists and change forms: median and "
        "p95 ms and query counts, on the configured database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--iterations", type=int, default=50, help="Timed calls per case.")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed calls per case first.")
        parser.add_argument("--query", default="Lavrov", help="The search term (default Lavrov).")
        parser.add_argument("--json", dest="json_path", help="Also write the results here.")
        parser.add_argument(
            "--only",
            action="append",
            choices=["api", "page", "search", "pictures", "admin"],
            help="Measure only this group of cases (repeatable); default: all.",
        )

    def handle(self, *args, iterations, warmup, query, json_path, only, **options):
        if iterations < 1 or warmup < 0:
            raise CommandError("--iterations must be at least 1 and --warmup at least 0.")
        try:
            summary = benchmarks.measure(
                iterations=iterations,
                warmup=warmup,
                query=query,
                log=self.stderr.write,
                groups=only,
            )
        except benchmarks.Mismatch as exc:
            raise CommandError(f"not the same JSON as the product: {exc}") from exc
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        records = ", ".join(f"{n} {what}" for what, n in summary["records"].items())
        load = " ".join(str(x) for x in summary["load_average_after"])
        self.stdout.write(
            f"{summary['database']}: {records}; {iterations} iterations after {warmup} "
            f"warm-up; load average {load} on {summary['cpus']} CPUs"
        )
        self.stdout.write(benchmarks.as_table(summary))
        if json_path:
            Path(json_path).parent.mkdir(parents=True, exist_ok=True)
            Path(json_path).write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
            self.stdout.write(f"Written to {json_path}")
