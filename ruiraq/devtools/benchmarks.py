"""
The benchmark behind ``manage.py bench``: how fast the API and the public pages answer, and
what they cost in queries, on whatever database is configured.

The API's 50-row event list and an event detail are each measured three ways, from the same
run, so their ratios mean something on a busy machine:

- ``product``: the real endpoint (articles/api.py);
- ``floor``: a hand-written view, ``values()`` queries and a ``JsonResponse``, producing the
  very same JSON: what the endpoint would cost with no ORM objects and no serializers;
- ``naive``: a plain DRF build of the same endpoint, nested ``ModelSerializer``s and no
  ``select_related``/``prefetch_related``: what the product would cost without its care.

The floor and the naive build live here and only here: they are never in the product's
URLs. They are mounted, in front of the product's own URLs, in two URLconfs of their own, and
a request picks its URLconf with the ``X-Bench-Implementation`` header (a middleware that only
this benchmark installs). So all three are called the same way, with the same URL, through
the test ``Client`` and the whole middleware stack (sessions, CSRF, CSP, axes, CORS, the
public cache middleware, …): a client pays for that stack too, and a view measured without it
would flatter the ratio. The public cache is off, and the API's throttle counter is emptied
before each request (outside the timing) so its per-client history never grows.
"""

import os
import statistics
import time
from dataclasses import asdict, dataclass, field
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, OuterRef
from django.http import Http404, JsonResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django_countries import countries
from rest_framework import generics, serializers
from rest_framework.utils.urls import remove_query_param, replace_query_param

from actors.models import Actor, Tie
from articles.models import (
    Agreement,
    Citation,
    Correction,
    Event,
    EventParticipant,
    Source,
    Topic,
)
from ruiraq import cite
from ruiraq.dates import FuzzyDate, FuzzySpan
from ruiraq.models import EditorialStatus
from ruiraq.rest.fields import (
    CiteField,
    FuzzyDateSerializerField,
    FuzzySpanSerializerField,
    absolute_url,
)
from ruiraq.rest.throttling import AnonRateThrottle
from ruiraq.site.network import MAX_LIMIT as MAX_NETWORK

LIST_PATH = "/api/v1/events/?page_size=50"
PRODUCT, FLOOR, NAIVE = "product", "floor", "naive"
HEADER = "X-Bench-Implementation"
#: The targets on a 2-core machine: the product at most this many times its floor (issue 18
#: asks 1.5x for the 50-row list, where the serializer's cost is; issue 8 asked 2x of both),
#: and the naive build at least 6x the product.
TARGETS = {
    "product_over_floor_max": {"events list, 50 rows": 1.5, "event detail": 2.0},
    "naive_over_product_min": 6.0,
}

_PUBLISHED = EditorialStatus.PUBLISHED


# --- shared helpers -------------------------------------------------------------------------


def _datetime(value):
    """A datetime as DRF writes it: ISO 8601, UTC as "Z"."""
    text = value.isoformat()
    return text[: -len("+00:00")] + "Z" if text.endswith("+00:00") else text


def _span(start, start_precision, end, end_precision):
    span = FuzzySpan.from_fields(start, start_precision, end, end_precision)
    return {
        "start": span.start.as_dict() if span.start else None,
        "end": span.end.as_dict() if span.end else None,
        "display": span.display(),
    }


# --- the floor: values() and JsonResponse ---------------------------------------------------

_EVENT_COLUMNS = (
    "id",
    "slug",
    "kind",
    "title",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "event_status",
    "place",
    "country",
    "summary",
    "updated_at",
    "status_as_of_date",
    "status_as_of_precision",
)

#: The benchmark asks in English: every text is the English column ("languages" in the API).
_EVENT_LANGUAGES = {"title": "en", "place": "en", "summary": "en"}


def _as_of(date, precision):
    return FuzzyDate(date, precision).as_dict() if date else None


def _floor_events(request, rows):
    """The list representation of event ``rows`` (dicts): three queries for any number."""
    ids = [row["id"] for row in rows]
    topics = {pk: [] for pk in ids}
    for t in (
        Event.topics.through.objects.filter(event_id__in=ids)
        .order_by("topic__name")
        .values("event_id", "topic_id", "topic__slug", "topic__name")
    ):
        topics[t["event_id"]].append(
            {
                "id": t["topic_id"],
                "slug": t["topic__slug"],
                "name": t["topic__name"],
                "languages": {"name": "en"},
                "url": absolute_url(request, "api:topic-detail", pk=t["topic_id"]),
            }
        )
    participants = {pk: [] for pk in ids}
    for p in (
        EventParticipant.objects.with_public_actor()
        .filter(event_id__in=ids)
        .order_by("pk")
        .values("event_id", "role", "note", "actor_id", "actor__slug", "actor__name", "actor__kind")
    ):
        participants[p["event_id"]].append(
            {
                "role": p["role"],
                "note": p["note"],
                "actor": {
                    "id": p["actor_id"],
                    "slug": p["actor__slug"],
                    "name": p["actor__name"],
                    "kind": p["actor__kind"],
                    "url": absolute_url(request, "api:actor-detail", pk=p["actor_id"]),
                    "page_url": absolute_url(request, "actors:detail", slug=p["actor__slug"]),
                },
            }
        )
    return [
        {
            "id": row["id"],
            "slug": row["slug"],
            "url": absolute_url(request, "api:event-detail", pk=row["id"]),
            "page_url": absolute_url(request, "articles:event-detail", slug=row["slug"]),
            "kind": row["kind"],
            "title": row["title"],
            "when": _span(
                row["start_date"], row["start_precision"], row["end_date"], row["end_precision"]
            ),
            "event_status": row["event_status"],
            "status_as_of": _as_of(row["status_as_of_date"], row["status_as_of_precision"]),
            "place": row["place"],
            "country": row["country"],
            "country_name": str(countries.name(row["country"])) if row["country"] else "",
            "summary": row["summary"],
            "languages": _EVENT_LANGUAGES,
            "topics": topics[row["id"]],
            "participants": participants[row["id"]],
            "updated_at": _datetime(row["updated_at"]),
        }
        for row in rows
    ]


def _json(data):
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})


def floor_event_list(request):
    """``GET /api/v1/events/?page_size=N[&page=P]``: count, page, topics, participants."""
    size = int(request.GET.get("page_size", settings.REST_FRAMEWORK["PAGE_SIZE"]))
    page = int(request.GET.get("page", 1))
    public = Event.objects.public()
    count = public.count()
    start = (page - 1) * size
    rows = list(public.latest_first().values(*_EVENT_COLUMNS)[start : start + size])
    url = request.build_absolute_uri()
    if page > 1:
        previous = replace_query_param(url, "page", page - 1)
        if page == 2:
            previous = remove_query_param(url, "page")
    else:
        previous = None
    following = replace_query_param(url, "page", page + 1) if start + size < count else None
    results = _floor_events(request, rows)
    return _json({"count": count, "next": following, "previous": previous, "results": results})


def floor_event_detail(request, pk):
    """``GET /api/v1/events/<pk>/``: the event, topics, participants, agreements, citations."""
    stamps = ("published_at", "created_at")
    rows = list(Event.objects.public().filter(pk=pk).values(*_EVENT_COLUMNS, *stamps))
    if not rows:
        raise Http404
    (data,) = _floor_events(request, rows)
    data["first_published"] = _datetime(rows[0]["published_at"])
    data["last_changed"] = data["updated_at"]
    data["corrections"] = [
        {"id": c["id"], "corrected_at": _datetime(c["corrected_at"]), "note": c["note"]}
        for c in Correction.objects.filter(event_id=pk)
        .order_by("-corrected_at", "-pk")
        .values("id", "corrected_at", "note")
    ]
    # How to cite it: ruiraq.cite reads only the record's own row, here from the same values.
    row = rows[0]
    record = Event(**{f: row[f] for f in ("id", "slug", "title", "kind", "updated_at", *stamps)})
    permalink = absolute_url(request, "articles:event-detail", slug=record.slug)
    data["cite"] = cite.for_record(record, permalink).as_dict()
    agreements = (
        Event.agreements.through.objects.filter(event_id=pk, agreement__status=_PUBLISHED)
        .order_by("-agreement__start_date", "agreement__title")
        .values(
            *(
                f"agreement__{c}"
                for c in (
                    "id",
                    "slug",
                    "title",
                    "kind",
                    "start_date",
                    "start_precision",
                    "end_date",
                    "end_precision",
                    "agreement_status",
                    "status_as_of_date",
                    "status_as_of_precision",
                )
            )
        )
    )
    data["agreements"] = [
        {
            "id": a["agreement__id"],
            "slug": a["agreement__slug"],
            "title": a["agreement__title"],
            "languages": {"title": "en"},
            "kind": a["agreement__kind"],
            "when": _span(
                a["agreement__start_date"],
                a["agreement__start_precision"],
                a["agreement__end_date"],
                a["agreement__end_precision"],
            ),
            "agreement_status": a["agreement__agreement_status"],
            "status_as_of": _as_of(
                a["agreement__status_as_of_date"], a["agreement__status_as_of_precision"]
            ),
            "url": absolute_url(request, "api:agreement-detail", pk=a["agreement__id"]),
            "page_url": absolute_url(
                request, "articles:agreement-detail", slug=a["agreement__slug"]
            ),
        }
        for a in agreements
    ]
    citations = (
        Citation.objects.public()
        .filter(event_id=pk)
        .order_by("pk")
        .values(
            "id",
            "quote",
            "stance",
            "locator",
            "quote_verified",
            "source_id",
            "source__slug",
            "source__title",
            "source__outlet",
            "source__published_date",
            "source__published_precision",
            "source__url",
        )
    )
    data["citations"] = []
    for c in citations:
        source_page = absolute_url(request, "articles:source-detail", slug=c["source__slug"])
        published = c["source__published_date"]
        data["citations"].append(
            {
                "id": c["id"],
                "quote": c["quote"],
                # Asked in English: no editors' translation (quotes are translated into
                # Russian and Arabic only).
                "editors_translation": None,
                "stance": c["stance"],
                "locator": c["locator"],
                "verified": c["quote_verified"],
                "source": {
                    "id": c["source_id"],
                    "slug": c["source__slug"],
                    "title": c["source__title"],
                    "outlet": c["source__outlet"],
                    "published": FuzzyDate(published, c["source__published_precision"]).as_dict()
                    if published
                    else None,
                    "source_url": c["source__url"] or None,
                    "url": absolute_url(request, "api:source-detail", pk=c["source_id"]),
                    "page_url": source_page,
                },
                "page_url": f"{source_page}#citation-{c['id']}",
            }
        )
    return _json(data)


# --- the naive build: nested ModelSerializers, no prefetching -------------------------------


class _PageUrl(serializers.SerializerMethodField):
    def __init__(self, **kwargs):
        super().__init__(method_name="get_page_url", **kwargs)


class _NaiveModelSerializer(serializers.ModelSerializer):
    def get_page_url(self, obj):
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class _English(serializers.Field):
    """The languages the texts are in: a naive build serves English only."""

    def __init__(self, *names, **kwargs):
        self.names = names
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record):
        return {name: "en" for name in self.names}


class _NaiveTopic(_NaiveModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:topic-detail")
    languages = _English("name")

    class Meta:
        model = Topic
        fields = ["id", "slug", "name", "languages", "url"]


class _NaiveActor(_NaiveModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:actor-detail")
    page_url = _PageUrl()

    class Meta:
        model = Actor
        fields = ["id", "slug", "name", "kind", "url", "page_url"]


class _NaiveParticipant(serializers.ModelSerializer):
    actor = _NaiveActor(read_only=True)

    class Meta:
        model = EventParticipant
        fields = ["role", "note", "actor"]


class _NaiveSource(_NaiveModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:source-detail")
    page_url = _PageUrl()
    published = FuzzyDateSerializerField(allow_null=True)
    source_url = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = ["id", "slug", "title", "outlet", "published", "source_url", "url", "page_url"]

    def get_source_url(self, source):
        return source.url or None


class _NaiveCitation(_NaiveModelSerializer):
    source = _NaiveSource(read_only=True)
    page_url = _PageUrl()
    editors_translation = serializers.SerializerMethodField()
    verified = serializers.BooleanField(source="quote_verified")

    class Meta:
        model = Citation
        fields = [
            "id",
            "quote",
            "editors_translation",
            "stance",
            "locator",
            "verified",
            "source",
            "page_url",
        ]

    def get_editors_translation(self, citation):
        return None


class _NaiveAgreement(_NaiveModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:agreement-detail")
    page_url = _PageUrl()
    when = FuzzySpanSerializerField()
    languages = _English("title")
    status_as_of = FuzzyDateSerializerField(allow_null=True)

    class Meta:
        model = Agreement
        fields = [
            *("id", "slug", "title", "languages", "kind", "when", "agreement_status"),
            *("status_as_of", "url", "page_url"),
        ]


class _NaiveEvent(_NaiveModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:event-detail")
    page_url = _PageUrl()
    when = FuzzySpanSerializerField()
    topics = _NaiveTopic(many=True, read_only=True)
    participants = serializers.SerializerMethodField()
    languages = _English("title", "place", "summary")
    status_as_of = FuzzyDateSerializerField(allow_null=True)
    # The code; ModelSerializer's ChoiceField would answer an empty country as an object.
    country = serializers.SerializerMethodField()
    country_name = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "url",
            "page_url",
            "kind",
            "title",
            "when",
            "event_status",
            "status_as_of",
            "place",
            "country",
            "country_name",
            "summary",
            "languages",
            "topics",
            "participants",
            "updated_at",
        ]

    def get_country(self, event):
        return event.country.code or ""

    def get_country_name(self, event):
        return str(event.country.name) if event.country else ""

    def _nested(self, serializer, queryset):
        return serializer(queryset, many=True, context=self.context).data

    def get_participants(self, event):
        return self._nested(_NaiveParticipant, event.participants.with_public_actor())


class _NaiveCorrection(serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ["id", "corrected_at", "note"]


class _NaiveEventDetail(_NaiveEvent):
    agreements = serializers.SerializerMethodField()
    citations = serializers.SerializerMethodField()
    cite = CiteField()
    first_published = serializers.DateTimeField(source="published_at")
    last_changed = serializers.DateTimeField(source="updated_at")
    corrections = _NaiveCorrection(many=True, read_only=True)

    class Meta(_NaiveEvent.Meta):
        fields = [
            *_NaiveEvent.Meta.fields,
            *("agreements", "citations", "cite", "first_published", "last_changed"),
            "corrections",
        ]

    def get_agreements(self, event):
        return self._nested(_NaiveAgreement, event.agreements.public())

    def get_citations(self, event):
        return self._nested(_NaiveCitation, event.citations.public())


class NaiveEventList(generics.ListAPIView):
    queryset = Event.objects.public().latest_first()
    serializer_class = _NaiveEvent


class NaiveEventDetail(generics.RetrieveAPIView):
    queryset = Event.objects.public()
    serializer_class = _NaiveEventDetail


# --- mounting: one URLconf per implementation, picked per request ---------------------------


def _site_patterns():
    # The site's own patterns follow the benchmark's: spliced in rather than include()d,
    # because the site uses i18n_patterns, which Django refuses inside an include().
    return import_module(settings.ROOT_URLCONF).urlpatterns


class FloorUrls:
    urlpatterns = [
        path("api/v1/events/", floor_event_list),
        path("api/v1/events/<int:pk>/", floor_event_detail),
        *_site_patterns(),
    ]


class NaiveUrls:
    urlpatterns = [
        path("api/v1/events/", NaiveEventList.as_view()),
        path("api/v1/events/<int:pk>/", NaiveEventDetail.as_view()),
        *_site_patterns(),
    ]


_URLCONFS = {FLOOR: FloorUrls, NAIVE: NaiveUrls}


class ImplementationMiddleware:
    """Serves a request from the floor's or the naive URLconf when its header asks for one.

    Installed by ``measure`` only, first in the stack, so every implementation then meets the
    same middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        urlconf = _URLCONFS.get(request.headers.get(HEADER))
        if urlconf is not None:
            request.urlconf = urlconf
        return self.get_response(request)


def _bench_settings():
    rest = {**settings.REST_FRAMEWORK}
    rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], "anon": "1000000/hour"}
    return override_settings(
        DEBUG=False,  # no query log: it costs time
        PUBLIC_CACHE_SECONDS=0,
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        SECURE_SSL_REDIRECT=False,
        REST_FRAMEWORK=rest,
        MIDDLEWARE=["ruiraq.devtools.benchmarks.ImplementationMiddleware", *settings.MIDDLEWARE],
    )


# --- what is measured -----------------------------------------------------------------------


@dataclass
class Case:
    group: str
    name: str
    path: str
    implementation: str = PRODUCT
    samples: list = field(default_factory=list, repr=False)
    queries: int = 0
    bytes: int = 0

    def headers(self):
        return {} if self.implementation == PRODUCT else {"headers": {HEADER: self.implementation}}

    def summary(self):
        data = asdict(self)
        del data["samples"]
        data["median_ms"] = round(statistics.median(self.samples), 2)
        data["p95_ms"] = round(_percentile(self.samples, 0.95), 2)
        data["min_ms"] = round(min(self.samples), 2)
        return data


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def pick_records():
    """An event with nested lists to show (topics, participants, agreements, citations), an
    actor from it, falling back to any public event and actor."""
    public = Event.objects.public()
    event = (
        public.filter(
            Exists(Citation.objects.public().filter(event=OuterRef("pk"))),
            Exists(EventParticipant.objects.with_public_actor().filter(event=OuterRef("pk"))),
            Exists(Event.agreements.through.objects.filter(event=OuterRef("pk"))),
        )
        .order_by("-start_date", "title", "pk")
        .first()
    ) or public.order_by("-start_date", "title", "pk").first()
    if event is None:
        return None, None
    participant = (
        EventParticipant.objects.with_public_actor().filter(event=event).select_related("actor")
    )
    actor = participant[0].actor if participant else Actor.objects.public().order_by("pk").first()
    return event, actor


def cases(event, actor, query):
    detail = reverse("api:event-detail", kwargs={"pk": event.pk})
    api = [
        Case("api", "events list, 50 rows", LIST_PATH, implementation)
        for implementation in (PRODUCT, FLOOR, NAIVE)
    ] + [
        Case("api", "event detail", detail, implementation)
        for implementation in (PRODUCT, FLOOR, NAIVE)
    ]
    pages = [
        Case("page", "events list page", reverse("articles:event-list")),
        Case("page", "event page", event.get_absolute_url()),
        Case("page", "agreements list page", reverse("articles:agreement-list")),
    ]
    if actor is not None:
        pages.append(Case("page", "actor page", actor.get_absolute_url()))
    pages += [
        Case("search", "search page", f"{reverse('search')}?q={query}"),
        Case("search", "API search", f"{reverse('api:search')}?q={query}"),
    ]
    return api + pages + picture_cases(event, actor) + admin_cases()


#: The admin's changelists and change forms (issue 18, item 3: each under 150 ms at 100,000
#: events on PostgreSQL). Editors are never served from the public cache.
ADMIN_MODELS = (
    ("events", Event),
    ("agreements", Agreement),
    ("sources", Source),
    ("actors", Actor),
    ("ties", Tie),
    ("citations", Citation),
    ("topics", Topic),
)


#: The staff account the admin cases log in as: an editor like any other (the "Editors"
#: group), so its pages cost the permission queries a real editor's do. Created on first use
#: with no usable password: nobody can log in as it.
BENCH_EDITOR = "ruiraq-bench-editor"


def bench_editor():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, created = get_user_model().objects.get_or_create(
        username=BENCH_EDITOR, defaults={"is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name="Editors"))
    return user


def admin_cases():
    """A changelist and a change form of every model editors curate; the form shows the
    most cited record of its kind among a sample (inlines and "what cites it" at their
    fullest), else any."""
    found = []
    for label, model in ADMIN_MODELS:
        opts = model._meta
        found.append(
            Case(
                "admin",
                f"{label} changelist",
                reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            )
        )
        record = _admin_sample(model)
        if record is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record])
            found.append(Case("admin", f"{label} change form", change))
    return found


def _admin_sample(model):
    """The pk of a record with citations, if the model has them, else the first one."""
    if model is Citation or model is Topic:
        return model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    relation = model._meta.get_field("citations").field.name
    if model is Source:
        relation = "source"
    cited = (
        Citation.objects.exclude(**{f"{relation}__isnull": True})
        .order_by("pk")
        .values_list(f"{relation}_id", flat=True)
        .first()
    )
    return cited or model._default_manager.order_by("pk").values_list("pk", flat=True).first()


def picture_cases(event, actor):
    """The pictures' endpoints (issue 15): the whole network at its default cap and at the
    most it draws, a neighbourhood at one and two steps (target: median under 100 ms on
    PostgreSQL at 100,000 events), and the timeline of the event's year."""
    network = reverse("api:network")
    found = [
        Case("pictures", "network, top 100 actors", network),
        Case("pictures", f"network, top {MAX_NETWORK} actors", f"{network}?limit={MAX_NETWORK}"),
    ]
    if actor is not None:
        found += [
            Case("pictures", "neighbourhood, 1 step", f"{network}?actor={actor.slug}"),
            Case("pictures", "neighbourhood, 2 steps", f"{network}?actor={actor.slug}&depth=2"),
        ]
    year = f"?year={event.start_date.year}" if event.start_date else ""
    found += [
        Case("pictures", "timeline API, one year", f"{reverse('api:timeline')}{year}"),
        Case("pictures", "timeline page, one year", f"{reverse('timeline')}{year}"),
    ]
    return found


class Mismatch(AssertionError):
    pass


def _first_difference(a, b, where="$"):
    if type(a) is not type(b):
        return f"{where}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{where}.{key}: only in {'the product' if key in a else 'the other'}"
            found = _first_difference(a[key], b[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = _first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{where}: {a!r} != {b!r}"


class Runner:
    """Calls each case through the test client; ``measure`` and ``check`` share it."""

    def __init__(self):
        self.client = Client()
        self.editor = None  # logged in on the first admin case
        self._throttle_key = AnonRateThrottle.cache_format % {"scope": "anon", "ident": "127.0.0.1"}

    def _client_for(self, case):
        if case.group != "admin":
            return self.client
        if self.editor is None:
            self.editor = Client()
            self.editor.force_login(bench_editor())
        return self.editor

    def get(self, case):
        cache.delete(self._throttle_key)  # the throttle's history stays one entry long
        started = time.perf_counter()
        response = self._client_for(case).get(case.path, **case.headers())
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{case.path} ({case.implementation}): {response.status_code}")
        return elapsed, response

    def check(self, all_cases):
        """The floor's and the naive build's JSON equal the product's, or ``Mismatch``."""
        product = {}
        for case in all_cases:
            if case.group != "api":
                continue
            data = self.get(case)[1].json()
            if case.implementation == PRODUCT:
                product[case.path] = data
                continue
            difference = _first_difference(product[case.path], data)
            if difference:
                raise Mismatch(f"{case.implementation} {case.path} differs at {difference}")

    def count_queries(self, case):
        with CaptureQueriesContext(connection) as captured:
            response = self.get(case)[1]
        case.queries = len(captured)
        case.bytes = len(response.content)


def measure(*, iterations, warmup, query, log=None, groups=None):
    """Every case, each called ``warmup`` times, then ``iterations`` times interleaved (so a
    burst of load from elsewhere hits every case alike). Returns the results as a dict."""
    event, actor = pick_records()
    if event is None:
        raise RuntimeError("No published event: load data first (load_seed, generate_synthetic).")
    load_before = os.getloadavg()
    with _bench_settings():
        runner = Runner()
        all_cases = cases(event, actor, query)
        if groups:
            all_cases = [case for case in all_cases if case.group in groups]
        runner.check(all_cases)
        for case in all_cases:
            for _ in range(warmup):
                runner.get(case)
            runner.count_queries(case)
        for i in range(iterations):
            for case in all_cases:
                case.samples.append(runner.get(case)[0])
            if log and (i + 1) % 10 == 0:
                log(f"  {i + 1}/{iterations}")
    results = [case.summary() for case in all_cases]
    return {
        "database": connection.vendor,
        "records": {
            "events": Event.objects.count(),
            "public_events": Event.objects.public().count(),
            "actors": Actor.objects.count(),
            "agreements": Agreement.objects.count(),
            "sources": Source.objects.count(),
            "citations": Citation.objects.count(),
        },
        "iterations": iterations,
        "warmup": warmup,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "event": {"id": event.pk, "slug": event.slug},
        "actor": {"id": actor.pk, "slug": actor.slug} if actor else None,
        "results": results,
        "ratios": ratios(results),
        "targets": TARGETS,
    }


def ratios(results):
    by = {(r["name"], r["implementation"]): r["median_ms"] for r in results}
    out = {}
    for name in ("events list, 50 rows", "event detail"):
        if (name, PRODUCT) not in by:  # not measured (--only)
            continue
        product, floor, naive = (by[(name, i)] for i in (PRODUCT, FLOOR, NAIVE))
        out[name] = {
            "product_over_floor": round(product / floor, 2),
            "naive_over_product": round(naive / product, 2),
        }
    return out


def as_table(summary):
    header = f"{'case':<22} {'impl':<8} {'median ms':>9} {'p95 ms':>8} {'queries':>7} {'bytes':>8}"
    rows = [header, "-" * len(header)]
    for r in summary["results"]:
        rows.append(
            f"{r['name']:<22} {r['implementation']:<8} {r['median_ms']:>9.2f} "
            f"{r['p95_ms']:>8.2f} {r['queries']:>7} {r['bytes']:>8}"
        )
    rows.append("")
    for name, ratio in summary["ratios"].items():
        pf, np_ = ratio["product_over_floor"], ratio["naive_over_product"]
        most = TARGETS["product_over_floor_max"][name]
        ok_pf = "ok" if pf <= most else "MISSED"
        ok_np = "ok" if np_ >= TARGETS["naive_over_product_min"] else "MISSED"
        rows.append(
            f"{name:<22} product/floor {pf:>5.2f}x (target <= {most:g}: {ok_pf})   "
            f"naive/product {np_:>5.2f}x (target >= 6: {ok_np})"
        )
    return "\n".join(rows)
