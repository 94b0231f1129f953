"""What is public is decided in one place: EditorialQuerySet.public()."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actors.models import Actor, Tie
from articles.models import Agreement, Citation, Event, EventParticipant, Source
from ruiraq.models import EditorialStatus, Stance
from tests import factories

pytestmark = pytest.mark.django_db

HIDDEN = [EditorialStatus.DRAFT, EditorialStatus.IN_REVIEW, EditorialStatus.WITHDRAWN]


@pytest.mark.parametrize(
    ("model", "make"),
    [
        (Event, factories.event),
        (Agreement, factories.agreement),
        (Actor, factories.actor),
        (Source, factories.source),
    ],
)
def test_public_shows_only_published(model, make):
    shown = make(status=EditorialStatus.PUBLISHED)
    for status in HIDDEN:
        make(status=status)
    assert list(model.objects.public()) == [shown]


def test_tie_is_public_only_with_both_actors_public():
    public_actor = factories.actor()
    draft_actor = factories.actor(status=EditorialStatus.DRAFT)
    shown = factories.tie(subject=public_actor, object=factories.actor(kind="state"))
    factories.tie(subject=public_actor, object=draft_actor)
    factories.tie(subject=draft_actor, object=public_actor)
    factories.tie(subject=public_actor, object=factories.actor(), status=EditorialStatus.DRAFT)
    assert list(Tie.objects.public()) == [shown]


def test_participants_of_draft_actors_are_left_out_by_with_public_actor():
    event = factories.event()
    shown = factories.participant(event, factories.actor())
    factories.participant(event, factories.actor(status=EditorialStatus.DRAFT))
    assert list(EventParticipant.objects.with_public_actor()) == [shown]


def test_citation_is_public_only_when_source_and_record_are():
    event = factories.event()
    shown = factories.citation(event)
    factories.citation(event, factories.source(status=EditorialStatus.DRAFT))
    factories.citation(factories.event(status=EditorialStatus.IN_REVIEW))
    factories.citation(factories.actor(status=EditorialStatus.WITHDRAWN))
    assert list(Citation.objects.public()) == [shown]


def test_status_changes_are_timestamped():
    event = factories.event(status=EditorialStatus.DRAFT)
    assert event.submitted_at is event.published_at is event.withdrawn_at is None
    event.status = EditorialStatus.IN_REVIEW
    event.save()
    assert event.submitted_at is not None
    event.status = EditorialStatus.PUBLISHED
    event.save()
    first_published = event.published_at
    assert first_published is not None
    event.status = EditorialStatus.WITHDRAWN
    event.save()
    assert event.withdrawn_at is not None
    event.status = EditorialStatus.PUBLISHED
    event.save()
    assert event.withdrawn_at is None
    assert event.published_at == first_published


def test_publishing_without_a_supporting_citation_fails_validation():
    event = factories.event(status=EditorialStatus.DRAFT, title="Talks")
    factories.citation(event, stance=Stance.DISPUTES)
    event.status = EditorialStatus.PUBLISHED
    with pytest.raises(ValidationError) as excinfo:
        event.validate_publishable()
    assert "supporting citation" in str(excinfo.value)
    assert "“Talks”" in str(excinfo.value)  # the reason names the record
    assert [e.code for e in excinfo.value.error_list] == ["no_supporting_citation"]
    factories.citation(event, stance=Stance.SUPPORTS)
    event.validate_publishable()
    event.full_clean()


def test_the_rule_counts_the_citations_a_caller_says_the_record_will_have():
    event = factories.event(status=EditorialStatus.DRAFT)
    stored = factories.citation(event)  # supports, in the database
    # The caller's citations, not the stored ones: here the stored one is being deleted.
    with pytest.raises(ValidationError):
        event.validate_publishable(citations=[], status=EditorialStatus.PUBLISHED)
    # An unsaved supporting citation counts, a disputing one does not.
    new = Citation(source=stored.source, quote="New.", stance=Stance.SUPPORTS)
    event.validate_publishable(citations=[new], status=EditorialStatus.PUBLISHED)
    stored.stance = Stance.DISPUTES
    with pytest.raises(ValidationError):
        event.validate_publishable(citations=[stored], status=EditorialStatus.PUBLISHED)
    # Only publishing needs support.
    for status in HIDDEN:
        event.validate_publishable(citations=[], status=status)
    assert event.status == EditorialStatus.DRAFT  # asking changed nothing


def test_a_new_record_has_no_stored_citation_to_be_published_with():
    event = Event(title="Visit", kind="visit", status=EditorialStatus.PUBLISHED)
    with pytest.raises(ValidationError, match="no supporting citation"):
        event.validate_publishable()


def test_source_needs_no_citation_to_be_published():
    source = factories.source(status=EditorialStatus.DRAFT)
    source.status = EditorialStatus.PUBLISHED
    source.validate_publishable()
    source.validate_publishable(citations=[])
    source.full_clean()


# --- change_status: the guards hold when the method is called directly ---------------------


def test_change_status_refuses_an_editor_publishing(editor):
    event = factories.event(status=EditorialStatus.IN_REVIEW)
    factories.citation(event)
    with pytest.raises(PermissionDenied):
        event.change_status(EditorialStatus.PUBLISHED, editor)
    assert event.status == EditorialStatus.IN_REVIEW
    event.refresh_from_db()
    assert event.status == EditorialStatus.IN_REVIEW
    assert event.history.count() == 1  # only its creation


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (EditorialStatus.PUBLISHED, EditorialStatus.DRAFT),
        (EditorialStatus.PUBLISHED, EditorialStatus.WITHDRAWN),
        (EditorialStatus.WITHDRAWN, EditorialStatus.IN_REVIEW),
    ],
)
def test_change_status_refuses_an_editor_unpublishing_or_withdrawing(editor, old, new):
    event = factories.event(status=old)
    with pytest.raises(PermissionDenied):
        event.change_status(new, editor)
    event.refresh_from_db()
    assert event.status == old


def test_change_status_lets_an_editor_send_to_review(editor):
    event = factories.event(status=EditorialStatus.DRAFT)
    event.change_status(EditorialStatus.IN_REVIEW, editor)
    event.refresh_from_db()
    assert (event.status, event.history.first().history_user) == (EditorialStatus.IN_REVIEW, editor)


def test_change_status_refuses_to_publish_without_support_even_for_a_reviewer(reviewer):
    event = factories.event(status=EditorialStatus.IN_REVIEW)
    factories.citation(event, stance=Stance.DISPUTES)
    with pytest.raises(ValidationError, match="no supporting citation"):
        event.change_status(EditorialStatus.PUBLISHED, reviewer)
    assert event.status == EditorialStatus.IN_REVIEW  # not even in memory
    event.refresh_from_db()
    assert (event.status, event.published_at) == (EditorialStatus.IN_REVIEW, None)


def test_change_status_publishes_with_support_as_a_reviewer(reviewer):
    event = factories.event(status=EditorialStatus.IN_REVIEW)
    factories.citation(event)
    event.change_status(EditorialStatus.PUBLISHED, reviewer, reason="checked")
    event.refresh_from_db()
    latest = event.history.first()
    assert event.status == EditorialStatus.PUBLISHED and event.published_at is not None
    assert (latest.history_user, latest.history_change_reason) == (reviewer, "checked")


def test_slug_is_derived_once_and_unique():
    first = factories.event(title="Visit to Moscow")
    second = factories.event(title="Visit to Moscow")
    assert (first.slug, second.slug) == ("visit-to-moscow", "visit-to-moscow-2")
    first.title = "Renamed"
    first.save()
    assert first.slug == "visit-to-moscow"
    assert factories.actor(name="لافروف").slug == "actor"


def test_every_model_has_str_and_absolute_url_where_public():
    event = factories.event(title="Talks")
    tie = factories.tie()
    citation = factories.citation(event)
    assert str(event) == "Talks"
    assert "Ambassador" in str(tie)
    assert "A verbatim passage" in str(citation)
    assert citation.target == event
