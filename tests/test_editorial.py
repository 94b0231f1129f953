"""What is public is decided in one place: EditorialQuerySet.public()."""

import pytest
from django.core.exceptions import ValidationError

from actors.models import Actor, Tie
from articles.models import Agreement, Citation, Event, EventParticipant, Source
from ruiraq.models import EditorialStatus
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
    event = factories.event(status=EditorialStatus.DRAFT)
    factories.citation(event, stance="disputes")
    event.status = EditorialStatus.PUBLISHED
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "supporting citation" in str(excinfo.value)
    factories.citation(event, stance="supports")
    event.full_clean()


def test_source_needs_no_citation_to_be_published():
    source = factories.source(status=EditorialStatus.DRAFT)
    source.status = EditorialStatus.PUBLISHED
    source.full_clean()


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
