import json
import os
import statistics
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from actors.models import Actor
from articles.models import Agreement, Event, Source
from ruiraq.site import search as site_search

#: The fixed query set: (category, query). Names, misspellings and transliterations,
#: Cyrillic, Arabic, two-word topics, and broad words that match most records.
QUERIES = [
    ("name", "Lavrov"),
    ("name", "Sergey Lavrov"),
    ("name", "Rosneft"),
    ("name", "al-Maliki"),
    ("name", "Gazprom Neft"),
    ("misspelling", "Maksimov"),
    ("misspelling", "Lavrof"),
    ("misspelling", "Patrushef"),
    ("misspelling", "Sergei Lavrov"),
    ("misspelling", "Rosnef"),
    ("cyrillic", "Лавров"),
    ("cyrillic", "Роснефть"),
    ("cyrillic", "поставки вооружений"),
    ("cyrillic", "Косачев"),
    ("arabic", "لافروف"),
    ("arabic", "كركوك"),
    ("arabic", "المالكي"),
    ("topic", "Kirkuk oil"),
    ("topic", "arms deliveries"),
    ("topic", "air defence"),
    ("topic", "gas field"),
    ("topic", '"wheat exports"'),
    ("topic", "T-90"),
    ("broad", "Iraq"),
    ("broad", "oil"),
]


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = (
        "Measure search latency: each query of a fixed set through ruiraq.site_search.search(), "
        "the first page (20 rows) of every kind fetched, repeated; prints median and p95 "
        "and writes them as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5, help="Runs per query (default 5).")
        parser.add_argument("--page-size", type=int, default=20, help="Rows per kind (20).")
        parser.add_argument(
            "--output", default="bench_search.json", help="JSON file to write ('-': none)."
        )

    def _time(self, fn):
        started = time.perf_counter()
        result = fn()
        return (time.perf_counter() - started) * 1000, result

    def handle(self, *args, repeat, page_size, output, **options):
        if repeat < 1 or page_size < 1:
            raise CommandError("--repeat and --page-size must be positive.")

        def first_pages(query):
            return {kind: list(qs[:page_size]) for kind, qs in site_search.search(query).items()}

        def counts(query):
            return {kind: qs.count() for kind, qs in site_search.search(query).items()}

        for _, query in QUERIES:  # warm-up: caches as a running site has them
            first_pages(query)
        rows, page_samples, count_samples = [], [], []
        for category, query in QUERIES:
            pages, totals = [], []
            for _ in range(repeat):
                ms, found = self._time(lambda q=query: first_pages(q))
                pages.append(ms)
                ms, matched = self._time(lambda q=query: counts(q))
                totals.append(ms)
            page_samples += pages
            count_samples += totals
            rows.append(
                {
                    "category": category,
                    "query": query,
                    "median_ms": round(statistics.median(pages), 2),
                    "p95_ms": round(_percentile(pages, 0.95), 2),
                    "count_median_ms": round(statistics.median(totals), 2),
                    "matches": matched,
                    "top": {
                        kind: str(records[0])[:40] if records else ""
                        for kind, records in found.items()
                    },
                }
            )
        summary = {
            "database": connection.vendor,
            "settings": self._settings(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "records": {
                "events": Event.objects.count(),
                "actors": Actor.objects.count(),
                "agreements": Agreement.objects.count(),
                "sources": Source.objects.count(),
            },
            "repeat": repeat,
            "page_size": page_size,
            "median_ms": round(statistics.median(page_samples), 2),
            "p95_ms": round(_percentile(page_samples, 0.95), 2),
            "count_median_ms": round(statistics.median(count_samples), 2),
            "count_p95_ms": round(_percentile(count_samples, 0.95), 2),
            "queries": rows,
        }
        self._print(summary)
        if output != "-":
            Path(output).write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
            self.stdout.write(f"Written to {output}")

    def _settings(self):
        """The planner settings that change these figures (see README, "Search")."""
        if connection.vendor != "postgresql":
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, setting, unit FROM pg_settings "
                "WHERE name IN ('random_page_cost', 'shared_buffers', 'work_mem')"
            )
            return {name: f"{value}{unit or ''}" for name, value, unit in cursor.fetchall()}

    def _print(self, summary):
        write = self.stdout.write
        records = ", ".join(f"{n} {what}" for what, n in summary["records"].items())
        write(
            f"Search latency on {summary['database']} ({records}); first "
            f"{summary['page_size']} rows of each kind, {summary['repeat']} runs per query"
        )
        settings = ", ".join(f"{k}={v}" for k, v in summary["settings"].items())
        load = " ".join(str(x) for x in summary["load_average"])
        write(f"Settings: {settings or '-'}; load average at the end: {load}")
        header = f"{'category':<12} {'query':<24} {'median':>8} {'p95':>8} {'+count':>8}"
        write(f"{header}  matches a/e/g/s")
        for row in summary["queries"]:
            m = row["matches"]
            write(
                f"{row['category']:<12} {row['query'][:24]:<24} {row['median_ms']:>6.1f}ms "
                f"{row['p95_ms']:>6.1f}ms {row['count_median_ms']:>6.1f}ms  "
                f"{m['actor']}/{m['event']}/{m['agreement']}/{m['source']}"
            )
        write(
            f"{'all':<12} {'':<24} {summary['median_ms']:>6.1f}ms {summary['p95_ms']:>6.1f}ms "
            f"{summary['count_median_ms']:>6.1f}ms"
        )
