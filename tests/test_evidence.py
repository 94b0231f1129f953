"""The evidence invariant: a published event, agreement, actor or tie always has a supporting
citation whose source is itself published. Every path that could break it, through the admin
as an editor and as a reviewer: publishing (form, bulk action, import, revert), changing or
deleting a citation, unpublishing or withdrawing a source; and what the public sees."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from actors.models import Actor, Tie
from articles.models import Agreement, Citation, Event, Source
from ruiraq.models import EditorialStatus
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

PUBLISHED = EditorialStatus.PUBLISHED
DRAFT = EditorialStatus.DRAFT
IN_REVIEW = EditorialStatus.IN_REVIEW
WITHDRAWN = EditorialStatus.WITHDRAWN


def _url(record, view="change"):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[record.pk])


def _changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _post(client, record, **changes):
    url = _url(record)
    data = form_data(client.get(url), f"{record._meta.model_name}_form")
    data.update(changes)
    return client.post(url, data)


def _status(record):
    return type(record).objects.values_list("status", flat=True).get(pk=record.pk)


def _act(client, model, action, records, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(r.pk) for r in records], **extra}
    return client.post(_changelist(model), data, follow=True)


@pytest.fixture
def resting_on_one_source():
    """A published event whose only support is a quote from one published source."""
    source = factories.source(title="Only witness")
    event = factories.event(title="Talks in Baghdad")
    factories.citation(event, source)
    return event, source


# --- publishing: a quote from a draft source is no evidence ---------------------------------


def test_bulk_publish_refuses_an_event_whose_only_source_is_a_draft(reviewer_client):
    event = factories.event(status=IN_REVIEW, title="Quiet visit")
    factories.citation(event, factories.source(status=DRAFT))
    response = _act(reviewer_client, Event, "publish", [event])
    assert "Nothing was published: “Quiet visit” has no supporting citation" in (
        response.content.decode()
    )
    assert _status(event) == IN_REVIEW


def test_change_form_refuses_to_publish_on_a_draft_source(reviewer_client):
    agreement = factories.agreement(status=IN_REVIEW, title="Oil deal")
    factories.citation(agreement, factories.source(status=WITHDRAWN))
    response = _post(reviewer_client, agreement, status=PUBLISHED)
    assert response.status_code == 200
    assert "“Oil deal” has no supporting citation" in response.content.decode()
    assert _status(agreement) == IN_REVIEW


def test_inline_citation_from_a_draft_source_does_not_let_a_record_be_published(
    reviewer_client,
):
    event = factories.event(status=IN_REVIEW, title="Inline case")
    draft = factories.source(status=DRAFT)
    response = _post(
        reviewer_client,
        event,
        status=PUBLISHED,
        **{
            "citations-0-source": str(draft.pk),
            "citations-0-quote": "A verbatim passage.",
            "citations-0-stance": "supports",
        },
    )
    assert response.status_code == 200
    assert "“Inline case” has no supporting citation" in response.content.decode()
    assert _status(event) == IN_REVIEW


def _export_csv(client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")
    data = form_data(client.get(url))
    data.update(format="0", resource="0")
    return client.post(url, data).content.decode("utf-8")


def test_import_refuses_to_unpublish_a_source_a_published_record_needs(
    reviewer_client, resting_on_one_source
):
    event, source = resting_on_one_source
    exported = _export_csv(reviewer_client, Source)
    assert ",published," in exported
    upload = SimpleUploadedFile("sources.csv", exported.replace(",published,", ",draft,").encode())
    response = reviewer_client.post(
        reverse("admin:articles_source_import"),
        {"format": "0", "resource": "0", "import_file": upload},
    )
    errors = [
        str(message)
        for row in response.context["result"].invalid_rows
        for messages in row.error_dict.values()
        for message in messages
    ]
    assert any("“Talks in Baghdad” is published and would be left without" in e for e in errors)
    assert _status(source) == PUBLISHED


def test_history_revert_to_a_draft_source_is_refused(reviewer_client):
    source = factories.source(title="Only witness", status=DRAFT)
    source.status = PUBLISHED
    source.save()
    event = factories.event(title="Talks in Baghdad")
    factories.citation(event, source)
    draft_version = source.history.earliest()
    url = reverse(
        "admin:articles_source_simple_history", args=[source.pk, draft_version.history_id]
    )
    response = reviewer_client.post(url, form_data(reviewer_client.get(url)))
    assert response.status_code == 200
    assert "“Talks in Baghdad” is published and would be left without" in (
        response.content.decode()
    )
    assert _status(source) == PUBLISHED


# --- sources leaving publication ------------------------------------------------------------


def test_unpublishing_the_only_source_in_bulk_asks_a_reviewer_to_confirm(
    reviewer_client, resting_on_one_source
):
    event, source = resting_on_one_source
    response = _act(reviewer_client, Source, "unpublish", [source])
    page = response.content.decode()
    assert "Talks in Baghdad" in page
    assert "Yes, go ahead and send them back to review" in page
    assert (_status(source), _status(event)) == (PUBLISHED, PUBLISHED)

    response = _act(reviewer_client, Source, "unpublish", [source], confirm_demotion="yes")
    assert "1 source unpublished" in response.content.decode()
    assert (_status(source), _status(event)) == (DRAFT, IN_REVIEW)
    assert event.history.latest().history_user.username == "reviewer"


def test_withdrawing_a_source_with_a_second_witness_needs_no_confirmation(
    reviewer_client, resting_on_one_source
):
    event, source = resting_on_one_source
    factories.citation(event, factories.source(title="Second witness"))
    response = _act(reviewer_client, Source, "withdraw", [source])
    assert "1 source withdrawn" in response.content.decode()
    assert (_status(source), _status(event)) == (WITHDRAWN, PUBLISHED)


def test_a_disputing_quote_is_no_second_witness(reviewer_client, resting_on_one_source):
    event, source = resting_on_one_source
    factories.citation(event, factories.source(), stance="disputes")
    response = _act(reviewer_client, Source, "withdraw", [source])
    assert "Yes, go ahead" in response.content.decode()
    assert _status(source) == PUBLISHED


def test_source_form_refuses_then_accepts_a_confirmed_unpublishing(
    reviewer_client, resting_on_one_source
):
    event, source = resting_on_one_source
    tie = factories.tie(title="Envoy")
    factories.citation(tie, source)
    response = _post(reviewer_client, source, status=DRAFT)
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors)
    assert "“Talks in Baghdad” is published and would be left without" in errors
    assert "Envoy" in errors
    assert 'type="checkbox" name="confirm_demotion"' in response.content.decode()
    assert _status(source) == PUBLISHED

    response = _post(reviewer_client, source, status=DRAFT, confirm_demotion="on")
    assert response.status_code == 302
    assert (_status(source), _status(event), _status(tie)) == (DRAFT, IN_REVIEW, IN_REVIEW)


def test_a_ticked_box_posted_by_an_editor_confirms_nothing(editor_client, resting_on_one_source):
    """An editor cannot unpublish a source at all; the box is a reviewer's."""
    event, source = resting_on_one_source
    response = _post(editor_client, source, status=DRAFT, confirm_demotion="on")
    assert response.status_code == 200
    assert (_status(source), _status(event)) == (PUBLISHED, PUBLISHED)


def test_unpublishing_a_source_whose_records_are_drafts_is_free(reviewer_client):
    source = factories.source()
    factories.citation(factories.event(status=DRAFT), source)
    assert _post(reviewer_client, source, status=DRAFT).status_code == 302
    assert _status(source) == DRAFT


# --- changing or deleting a citation --------------------------------------------------------


def test_moving_the_last_support_to_a_draft_source_is_refused_naming_the_record(
    reviewer_client, resting_on_one_source
):
    event, _ = resting_on_one_source
    citation = event.citations.get()
    draft = factories.source(status=DRAFT)
    response = _post(reviewer_client, citation, source=str(draft.pk))
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors)
    assert "“Talks in Baghdad” is published and would be left without" in errors
    # A reviewer may confirm instead (the record then goes back to review).
    assert 'type="checkbox" name="confirm_demotion"' in response.content.decode()
    citation.refresh_from_db()
    assert citation.source.title == "Only witness"


def test_editor_cannot_move_the_last_support_to_a_draft_source(
    editor_client, resting_on_one_source
):
    """A published record's citations are changed on the record's own page, where the change
    waits for a reviewer (ruiraq.revisions): the citation's page refuses the editor."""
    event, _ = resting_on_one_source
    citation = event.citations.get()
    draft = factories.source(status=DRAFT)
    response = _post(editor_client, citation, source=str(draft.pk))
    assert response.status_code == 403
    citation.refresh_from_db()
    assert citation.source.title == "Only witness"


def test_editor_cannot_move_the_last_support_to_another_record(
    editor_client, resting_on_one_source
):
    event, _ = resting_on_one_source
    citation = event.citations.get()
    other = factories.event(status=DRAFT)
    response = _post(editor_client, citation, event=str(other.pk))
    assert response.status_code == 403
    assert Citation.objects.get(pk=citation.pk).event_id == event.pk


def test_reviewer_confirms_a_stance_change_and_the_record_goes_to_review(
    reviewer_client, resting_on_one_source
):
    event, _ = resting_on_one_source
    citation = event.citations.get()
    response = _post(reviewer_client, citation, stance="disputes")
    assert response.status_code == 200
    assert 'type="checkbox" name="confirm_demotion"' in response.content.decode()
    response = _post(reviewer_client, citation, stance="disputes", confirm_demotion="on")
    assert response.status_code == 302
    assert Citation.objects.get(pk=citation.pk).stance == "disputes"
    assert _status(event) == IN_REVIEW


def test_reviewer_deletes_the_last_support_after_being_told_the_record_goes_to_review(
    reviewer_client, resting_on_one_source
):
    event, _ = resting_on_one_source
    citation = event.citations.get()
    delete = _url(citation, "delete")
    page = reviewer_client.get(delete).content.decode()
    assert "The event “Talks in Baghdad” goes back to review" in page
    assert reviewer_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Citation.objects.filter(pk=citation.pk).exists()
    assert _status(event) == IN_REVIEW


def test_bulk_deleting_citations_refuses_an_editor_naming_every_record(editor_client):
    actor = factories.actor(name="Lone Envoy")
    agreement = factories.agreement(title="Arms deal")
    citations = [factories.citation(actor), factories.citation(agreement)]
    response = editor_client.post(
        _changelist(Citation),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [str(c.pk) for c in citations]},
    )
    page = response.content.decode()
    # The citations of published records are not the editor's to delete (ruiraq.revisions).
    assert "Cannot delete citations" in page
    assert Citation.objects.filter(pk__in=[c.pk for c in citations]).count() == 2


def test_bulk_deleting_citations_as_a_reviewer_sends_records_back_to_review(reviewer_client):
    actor = factories.actor(name="Lone Envoy")
    keeps = factories.event(title="Keeps one")
    citations = [factories.citation(actor), factories.citation(keeps)]
    factories.citation(keeps)
    reviewer_client.post(
        _changelist(Citation),
        {
            "action": "delete_selected",
            "post": "yes",
            ACTION_CHECKBOX_NAME: [str(c.pk) for c in citations],
        },
    )
    assert not Citation.objects.filter(pk__in=[c.pk for c in citations]).exists()
    assert (_status(actor), _status(keeps)) == (IN_REVIEW, PUBLISHED)


# --- merge ----------------------------------------------------------------------------------


def test_merge_into_a_published_actor_needs_a_published_source(reviewer):
    survivor = factories.actor(name="Survivor")
    factories.citation(survivor, factories.source(status=DRAFT))
    gone = factories.actor(name="Gone", status=DRAFT)
    with pytest.raises(Exception, match="from a published source"):
        gone.merge_into(survivor, reviewer)
    assert Actor.objects.filter(pk=gone.pk).exists()


# --- the public never reads "no published source" -------------------------------------------


def test_event_page_has_no_empty_evidence_wording(client, resting_on_one_source):
    event, _ = resting_on_one_source
    page = client.get(event.get_absolute_url()).content.decode()
    assert "A verbatim passage." in page
    assert "No published source" not in page


def _assert_every_published_record_has_evidence():
    """Walks every published claim and reads its citations one by one (no shared rule)."""
    checked = 0
    for model in (Event, Agreement, Actor, Tie):
        for record in model.objects.filter(status="published"):
            evidence = [
                (c.stance, c.source.status)
                for c in Citation.objects.filter(**{model._meta.model_name: record})
            ]
            assert ("supports", "published") in evidence, (model.__name__, str(record))
            checked += 1
    return checked


def test_every_published_record_of_the_seed_rests_on_a_published_supporting_quote(seeded):
    assert _assert_every_published_record_has_evidence() > 10


def test_every_published_record_of_a_generated_dataset_does_too():
    call_command("generate_synthetic", events=60, seed=3, verbosity=0)
    assert _assert_every_published_record_has_evidence() > 60
