"""Changes to published records are reviewed too: an editor's edit of a published record (its
fields and its inline rows) waits as a pending revision, unseen by the public, until a
reviewer approves it (applied as the reviewer's save) or rejects it (with a note)."""

import pytest
from django.urls import reverse

from actors.models import Actor
from articles.models import Citation, Event, Source
from ruiraq.models import EditorialStatus, Stance
from ruiraq.revisions.models import PendingRevision, RevisionState
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

DRAFT, IN_REVIEW, PUBLISHED = (
    EditorialStatus.DRAFT,
    EditorialStatus.IN_REVIEW,
    EditorialStatus.PUBLISHED,
)
QUEUE = reverse("admin:ruiraq_pendingrevision_changelist")


def _change(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def _review(revision):
    return reverse("admin:ruiraq_pendingrevision_change", args=[revision.pk])


def _post(client, record, **changes):
    url = _change(record)
    data = form_data(client.get(url), f"{record._meta.model_name}_form")
    data.update(changes)
    return client.post(url, data)


def _errors(response):
    context = response.context
    found = [str(e) for e in context["errors"]]
    for inline in context.get("inline_admin_formsets", []):
        found += [str(e) for e in inline.formset.non_form_errors()]
    return " ".join(found)


@pytest.fixture
def reader():
    """An anonymous reader (``client`` is the one editor_client logs in)."""
    from django.test import Client

    return Client()


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def talks():
    """A published event with one participant and one supporting citation."""
    event = factories.event(title="Talks in Baghdad", summary="The ministers met.")
    factories.participant(event, factories.actor(name="Sergey Lavrov"))
    factories.citation(event, quote="The ministers met in Baghdad.")
    return event


# --- the editor's change waits --------------------------------------------------------------


def test_an_editors_change_to_a_published_event_waits_for_review(editor_client, editor, talks):
    version = talks.version
    response = _post(
        editor_client,
        talks,
        summary="The ministers met and signed nothing.",
        **{"citations-0-quote": "The ministers met in Baghdad on Monday."},
    )
    assert response.status_code == 302
    assert response["Location"] == _change(talks)
    talks.refresh_from_db()
    assert talks.summary == "The ministers met."
    assert talks.version == version
    assert talks.citations.get().quote == "The ministers met in Baghdad."
    revision = PendingRevision.objects.get()
    assert (revision.author, revision.state, revision.base_version) == (
        editor,
        RevisionState.PENDING,
        version,
    )
    assert revision.diff["fields"] == [
        {
            "name": "summary",
            "label": "Summary",
            "old": "The ministers met.",
            "new": "The ministers met and signed nothing.",
        }
    ]
    (citations,) = revision.diff["inlines"]
    (row,) = citations["rows"]
    assert row["action"] == "changed"
    assert row["fields"] == [
        {
            "name": "quote",
            "label": "Quote",
            "old": "The ministers met in Baghdad.",
            "new": "The ministers met in Baghdad on Monday.",
        }
    ]
    page = editor_client.get(_change(talks))
    assert "kept as a pending revision" in " ".join(_messages(page))
    assert "is awaiting review" in page.content.decode()
    assert "Withdraw my change" in page.content.decode()


def test_a_deleted_participant_and_an_added_citation_are_kept_and_shown(
    editor_client, talks, reviewer_client
):
    source = factories.source(title="Kommersant report")
    response = _post(
        editor_client,
        talks,
        **{
            "participants-0-DELETE": "on",
            "citations-1-source": str(source.pk),
            "citations-1-quote": "Talks were held.",
            "citations-1-stance": Stance.DISPUTES,
        },
    )
    assert response.status_code == 302
    assert talks.participants.count() == 1
    assert talks.citations.count() == 1
    revision = PendingRevision.objects.get()
    rows = {inline["name"]: inline["rows"] for inline in revision.diff["inlines"]}
    (deleted,) = rows["participants"]
    assert deleted["action"] == "deleted"
    assert "Sergey Lavrov" in deleted["label"]
    (added,) = rows["citations"]
    assert added["action"] == "added"
    assert {f["label"]: f["new"] for f in added["fields"]} == {
        "Source": "Kommersant report",
        "Stance": "disputes",
        "Quote": "Talks were held.",
    }
    page = reviewer_client.get(_review(revision)).content.decode()
    assert "Sergey Lavrov" in page and "Kommersant report" in page
    assert "Approve and publish the change" in page


def test_the_public_never_sees_a_pending_change(editor_client, reader, api_client, talks):
    client = reader
    page_url = talks.get_absolute_url()
    api_url = f"/api/v1/events/{talks.pk}/"
    assert "The ministers met." in client.get(page_url).content.decode()  # now cached
    assert api_client.get(api_url).json()["summary"] == "The ministers met."
    assert _post(editor_client, talks, summary="A secret draft summary.").status_code == 302
    for language in ("", "/ru", "/ar"):
        assert "secret draft" not in client.get(language + page_url).content.decode()
    assert "secret draft" not in client.get("/events/").content.decode()
    assert "secret draft" not in client.get("/search/?q=secret").content.decode()
    assert api_client.get(api_url).json()["summary"] == "The ministers met."
    assert api_client.get("/api/v1/events/?search=secret").json()["count"] == 0


def test_an_editors_change_to_a_draft_is_saved_directly(editor_client):
    event = factories.event(status=DRAFT, title="Talks")
    assert _post(editor_client, event, summary="Direct.").status_code == 302
    event.refresh_from_db()
    assert event.summary == "Direct."
    assert not PendingRevision.objects.exists()


def test_an_editors_change_to_a_record_in_review_is_saved_directly(editor_client):
    event = factories.event(status=IN_REVIEW, title="Talks")
    assert _post(editor_client, event, summary="Direct.").status_code == 302
    event.refresh_from_db()
    assert event.summary == "Direct."
    assert not PendingRevision.objects.exists()


def test_a_reviewers_own_change_publishes_directly(reviewer_client, client, talks):
    client.get(talks.get_absolute_url())  # cached
    assert _post(reviewer_client, talks, summary="Corrected by a reviewer.").status_code == 302
    talks.refresh_from_db()
    assert talks.summary == "Corrected by a reviewer."
    assert not PendingRevision.objects.exists()
    assert "Corrected by a reviewer." in client.get(talks.get_absolute_url()).content.decode()


def test_saving_without_a_change_keeps_no_revision(editor_client, talks):
    response = _post(editor_client, talks)
    assert response.status_code == 302
    assert not PendingRevision.objects.exists()


def test_an_invalid_change_is_refused_as_before_and_kept_nowhere(editor_client, talks):
    response = _post(editor_client, talks, **{"citations-0-DELETE": "on"})
    assert response.status_code == 200
    assert "no supporting citation" in _errors(response)
    assert not PendingRevision.objects.exists()


def test_every_kind_of_published_record_and_its_inlines_is_reviewed(editor_client):
    actor = factories.actor(name="Rosoboronexport", kind="company")
    factories.citation(actor)
    source = factories.source(title="TASS report")
    tie = factories.tie(title="Ambassador")
    factories.citation(tie)
    agreement = factories.agreement(title="Mi-28 contract")
    factories.citation(agreement)
    assert _post(editor_client, actor, **{"aliases-0-name": "ROE"}).status_code == 302
    assert _post(editor_client, source, title="TASS report, updated").status_code == 302
    assert _post(editor_client, tie, title="Chargé d'affaires").status_code == 302
    assert _post(editor_client, agreement, **{"parties-0-actor": str(actor.pk)}).status_code == 302
    assert not actor.aliases.exists()
    assert Source.objects.get(pk=source.pk).title == "TASS report"
    tie.refresh_from_db()
    assert tie.title == "Ambassador"
    assert not agreement.parties.exists()
    kinds = sorted(r.content_type.model for r in PendingRevision.objects.all())
    assert kinds == ["actor", "agreement", "source", "tie"]


# --- one change waits at a time -------------------------------------------------------------


def test_a_second_change_while_one_waits_is_refused_naming_the_first(
    editor_client, reviewer, talks
):
    from django.test import Client

    assert _post(editor_client, talks, summary="First change.").status_code == 302
    other = factories_editor("editor2")
    client = Client()
    client.force_login(other)
    response = _post(client, talks, summary="Second change.")
    assert response.status_code == 200
    assert "still awaiting review" in _errors(response)
    assert PendingRevision.objects.count() == 1
    # Its author may not propose over it either, but may withdraw it and propose again.
    assert _post(editor_client, talks, summary="Again.").status_code == 200
    revision = PendingRevision.objects.get()
    response = editor_client.post(_review(revision), {"_withdraw": "1"})
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.state == RevisionState.WITHDRAWN
    assert _post(client, talks, summary="Second change.").status_code == 302
    assert PendingRevision.objects.pending().get().diff["fields"][0]["new"] == "Second change."


def factories_editor(username):
    from tests.conftest import _staff_in

    return _staff_in("Editors", username)


def test_only_its_author_withdraws_a_change(editor_client, talks):
    assert _post(editor_client, talks, summary="Mine.").status_code == 302
    revision = PendingRevision.objects.get()
    from django.test import Client

    client = Client()
    client.force_login(factories_editor("editor2"))
    response = client.post(_review(revision), {"_withdraw": "1"}, follow=True)
    assert "Only the editor who proposed a change withdraws it." in _messages(response)
    revision.refresh_from_db()
    assert revision.state == RevisionState.PENDING


# --- the reviewer decides -------------------------------------------------------------------


def test_a_reviewer_approves_and_the_change_is_public(
    editor_client, reviewer_client, reviewer, reader, api_client, talks
):
    client = reader
    client.get(talks.get_absolute_url())  # cached before the change
    version = talks.version
    _post(
        editor_client,
        talks,
        summary="The ministers met in Baghdad about helicopters.",
        **{"citations-0-quote": "The ministers met in Baghdad on Monday."},
    )
    revision = PendingRevision.objects.get()
    response = reviewer_client.post(_review(revision), {"_approve": "1"})
    assert response.status_code == 302
    assert response["Location"] == _change(talks)
    talks.refresh_from_db()
    assert talks.summary == "The ministers met in Baghdad about helicopters."
    assert talks.version > version
    assert talks.citations.get().quote == "The ministers met in Baghdad on Monday."
    revision.refresh_from_db()
    assert (revision.state, revision.reviewed_by) == (RevisionState.APPROVED, reviewer)
    latest = talks.history.first()
    assert latest.history_user == reviewer
    assert "Change proposed by editor" in latest.history_change_reason
    assert "approved by reviewer" in latest.history_change_reason
    assert "helicopters" in client.get(talks.get_absolute_url()).content.decode()
    assert api_client.get(f"/api/v1/events/{talks.pk}/").json()["summary"].endswith("helicopters.")
    assert talks.slug in client.get("/search/?q=helicopters").content.decode()


def test_approving_applies_deleted_and_added_inline_rows(editor_client, reviewer_client, talks):
    source = factories.source()
    _post(
        editor_client,
        talks,
        **{
            "participants-0-DELETE": "on",
            "citations-1-source": str(source.pk),
            "citations-1-quote": "A second quote.",
            "citations-1-stance": Stance.SUPPORTS,
        },
    )
    revision = PendingRevision.objects.get()
    assert reviewer_client.post(_review(revision), {"_approve": "1"}).status_code == 302
    assert not talks.participants.exists()
    assert sorted(talks.citations.values_list("quote", flat=True)) == [
        "A second quote.",
        "The ministers met in Baghdad.",
    ]


def test_a_change_to_a_record_saved_since_is_refused_as_a_conflict(
    editor_client, reviewer_client, talks
):
    _post(editor_client, talks, summary="The editor's summary.")
    revision = PendingRevision.objects.get()
    Event.objects.get(pk=talks.pk).save()  # someone saved the record meanwhile
    page = reviewer_client.get(_review(revision)).content.decode()
    assert "was saved again after this change was proposed" in page
    response = reviewer_client.post(_review(revision), {"_approve": "1"})
    assert response.status_code == 200
    assert "Edit conflict" in " ".join(str(p) for p in response.context["problems"])
    talks.refresh_from_db()
    assert talks.summary == "The ministers met."
    revision.refresh_from_db()
    assert revision.state == RevisionState.PENDING


def test_a_change_to_an_inline_row_saved_since_is_a_conflict(editor_client, reviewer_client, talks):
    _post(editor_client, talks, summary="The editor's summary.")
    revision = PendingRevision.objects.get()
    citation = talks.citations.get()
    citation.note = "Checked by a reviewer."
    citation.save()  # the event's own version is unchanged
    response = reviewer_client.post(_review(revision), {"_approve": "1"})
    assert response.status_code == 200
    assert "Edit conflict" in " ".join(str(p) for p in response.context["problems"])
    assert Event.objects.get(pk=talks.pk).summary == "The ministers met."


def test_approval_checks_the_evidence_rule_again(editor_client, reviewer_client, talks):
    """The editor replaced the quote with a second supporting citation; meanwhile that
    citation's source was taken away: approving is refused, nothing is applied."""
    second = factories.citation(talks, quote="Another supporting quote.")
    _post(editor_client, talks, summary="Changed.", **{"citations-0-DELETE": "on"})
    revision = PendingRevision.objects.get()
    Citation.objects.filter(pk=second.pk).delete()
    response = reviewer_client.post(_review(revision), {"_approve": "1"})
    assert response.status_code == 200
    assert response.context["problems"]
    talks.refresh_from_db()
    assert talks.summary == "The ministers met."
    assert talks.citations.count() == 1


def test_a_reviewer_rejects_with_a_note_the_editor_reads(
    editor_client, reviewer_client, reviewer, talks
):
    _post(editor_client, talks, summary="Unsourced claim.")
    revision = PendingRevision.objects.get()
    response = reviewer_client.post(_review(revision), {"_reject": "1", "review_note": "  "})
    assert response.status_code == 200
    assert "Say why the change is rejected" in " ".join(
        str(p) for p in response.context["problems"]
    )
    response = reviewer_client.post(
        _review(revision), {"_reject": "1", "review_note": "No source says so."}
    )
    assert response.status_code == 302
    revision.refresh_from_db()
    assert (revision.state, revision.reviewed_by, revision.review_note) == (
        RevisionState.REJECTED,
        reviewer,
        "No source says so.",
    )
    talks.refresh_from_db()
    assert talks.summary == "The ministers met."
    page = editor_client.get(_change(talks)).content.decode()
    assert "Your last change to this record was rejected by reviewer" in page
    assert "No source says so." in page
    # A decided revision is decided: approving it afterwards changes nothing.
    response = reviewer_client.post(_review(revision), {"_approve": "1"})
    assert response.status_code == 200
    assert Event.objects.get(pk=talks.pk).summary == "The ministers met."


def test_an_editor_cannot_approve_or_reject(editor_client, talks):
    _post(editor_client, talks, summary="Self-approved?")
    revision = PendingRevision.objects.get()
    page = editor_client.get(_review(revision)).content.decode()
    assert "Approve and publish the change" not in page
    for button in ("_approve", "_reject"):
        response = editor_client.post(
            _review(revision), {button: "1", "review_note": "ok"}, follow=True
        )
        assert response.status_code == 200
        assert any("Only reviewers" in m for m in _messages(response))
    revision.refresh_from_db()
    assert revision.state == RevisionState.PENDING
    assert Event.objects.get(pk=talks.pk).summary == "The ministers met."


def test_an_editor_cannot_revert_a_published_record_from_its_history(editor_client, talks):
    old = talks.history.last()
    talks.summary = "Later."
    talks.save()
    url = reverse("admin:articles_event_simple_history", args=[talks.pk, old.history_id])
    response = editor_client.post(url, {"title": talks.title}, follow=True)
    assert any("Only reviewers revert" in m for m in _messages(response))
    assert Event.objects.get(pk=talks.pk).summary == "Later."


# --- the queue ------------------------------------------------------------------------------


def test_the_queue_lists_pending_revisions_oldest_first(editor_client, reviewer, talks):
    actor = factories.actor(name="Rosatom", kind="company")
    factories.citation(actor)
    _post(editor_client, talks, summary="Change one.")
    _post(editor_client, actor, description="Change two.")
    queue = list(PendingRevision.objects.awaiting_review())
    assert [r.record_label for r in queue] == ["Talks in Baghdad", "Rosatom"]
    assert [r.record_label for r in PendingRevision.objects.awaiting_review(reviewer)] == [
        "Talks in Baghdad",
        "Rosatom",
    ]
    assert list(PendingRevision.objects.awaiting_review(factories_editor("editor2"))) == []
    PendingRevision.objects.filter(record_label="Rosatom").update(state=RevisionState.WITHDRAWN)
    assert [r.record_label for r in PendingRevision.objects.awaiting_review()] == [
        "Talks in Baghdad"
    ]


@pytest.mark.parametrize("rows", [1, 6])
def test_queue_query_count_does_not_grow_with_rows(
    reviewer_client, editor, rows, django_assert_num_queries
):
    for n in range(rows):
        event = factories.event(title=f"Event {n}")
        PendingRevision.propose(event, editor, _query({"summary": "x"}), {"fields": []})
    # session, user, the reviewer's permissions (its own and its groups'), the kinds of
    # record (the filter's choices), the count of pending ones, the rows with their kind and
    # authors joined in.
    with django_assert_num_queries(7):
        response = reviewer_client.get(QUEUE)
    assert response.status_code == 200
    assert response.content.decode().count("Event ") >= rows


def _query(data):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name, value in data.items():
        query[name] = value
    return query


def test_editors_see_the_queue_and_readers_do_not(editor_client, reader, talks):
    _post(editor_client, talks, summary="Change.")
    assert editor_client.get(QUEUE).status_code == 200
    assert "Talks in Baghdad" in editor_client.get(QUEUE).content.decode()
    assert "Pending revisions" in editor_client.get(reverse("admin:index")).content.decode()
    assert reader.get(QUEUE).status_code == 302  # to the login page


@pytest.mark.parametrize(
    "query", ["?state=nonsense", "?state=approved", "?state=all", "?content_type__id__exact=x"]
)
def test_bad_queue_filters_are_not_a_server_error(reviewer_client, query):
    assert reviewer_client.get(QUEUE + query).status_code in (200, 302)


@pytest.mark.parametrize("pk", ["abc", "0", "99999999", "1" * 30])
def test_a_missing_revision_is_not_a_server_error(reviewer_client, pk):
    url = reverse("admin:ruiraq_pendingrevision_changelist") + f"{pk}/change/"
    assert reviewer_client.get(url).status_code in (302, 404)
    assert reviewer_client.post(url, {"_approve": "1"}).status_code in (302, 404)


def test_a_post_without_a_decision_says_so(reviewer_client, editor_client, talks):
    _post(editor_client, talks, summary="Change.")
    revision = PendingRevision.objects.get()
    response = reviewer_client.post(_review(revision), {})
    assert response.status_code == 200
    assert "Choose approve, reject or withdraw." in [str(p) for p in response.context["problems"]]


def test_a_deleted_record_cannot_be_approved(editor_client, reviewer_client, reviewer):
    actor = factories.actor(name="Gone")
    factories.citation(actor)
    _post(editor_client, actor, description="Change.")
    revision = PendingRevision.objects.get()
    Actor.objects.filter(pk=actor.pk).delete()
    response = reviewer_client.post(_review(revision), {"_approve": "1"})
    assert response.status_code == 200
    assert "deleted" in " ".join(str(p) for p in response.context["problems"])


# --- a published record's citations on their own pages -------------------------------------


def test_an_editor_cannot_change_or_delete_a_published_records_citation_on_its_own_page(
    editor_client, talks
):
    citation = talks.citations.get()
    url = reverse("admin:articles_citation_change", args=[citation.pk])
    page = editor_client.get(url)
    assert page.status_code == 200  # shown, read-only
    assert 'name="quote"' not in page.content.decode()
    assert editor_client.post(url, {"quote": "Changed past review."}).status_code == 403
    delete = reverse("admin:articles_citation_delete", args=[citation.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:articles_citation_changelist")
    response = editor_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [citation.pk], "post": "yes"},
    )
    assert response.status_code == 200  # the confirmation page refuses
    assert "Cannot delete citation" in response.content.decode()
    citation.refresh_from_db()
    assert citation.quote == "The ministers met in Baghdad."


def test_an_editor_cannot_add_a_citation_to_a_published_record_on_the_citation_page(
    editor_client, talks
):
    source = factories.source()
    url = reverse("admin:articles_citation_add")
    data = form_data(editor_client.get(url), "citation_form")
    data.update(source=str(source.pk), quote="Added past review.", event=str(talks.pk))
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "is published: add or change its rows on its own page" in str(
        response.context["adminform"].form.errors
    )
    assert talks.citations.count() == 1
    draft = factories.event(status=DRAFT)
    data.update(event=str(draft.pk))
    assert editor_client.post(url, data).status_code == 302
    assert draft.citations.get().quote == "Added past review."


def test_a_reviewer_changes_a_published_records_citation_on_its_own_page(reviewer_client, talks):
    citation = talks.citations.get()
    url = reverse("admin:articles_citation_change", args=[citation.pk])
    data = form_data(reviewer_client.get(url), "citation_form")
    data.update(note="Checked.")
    assert reviewer_client.post(url, data).status_code == 302
    citation.refresh_from_db()
    assert citation.note == "Checked."


def test_the_review_page_and_the_banner_speak_russian_and_arabic(
    editor_client, reviewer_client, talks
):
    _post(editor_client, talks, summary="Changed.")
    revision = PendingRevision.objects.get()
    review, change = _review(revision), _change(talks)  # before a request activates Russian
    ru = reviewer_client.get("/ru" + review).content.decode()
    assert "Одобрить и опубликовать изменение" in ru
    ar = editor_client.get("/ar" + change).content.decode()
    assert "اسحب تعديلي" in ar


def test_a_change_proposed_at_the_same_moment_as_another_is_refused(
    editor_client, editor, talks, monkeypatch
):
    """The view looked before the other change was stored (patched here to see nothing);
    the database's one-pending-per-record constraint refuses ours."""
    from ruiraq.revisions.admin import RevisionAdminMixin

    PendingRevision.propose(talks, editor, _query({"summary": "x"}), {"fields": [{"n": 1}]})
    monkeypatch.setattr(RevisionAdminMixin, "_latest_revision", staticmethod(lambda r, rec: None))
    response = _post(editor_client, talks, summary="Mine.")
    assert response.status_code == 302
    assert PendingRevision.objects.count() == 1
    page = editor_client.get(_change(talks))
    assert any("at the same moment" in m for m in _messages(page))
    assert Event.objects.get(pk=talks.pk).summary == "The ministers met."


# --- a published row of its own on a draft record's page -------------------------------------


def _tie_field(data, tie, field):
    """The name of ``field`` of the inline form holding ``tie`` in posted ``data``."""
    (prefix,) = [
        k[: -len("-id")] for k, v in data.items() if k.endswith("-id") and v == str(tie.pk)
    ]
    return f"{prefix}-{field}"


@pytest.mark.parametrize("end", ["subject", "object"])
def test_an_editor_cannot_change_a_published_tie_from_a_draft_actors_page(editor_client, end):
    # The actor was unpublished; its tie kept its status and would show, edited, once the
    # actor is published again. Ties it holds and ties to it (the other inline) alike.
    actor = factories.actor(name="Ilya Morgunov", status=DRAFT)
    tie = factories.tie(title="Ambassador", **{end: actor})
    factories.citation(tie)
    url = _change(actor)
    data = form_data(editor_client.get(url), "actor_form")
    data[_tie_field(data, tie, "title")] = "Chargé d'affaires"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "is published: change or delete it on its own page" in response.content.decode()
    tie.refresh_from_db()
    assert tie.title == "Ambassador"
    assert not PendingRevision.objects.exists()


def test_an_editor_changes_a_draft_tie_and_a_reviewer_a_published_one_on_a_draft_actor(
    editor_client, reviewer_client
):
    actor = factories.actor(name="Ilya Morgunov", status=DRAFT)
    draft_tie = factories.tie(subject=actor, title="Counsellor", status=DRAFT)
    published_tie = factories.tie(subject=actor, title="Ambassador")
    factories.citation(published_tie)
    url = _change(actor)
    data = form_data(editor_client.get(url), "actor_form")
    data[_tie_field(data, draft_tie, "title")] = "First counsellor"
    assert editor_client.post(url, data).status_code == 302
    draft_tie.refresh_from_db()
    assert draft_tie.title == "First counsellor"

    data = form_data(reviewer_client.get(url), "actor_form")
    data[_tie_field(data, published_tie, "title")] = "Ambassador Extraordinary"
    assert reviewer_client.post(url, data).status_code == 302
    published_tie.refresh_from_db()
    assert published_tie.title == "Ambassador Extraordinary"


def test_each_reviewer_reads_the_change_in_their_own_language(
    editor_client, reviewer_client, talks
):
    # Proposed in Russian; read in English and in Russian.
    change = _change(talks)
    url = "/ru" + change
    data = form_data(editor_client.get(url), "event_form")
    data.update(summary="Министры встретились.", kind="visit")
    assert editor_client.post(url, data).status_code == 302
    revision = PendingRevision.objects.get()
    review = _review(revision).removeprefix("/ru")  # a request leaves its language active
    assert review.startswith("/admin/")

    english = reviewer_client.get(review).content.decode()
    assert '<th scope="row">Summary</th>' in english
    assert (
        '<th scope="row">Kind</th><td><del>meeting</del></td><td><ins>visit</ins></td>' in english
    )
    assert "Краткое содержание" not in english

    russian = reviewer_client.get("/ru" + review).content.decode()
    assert '<th scope="row">Краткое содержание</th>' in russian
    assert "<del>встреча</del></td><td><ins>визит</ins>" in russian
    assert '<th scope="row">Summary</th>' not in russian
