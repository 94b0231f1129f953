from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from actors.models import Actor
from articles.models import Agreement, Event
from ruiraq.devtools import loadtest


def _scenarios():
    """URL paths for each scenario, drawn from the published records in the database."""
    events = list(Event.objects.public().order_by("-start_date")[:50])
    actors = list(Actor.objects.public().order_by("name")[:50])
    agreements = list(Agreement.objects.public().order_by("-start_date")[:50])
    if not events or not actors:
        raise CommandError(
            "No published events or actors: load data first "
            "(manage.py load_seed or generate_synthetic)."
        )
    details = [e.get_absolute_url() for e in events]
    lists = ["/api/v1/events/?page_size=50", "/events/"]
    mix = [
        "/",
        "/events/",
        "/agreements/",
        "/actors/",
        "/timeline/",
        "/api/v1/events/?page_size=50",
        "/api/v1/actors/",
        *details[:10],
        *[a.get_absolute_url() for a in actors[:10]],
        *[a.get_absolute_url() for a in agreements[:5]],
        *[reverse("api:event-detail", args=[e.pk]) for e in events[:5]],
        "/search/?q=Lavrov",
        "/search/?q=oil+Kirkuk",
        "/api/v1/search/?q=Maximov",
    ]
    return {"detail": details, "list": lists, "mix": mix}


class Command(BaseCommand):
    help = (
        "Load-test the production server (gunicorn, DEBUG off) with wrk on 127.0.0.1: a "
        "detail page, 50-row lists and a mix, each with the public cache cold and warm."
    )

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=20, help="Seconds per run.")
        parser.add_argument("--connections", type=int, default=50, help="Concurrent clients.")
        parser.add_argument("--threads", type=int, default=2, help="wrk threads.")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers.")
        parser.add_argument("--scenarios", default="detail,list,mix")
        parser.add_argument("--json", dest="json_path", help="Also write the results here.")
        parser.add_argument(
            "--fail-on-errors", action="store_true", help="Exit non-zero if any request failed."
        )

    def handle(self, *args, **opts):
        if not 1 <= opts["duration"] <= 600 or not 1 <= opts["connections"] <= 1000:
            raise CommandError("--duration must be 1–600 s and --connections 1–1000.")
        available = _scenarios()
        wanted = [s.strip() for s in opts["scenarios"].split(",") if s.strip()]
        unknown = set(wanted) - set(available)
        if unknown:
            raise CommandError(f"unknown scenarios: {', '.join(sorted(unknown))}")
        # The servers run as in production, where the public cache's content version lives in
        # a database table (ruiraq.cache), which this process (DEBUG) has no cache for: make
        # it by name, as `make serve` does (idempotent).
        call_command("createcachetable", settings.CONTENT_VERSION_TABLE, verbosity=0)
        try:
            results = loadtest.measure(
                {name: available[name] for name in wanted},
                duration=opts["duration"],
                connections=opts["connections"],
                threads=opts["threads"],
                workers=opts["workers"],
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(loadtest.as_table(results))
        if opts["json_path"]:
            Path(opts["json_path"]).parent.mkdir(parents=True, exist_ok=True)
            Path(opts["json_path"]).write_text(
                loadtest.as_json(
                    results,
                    duration=opts["duration"],
                    connections=opts["connections"],
                    workers=opts["workers"],
                    events=Event.objects.public().count(),
                )
            )
        failed = sum(r.errors for r in results)
        if failed and opts["fail_on_errors"]:
            raise CommandError(f"{failed} requests failed")
