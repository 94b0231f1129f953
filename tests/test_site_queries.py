"""Every public page runs a fixed number of queries, whatever the amount of data.

Each test builds the same shape of data at 5 and at 50 records and asserts the same count;
the comment above each count lists the queries.
"""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories
from tests.conftest import kept_for_the_scope

pytestmark = pytest.mark.django_db

SIZES = [5, 50]
PAGE_SIZE = 20  # the public lists' page


def _assert_rows(response, total):
    """The list holds ``total`` records and its page shows as many as fit: a count over an
    empty page would not show an N+1."""
    assert response.status_code == 200
    assert response.context["paginator"].count == total
    assert len(response.context["object_list"]) == min(total, PAGE_SIZE)


@pytest.fixture(scope="module", params=SIZES, ids=lambda n: f"{n} records")
def world(request, django_db_setup, django_db_blocker):
    """(n, *_world(n)), built once for all the module's tests at each size."""
    with kept_for_the_scope(django_db_blocker):
        yield request.param, *_world(request.param)


def _world(n):
    """n events and n agreements sharing actors, topics and a source; every record cited.

    Returns the busiest actor, an event, an agreement and the source, each with n related
    rows of every kind its page shows.
    """
    source = factories.source(title="Hub report")
    other_source = factories.source(title="Hub report, a copy", republishes=source)
    hub = factories.actor(name="Hub", name_ru="Хаб", name_ar="هب")
    factories.alias(hub, "The Hub")
    factories.citation(hub, source)
    topics = [factories.topic(slug=slug) for slug in ("defence", "energy", "trade")]
    events, agreements = [], []
    for i in range(n):
        other = factories.actor()
        event = factories.event(
            start_date=dt.date(2000 + i % 20, 1 + i % 12, 1), summary="Talks at the hub."
        )
        event.topics.set(topics)
        factories.participant(event, hub, role="host")
        factories.participant(event, other)
        factories.citation(event, source)
        factories.citation(event, other_source, stance="disputes")
        agreement = factories.agreement(
            value_amount=1000 + i, value_currency="USD", summary="Signed at the hub."
        )
        agreement.topics.set(topics)
        factories.party(agreement, hub, role="supplier")
        factories.party(agreement, other, role="buyer")
        factories.citation(agreement, source)
        tie = factories.tie(subject=hub, object=other)
        factories.citation(tie, source)
        events.append(event)
        agreements.append(agreement)
    # The first event and agreement carry all the others as related records.
    events[0].agreements.set(agreements)
    for actor_ in [factories.actor() for _ in range(n)]:
        factories.participant(events[0], actor_)
        factories.party(agreements[0], actor_)
        factories.citation(events[0], source)
        factories.citation(agreements[0], source)
    return hub, events[0], agreements[0], source


def test_event_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries, world):
    # 1 the number of public events (kept by ruiraq.counts), 2 the page of events, 3 their
    # participants with actors, 4 their topics, 5 the citations disputing them, 6 the topics
    # of the filter form's <select>.
    with django_assert_num_queries(6):
        response = client.get(reverse("articles:event-list"))
    _assert_rows(response, world[0])


def test_filtered_event_list_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, world
):
    # As above, plus 1 to validate the topic slug, 1 to look the actor up by slug or name,
    # and the topic's activity chart: its events per year, its agreements per year.
    with django_assert_num_queries(10):
        response = client.get(
            reverse("articles:event-list"),
            {"actor": "hub", "topic": "energy", "year_from": 2000, "page": 1},
        )
    _assert_rows(response, world[0])


def test_agreement_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries, world):
    # 1 COUNT, 2 the page of agreements, 3 their parties with actors, 4 their topics,
    # 5 the citations disputing them, 6 the topics of the filter form.
    with django_assert_num_queries(6):
        response = client.get(reverse("articles:agreement-list"))
    _assert_rows(response, world[0])


def test_actor_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries, world):
    # 1 COUNT, 2 the page of actors.
    with django_assert_num_queries(2):
        response = client.get(reverse("actors:list"))
    # The hub, the n actors of the events and the n more of the first event.
    _assert_rows(response, 1 + 2 * world[0])


def test_source_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries, world):
    for _ in range(world[0]):
        factories.source()
    # 1 COUNT, 2 the page of sources.
    with django_assert_num_queries(2):
        response = client.get(reverse("articles:source-list"))
    # The hub report, its copy and the n made here.
    _assert_rows(response, 2 + world[0])


def test_event_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, world):
    _, _, event, _, _ = world
    # 1 the event, 2 topics, 3 participants with actors, 4 agreements, 5 citations with
    # sources, 6 corrections.
    with django_assert_num_queries(6):
        response = client.get(event.get_absolute_url())
    assert response.status_code == 200


def test_agreement_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, world):
    _, _, _, agreement, _ = world
    # 1 the agreement, 2 topics, 3 parties with actors, 4 events, 5 citations with sources,
    # 6 corrections.
    with django_assert_num_queries(6):
        response = client.get(agreement.get_absolute_url())
    assert response.status_code == 200


def test_actor_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, world):
    _, hub, _, _, _ = world
    # 1 the actor, 2 aliases, 3 its citations with sources, 4 its corrections, 5 ties with
    # both actors, 6 the ties' citations, 7 its events, 8 its agreements, co-participants:
    # 9 shared events per actor, 10 shared agreements per actor, 11 the top actors; the
    # activity chart: 12 its events per year, 13 its agreements per year.
    with django_assert_num_queries(13):
        response = client.get(hub.get_absolute_url())
    assert response.status_code == 200


def test_source_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, world):
    _, _, _, _, source = world
    # 1 the source, 2 its corrections, 3 its republications and originals, 4 the citations
    # with their records.
    with django_assert_num_queries(4):
        response = client.get(source.get_absolute_url())
    assert response.status_code == 200


def test_home_runs_a_fixed_number_of_queries(client, django_assert_num_queries, world):
    # 1–4 the four counts, 5 latest events, 6 latest agreements, key actors: 7 events and 8
    # agreements per actor (a GROUP BY each), 9 the actors with the most; the activity
    # chart: 10 events per year, 11 agreements per year.
    with django_assert_num_queries(11):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    n = world[0]
    # Events, agreements, actors, sources: what the world holds.
    assert [count for _, count, _ in response.context["counts"]] == [n, n, 1 + 2 * n, 2]
    assert len(response.context["latest_events"]) == min(n, 6)
    assert len(response.context["latest_agreements"]) == min(n, 6)
    assert response.context["key_actors"][0].name == "Hub"


def test_timeline_runs_a_fixed_number_of_queries(client, django_assert_num_queries, world):
    # 1 the topics of the filter form, 2 COUNT of the list (a UNION of events and agreements),
    # 3 the years for the year navigation, 4 the page of the list, 5 its events (2001 holds
    # no agreement: none to read), the picture: 6 events per year, 7 the events, 8 agreements
    # per year, 9 the agreements.
    with django_assert_num_queries(9):
        response = client.get(reverse("timeline"), {"year": 2001})
    assert response.status_code == 200
    assert response.context["timeline"]["count"] == len(range(1, world[0], 20))


def test_filtered_timeline_runs_a_fixed_number_of_queries(client, django_assert_num_queries, world):
    n = world[0]
    # As above, plus 1 the actor's slug and 2 the topic's, and 5 a page holding events and
    # agreements: their events and their agreements (the undated agreements come last, on
    # the list only).
    with django_assert_num_queries(12):
        response = client.get(reverse("timeline"), {"actor": "hub", "topic": "energy"})
    assert response.status_code == 200
    assert response.context["paginator"].count == 2 * n


def test_search_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, world):
    # One query per kind: actors, events, agreements, sources (each a page of hits that
    # holds rows: a query with no hit would not show an N+1 in the results).
    with django_assert_num_queries(4):
        response = client.get(reverse("search"), {"q": "hub"})
    assert response.status_code == 200
    shown = {group["kind"]: len(group["results"]) for group in response.context["groups"]}
    per_kind = min(world[0], 10)  # the page shows 10 of each kind at most
    assert shown == {"actor": 1, "event": per_kind, "agreement": per_kind, "source": 2}


def test_feed_runs_a_fixed_number_of_queries(client, django_assert_num_queries, world):
    # 1 the latest events, 2 the latest agreements.
    with django_assert_num_queries(2):
        response = client.get(reverse("feed"))
    assert response.status_code == 200
    assert response.content.count(b"<entry>") > world[0] // 5


def test_sitemap_runs_a_fixed_number_of_queries(client, django_assert_num_queries, world):
    # The index: per record section (events, agreements, actors, sources) a COUNT for its
    # pages and a MAX(updated_at) for its lastmod.
    with django_assert_num_queries(8):
        response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    # A section: COUNT and the page of records.
    with django_assert_num_queries(2):
        response = client.get("/sitemap-events.xml")
    assert response.status_code == 200
    # Each event in English, Russian and Arabic.
    assert response.content.count(b"<url>") == 3 * world[0]
