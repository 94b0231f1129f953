from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from actors.models import Actor
from articles.models import Agreement, Event, EventKind, Topic
from articles.views import EventListView
from ruiraq.devtools import loadtest

# The API list is asked for 50 rows a page; the site's list shows its own page size.
API_PAGE = 50


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


def _spread(values, n):
    """At most n of values, evenly spaced over all of them (deterministic)."""
    if len(values) <= n:
        return list(values)
    step = len(values) / n
    return [values[int(i * step)] for i in range(n)]


def _cold_path_scenarios(rotate):
    """The long tail: many different records and list pages, and /healthz as the floor."""
    events = _spread(list(Event.objects.public().order_by("pk").values_list("pk", "slug")), rotate)
    if not events:
        raise CommandError(
            "No published events: load data first (manage.py load_seed or generate_synthetic)."
        )
    published = Event.objects.public().count()
    list_base = reverse("articles:event-list")
    # Page numbers of the unfiltered list, then the first page of each filter and year: list
    # pages with different filters and page numbers, every one of them an existing page.
    # (A page size assumed larger than the list's, as 100 once was against its 20, left four
    # fifths of the list's pages out of the rotation: the deep ones.)
    pages = _spread(list(range(1, -(-published // EventListView.paginate_by) + 1)), rotate // 2)
    years = sorted({d.year for d in Event.objects.public().dates("start_date", "year")})
    topics = list(Topic.objects.order_by("slug").values_list("slug", flat=True))
    filtered = [
        *(f"?kind={kind}" for kind in EventKind.values),
        *(f"?topic={slug}" for slug in topics),
        *(f"?year_from={y}&year_to={y}" for y in years),
        *(f"?topic={slug}&year_from={y}" for slug in topics for y in years[-3:]),
    ]
    api_pages = _spread(list(range(1, -(-published // API_PAGE) + 1)), rotate // 2)
    api_list = reverse("api:event-list")
    return {
        loadtest.FLOOR: [reverse("healthz")],
        "event-page": [reverse("articles:event-detail", kwargs={"slug": s}) for _, s in events],
        "api-event": [reverse("api:event-detail", args=[pk]) for pk, _ in events],
        "event-list": [
            *(f"{list_base}?page={n}" for n in pages),
            *(f"{list_base}{query}" for query in filtered),
        ],
        "api-list": [f"{api_list}?page_size={API_PAGE}&page={n}" for n in api_pages],
    }


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
        parser.add_argument(
            "--scenarios",
            help="Comma-separated (default: detail,list,mix; with --cold-path: all of "
            "floor,event-page,api-event,event-list,api-list).",
        )
        parser.add_argument(
            "--cold-path",
            action="store_true",
            help="The long tail: the public cache off, --rotate different event pages, API "
            "details and list pages, with /healthz as the floor in the same run.",
        )
        parser.add_argument(
            "--rotate",
            type=int,
            default=2000,
            help="With --cold-path: how many different records each case rotates over.",
        )
        parser.add_argument(
            "--clients",
            type=int,
            default=0,
            help="Send each request from one of this many addresses (X-Forwarded-For behind "
            "one proxy), keeping the API's throttle at its configured rate; 0 (default): one "
            "address, with the throttle lifted.",
        )
        parser.add_argument(
            "--cache",
            choices=["cold", "warm", "both"],
            help="Which runs: the public cache off, primed, or both (default: both; "
            "cold only with --cold-path).",
        )
        parser.add_argument(
            "--list-paths",
            action="store_true",
            help="Print each scenario's paths and exit (no server, no wrk).",
        )
        parser.add_argument("--json", dest="json_path", help="Also write the results here.")
        parser.add_argument(
            "--fail-on-errors", action="store_true", help="Exit non-zero if any request failed."
        )

    def handle(self, *args, **opts):
        if not 1 <= opts["duration"] <= 600 or not 1 <= opts["connections"] <= 1000:
            raise CommandError("--duration must be 1–600 s and --connections 1–1000.")
        if not 1 <= opts["rotate"] <= 1_000_000:
            raise CommandError("--rotate must be 1–1,000,000.")
        if not 0 <= opts["clients"] <= 16_000_000:
            raise CommandError("--clients must be 0–16,000,000.")
        if opts["cold_path"]:
            available, caches = _cold_path_scenarios(opts["rotate"]), ("cold",)
        else:
            available, caches = _scenarios(), ("cold", "warm")
        if opts["cache"]:
            caches = ("cold", "warm") if opts["cache"] == "both" else (opts["cache"],)
        default = ",".join(available) if opts["cold_path"] else "detail,list,mix"
        wanted = [s.strip() for s in (opts["scenarios"] or default).split(",") if s.strip()]
        unknown = set(wanted) - set(available)
        if unknown:
            raise CommandError(f"unknown scenarios: {', '.join(sorted(unknown))}")
        if opts["list_paths"]:
            for name in wanted:
                for path in available[name]:
                    self.stdout.write(f"{name}\t{path}")
            return
        # The servers run as in production, where the public cache's content version lives in
        # a database table (ruiraq.cache), which this process (DEBUG) has no cache for: make
        # it by name, as `make serve` does (idempotent).
        call_command("createcachetable", settings.CONTENT_VERSION_TABLE, verbosity=0)
        try:
            results, servers = loadtest.measure(
                {name: available[name] for name in wanted},
                duration=opts["duration"],
                connections=opts["connections"],
                threads=opts["threads"],
                workers=opts["workers"],
                caches=caches,
                clients=opts["clients"],
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(loadtest.as_table(results, servers))
        if opts["json_path"]:
            Path(opts["json_path"]).parent.mkdir(parents=True, exist_ok=True)
            Path(opts["json_path"]).write_text(
                loadtest.as_json(
                    results,
                    servers,
                    duration=opts["duration"],
                    connections=opts["connections"],
                    workers=opts["workers"],
                    events=Event.objects.public().count(),
                )
            )
        failed = sum(r.errors for r in results)
        if failed and opts["fail_on_errors"]:
            raise CommandError(f"{failed} requests failed")
