"""``manage.py bench_bulk``: what bulk access costs on the configured database.

Measures, in-process (the WSGI application through Django's test client, no network):
building the dump (``--build``) and its size; the unfiltered export's redirect and the
download of the dump; filtered, streamed exports (one type; the records changed since a
moment chosen to hold ``--since-records`` events); and an API list's first page against a
deep one (``--deep-page``), with page numbers and with a cursor. Medians of
``--iterations`` runs. The public cache is off, so every answer is read from the database.
"""

import json
import statistics
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.test import Client, override_settings
from django.test.utils import setup_test_environment
from rest_framework.pagination import Cursor

from articles.models import Event
from ruiraq.rest.pagination import KeysetPagination
from ruiraq.site import dump


class Command(BaseCommand):
    help = "Measure the dump, the export and deep API pages on the configured database."

    def add_arguments(self, parser):
        parser.add_argument("--build", action="store_true", help="Also build the dump first.")
        parser.add_argument("--iterations", type=int, default=5)
        parser.add_argument("--page-size", type=int, default=50)
        parser.add_argument("--deep-page", type=int, default=1900)
        parser.add_argument("--since-records", type=int, default=5000)
        parser.add_argument("--json", help="Write the results to this file as well.")

    def handle(self, *args, build, iterations, page_size, deep_page, since_records, **options):
        if iterations < 1 or page_size < 1 or deep_page < 2 or since_records < 1:
            raise CommandError("--iterations, --page-size, --since-records ≥ 1; --deep-page ≥ 2")
        setup_test_environment()
        results = {"events": Event.objects.public().count()}
        with override_settings(PUBLIC_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver"]):
            if build:
                started = time.perf_counter()
                meta = dump.build()
                results["build_seconds"] = round(time.perf_counter() - started, 1)
            meta = dump.current()
            if meta is None:
                raise CommandError("No dump in DUMP_DIR: run with --build (or build_dump).")
            results["dump"] = {
                "bytes": meta["file"]["bytes"],
                "uncompressed_bytes": meta["file"]["uncompressed_bytes"],
                "records": meta["records"],
                "counts": meta["counts"],
            }
            client = Client()
            cases = self._cases(page_size, deep_page, since_records)
            results["cases"] = {}
            for name, url in cases.items():
                timings, size, status = [], 0, None
                runs = 1 if name.startswith(("export", "download")) else iterations
                for _ in range(runs):
                    started = time.perf_counter()
                    response = client.get(url)
                    body = (
                        b"".join(response.streaming_content)
                        if response.streaming
                        else response.content
                    )
                    timings.append(time.perf_counter() - started)
                    size, status = len(body), response.status_code
                    if hasattr(response, "close"):
                        response.close()
                results["cases"][name] = {
                    "url": url,
                    "status": status,
                    "bytes": size,
                    "median_ms": round(statistics.median(timings) * 1000, 1),
                }
                self.stdout.write(
                    f"{name:<34} {status} {statistics.median(timings) * 1000:>10.1f} ms "
                    f"{size:>14,} bytes"
                )
        if options.get("json"):
            Path(options["json"]).write_text(json.dumps(results, indent=2) + "\n")
        self.stdout.write(json.dumps({k: v for k, v in results.items() if k != "cases"}))

    def _cases(self, page_size, deep_page, since_records):
        meta = dump.current()
        # The moment after which ``since_records`` public events were last changed.
        updated = (
            Event.objects.public()
            .order_by("-updated_at")
            .values_list("updated_at", flat=True)[since_records - 1 : since_records]
        )
        since = updated[0].isoformat() if updated else "2000-01-01T00:00:00+00:00"
        # A cursor at the deep page's first record, as a walk would have reached it.
        deep_pk = (
            Event.objects.public()
            .order_by("pk")
            .values_list("pk", flat=True)[(deep_page - 1) * page_size - 1]
        )
        pager = KeysetPagination()
        pager.base_url = "http://testserver/"
        encoded = pager.encode_cursor(Cursor(offset=0, reverse=False, position=deep_pk))
        cursor = encoded.split("cursor=")[1]
        base = f"/api/v1/events/?page_size={page_size}"
        return {
            "api_page_1": f"{base}",
            f"api_page_{deep_page}": f"{base}&page={deep_page}",
            "api_cursor_first": f"{base}&pagination=cursor",
            f"api_cursor_at_page_{deep_page}": f"{base}&cursor={cursor}",
            "export_unfiltered_redirect": "/api/v1/export/",
            "download_dump": f"/api/v1/export/dump/{meta['build']}/{meta['file']['name']}",
            "export_type_agreement": "/api/v1/export/?type=agreement",
            f"export_updated_since_{since_records}_events": (
                f"/api/v1/export/?type=event&updated_since={since.replace('+', '%2B')}"
            ),
        }
