"""Fixed cost per request: each API list, detail, search and export runs the same number of
queries whatever the number of records (measured at 5 and 100 list items)."""

import datetime as dt

import pytest

from ruiraq.models import EditorialStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

DRAFT = EditorialStatus.DRAFT


def _populate(n):
    """``n`` of every listable record, each with nested lists that would show an N+1."""
    topics = [f.topic(slug="t"), f.topic()]
    source = f.source()
    for i in range(n):
        actor = f.actor(name=f"Actor {i}")
        f.alias(actor, f"Alias {i}")
        f.alias(actor, f"Other alias {i}")
        other = f.actor(name=f"Other {i}", kind="state")
        f.tie(actor, other)
        event = f.event(title=f"Event {i}", start_date=dt.date(2000 + i % 20, 1, 1))
        event.topics.set(topics)
        f.participant(event, actor, role="host")
        f.participant(event, other, role="guest")
        f.participant(event, f.actor(status=DRAFT))
        agreement = f.agreement(title=f"Agreement {i}", value_amount=i, value_currency="USD")
        agreement.topics.set(topics)
        f.party(agreement, actor, role="buyer")
        f.party(agreement, other, role="supplier")
        event.agreements.add(agreement)
        f.citation(event, source)
        f.citation(agreement, source)
        f.citation(actor, source)
        f.source(title=f"Source {i}")


# Each list at page_size=100 (every record on one page): the queries it runs, and how many
# records it shows for ``n``.
LISTS = [
    # COUNT of the events; the page; its topics; its participants with their actors.
    ("/api/v1/events/?page_size=100", 4, lambda n: n),
    # COUNT; the page; its topics; its parties with their actors.
    ("/api/v1/agreements/?page_size=100", 4, lambda n: n),
    # COUNT; the page; its aliases.
    ("/api/v1/actors/?page_size=100", 3, lambda n: min(2 * n, 100)),
    # COUNT; the page.
    ("/api/v1/sources/?page_size=100", 2, lambda n: min(n + 1, 100)),
    # COUNT; the page, with its public event and agreement counts as subqueries.
    ("/api/v1/topics/?page_size=100", 2, lambda n: 2),
    # Filtered: the topic filter first looks the topic up (+1); as CSV, the same queries.
    ("/api/v1/events/?page_size=100&topic=t&year_from=2000&search=Event", 5, lambda n: n),
    ("/api/v1/events/?page_size=100&topic=t&year_from=2000&search=Event&format=csv", 5, None),
    # The party looked up by slug or name (+1).
    ("/api/v1/agreements/?page_size=100&party=actor-0&value_min=0&ordering=-value", 5, lambda n: 1),
]


# What "1" finds at any n: the whole word, so record 1 of each kind ("Actor 1" and "Other 1"
# among the actors), never "10" or "Source 21".
SEARCH_ONE = {"actor": 2, "event": 1, "agreement": 1, "source": 1}


@pytest.mark.parametrize("n", [5, 100])
def test_lists_search_and_export_run_a_fixed_number_of_queries(
    api_client, django_assert_num_queries, subtests, n
):
    _populate(n)  # once for every endpoint: it is the slow part
    for url, queries, shown in LISTS:
        with subtests.test(url=url), django_assert_num_queries(queries):
            response = api_client.get(url)
            assert response.status_code == 200
            if shown is not None:
                assert len(response.json()["results"]) == shown(n)
    with subtests.test(url="search"):  # at 100 as at 5: "1" is matched as a whole word
        # For each of actor, event, agreement, source: the COUNT and the page of hits.
        with django_assert_num_queries(8):
            response = api_client.get("/api/v1/search/?q=1&limit=100")
        groups = response.json()["results"]
        # Every group holds rows, so an N+1 in any of them would show.
        counts = {kind: groups[kind]["count"] for kind in ("actor", "event", "agreement", "source")}
        assert counts == SEARCH_ONE
    with subtests.test(url="export"):
        # Streamed (no dump built): per chunk of up to 2,000 records, then one query finding
        # no more: topics 1 + 1; sources 1 + 1; actors 2 (with aliases) + 1; ties 1 + 1;
        # events 4 (topics, participants with actors, agreement ids) + 1; agreements 4 + 1;
        # citations 1 + 1.
        with django_assert_num_queries(2 + 2 + 3 + 2 + 5 + 5 + 2):
            response = api_client.get("/api/v1/export/")
            lines = b"".join(response.streaming_content).splitlines()
        # 2 topics, n + 1 sources, 2n actors, n ties, n events, n agreements, 3n citations.
        assert len(lines) == 2 + (n + 1) + 2 * n + n + n + n + 3 * n


# The expected queries of each detail, whatever the number of nested records:
DETAILS = {
    # The event; its topics; its participants with their actors; its agreements;
    # its citations with their sources; its corrections.
    "events": 6,
    # The agreement; its topics; its parties with their actors; its events; its citations;
    # its corrections.
    "agreements": 6,
    # The actor; its aliases; its ties (with both actors) and their citations (2 queries),
    # the same for the ties it is the object of (2); its events; its agreements; its
    # citations; its corrections.
    "actors": 10,
    # The source, with what it republishes or translates; its public republications; its
    # translations; the public claims citing it, with the records they cite; its corrections.
    "sources": 5,
    # The topic with its counts.
    "topics": 1,
}


@pytest.mark.parametrize("n", [5, 50])
def test_details_run_a_fixed_number_of_queries(api_client, django_assert_num_queries, subtests, n):
    """Hub records, each with ``n`` of every nested list its detail shows."""
    hub_actor = f.actor(name="Hub")
    hub_event = f.event(title="Hub event")
    hub_agreement = f.agreement(title="Hub agreement")
    hub_source = f.source(title="Hub source")
    hub_topic = f.topic()
    for i in range(n):
        actor = f.actor(name=f"Member {i}")
        f.alias(hub_actor, f"Alias {i}")
        f.citation(f.tie(hub_actor, actor, title=f"Post {i}"), hub_source)
        f.tie(actor, hub_actor, kind="membership")
        event = f.event(title=f"Event {i}")
        f.participant(event, hub_actor)
        f.participant(hub_event, actor)
        hub_event.agreements.add(f.agreement(title=f"Agreement {i}"))
        f.party(hub_agreement, actor)
        f.party(f.agreement(title=f"Deal {i}"), hub_actor)
        f.event(title=f"Signing {i}").agreements.add(hub_agreement)
        for record in (hub_event, hub_agreement, hub_actor, event):
            f.citation(record, hub_source)
        f.source(title=f"Copy {i}", republishes=hub_source)
        event.topics.add(hub_topic)
    records = {
        "events": hub_event,
        "agreements": hub_agreement,
        "actors": hub_actor,
        "sources": hub_source,
        "topics": hub_topic,
    }
    # What each detail nests, n of each (5n: a citation of a tie and of 4 records per round).
    nested = {
        "events": {"participants": n, "agreements": n, "citations": n},
        "agreements": {"parties": n, "events": n, "citations": n},
        "actors": {"aliases": n, "ties": n, "incoming_ties": n, "events": n, "agreements": n},
        "sources": {"republications": n, "citations": 5 * n},
        "topics": {},
    }
    for endpoint, queries in DETAILS.items():
        with subtests.test(endpoint=endpoint), django_assert_num_queries(queries):
            response = api_client.get(f"/api/v1/{endpoint}/{records[endpoint].pk}/")
            assert response.status_code == 200
            body = response.json()
            assert {key: len(body[key]) for key in nested[endpoint]} == nested[endpoint]
    assert api_client.get(f"/api/v1/topics/{hub_topic.pk}/").json()["event_count"] == n
