"""The change forms editors work in: a fixed number of queries however many inline rows a
record has, and the same markup from the cheaper widgets (issue 18, item 3)."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actors.models import Tie
from articles.models import Event, EventParticipant
from tests import factories

pytestmark = pytest.mark.django_db

# Every change form, seen by an editor, starts with the same queries:
#   1 session, 2 user, 3 the record, 4 its pending revision (or the editor's last one),
#   5 the user's own permissions, 6 the permissions of the user's groups,
# and then runs the page's own ones: the many-to-many records the form starts with (its
# autocompletes show them without a second query), the stored status and version (the
# status choices an editor has), and one query per inline, its rows with their parent and the
# records their autocompletes show (never one per row).
COMMON = 6
PAGES = {
    # model: (page queries, what they are)
    "articles_event": (5, "topics, agreements, status, participants + actors, citations + sources"),
    "articles_agreement": (
        5,
        "topics, status, parties + actors, related events + events, citations + sources",
    ),
    "actors_actor": (5, "status, aliases, ties held + objects, ties to it + subjects, citations"),
    "actors_tie": (2, "status, citations + sources (the tie comes with its two actors)"),
}


def _record_with_rows(n):
    """An event, an agreement, an actor and a tie with ``n`` rows in each of their inlines."""
    topic = factories.topic()
    actor = factories.actor()
    event = factories.event()
    agreement = factories.agreement()
    tie = factories.tie(subject=actor)
    event.topics.add(topic)
    agreement.topics.add(topic)
    for i in range(n):
        other = factories.actor()
        factories.participant(event, other)
        factories.party(agreement, other)
        factories.alias(actor, f"Alias {i}")
        factories.tie(subject=actor, object=other)
        factories.tie(subject=other, object=actor)
        event.agreements.add(factories.agreement())
        for record in (event, agreement, actor, tie):
            factories.citation(record)
    return {
        "articles_event": event,
        "articles_agreement": agreement,
        "actors_actor": actor,
        "actors_tie": tie,
    }


@pytest.mark.parametrize("rows", [1, 4])
@pytest.mark.parametrize("page", PAGES)
def test_change_form_query_count_does_not_grow_with_inline_rows(
    editor_client, django_assert_num_queries, page, rows
):
    record = _record_with_rows(rows)[page]
    url = reverse(f"admin:{page}_change", args=[record.pk])
    editor_client.get(url)  # fills the process's content type cache, as any earlier request
    with django_assert_num_queries(COMMON + PAGES[page][0]):
        response = editor_client.get(url)
    assert response.status_code == 200


def _participant_form(participant, editor):
    """The participants inline's form for ``participant``'s row, as the admin builds it."""
    inline = admin.site._registry[Event].inlines[0](Event, admin.site)
    assert inline.model is EventParticipant
    request = RequestFactory().get("/")
    request.user = editor
    formset_class = inline.get_formset(request, participant.event)
    formset = formset_class(instance=participant.event, queryset=inline.get_queryset(request))
    return formset, formset.forms[0]


def test_an_inline_row_shows_its_autocompleted_record_without_a_query(editor):
    participant = factories.participant(factories.event(), factories.actor(name="Sergey Lavrov"))
    _, form = _participant_form(participant, editor)
    with CaptureQueriesContext(connection) as queries:
        from_the_row = str(form["actor"])
    assert len(queries) == 0
    widget = form.fields["actor"].widget.widget
    widget.selected_records = None  # as Django's widget does it: a query for the record
    with CaptureQueriesContext(connection) as queries:
        queried = str(form["actor"])
    assert len(queries) == 1
    assert from_the_row == queried
    assert "Sergey Lavrov" in from_the_row


def test_a_posted_record_other_than_the_rows_is_looked_up(editor):
    participant = factories.participant(factories.event(), factories.actor(name="Sergey Lavrov"))
    other = factories.actor(name="Vladimir Putin")
    _, form = _participant_form(participant, editor)
    widget = form.fields["actor"].widget.widget
    html = widget.render("actor", other.pk)
    assert "Vladimir Putin" in html and "Sergey Lavrov" not in html
    assert widget.render("actor", "abc").count("<option") == 0  # no key: nothing to show


def test_a_many_to_many_autocomplete_shows_the_forms_records_as_django_does(editor_client):
    event = factories.event()
    event.topics.add(factories.topic(name="Oil"), factories.topic(name="Arms"))
    url = reverse("admin:articles_event_change", args=[event.pk])
    form = editor_client.get(url).context["adminform"].form
    widget = form.fields["topics"].widget.widget
    assert list(widget.selected_records) == [str(t.pk) for t in event.topics.all()]
    from_the_form = str(form["topics"])
    widget.selected_records = None
    assert str(form["topics"]) == from_the_form
    assert from_the_form.index("Arms") < from_the_form.index("Oil")


def test_a_tie_page_names_its_actors_from_the_tie(editor_client):
    tie = factories.tie(
        subject=factories.actor(name="Sergey Lavrov"), object=factories.actor(name="Russia")
    )
    response = editor_client.get(reverse("admin:actors_tie_change", args=[tie.pk]))
    page = response.content.decode()
    assert page.count("Sergey Lavrov") >= 2 and page.count("Russia") >= 2
    assert Tie.objects.count() == 1


def test_an_inline_builds_its_empty_form_once(editor):
    participant = factories.participant(factories.event(), factories.actor())
    formset, _ = _participant_form(participant, editor)
    assert formset.empty_form is formset.empty_form
    assert "__prefix__" in formset.empty_form.prefix
