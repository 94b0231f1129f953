"""Search documents stay exact whatever path changes the rows they read: the dependencies each
searchable model declares (search_dependencies), wired to signals once
(ruiraq.search.documents). Bulk deletes, admin actions, moves, merges and many-to-many
changes each leave search exactly right, and ``refresh_search`` then finds nothing to rebuild.

Every assertion compares the whole list of results, so a negative ("the deleted quote is not
found") is always paired with a positive control in the same search (another record that
still quotes it is found): the test cannot pass when search finds nothing at all.
"""

import io
import re

import pytest
from django.apps import apps
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actors.models import Actor, ActorAlias
from articles.models import Agreement, Citation, Event, EventParticipant, Source, Topic
from ruiraq.cache import content_version
from ruiraq.models import EditorialStatus
from ruiraq.search import documents
from ruiraq.search.documents import PendingDocument
from ruiraq.site import search as site_search
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

DRAFT = EditorialStatus.DRAFT


def titles(query, kind="event"):
    """What search shows for ``query`` in group ``kind``: titles (names for actors), sorted."""
    return sorted(str(record) for record in site_search.search(query, [kind])[kind])


def assert_documents_current():
    """``manage.py refresh_search`` finds every stored document already right."""
    out = io.StringIO()
    call_command("refresh_search", stdout=out)
    counts = re.findall(r": (\d+) of (\d+) rebuilt", out.getvalue())
    assert len(counts) == 4, out.getvalue()  # actors, sources, events, agreements
    assert sum(int(total) for _, total in counts) > 0, "nothing to check"
    assert [rebuilt for rebuilt, _ in counts] == ["0"] * 4, out.getvalue()


def _post_action(client, model, action, records, **extra):
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(r.pk) for r in records], **extra}
    return client.post(changelist, data, follow=True)


@pytest.fixture
def quoted():
    """Two events quoting "Zebra": ``first`` by two citations (one also "Anchor"), ``second``
    by one. Deleting ``first``'s Zebra citations leaves it published (the Anchor one supports
    it) and ``second`` as the positive control."""
    first, second = factories.event(title="First"), factories.event(title="Second")
    zebras = [
        factories.citation(first, quote="A zebra crossing in Basra."),
        factories.citation(first, quote="Another zebra, in Najaf."),
    ]
    factories.citation(first, quote="The anchor of the talks.")
    factories.citation(second, quote="The zebra was seen again.")
    assert titles("zebra") == ["First", "Second"]
    return first, second, zebras


# --- the seed ---------------------------------------------------------------------------------


# --- citations deleted in bulk ------------------------------------------------------------


def test_admin_delete_selected_removes_the_quotes_from_search(admin_client, quoted):
    first, second, zebras = quoted
    response = _post_action(admin_client, Citation, "delete_selected", zebras, post="yes")
    assert response.status_code == 200
    assert not Citation.objects.filter(pk__in=[c.pk for c in zebras]).exists()
    assert titles("zebra") == ["Second"]
    assert titles("anchor") == ["First"]
    assert_documents_current()


def test_admin_delete_selected_shows_on_the_public_search_and_list_pages(
    admin_client, client, quoted
):
    first, second, zebras = quoted
    _post_action(admin_client, Citation, "delete_selected", zebras, post="yes")
    page = client.get("/search/", {"q": "zebra"}).content.decode()
    assert "Second" in page and "First" not in page
    listed = client.get("/events/", {"search": "zebra"}).content.decode()
    assert "Second" in listed and "First" not in listed


def test_queryset_delete_of_citations_removes_the_quotes(quoted):
    first, second, zebras = quoted
    Citation.objects.filter(pk__in=[c.pk for c in zebras]).delete()
    assert titles("zebra") == ["Second"]
    assert titles("anchor") == ["First"]
    assert_documents_current()


def test_deleting_the_cited_event_leaves_the_other_documents_alone(quoted):
    first, second, zebras = quoted
    first.delete()
    assert titles("zebra") == ["Second"]
    assert_documents_current()


# --- citations moved ----------------------------------------------------------------------


def test_citation_moved_to_another_event_leaves_the_first(quoted):
    first, second, zebras = quoted
    third = factories.event(title="Third")
    for citation in zebras:
        citation = Citation.objects.get(pk=citation.pk)  # loaded, as a form does
        citation.event = third
        citation.save()
    assert titles("zebra") == ["Second", "Third"]
    assert_documents_current()


def test_citation_moved_from_an_event_to_an_agreement(quoted):
    first, second, zebras = quoted
    deal = factories.agreement(title="Deal")
    for citation in zebras:
        citation.event, citation.agreement = None, deal
        citation.save(update_fields=["event", "agreement"])
    assert titles("zebra") == ["Second"]
    assert titles("zebra", "agreement") == ["Deal"]
    assert_documents_current()


def test_citation_moved_through_the_admin_form(admin_client, quoted):
    first, second, zebras = quoted
    url = reverse("admin:articles_citation_change", args=[zebras[0].pk])
    data = form_data(admin_client.get(url), "citation_form")
    data["event"] = str(second.pk)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert titles("basra") == ["Second"]
    assert titles("najaf") == ["First"]
    assert_documents_current()


# --- aliases ------------------------------------------------------------------------------


def test_deleting_an_alias_removes_it_from_search():
    state = factories.actor(name="Islamic State")
    other = factories.actor(name="Daesh Watch")
    alias = factories.alias(state, "Daesh")
    assert titles("daesh", "actor") == ["Daesh Watch", "Islamic State"]
    alias.delete()
    assert titles("daesh", "actor") == [other.name]
    assert_documents_current()


def test_queryset_delete_of_aliases_removes_them_from_search():
    state = factories.actor(name="Islamic State")
    factories.actor(name="Daesh Watch")
    factories.alias(state, "Daesh")
    factories.alias(state, "ISIL")
    assert titles("daesh", "actor") == ["Daesh Watch", "Islamic State"]
    ActorAlias.objects.filter(actor=state).delete()
    assert titles("daesh", "actor") == ["Daesh Watch"]
    assert titles("islamic", "actor") == ["Islamic State"]
    assert_documents_current()


def test_alias_moved_to_another_actor_through_a_queryset_loaded_row():
    first, second = factories.actor(name="First"), factories.actor(name="Second")
    factories.alias(first, "Zebra")
    for alias in ActorAlias.objects.filter(actor=first):
        alias.actor = second
        alias.save()
    assert titles("zebra", "actor") == ["Second"]
    assert_documents_current()


# --- sources unpublished ------------------------------------------------------------------


@pytest.fixture
def two_sources():
    """ "Zebra" quoted on ``first`` from ``doubtful`` and on ``second`` from ``solid``."""
    doubtful, solid = factories.source(title="Doubtful"), factories.source(title="Solid")
    first, second = factories.event(title="First"), factories.event(title="Second")
    factories.citation(first, doubtful, quote="A zebra crossing.")
    factories.citation(first, solid, quote="The anchor of the talks.")
    factories.citation(second, solid, quote="The zebra was seen again.")
    deal = factories.agreement(title="Deal")
    factories.citation(deal, doubtful, quote="A zebra deal.")
    factories.citation(deal, solid, quote="A signed deal.")
    assert titles("zebra") == ["First", "Second"]
    assert titles("zebra", "agreement") == ["Deal"]
    return doubtful, solid


def test_unpublishing_a_source_in_the_admin_removes_its_quotes(reviewer_client, two_sources):
    doubtful, solid = two_sources
    response = _post_action(reviewer_client, Source, "unpublish", [doubtful])
    assert "1 source unpublished." in response.content.decode()
    assert Source.objects.get(pk=doubtful.pk).status == DRAFT
    assert titles("zebra") == ["Second"]
    assert titles("zebra", "agreement") == []
    assert titles("deal", "agreement") == ["Deal"]
    assert_documents_current()


def test_unpublishing_a_source_by_saving_it_removes_its_quotes(two_sources):
    doubtful, solid = two_sources
    doubtful = Source.objects.get(pk=doubtful.pk)
    doubtful.status = DRAFT
    doubtful.save()
    assert titles("zebra") == ["Second"]
    doubtful.status = EditorialStatus.PUBLISHED
    doubtful.save(update_fields=["status"])
    assert titles("zebra") == ["First", "Second"]
    assert_documents_current()


# --- merging actors -----------------------------------------------------------------------


def test_merging_actors_leaves_search_exact(superuser):
    survivor = factories.actor(name="Islamic State")
    factories.citation(survivor, factories.source())  # a published survivor rests on evidence
    merged = factories.actor(name="ISIL", name_ru="ИГИЛ")
    factories.alias(merged, "Daesh")
    factories.alias(merged, "Islamic State")  # the survivor's own name: dropped
    factories.actor(name="Daesh Watch")
    assert titles("isil", "actor") == ["ISIL"]
    assert titles("daesh", "actor") == ["Daesh Watch", "ISIL"]
    merged.merge_into(survivor, superuser)
    assert titles("isil", "actor") == ["Islamic State"]  # its name became an alias
    assert titles("ИГИЛ", "actor") == ["Islamic State"]
    assert titles("daesh", "actor") == ["Daesh Watch", "Islamic State"]
    assert_documents_current()


# --- many-to-many and longer paths (what events will read next: issue 14) -----------------


@pytest.fixture
def documents_read_further(monkeypatch):
    """Events whose documents also read their topics' names and their participants' aliases,
    and agreements theirs the titles of their events (the other side of Event.agreements):
    declared by paths, and by what they read of the rows they reach, as a model would."""

    def event_related(cls, pks):
        texts = Citation.quotes_for("event", pks)
        topics = Event.topics.through.objects.filter(event_id__in=pks)
        aliases = ActorAlias.objects.filter(actor__participations__event_id__in=pks)
        pairs = [
            *topics.order_by("topic__name").values_list("event_id", "topic__name"),
            *aliases.order_by("name").values_list("actor__participations__event_id", "name"),
        ]
        for event_id, text in pairs:
            texts.setdefault(event_id, []).append(text)
        return texts

    def agreement_related(cls, pks):
        texts = Citation.quotes_for("agreement", pks)
        links = Event.agreements.through.objects.filter(agreement_id__in=pks)
        for agreement_id, title in links.order_by("event__title").values_list(
            "agreement_id", "event__title"
        ):
            texts.setdefault(agreement_id, []).append(title)
        return texts

    monkeypatch.setattr(
        Event,
        "search_dependencies",
        (*Event.search_dependencies, "topics", "participants__actor__aliases"),
    )
    monkeypatch.setattr(Event, "_search_related", classmethod(event_related))
    monkeypatch.setattr(
        Agreement, "search_dependencies", (*Agreement.search_dependencies, "events")
    )
    monkeypatch.setattr(Agreement, "_search_related", classmethod(agreement_related))
    monkeypatch.setattr(Topic, "search_read_fields", ("name",), raising=False)
    monkeypatch.setattr(Event, "search_read_fields", (*Event.search_read_fields, "title"))
    documents.connect(apps.get_models())
    yield
    monkeypatch.undo()
    documents.connect(apps.get_models())


# (Topics are changed from the event's side: django-simple-history, which records
# Event.topics, fails on changes made from the topic's side.)


def test_topics_added_renamed_removed_and_set_refresh_events(documents_read_further):
    first, second = factories.event(title="First"), factories.event(title="Second")
    nuclear, trade = factories.topic(name="Nuclear"), factories.topic(name="Trade")
    first.topics.add(nuclear, trade)
    second.topics.add(nuclear)
    assert titles("nuclear") == ["First", "Second"]
    nuclear.name = "Atomic"
    nuclear.save()
    assert titles("nuclear") == []
    assert titles("atomic") == ["First", "Second"]
    first.topics.remove(nuclear)
    assert titles("atomic") == ["Second"]
    assert titles("trade") == ["First"]
    first.topics.set([nuclear])
    assert titles("atomic") == ["First", "Second"]
    assert titles("trade") == []
    second.topics.clear()
    assert titles("atomic") == ["First"]
    assert_documents_current()


def test_deleting_a_topic_refreshes_its_events(documents_read_further):
    event = factories.event(title="First")
    energy, trade = factories.topic(name="Energy"), factories.topic(name="Trade")
    event.topics.add(energy, trade)
    Topic.objects.filter(pk=energy.pk).delete()
    assert titles("energy") == []
    assert titles("trade") == ["First"]
    assert_documents_current()


def test_the_other_side_of_a_many_to_many_is_refreshed_too(documents_read_further):
    summit, talks = factories.event(title="Summit"), factories.event(title="Talks")
    deal, pact = factories.agreement(title="Deal"), factories.agreement(title="Pact")
    summit.agreements.add(deal, pact)
    talks.agreements.add(pact)
    assert titles("summit", "agreement") == ["Deal", "Pact"]
    summit.title = "Conference"
    summit.save()
    assert titles("summit", "agreement") == []
    assert titles("conference", "agreement") == ["Deal", "Pact"]
    summit.agreements.remove(deal)
    assert titles("conference", "agreement") == ["Pact"]
    summit.agreements.clear()  # the agreements losing the link are read before it goes
    assert titles("conference", "agreement") == []
    assert titles("talks", "agreement") == ["Pact"]
    talks.delete()
    assert titles("talks", "agreement") == []
    assert titles("pact", "agreement") == ["Pact"]
    assert_documents_current()


def test_participants_aliases_reach_the_event_documents(documents_read_further):
    first, second = factories.event(title="First"), factories.event(title="Second")
    state, other = factories.actor(name="Islamic State"), factories.actor(name="Other")
    factories.participant(first, state)
    taking_part = factories.participant(second, state)
    alias = factories.alias(state, "Daesh")
    assert titles("daesh") == ["First", "Second"]
    taking_part = EventParticipant.objects.get(pk=taking_part.pk)
    taking_part.actor = other
    taking_part.save()
    assert titles("daesh") == ["First"]
    alias.name = "ISIL"
    alias.save()
    assert titles("isil") == ["First"]
    EventParticipant.objects.filter(event=first).delete()
    assert titles("isil") == []
    assert titles("isil", "actor") == ["Islamic State"]
    assert_documents_current()


# --- the declarations themselves ----------------------------------------------------------


@pytest.mark.parametrize("path", ["nonsense", "title", "citations__nonsense", "citations__quote"])
def test_a_path_that_does_not_resolve_stops_the_start(path):
    with pytest.raises(ImproperlyConfigured, match="search_dependencies"):
        documents.resolve(Event, path)


def test_the_declared_paths_reach_the_rows_the_documents_read():
    reached = {model for model, _ in documents.resolve(Event, "citations__source")}
    assert reached == {Citation, Source}
    assert {model for model, _ in documents.resolve(Actor, "aliases")} == {ActorAlias}


def test_a_model_the_documents_reach_must_say_what_of_it_they_read(monkeypatch):
    monkeypatch.delattr(Source, "search_read_fields")
    try:
        with pytest.raises(ImproperlyConfigured, match="articles.Source .*search_read_fields"):
            documents.connect(apps.get_models())
    finally:
        monkeypatch.undo()
        documents.connect(apps.get_models())


# --- what a saved row lends the documents that reach it (search_read_fields) --------------


def _touching(table, captured):
    return [q["sql"] for q in captured.captured_queries if f'"{table}"' in q["sql"]]


def _save_in_admin(client, actor, **changes):
    """Post the actor's change form as an editor would, with ``changes``: the response and
    the queries the save ran."""
    url = reverse("admin:actors_actor_change", args=[actor.pk])
    data = {**form_data(client.get(url), "actor_form"), **changes}
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    return response, captured


def test_an_actor_edited_in_the_admin_refreshes_the_events_naming_it_only_for_its_names(
    admin_client,
):
    """Events' documents hold their participants' names: a description corrected in the
    admin rereads none of the events naming the actor (8 s for an actor in 20,000 events);
    a new name refreshes them, and search finds them by it."""
    actor = factories.actor(name="Zebulon Petrov")
    factories.citation(actor, quote="Zebulon Petrov, the envoy.")  # a published actor's evidence
    for title in ("Talks in Basra", "Talks in Najaf"):
        factories.participant(factories.event(title=title), actor)
    factories.event(title="Talks in Mosul")

    _response, captured = _save_in_admin(
        admin_client, actor, description="A diplomat posted to Baghdad."
    )
    assert not _touching("articles_event", captured)
    assert titles("petrov") == ["Talks in Basra", "Talks in Najaf"]
    assert titles("baghdad", "actor") == ["Zebulon Petrov"]  # its own document is current

    response, captured = _save_in_admin(admin_client, actor, name="Zebulon Ivanov")
    assert _touching("articles_event", captured)
    assert WAITING_MESSAGE not in _messages(response)  # refreshed in the save
    assert titles("ivanov") == ["Talks in Basra", "Talks in Najaf"]
    assert titles("petrov") == []
    assert titles("talks") == ["Talks in Basra", "Talks in Mosul", "Talks in Najaf"]
    assert_documents_current()


def test_unpublishing_an_actor_saved_with_update_fields_still_refreshes():
    actor = factories.actor(name="Zebulon Petrov")
    factories.participant(factories.event(title="Talks in Basra"), actor)
    actor.description = "Not read by events."
    with CaptureQueriesContext(connection) as captured:
        actor.save(update_fields=["description"])
    assert not _touching("articles_event", captured)
    actor.status = DRAFT
    actor.save(update_fields=["status"])
    assert titles("petrov") == []
    assert titles("basra") == ["Talks in Basra"]
    assert_documents_current()


def test_a_tie_pointed_at_another_actor_refreshes_the_sources_quoting_it():
    """A source's document holds the quotes it lends to public records; a tie is public
    when both its ends are. Its ends are not in its search_read_fields: the path goes on
    through them, so pointing one at a draft actor takes the quote out."""
    public, draft = factories.actor(name="Public end"), factories.actor(status=DRAFT)
    tie = factories.tie(subject=public, object=factories.actor())
    source = factories.source(title="Embassy bulletin")
    factories.citation(tie, source, quote="The ambassador presented his credentials.")
    assert titles("credentials", "source") == ["Embassy bulletin"]
    tie.title = "Envoy"  # read by no document: nothing to refresh
    tie.save()
    assert titles("credentials", "source") == ["Embassy bulletin"]
    tie.subject = draft
    tie.save()
    assert titles("credentials", "source") == []
    assert titles("embassy", "source") == ["Embassy bulletin"]
    assert_documents_current()


# --- edits that reach more records than a save refreshes (SEARCH_REFRESH_AT_ONCE) ----------


@pytest.fixture
def named_in_three(settings):
    """An actor named in three events, with a save refreshing at most two documents."""
    settings.SEARCH_REFRESH_AT_ONCE = 2
    actor = factories.actor(name="Zebulon Petrov")
    factories.citation(actor, quote="Zebulon Petrov, the envoy.")
    for title in ("Talks in Basra", "Talks in Najaf", "Talks in Mosul"):
        factories.participant(factories.event(title=title), actor)
    factories.event(title="Talks in Erbil")
    return actor


def _refresh_pending():
    out = io.StringIO()
    call_command("refresh_search", "--pending", stdout=out)
    return out.getvalue()


ALL_THREE = ["Talks in Basra", "Talks in Mosul", "Talks in Najaf"]
WAITING_MESSAGE = "Search will show this change in the records linked to it within a few minutes."


def _messages(response):
    from django.contrib.messages import get_messages

    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_alias_reaching_more_records_than_a_save_refreshes_waits_for_the_command(
    named_in_three,
):
    version = content_version()
    with CaptureQueriesContext(connection) as captured:
        alias = ActorAlias.objects.create(actor=named_in_three, name="Zeb Petroff")
    assert not [q for q in _touching("articles_event", captured) if "UPDATE" in q]
    assert titles("petroff", "actor") == ["Zebulon Petrov"]  # its own document: at once
    assert titles("petroff") == []  # the events': waiting
    assert PendingDocument.objects.count() == 3

    assert "3 refreshed" in _refresh_pending()
    assert titles("petroff") == ALL_THREE
    assert not PendingDocument.objects.exists()
    assert content_version() != version  # cached search results are stale
    assert "0 refreshed" in _refresh_pending()

    alias.delete()  # also waits, then is gone
    assert titles("petroff") == ALL_THREE
    _refresh_pending()
    assert titles("petroff") == []
    assert titles("talks") == [*ALL_THREE[:1], "Talks in Erbil", *ALL_THREE[1:]]
    assert_documents_current()


def test_a_name_changed_in_the_admin_waits_and_the_save_answers_at_once(
    admin_client, named_in_three
):
    response, captured = _save_in_admin(admin_client, named_in_three, name="Zebulon Ivanov")
    assert not [q for q in _touching("articles_event", captured) if "UPDATE" in q]
    assert WAITING_MESSAGE in _messages(response)  # the editor is told
    assert titles("ivanov") == []
    assert titles("petrov") == ALL_THREE  # its old name, until the command runs
    _refresh_pending()
    assert titles("ivanov") == ALL_THREE
    assert titles("petrov") == []
    assert_documents_current()


def test_withdrawing_an_actor_named_in_many_records_is_refreshed_at_once(named_in_three):
    """Waiting would leave a withdrawn actor's names searchable: a publication changed is
    refreshed before the save returns, however many records it reaches."""
    named_in_three.status = DRAFT
    named_in_three.save()
    assert not PendingDocument.objects.exists()
    assert titles("petrov") == []
    assert titles("talks") == [*ALL_THREE[:1], "Talks in Erbil", *ALL_THREE[1:]]
    assert_documents_current()


def test_a_tie_pointed_at_a_draft_actor_is_refreshed_at_once_however_many_it_reaches(settings):
    """A tie's ends decide whether it is public, as its status does: never left waiting."""
    tie = factories.tie(subject=factories.actor(), object=factories.actor())
    source = factories.source(title="Embassy bulletin")
    factories.citation(tie, source, quote="The ambassador presented his credentials.")
    assert titles("credentials", "source") == ["Embassy bulletin"]
    settings.SEARCH_REFRESH_AT_ONCE = 0  # anything that may wait, waits
    tie.subject = factories.actor(status=DRAFT)
    tie.save()
    assert not PendingDocument.objects.exists()
    assert titles("credentials", "source") == []
    assert titles("embassy", "source") == ["Embassy bulletin"]
    assert_documents_current()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer at a time: no race"
)
@pytest.mark.django_db(transaction=True)
def test_an_edit_waits_for_a_run_holding_its_record_and_leaves_it_waiting_after(settings):
    """A run of refresh_search --pending holds its batch's rows until it has refreshed and
    deleted them. An edit leaving one of those records waiting meanwhile must wait for the
    run and write its row after it: were it to find the row still there and go on (ON
    CONFLICT DO NOTHING), the run would delete it having read the record as it was before
    the edit, and the edit would never reach the document."""
    import threading

    from django.db import transaction

    settings.SEARCH_REFRESH_AT_ONCE = 0  # anything that may wait, waits
    actor = factories.actor(name="Zebulon Petrov")
    event = factories.event(title="Talks in Basra")
    factories.participant(event, actor)
    _refresh_pending()
    assert titles("petrov") == ["Talks in Basra"]
    PendingDocument.objects.create(record_model="articles.Event", record_id=event.pk)
    holding, release = threading.Event(), threading.Event()

    def run():  # a run holding the event's row, as PendingDocument.objects.refresh() does
        try:
            with transaction.atomic():
                list(PendingDocument.objects.select_for_update())
                holding.set()
                release.wait(10)
                PendingDocument.objects.all().delete()
        finally:
            connection.close()

    def edit():
        try:
            ActorAlias.objects.create(actor=actor, name="Zeb Petroff")
        finally:
            connection.close()

    runner = threading.Thread(target=run)
    runner.start()
    assert holding.wait(10)
    editor = threading.Thread(target=edit)
    editor.start()
    editor.join(1)
    assert editor.is_alive()  # waiting for the run
    release.set()
    runner.join(10)
    editor.join(10)
    assert list(PendingDocument.objects.values_list("record_id", flat=True)) == [event.pk]
    _refresh_pending()
    assert titles("petroff") == ["Talks in Basra"]


# --- cost ---------------------------------------------------------------------------------


def test_moving_a_citation_costs_a_fixed_number_of_queries(quoted):
    first, second, zebras = quoted
    citation = Citation.objects.get(pk=zebras[0].pk)
    citation.event = second
    with CaptureQueriesContext(connection) as captured:
        citation.save()
    # 1 its source's text, to verify the quote (Citation.save)
    # 2 the stored event_id and agreement_id, before the save (pre_save)
    # 3 the stored record ids, before the save (the status dates' pre_save)
    # 4 does the row exist (Model.save), 5 UPDATE it where its version is the one loaded
    # 6 INSERT its history row
    # 7 the dated supporting sources of both events, 8 their status dates (both unchanged:
    #   no UPDATE)
    # 9 the quotes of both events (before and after) from published sources
    # 10 both events, 11 UPDATE both documents
    # The source's document holds the quote too: 12 its quotes for public records, 13 the
    # source (unchanged: no UPDATE); and the events' participants' names: 14.
    queries = [q["sql"] for q in captured.captured_queries]
    assert len(queries) == 14, "\n".join(queries)


def test_deferred_refreshes_once_at_the_end(quoted):
    first, second, zebras = quoted
    with documents.deferred():
        Citation.objects.filter(pk__in=[c.pk for c in zebras]).delete()
        assert titles("zebra") == ["First", "Second"]  # not yet
        with CaptureQueriesContext(connection) as captured:
            Citation.objects.filter(quote__contains="anchor").delete()
        assert not [q for q in captured.captured_queries if "search_text" in q["sql"]]
    assert titles("zebra") == ["Second"]
    assert titles("anchor") == []
    assert titles("second") == ["Second"]
    assert_documents_current()


@pytest.mark.usefixtures("seeded_class")
class TestOnTheSeed:
    """Tests that read the seed dataset, loaded once for all of them (each test in a
    savepoint of its own)."""

    def test_loaded_seed_has_nothing_to_rebuild(self):
        assert_documents_current()

    def test_deleting_every_citation_of_a_seeded_source_leaves_the_seed_exact(self):
        source = Source.objects.filter(citations__event__isnull=False).distinct().first()
        cited = set(source.citations.exclude(event=None).values_list("event_id", flat=True))
        Citation.objects.filter(source=source).delete()
        assert Event.objects.filter(pk__in=cited).exists()
        assert_documents_current()
