"""The editors' desk: the admin index lists what is in review (oldest first, by kind), the
editor's drafts, open error reports and published records on thin evidence; a fixed number of
queries; editors never see the login-lockout tables."""

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import ErrorReport, Event
from ruiraq.models import EditorialStatus, Stance
from ruiraq.revisions.models import PendingRevision
from ruiraq.search.documents import PendingDocument
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

INDEX = "/admin/"


def _in_review(title, days_ago):
    event = factories.event(title=title, status=EditorialStatus.IN_REVIEW)
    Event.objects.filter(pk=event.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return event


def _section(page, heading_id):
    start = page.index(f'id="{heading_id}"')
    end = page.find("</section>", start)
    return page[start:end]


def test_reviewer_sees_what_waits_for_review_oldest_first(reviewer_client):
    _in_review("Newer in review", 1)
    _in_review("Older in review", 5)
    agreement = factories.agreement(title="Agreement in review", status=EditorialStatus.IN_REVIEW)
    factories.event(title="A draft", status=EditorialStatus.DRAFT)
    page = reviewer_client.get(INDEX).content.decode()
    section = _section(page, "desk-review")
    assert "Waiting for your review" in section
    assert section.index("Older in review") < section.index("Newer in review")
    assert "Agreement in review" in section and "A draft" not in section
    assert reverse("admin:articles_agreement_change", args=[agreement.pk]) in section


def test_editor_sees_their_own_drafts_only(editor_client, editor, reviewer_client):
    # Drafts made through the admin, so their history names who made them.
    for client, title in ((editor_client, "Mine"), (reviewer_client, "Theirs")):
        url = reverse("admin:articles_event_add")
        data = form_data(client.get(url), "event_form")
        data.update(title=title, kind="meeting", status="draft")
        data.update({"start_date": "2019"})
        assert client.post(url, data).status_code == 302, title
    section = _section(editor_client.get(INDEX).content.decode(), "desk-drafts")
    assert "Mine" in section and "Theirs" not in section


def test_changes_to_published_records_wait_on_the_desk(editor_client, reviewer_client):
    event = factories.event(title="Talks in Moscow", place="Moscow")
    factories.citation(event)
    quiet = factories.event(title="Untouched talks")
    factories.citation(quiet)
    url = reverse("admin:articles_event_change", args=[event.pk])
    data = form_data(editor_client.get(url), "event_form")
    data.update(place="Sochi")
    assert editor_client.post(url, data).status_code == 302
    for client in (reviewer_client, editor_client):
        section = _section(client.get(INDEX).content.decode(), "desk-revisions")
        assert "Talks in Moscow" in section and "Untouched talks" not in section
        assert "proposed by editor" in section
    # Nothing waits once the reviewer has approved it.
    (link,) = [
        part.split('"')[0]
        for part in _section(reviewer_client.get(INDEX).content.decode(), "desk-revisions").split(
            'href="'
        )[1:]
    ]
    assert reviewer_client.post(link, {"_approve": "1"}).status_code == 302
    section = _section(reviewer_client.get(INDEX).content.decode(), "desk-revisions")
    assert "No change to a published record is waiting for review." in section


def test_open_error_reports_are_on_the_desk(editor_client, client):
    event = factories.event(title="Reported event")
    factories.citation(event)
    ErrorReport.objects.create(event=event, message="The date is wrong, it was 2018.")
    ErrorReport.objects.create(
        event=event, message="Already handled one.", handled_at=timezone.now()
    )
    section = _section(editor_client.get(INDEX).content.decode(), "desk-reports")
    assert "The date is wrong" in section and "Already handled" not in section
    assert "Reported event" in section
    assert reverse("admin:articles_errorreport_changelist") + "?state=open" in section


def test_thin_evidence_lists_single_source_and_disputed_records(reviewer_client):
    single = factories.event(title="On one source")
    one_source = factories.source()
    factories.citation(single, one_source)
    factories.citation(single, one_source, quote="Another passage of the same source.")
    sturdy = factories.event(title="On two sources")
    factories.citation(sturdy)
    factories.citation(sturdy)
    disputed = factories.agreement(title="Disputed deal")
    factories.citation(disputed)
    factories.citation(disputed)
    factories.citation(disputed, stance=Stance.DISPUTES)
    section = _section(reviewer_client.get(INDEX).content.decode(), "desk-weak")
    assert "On one source" in section and "rests on a single source" in section
    assert "Disputed deal" in section and "disputed by 1 citation" in section
    assert "On two sources" not in section


def test_the_desk_runs_a_fixed_number_of_queries(
    reviewer_client, editor, django_assert_num_queries
):
    def world(n):
        for i in range(n):
            _in_review(f"Review {n}-{i}", i)
            event = factories.event(title=f"Thin {n}-{i}")
            factories.citation(event)
            ErrorReport.objects.create(event=event, message=f"Report {n}-{i} about it.")
            PendingRevision.objects.create(
                content_type=ContentType.objects.get_for_model(Event),
                object_id=event.pk,
                record_label=event.title,
                base_version=event.version,
                author=editor,
            )

    # Queries: session, user, the user's permissions (its own, its groups'), then the desk's:
    # records in review (5 kinds), pending revisions (the kinds waiting, then the list), my
    # drafts (5 kinds), open reports (1), thin evidence (4 kinds of claim), the search
    # documents waiting (1); and Django's "recent actions" (the admin log).
    world(2)
    with django_assert_num_queries(23):
        reviewer_client.get(INDEX)
    world(12)
    with django_assert_num_queries(23):
        page = reviewer_client.get(INDEX).content.decode()
    # Each list is cut at ten rows and links to the rest.
    assert "All of them" in page
    assert _section(page, "desk-revisions").count("proposed by editor") == 10


def test_editors_never_see_the_login_lockout_tables(editor_client, reviewer_client):
    for client in (editor_client, reviewer_client):
        page = client.get(INDEX).content.decode()
        assert "/admin/axes/" not in page
        assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_the_desk_in_russian(reviewer_client):
    _in_review("На рассмотрении", 1)
    page = reviewer_client.get("/ru/admin/").content.decode()
    assert "Ждёт вашей проверки" in page


def test_search_documents_left_waiting_show_on_the_desk_until_refreshed(editor_client):
    """Edits reaching thousands of records leave their search documents to
    ``refresh_search --pending``: the desk says how many wait and for how long, so that a
    command nobody scheduled is noticed; once they are refreshed the notice goes."""
    assert 'id="desk-search"' not in editor_client.get(INDEX).content.decode()
    events = [factories.event(title=f"Talks {n}") for n in range(2)]
    queued = timezone.now() - dt.timedelta(minutes=10)
    for event in events:
        PendingDocument.objects.create(
            record_model="articles.Event", record_id=event.pk, queued_at=queued
        )
    section = _section(editor_client.get(INDEX).content.decode(), "desk-search")
    assert "2 records wait for their search documents, the oldest for 10" in section
    assert "refresh_search --pending" in section
    russian = _section(editor_client.get("/ru/admin/").content.decode(), "desk-search")
    assert "Записей, ждущих обновления поисковых документов: 2" in russian

    call_command("refresh_search", "--pending", stdout=io.StringIO())
    assert 'id="desk-search"' not in editor_client.get(INDEX).content.decode()
