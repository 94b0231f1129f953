"""Stable order: the same records in the same order in every language, on the home page, in
the lists and in search results; ties are broken by a key no language changes (the id or
the slug)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Event
from ruiraq.models import EditorialStatus
from tests import factories

pytestmark = pytest.mark.django_db

PREFIXES = ("", "/ru", "/ar")


def _slugs(client, url, kind, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return re.findall(rf'href="(?:/ru|/ar)?/{kind}/([\w-]+)/"', response.content.decode())


@pytest.fixture
def tied_actors():
    """Four actors in one record each: by English name Alpha, Beta, Gamma, Delta's order is
    not their Russian or Arabic names' order, and each has as many records."""
    names = [
        ("alpha", "Alpha", "Яков", "ي"),
        ("beta", "Beta", "Антон", "ب"),
        ("gamma", "Gamma", "Борис", "أ"),
        ("delta", "Delta", "", "ت"),
    ]
    event = factories.event(title="Shared talks")
    for slug, name, name_ru, name_ar in names:
        factories.participant(
            event, factories.actor(slug=slug, name=name, name_ru=name_ru, name_ar=name_ar)
        )
    return [slug for slug, *_ in names]


def test_home_page_key_actors_are_the_same_and_in_the_same_order_in_every_language(
    client, tied_actors
):
    orders = {}
    for prefix in PREFIXES:
        html = client.get(f"{prefix}/").content.decode()
        block = html.split('class="key-actors"', 1)[1].split("</ol>", 1)[0]
        orders[prefix] = re.findall(r'href="(?:/ru|/ar)?/actors/([\w-]+)/"', block)
    # Equal counts: by slug, whatever the names the reader sees.
    assert orders[""] == ["alpha", "beta", "delta", "gamma"]
    assert orders["/ru"] == orders[""] and orders["/ar"] == orders[""]


def test_key_actors_with_more_records_come_first_whatever_the_slug(client, tied_actors):
    factories.participant(factories.event(title="More talks"), factories.actor(slug="zeta"))
    zeta_again = factories.event(title="Yet more talks")
    factories.participant(zeta_again, factories.Actor.objects.get(slug="zeta"))
    html = client.get("/ru/").content.decode()
    block = html.split('class="key-actors"', 1)[1]
    assert re.findall(r"/actors/([\w-]+)/", block)[0] == "zeta"


def test_key_actors_are_the_eight_with_most_records_the_slug_deciding_at_the_cut(client):
    # Ten actors in one event each, and a hub in two events (in one of them in two roles,
    # counted once) and an agreement; a draft event counts for no one.
    for i in range(10):
        factories.participant(factories.event(title=f"Talks {i}"), factories.actor(slug=f"a{i}"))
    hub = factories.actor(slug="zz-hub", name="Hub")
    talks, visit = factories.event(title="Hub talks"), factories.event(title="Hub visit")
    factories.participant(talks, hub)
    factories.participant(talks, hub, role="host")
    factories.participant(visit, hub)
    factories.party(factories.agreement(title="Hub deal"), hub)
    draft = factories.event(title="Draft talks", status=EditorialStatus.DRAFT)
    factories.participant(draft, factories.Actor.objects.get(slug="a9"))
    factories.participant(draft, factories.Actor.objects.get(slug="a9"), role="host")
    response = client.get("/")
    chosen = response.context["key_actors"]
    assert [a.slug for a in chosen] == ["zz-hub", "a0", "a1", "a2", "a3", "a4", "a5", "a6"]
    assert (chosen[0].event_count, chosen[0].agreement_count, chosen[0].records) == (2, 1, 3)
    assert (chosen[1].event_count, chosen[1].agreement_count, chosen[1].records) == (1, 0, 1)


@pytest.mark.parametrize(
    ("url", "kind", "make", "params"),
    [
        ("/events/", "events", "event", {}),
        ("/events/", "events", "event", {"ordering": "title"}),
        ("/events/", "events", "event", {"ordering": "-date"}),
        ("/agreements/", "agreements", "agreement", {}),
        ("/agreements/", "agreements", "agreement", {"ordering": "-title"}),
        ("/sources/", "sources", "source", {}),
        ("/sources/", "sources", "source", {"ordering": "outlet"}),
    ],
)
def test_records_that_tie_are_listed_by_id_in_every_language(client, url, kind, make, params):
    """Same title and date: only the id tells them apart, on every page and in every language
    (the slugs, "same-title", "same-title-2"…, are in id order)."""
    builder = getattr(factories, make)
    common = {"title": "Same title"}
    if make == "source":
        common["published_date"] = dt.date(2019, 1, 1)
    else:
        common["start_date"] = dt.date(2019, 1, 1)
    made = [builder(**common).slug for _ in range(4)]
    for prefix in PREFIXES:
        assert _slugs(client, f"{prefix}{url}", kind, **params) == made


def test_actors_with_the_same_name_are_listed_by_id_in_every_language(client):
    made = [factories.actor(name="Ministry of Defence").slug for _ in range(3)]
    for prefix in PREFIXES:
        listed = _slugs(client, f"{prefix}/actors/", "actors")
        assert listed == made


def test_search_results_that_tie_are_in_the_same_order_in_every_language(client):
    made = [factories.event(title="Oil talks", start_date=dt.date(2019, 1, 1)) for _ in range(3)]
    for event in made:
        factories.citation(event)
    orders = {prefix: _slugs(client, f"{prefix}/search/", "events", q="oil") for prefix in PREFIXES}
    assert orders[""] == orders["/ru"] == orders["/ar"]
    assert sorted(orders[""]) == sorted(e.slug for e in made)


def test_api_lists_break_ties_by_id(api_client):
    made = [factories.event(title="Same", start_date=dt.date(2019, 1, 1)).pk for _ in range(3)]
    for ordering in ("title", "-title", "date"):
        body = api_client.get("/api/v1/events/", {"ordering": ordering}).json()
        assert [row["id"] for row in body["results"]] == made


@pytest.mark.parametrize("prefix", PREFIXES)
def test_pages_of_a_list_follow_each_other_without_gap_or_repeat(client, prefix):
    """Each page is its slice of the whole list (its ids read first, ruiraq.pagination
    .page_by_ids): ties on date and title broken by id, undated events last."""
    day = dt.date(2020, 5, 1)
    made = [factories.event(title="Talks", start_date=day) for _ in range(25)]
    made += [factories.event(title=f"Visit {n}", start_date=day.replace(year=2021)) for n in "ab"]
    made.append(factories.event(title="Undated", start_date=None))
    pages = [_slugs(client, f"{prefix}/events/", "events", page=page) for page in (1, 2)]
    expected = [e.slug for e in made[25:27]] + [e.slug for e in made[:25]] + [made[27].slug]
    assert pages[0] == expected[:20]
    assert pages[1] == expected[20:]


def _long_list():
    """73 events with ties on date and title, and undated ones: 8 API pages of 10."""
    for n in range(73):
        start = None if n % 11 == 0 else dt.date(2000 + n % 7, 1 + n % 3, 1)
        factories.event(title=f"Talks {n % 5}", start_date=start)


@pytest.mark.parametrize("ordering", ["", "title", "-title", "date", "-date"])
def test_pages_past_the_middle_read_from_the_end_are_still_their_slice(api_client, ordering):
    """A page in the second half of a list takes its ids counting from the end
    (ruiraq.pagination.page_by_ids): the pages still follow each other without gap or
    repeat, in the list's order, and the last one skips no row to find them."""
    _long_list()
    params = {"ordering": ordering} if ordering else {}
    whole = api_client.get("/api/v1/events/", {**params, "page_size": 100}).json()
    expected = [row["id"] for row in whole["results"]]
    assert len(expected) == whole["count"] == 73

    pages = []
    for page in range(1, 9):
        with CaptureQueriesContext(connection) as queries:
            body = api_client.get("/api/v1/events/", {**params, "page_size": 10, "page": page})
        pages += [row["id"] for row in body.json()["results"]]
        if page == 8:
            offsets = [int(n) for q in queries for n in re.findall(r"OFFSET (\d+)", q["sql"])]
            assert offsets in ([], [0])
    assert pages == expected


def test_the_site_list_pages_cover_a_long_list_once_each_end_cheaply(client):
    _long_list()
    pages = []
    for page in range(1, 5):
        with CaptureQueriesContext(connection) as queries:
            pages.append(_slugs(client, "/events/", "events", page=page))
    assert [len(p) for p in pages] == [20, 20, 20, 13]
    slugs = [slug for p in pages for slug in p]
    assert len(set(slugs)) == 73
    # The last page's ids were read from the end: no row skipped.
    assert not re.findall(r"OFFSET [1-9]", " ".join(q["sql"] for q in queries))
    # Undated events come last (the latest-first order, read backwards).
    undated = {e.slug for e in Event.objects.filter(start_date=None)}
    assert set(slugs[-len(undated) :]) == undated


def test_the_api_lists_events_and_agreements_in_the_site_lists_order(api_client, client):
    """Latest first, undated last, on every database (Meta.ordering's "-start_date" put
    undated records first on PostgreSQL and last on SQLite, and no index served it: the
    middle page of a million events sorted every row, 584 ms)."""
    _long_list()
    for n in range(3):
        factories.agreement(
            title=f"Accord {n % 2}", start_date=None if n == 1 else dt.date(2001, 1, n + 1)
        )
    for kind, pages in (("events", 4), ("agreements", 1)):
        site = [
            slug
            for page in range(1, pages + 1)
            for slug in _slugs(client, f"/{kind}/", kind, page=page)
        ]
        body = api_client.get(f"/api/v1/{kind}/", {"page_size": 100}).json()
        assert [row["slug"] for row in body["results"]] == site


@pytest.mark.parametrize("direction", ["", "-"])
def test_records_without_a_date_or_value_come_last_either_way_on_every_database(
    client, api_client, direction
):
    """An explicit ``ordering`` puts the records with nothing to sort by last, ascending or
    descending, on the site and in the API: PostgreSQL puts NULLs first when descending and
    SQLite when ascending, so the same list began with the undated records on one only."""
    early, late = (factories.event(start_date=dt.date(year, 1, 1)) for year in (2001, 2020))
    undated = factories.event(start_date=None)
    dated = [early, late] if direction == "" else [late, early]
    params = {"ordering": f"{direction}date"}
    assert _slugs(client, "/events/", "events", **params) == [e.slug for e in (*dated, undated)]
    listed = api_client.get("/api/v1/events/", params).json()["results"]
    assert [row["id"] for row in listed] == [e.pk for e in (*dated, undated)]

    cheap, dear = (
        factories.agreement(value_amount=Decimal(n), value_currency="USD") for n in (10, 900)
    )
    unpriced = factories.agreement(value_amount=None)
    priced = [cheap, dear] if direction == "" else [dear, cheap]
    params = {"ordering": f"{direction}value"}
    listed = api_client.get("/api/v1/agreements/", params).json()["results"]
    assert [row["id"] for row in listed] == [a.pk for a in (*priced, unpriced)]

    old, new = (factories.source(published_date=dt.date(year, 1, 1)) for year in (2001, 2020))
    unknown = factories.source(published_date=None)
    sources = [old, new] if direction == "" else [new, old]
    params = {"ordering": f"{direction}date"}
    listed = api_client.get("/api/v1/sources/", params).json()["results"]
    assert [row["id"] for row in listed] == [s.pk for s in (*sources, unknown)]
