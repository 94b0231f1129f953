"""Search crosses scripts and records (issue 14, item 5): an event's or agreement's search
document holds its public participants' and parties' names in every script and their
aliases; a source's holds the quotes taken from it. Documents follow the names as they
change (the declared search_dependencies). Runs on SQLite and on PostgreSQL alike (full
text there)."""

import pytest
from django.urls import reverse

from actors.models import Actor, ActorAlias
from articles.models import Agreement, Event, EventParticipant, Source
from ruiraq.models import EditorialStatus
from ruiraq.site import search as site_search
from tests import factories

pytestmark = pytest.mark.django_db


def found(query, kind):
    return [str(record) for record in site_search.search(query, kinds=[kind])[kind]]


def assert_documents_current():
    """What signals keep equals what a rebuild would derive."""
    for model in (Actor, Event, Agreement, Source):
        before = list(model.objects.order_by("pk").values_list("search_title", "search_text"))
        model.refresh_search_documents(model.objects.values_list("pk", flat=True))
        after = list(model.objects.order_by("pk").values_list("search_title", "search_text"))
        assert after == before, model


@pytest.fixture
def lavrov():
    actor = factories.actor(
        name="Sergey Lavrov", name_ru="Сергей Лавров", name_ar="سيرغي لافروف", slug="sergey-lavrov"
    )
    factories.alias(actor, "Sergei Lavrov")
    talks = factories.event(title="Talks in Moscow")
    factories.participant(talks, actor)
    deal = factories.agreement(title="Memorandum on consultations")
    factories.party(deal, actor)
    factories.event(title="Unrelated visit")
    return actor


@pytest.mark.parametrize("query", ["Lavrov", "Лавров", "لافروف", "лавров", "Sergei"])
def test_participants_name_in_any_script_finds_his_events_and_agreements(lavrov, query):
    assert found(query, "event") == ["Talks in Moscow"]
    assert found(query, "agreement") == ["Memorandum on consultations"]
    assert found(query, "actor") == ["Sergey Lavrov"]


@pytest.mark.parametrize("query", ["Лавров", "لافروف", "Lavrov"])
def test_search_page_shows_his_events_and_agreements_in_each_language(client, lavrov, query):
    for prefix in ("", "/ru", "/ar"):
        html = client.get(f"{prefix}/search/", {"q": query}).content.decode()
        assert "Talks in Moscow" in html
        assert "Memorandum on consultations" in html


def test_list_search_finds_events_by_a_participants_name(client, lavrov):
    response = client.get(reverse("articles:event-list"), {"search": "Лавров"})
    assert [str(e) for e in response.context["object_list"]] == ["Talks in Moscow"]
    response = client.get("/api/v1/agreements/", {"search": "لافروف"})
    assert [a["title"] for a in response.json()["results"]] == ["Memorandum on consultations"]


def test_actor_match_outranks_the_events_that_merely_name_him(lavrov):
    # In the event's document his name is text (weight B), not title.
    event = Event.objects.get(title="Talks in Moscow")
    assert "лавров" in event.search_text
    assert "лавров" not in event.search_title


def test_renaming_an_actor_refreshes_his_events_and_agreements(lavrov):
    actor = Actor.objects.get(pk=lavrov.pk)
    actor.name_ru = "Сергей Викторович Лавров"
    actor.save()
    assert found("Викторович", "event") == ["Talks in Moscow"]
    assert found("Викторович", "agreement") == ["Memorandum on consultations"]
    assert_documents_current()


def test_alias_added_renamed_and_deleted_refreshes_his_events(lavrov):
    alias = factories.alias(lavrov, "Lavroff")
    assert found("Lavroff", "event") == ["Talks in Moscow"]
    alias.name = "Lavrow"
    alias.save()
    assert found("Lavroff", "event") == []
    assert found("Lavrow", "agreement") == ["Memorandum on consultations"]
    ActorAlias.objects.filter(pk=alias.pk).delete()
    assert found("Lavrow", "event") == []
    assert_documents_current()


def test_participant_removed_or_moved_leaves_the_event(lavrov):
    other = factories.event(title="Other talks")
    row = EventParticipant.objects.get(actor=lavrov)
    row.event = other
    row.save()
    assert found("Лавров", "event") == ["Other talks"]
    EventParticipant.objects.filter(pk=row.pk).delete()
    assert found("Лавров", "event") == []
    assert_documents_current()


def test_a_draft_actors_names_are_not_searchable_through_his_events(lavrov):
    actor = Actor.objects.get(pk=lavrov.pk)
    actor.status = EditorialStatus.DRAFT
    actor.save()
    assert found("Лавров", "event") == []
    actor.status = EditorialStatus.PUBLISHED
    actor.save()
    assert found("Лавров", "event") == ["Talks in Moscow"]
    assert_documents_current()


def test_merging_actors_moves_the_names_in_the_documents(lavrov, superuser):
    factories.citation(lavrov)  # a published survivor needs its evidence
    twin = factories.actor(name="S. Lavrov", name_ar="لافروف")
    factories.participant(factories.event(title="Press conference"), twin)
    twin.merge_into(Actor.objects.get(pk=lavrov.pk), superuser)
    assert sorted(found("Лавров", "event")) == ["Press conference", "Talks in Moscow"]
    assert_documents_current()


# --- sources by their quotes ------------------------------------------------------------


@pytest.fixture
def quoted():
    source = factories.source(title="Interview with the minister")
    event = factories.event(title="Oil talks")
    factories.citation(
        event, source, quote="Rosneft will expand its stake in the Kurdish pipeline."
    )
    factories.source(title="Another interview")
    return source, event


def test_source_is_found_by_a_quote_taken_from_it(quoted):
    assert found("pipeline", "source") == ["Interview with the minister"]
    assert found("pipeline", "event") == ["Oil talks"]


def test_quotes_of_unpublished_records_do_not_find_the_source(quoted):
    source, event = quoted
    event = Event.objects.get(pk=event.pk)
    event.status = EditorialStatus.DRAFT
    event.save()
    assert found("pipeline", "source") == []
    event.status = EditorialStatus.PUBLISHED
    event.save()
    assert found("pipeline", "source") == ["Interview with the minister"]
    assert_documents_current()


def test_quote_edited_or_deleted_refreshes_the_source(quoted):
    source, event = quoted
    citation = source.citations.get()
    citation.quote = "Lukoil denies the report."
    citation.save()
    assert found("pipeline", "source") == []
    assert found("Lukoil", "source") == ["Interview with the minister"]
    citation.delete()
    assert found("Lukoil", "source") == []
    assert_documents_current()


def test_a_published_source_keeps_its_quotes_in_its_document(quoted):
    source = Source.objects.get(pk=quoted[0].pk)
    source.status = EditorialStatus.DRAFT
    source.save()
    source.status = EditorialStatus.PUBLISHED
    source.save()  # derived from the rows in the database while it was a draft
    assert found("pipeline", "source") == ["Interview with the minister"]


# --- the search page's cost -------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 8])
def test_search_page_query_count_is_fixed_with_results(client, n, django_assert_num_queries):
    actor = factories.actor(name="Sergey Lavrov", name_ru="Сергей Лавров")
    for i in range(n):
        event = factories.event(title=f"Talks {i}")
        factories.participant(event, actor)
        agreement = factories.agreement(title=f"Deal {i}")
        factories.party(agreement, actor)
        factories.citation(event, factories.source(title=f"Report {i}"), quote="Лавров сказал.")
    # One ranked query per kind: actors, events, agreements, sources.
    with django_assert_num_queries(4):
        response = client.get("/ru/search/", {"q": "Лавров"})
    groups = {g["kind"]: len(g["results"]) for g in response.context["groups"]}
    assert groups == {"actor": 1, "event": n, "agreement": n, "source": n}


# --- both databases: the seed ------------------------------------------------------------


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("query", ["Lavrov", "Лавров", "لافروف"])
def test_seeded_lavrov_finds_his_events_in_every_script(query):
    events = found(query, "event")
    assert "Talks between Sergey Lavrov and Mohammed Ali al-Hakim" in events
    assert "Joint press conference of Sergey Lavrov and Mohammed Ali al-Hakim" in events
    assert found(query, "actor")[0] == "Sergey Lavrov"
