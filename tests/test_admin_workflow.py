"""The editorial workflow in the admin: editors send to review, reviewers publish; no record
is published without a supporting citation, on the change form and in bulk actions alike."""

import pytest
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse

from articles.models import Citation, Event
from ruiraq.models import EditorialStatus, Stance
from ruiraq.revisions.models import PendingRevision
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

DRAFT, IN_REVIEW, PUBLISHED, WITHDRAWN = (
    EditorialStatus.DRAFT,
    EditorialStatus.IN_REVIEW,
    EditorialStatus.PUBLISHED,
    EditorialStatus.WITHDRAWN,
)


def _change(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def _changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _status_options(response):
    return [
        value for value, _ in response.context["adminform"].form.fields["status"].widget.choices
    ]


def _post(client, record, **changes):
    url = _change(record)
    data = form_data(client.get(url), f"{record._meta.model_name}_form")
    data.update(changes)
    return client.post(url, data)


def _errors(response):
    """Every error message of the re-displayed form and its inline formsets, as one text."""
    context = response.context
    messages = [str(e) for e in context["errors"]]
    for inline in context.get("inline_admin_formsets", []):
        messages += [str(e) for e in inline.formset.non_form_errors()]
    return " ".join(messages)


def test_the_migration_creates_both_groups_with_their_permissions():
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    reviewers = set(
        Group.objects.get(name="Reviewers").permissions.values_list("codename", flat=True)
    )
    assert {"add_event", "change_event", "add_citation", "delete_citation"} <= editors
    assert not {p for p in editors if p.startswith("publish_")}
    assert "delete_event" not in editors
    assert editors < reviewers
    assert {
        "publish_event",
        "publish_agreement",
        "publish_actor",
        "publish_tie",
        "publish_source",
        "delete_actor",
    } <= reviewers


def test_editor_is_offered_only_draft_and_review(editor_client):
    event = factories.event(status=DRAFT)
    response = editor_client.get(_change(event))
    assert _status_options(response) == [DRAFT, IN_REVIEW]
    assert "only reviewers publish" in response.content.decode()


def test_reviewer_is_offered_every_status(reviewer_client):
    event = factories.event(status=DRAFT)
    response = reviewer_client.get(_change(event))
    assert _status_options(response) == [DRAFT, IN_REVIEW, PUBLISHED, WITHDRAWN]


def test_editor_sends_a_draft_to_review(editor_client):
    event = factories.event(status=DRAFT, title="Talks")
    response = _post(editor_client, event, status=IN_REVIEW)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == IN_REVIEW
    assert event.submitted_at is not None


def test_editor_cannot_publish_through_the_form(editor_client):
    event = factories.event(status=IN_REVIEW, title="Talks")
    factories.citation(event)
    response = _post(editor_client, event, status=PUBLISHED, title="Changed")
    assert response.status_code == 200
    assert "Only reviewers can publish" in str(response.context["adminform"].form.errors)
    event.refresh_from_db()
    assert (event.status, event.title) == (IN_REVIEW, "Talks")


def test_editor_cannot_unpublish_but_may_propose_an_edit_of_a_published_record(editor_client):
    event = factories.event(status=PUBLISHED, title="Talks")
    factories.citation(event)
    response = editor_client.get(_change(event))
    assert _status_options(response) == [PUBLISHED]
    assert _post(editor_client, event, status=DRAFT).status_code == 200
    # The edit waits for a reviewer (tests/test_admin_revisions.py).
    assert _post(editor_client, event, title="Talks in Moscow").status_code == 302
    event.refresh_from_db()
    assert (event.status, event.title) == (PUBLISHED, "Talks")
    assert PendingRevision.objects.get().diff["fields"][0]["new"] == "Talks in Moscow"


def test_reviewer_cannot_publish_without_a_supporting_citation(reviewer_client):
    event = factories.event(status=IN_REVIEW, title="Talks")
    factories.citation(event, stance="disputes")
    response = _post(reviewer_client, event, status=PUBLISHED, title="Changed")
    assert response.status_code == 200
    assert "no supporting citation" in _errors(response)
    assert "Nothing was saved" in _errors(response)
    event.refresh_from_db()
    assert (event.status, event.title) == (IN_REVIEW, "Talks")


def test_reviewer_publishes_with_the_citation_added_in_the_same_form(reviewer_client):
    event = factories.event(status=IN_REVIEW)
    source = factories.source()
    response = _post(
        reviewer_client,
        event,
        status=PUBLISHED,
        **{
            "citations-0-source": str(source.pk),
            "citations-0-quote": "They met in Moscow.",
            "citations-0-stance": "supports",
        },
    )
    assert response.status_code == 302, _errors(response)
    event.refresh_from_db()
    assert event.status == PUBLISHED
    assert event.citations.get().quote == "They met in Moscow."


def test_a_new_record_is_published_only_with_a_citation_in_the_same_form(reviewer_client):
    source = factories.source()
    url = reverse("admin:articles_event_add")
    data = form_data(reviewer_client.get(url), "event_form")
    data.update(title="Visit", kind="visit", start_date="March 2019", status=PUBLISHED)
    response = reviewer_client.post(url, data)
    assert response.status_code == 200
    assert "no supporting citation" in _errors(response)
    assert not Event.objects.exists()
    data.update(
        {
            "citations-0-source": str(source.pk),
            "citations-0-quote": "A visit took place.",
            "citations-0-stance": "supports",
        }
    )
    assert reviewer_client.post(url, data).status_code == 302
    event = Event.objects.get()
    assert (event.status, event.when, event.citations.count()) == (PUBLISHED, "March 2019", 1)


def test_deleting_the_last_supporting_citation_of_a_published_record_is_refused(editor_client):
    event = factories.event(status=PUBLISHED)
    factories.citation(event)
    response = _post(editor_client, event, **{"citations-0-DELETE": "on"})
    assert response.status_code == 200
    assert "no supporting citation" in _errors(response)
    assert event.citations.count() == 1


def test_turning_the_last_supporting_citation_into_a_dispute_in_the_inline_is_refused(
    editor_client,
):
    event = factories.event(status=PUBLISHED, title="Talks")
    factories.citation(event)
    response = _post(editor_client, event, **{"citations-0-stance": Stance.DISPUTES})
    assert response.status_code == 200
    assert "“Talks” has no supporting citation" in _errors(response)
    assert "Nothing was saved" in _errors(response)
    assert list(event.citations.values_list("stance", flat=True)) == [Stance.SUPPORTS]


def test_replacing_the_only_supporting_citation_in_one_save_is_accepted(reviewer_client):
    """Kept rows plus new ones, less deleted ones: one goes, another comes, all in one save.
    (A reviewer, whose edit of a published record is saved at once.)"""
    event = factories.event(status=PUBLISHED)
    old = factories.citation(event, quote="Old wording.")
    response = _post(
        reviewer_client,
        event,
        **{
            "citations-0-DELETE": "on",
            "citations-1-source": str(old.source_id),
            "citations-1-quote": "New wording.",
            "citations-1-stance": Stance.SUPPORTS,
        },
    )
    assert response.status_code == 302, _errors(response)
    assert list(event.citations.values_list("quote", flat=True)) == ["New wording."]


def test_deleting_one_of_two_supporting_citations_in_the_inline_is_accepted(reviewer_client):
    event = factories.event(status=PUBLISHED)
    factories.citation(event, quote="First.")
    factories.citation(event, quote="Second.")
    response = _post(reviewer_client, event, **{"citations-0-DELETE": "on"})
    assert response.status_code == 302, _errors(response)
    assert list(event.citations.values_list("quote", flat=True)) == ["Second."]


def test_a_disputing_citation_added_with_publishing_is_not_enough(reviewer_client):
    event = factories.event(status=IN_REVIEW, title="Talks")
    response = _post(
        reviewer_client,
        event,
        status=PUBLISHED,
        **{
            "citations-0-source": str(factories.source().pk),
            "citations-0-quote": "They denied meeting.",
            "citations-0-stance": Stance.DISPUTES,
        },
    )
    assert response.status_code == 200
    assert "“Talks” has no supporting citation" in _errors(response)
    event.refresh_from_db()
    assert (event.status, event.citations.count()) == (IN_REVIEW, 0)


@pytest.mark.parametrize("make", [factories.agreement, factories.actor, factories.tie])
def test_every_cited_kind_publishes_with_its_first_citation_in_the_same_save(reviewer_client, make):
    record = make(status=IN_REVIEW)
    source = factories.source()
    response = _post(reviewer_client, record, status=PUBLISHED)
    assert response.status_code == 200
    assert "no supporting citation" in _errors(response)
    response = _post(
        reviewer_client,
        record,
        status=PUBLISHED,
        **{
            "citations-0-source": str(source.pk),
            "citations-0-quote": "As the source says.",
            "citations-0-stance": Stance.SUPPORTS,
        },
    )
    assert response.status_code == 302, _errors(response)
    record.refresh_from_db()
    assert (record.status, record.citations.count()) == (PUBLISHED, 1)


def test_citation_page_refuses_an_editor_deleting_or_weakening_a_published_records_support(
    editor_client,
):
    """A published record's citations change on the record's own page, where an editor's
    change waits for a reviewer (ruiraq.revisions); the citation's page refuses the editor,
    before the evidence rule (tested as a reviewer in tests/test_evidence.py) is reached."""
    event = factories.event(status=PUBLISHED, title="Talks")
    citation = factories.citation(event)
    factories.citation(event)  # not even the last support
    delete = reverse("admin:articles_citation_delete", args=[citation.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert Citation.objects.filter(pk=citation.pk).exists()
    assert _post(editor_client, citation, stance="disputes").status_code == 403
    citation.refresh_from_db()
    assert citation.stance == "supports"
    # A draft's citations are the editor's to change.
    draft = factories.event(status=DRAFT, title="Draft talks")
    own = factories.citation(draft)
    own_delete = reverse("admin:articles_citation_delete", args=[own.pk])
    assert editor_client.post(own_delete, {"post": "yes"}).status_code == 302
    assert not Citation.objects.filter(pk=own.pk).exists()


# --- bulk actions ---------------------------------------------------------------------------


def _actions(client, model):
    return [
        name
        for name, _ in client.get(_changelist(model))
        .context["action_form"]
        .fields["action"]
        .choices
    ]


def _act(client, model, action, records):
    return client.post(
        _changelist(model),
        {"action": action, ACTION_CHECKBOX_NAME: [str(r.pk) for r in records]},
        follow=True,
    )


def test_editor_does_not_see_the_publishing_actions(editor_client, reviewer_client):
    factories.event()
    assert "send_to_review" in _actions(editor_client, Event)
    assert not {"publish", "unpublish", "withdraw", "delete_selected"} & set(
        _actions(editor_client, Event)
    )
    assert {"publish", "unpublish", "withdraw", "delete_selected"} <= set(
        _actions(reviewer_client, Event)
    )


def test_editor_posting_the_publish_action_anyway_changes_nothing(editor_client):
    event = factories.event(status=IN_REVIEW)
    factories.citation(event)
    _act(editor_client, Event, "publish", [event])
    event.refresh_from_db()
    assert event.status == IN_REVIEW


def test_editor_sends_drafts_to_review_in_bulk(editor_client):
    drafts = [factories.event(status=DRAFT) for _ in range(3)]
    response = _act(editor_client, Event, "send_to_review", drafts)
    assert "3 events sent to review" in response.content.decode()
    assert set(Event.objects.values_list("status", flat=True)) == {IN_REVIEW}


def test_bulk_publish_is_all_or_nothing(reviewer_client):
    cited = factories.event(status=IN_REVIEW, title="Cited")
    factories.citation(cited)
    bare = factories.event(status=IN_REVIEW, title="Bare")
    response = _act(reviewer_client, Event, "publish", [cited, bare])
    assert "Nothing was published: “Bare” has no supporting citation" in (response.content.decode())
    assert set(Event.objects.values_list("status", flat=True)) == {IN_REVIEW}
    response = _act(reviewer_client, Event, "publish", [cited])
    cited.refresh_from_db()
    assert cited.status == PUBLISHED
    assert cited.history.first().history_user.username == "reviewer"


def test_bulk_publish_names_every_record_without_support(reviewer_client):
    cited = factories.event(status=IN_REVIEW, title="Cited")
    factories.citation(cited)
    disputed = factories.event(status=IN_REVIEW, title="Disputed")
    factories.citation(disputed, stance=Stance.DISPUTES)
    bare = factories.event(status=DRAFT, title="Bare")
    response = _act(reviewer_client, Event, "publish", [cited, disputed, bare])
    page = response.content.decode()
    assert "Nothing was published" in page
    assert "“Disputed” has no supporting citation" in page
    assert "“Bare” has no supporting citation" in page
    assert "“Cited”" not in page
    assert list(Event.objects.order_by("title").values_list("status", flat=True)) == [
        DRAFT,
        IN_REVIEW,
        IN_REVIEW,
    ]
    assert cited.history.count() == 1  # its publication was rolled back with the rest


def test_reviewer_unpublishes_and_withdraws_in_bulk(reviewer_client):
    events = [factories.event(status=PUBLISHED) for _ in range(2)]
    _act(reviewer_client, Event, "unpublish", events[:1])
    _act(reviewer_client, Event, "withdraw", events[1:])
    assert [Event.objects.get(pk=e.pk).status for e in events] == [DRAFT, WITHDRAWN]


def test_view_on_site_only_once_published(reviewer_client):
    draft = factories.event(status=DRAFT)
    published = factories.event(status=PUBLISHED)
    assert not reviewer_client.get(_change(draft)).context["has_absolute_url"]
    response = reviewer_client.get(_change(published))
    assert response.context["has_absolute_url"]
    assert f'href="{published.get_absolute_url()}"' in response.content.decode()


# --- the actions called directly, not through the changelist --------------------------------


def _direct(action, user, records):
    """Call the admin action function itself with ``user``'s request; returns its messages."""
    request = RequestFactory().post(_changelist(Event))
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    model_admin = admin.site.get_model_admin(Event)
    getattr(model_admin, action)(request, Event.objects.filter(pk__in=[r.pk for r in records]))
    return " ".join(str(m) for m in messages.get_messages(request))


@pytest.mark.parametrize(
    ("action", "status"), [("publish", IN_REVIEW), ("unpublish", PUBLISHED), ("withdraw", DRAFT)]
)
def test_a_reviewers_action_called_directly_by_an_editor_is_refused(editor, action, status):
    events = [factories.event(status=status) for _ in range(2)]
    for event in events:
        factories.citation(event)
    said = _direct(action, editor, events)
    assert "Nothing was" in said and "Only reviewers" in said
    assert set(Event.objects.values_list("status", flat=True)) == {status}
    assert all(e.history.count() == 1 for e in events)  # nothing saved, not even undone


def test_send_to_review_called_directly_by_an_editor_works(editor):
    drafts = [factories.event(status=DRAFT) for _ in range(2)]
    assert "2 events sent to review" in _direct("send_to_review", editor, drafts)
    assert set(Event.objects.values_list("status", flat=True)) == {IN_REVIEW}


def test_publish_called_directly_by_a_reviewer_keeps_the_rule(reviewer):
    cited = factories.event(status=IN_REVIEW, title="Cited")
    factories.citation(cited)
    bare = factories.event(status=IN_REVIEW, title="Bare")
    said = _direct("publish", reviewer, [cited, bare])
    assert "Nothing was published: “Bare” has no supporting citation" in said
    assert set(Event.objects.values_list("status", flat=True)) == {IN_REVIEW}
    assert "1 event published" in _direct("publish", reviewer, [cited])
    cited.refresh_from_db()
    assert cited.status == PUBLISHED
