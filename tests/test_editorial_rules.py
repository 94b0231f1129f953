"""The editorial base's rules held one by one (ruiraq/models.py): who may change a status,
the citation counts and the "supported" filter the admin shows, the support rule for one
citation, fuzzy spans, slugs given in bulk, stable orders, the country lookups and the record
of changes. Each expectation is written out from the test's own data."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from actors.models import Actor
from articles.models import Citation, Event
from ruiraq.models import (
    ChangeKind,
    EditorialStatus,
    EvidenceWouldBeLost,
    RecordChange,
    Stance,
    is_supporting,
    prefixed,
    stable_order,
)
from tests import factories

pytestmark = pytest.mark.django_db

DRAFT, IN_REVIEW = EditorialStatus.DRAFT, EditorialStatus.IN_REVIEW
PUBLISHED, WITHDRAWN = EditorialStatus.PUBLISHED, EditorialStatus.WITHDRAWN


# --- who may change a status ------------------------------------------------------------------


def test_the_publish_permission_is_named_for_the_app_and_model():
    assert Event.publish_permission() == "articles.publish_event"
    assert Actor.publish_permission() == "actors.publish_actor"


def test_an_editor_chooses_between_draft_and_review_only(editor):
    assert Event.statuses_for(editor, DRAFT) == ["draft", "in_review"]
    assert Event.statuses_for(editor, IN_REVIEW) == ["draft", "in_review"]
    # A published or withdrawn record stays as it is, for an editor.
    assert Event.statuses_for(editor, PUBLISHED) == ["published"]
    assert Event.statuses_for(editor, WITHDRAWN) == ["withdrawn"]


def test_a_reviewer_chooses_any_status(reviewer):
    everything = ["draft", "in_review", "published", "withdrawn"]
    for current in (DRAFT, IN_REVIEW, PUBLISHED, WITHDRAWN):
        assert Event.statuses_for(reviewer, current) == everything


def test_anyone_may_leave_a_status_as_it_is():
    assert Event.may_change_status(AnonymousUser(), PUBLISHED, PUBLISHED)
    assert not Event.may_change_status(AnonymousUser(), IN_REVIEW, PUBLISHED)


def test_an_editor_is_told_why_a_change_is_refused(editor):
    event = factories.event(status=IN_REVIEW)
    factories.citation(event)
    with pytest.raises(PermissionDenied, match="^Only reviewers publish, unpublish and withdraw"):
        event.change_status(PUBLISHED, editor)


def test_a_change_without_a_reason_is_recorded_as_the_move_it_made(editor):
    event = factories.event(status=DRAFT)
    event.change_status(IN_REVIEW, editor)
    assert event.history.first().history_change_reason == "status: draft → in_review"


def test_is_public_is_published_only():
    assert factories.event(status=PUBLISHED).is_public
    for status in (DRAFT, IN_REVIEW, WITHDRAWN):
        assert not factories.event(status=status).is_public


# --- what supports a record -------------------------------------------------------------------


def test_one_citation_supports_when_it_says_so_from_a_published_source():
    published, draft = factories.source(), factories.source(status=DRAFT)
    assert is_supporting(Citation(source=published, stance=Stance.SUPPORTS))
    assert not is_supporting(Citation(source=published, stance=Stance.DISPUTES))
    assert not is_supporting(Citation(source=draft, stance=Stance.SUPPORTS))
    assert not is_supporting(Citation(stance=Stance.SUPPORTS))  # no source chosen yet


@pytest.fixture
def cited():
    """Three events: one with every kind of citation, one disputed only, one uncited."""
    full = factories.event(title="Full")
    factories.citation(full)  # supports, published source
    factories.citation(full, stance=Stance.DISPUTES)
    factories.citation(full, factories.source(status=DRAFT))  # supports, draft source
    factories.citation(full)
    disputed = factories.event(title="Disputed")
    factories.citation(disputed, stance=Stance.DISPUTES)
    factories.event(title="Uncited")
    return full, disputed


def test_citation_counts_count_all_and_supporting(cited):
    counted = Event.objects.with_citation_counts().order_by("title")
    rows = {e.title: (e.citations_total, e.supporting_total) for e in counted}
    assert rows == {"Full": (4, 2), "Disputed": (1, 0), "Uncited": (0, 0)}


def test_supported_filters_on_stored_supporting_citations(cited):
    assert list(Event.objects.supported().values_list("title", flat=True)) == ["Full"]
    assert sorted(Event.objects.supported(False).values_list("title", flat=True)) == [
        "Disputed",
        "Uncited",
    ]


def test_has_supporting_citation_reads_the_stored_ones(cited):
    full, disputed = cited
    assert full.has_supporting_citation()
    assert not disputed.has_supporting_citation()


# --- evidence a change would take away -----------------------------------------------------


@pytest.fixture
def sole_support():
    """A published event resting on one published source."""
    source = factories.source(title="The only report")
    event = factories.event(title="Talks")
    factories.citation(event, source)
    return source, event


def test_unpublishing_the_only_support_is_refused_unless_confirmed(reviewer, sole_support):
    source, event = sole_support
    with pytest.raises(EvidenceWouldBeLost) as excinfo:
        source.change_status(DRAFT, reviewer)
    assert [e.code for e in excinfo.value.error_list] == ["evidence_lost"]
    assert excinfo.value.messages == [
        "The event “Talks” is published and would be left without a supporting citation "
        "from a published source."
    ]
    assert excinfo.value.records == [event]
    source.refresh_from_db()
    assert source.status == PUBLISHED


def test_a_published_sole_support_may_stay_published(reviewer, sole_support):
    source, _event = sole_support
    source.validate_publishable()
    source.change_status(PUBLISHED, reviewer)  # no change: nothing to refuse


def test_a_confirmed_change_sends_the_records_back_to_review_saying_why(reviewer, sole_support):
    source, event = sole_support
    source.change_status(DRAFT, reviewer, confirm=True)
    event.refresh_from_db()
    assert event.status == IN_REVIEW
    latest = event.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        reviewer,
        "evidence lost: The only report",
    )


def test_only_a_reviewer_may_confirm_sending_published_records_back(editor, reviewer):
    records = [factories.event(), factories.agreement()]
    assert EvidenceWouldBeLost.may_confirm(reviewer, records)
    assert not EvidenceWouldBeLost.may_confirm(editor, records)


# --- the fields every record shares ---------------------------------------------------------


@override_settings(MIGRATION_MODULES={})  # the project's migrations, even under --no-migrations
def test_the_migrations_hold_the_models_fields_as_defined():
    # The shared fields (fuzzy dates, precisions, the span's check) are built by functions of
    # ruiraq/models.py: a changed label, help text, length or check is a schema change that
    # needs a migration. (CI runs the same check; here it is a test the rules are held by.)
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_a_save_of_some_fields_writes_only_those():
    # update_fields reaches the database through every save() of the base (status stamps,
    # spans, the status date): the fields not named keep their stored values.
    event = factories.event(title="Talks", summary="Stored.")
    event.title, event.summary = "Renamed", "Only in memory."
    event.save(update_fields=["title"])
    event.refresh_from_db()
    assert (event.title, event.summary) == ("Renamed", "Stored.")


# --- fuzzy spans ----------------------------------------------------------------------------


def _event(**kw):
    return Event(title="Span", kind="visit", **kw)


def test_a_record_without_dates_is_valid():
    # Sources often give none: an event or agreement is saved without them.
    event = _event(slug="undated")
    event.full_clean(exclude=["slug"])
    event.save()
    event.refresh_from_db()
    assert (event.start_date, event.end_date, event.when) == (None, None, "Date not known")


def test_an_end_before_the_start_is_refused():
    event = _event(start_date=dt.date(2019, 5, 15), end_date=dt.date(2019, 5, 14))
    with pytest.raises(ValidationError) as excinfo:
        event.clean()
    assert excinfo.value.message_dict == {"end_date": ["The end cannot be before the start."]}


def test_an_end_within_a_month_start_is_not_before_it():
    # "May 2019" starts on 1 May: an end on 10 May is after it, whatever day was typed.
    event = _event(
        start_date=dt.date(2019, 5, 15), start_precision="month", end_date=dt.date(2019, 5, 10)
    )
    event.clean()
    same_day = _event(start_date=dt.date(2019, 5, 15), end_date=dt.date(2019, 5, 15))
    same_day.clean()


def test_a_span_is_saved_at_its_precision():
    event = factories.event(
        start_date=dt.date(2019, 5, 15),
        start_precision="month",
        end_date=dt.date(2020, 7, 9),
        end_precision="year",
    )
    event.refresh_from_db()
    assert (event.start_date, event.end_date) == (dt.date(2019, 5, 1), dt.date(2020, 1, 1))
    assert event.when == "May 2019 – 2020"


def test_the_database_refuses_an_end_before_the_start():
    event = factories.event(start_date=dt.date(2019, 5, 15))
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(end_date=dt.date(2019, 5, 14))
    # Equal, or either end missing, is allowed.
    Event.objects.filter(pk=event.pk).update(end_date=dt.date(2019, 5, 15))
    Event.objects.filter(pk=event.pk).update(start_date=None)


# --- slugs ------------------------------------------------------------------------------------


def test_slugs_given_in_bulk_are_free_among_stored_reserved_and_each_other(
    django_assert_num_queries,
):
    factories.event(title="Visit")  # "visit" is stored
    factories.event(title="Stored")
    batch = [
        Event(title="Visit"),
        Event(title="Visit"),
        Event(title="Other"),
        Event(title="New"),
        Event(title="Stored"),
    ]
    # One query for the batch, then one probe per plain slug taken ("visit", reserved "other",
    # "stored"), however often its title comes back; none for "new".
    with django_assert_num_queries(4):
        Event.assign_unique_slugs(batch, reserved={"other"})
    assert [e.slug for e in batch] == ["visit-2", "visit-3", "other-2", "new", "stored-2"]


def test_free_slugs_in_bulk_cost_one_query(django_assert_num_queries):
    batch = [Event(title="One"), Event(title="Two")]
    with django_assert_num_queries(1):
        Event.assign_unique_slugs(batch)
    assert [e.slug for e in batch] == ["one", "two"]


def test_a_slug_in_bulk_skips_numbered_ones_already_stored():
    factories.event(title="Visit")
    factories.event(title="Visit")  # "visit-2"
    batch = [Event(title="Visit")]
    Event.assign_unique_slugs(batch)
    assert batch[0].slug == "visit-3"


def test_a_long_title_makes_a_slug_of_at_most_a_hundred_characters():
    event = factories.event(title="a" * 99 + " bcd")
    assert event.slug == "a" * 99


# --- the status date -------------------------------------------------------------------------


def test_a_refresh_of_the_status_dates_says_how_many_changed():
    event = factories.event(title="Talks")
    factories.citation(event, factories.source(published_date=dt.date(2019, 3, 5)))
    assert Event.refresh_status_as_of([event.pk]) == 0  # already current
    Event.objects.filter(pk=event.pk).update(status_as_of_date=None)
    assert Event.refresh_status_as_of([event.pk, None]) == 1
    event.refresh_from_db()
    assert event.status_as_of_date == dt.date(2019, 3, 5)


# --- orders and field lists -------------------------------------------------------------------


def test_stable_order_breaks_ties_by_pk():
    assert stable_order(Event.objects.order_by("title")).query.order_by == ("title", "pk")
    # Unordered: the model's own order first.
    assert stable_order(Event.objects.all()).query.order_by == ("-start_date", "title", "pk")
    # Already ending on the primary key, by either name: left alone.
    for term in ("pk", "-id"):
        assert stable_order(Event.objects.order_by("title", term)).query.order_by == (
            "title",
            term,
        )


def test_prefixed_fields_go_through_the_relation():
    assert prefixed("actor", ("slug", "name")) == ("actor__slug", "actor__name")


def test_country_regex_matches_the_stored_code_not_the_name():
    factories.event(title="In Iraq", country="IQ")
    factories.event(title="In Russia", country="RU")
    assert list(Event.objects.filter(country__regex=r"^IQ$").values_list("title", flat=True)) == [
        "In Iraq"
    ]
    assert list(Event.objects.filter(country__iregex=r"^iq$").values_list("title", flat=True)) == [
        "In Iraq"
    ]
    assert list(Event.objects.filter(country="RU").values_list("title", flat=True)) == ["In Russia"]


# --- the record of changes ------------------------------------------------------------------


def _change(kind=ChangeKind.MERGED, at=None, **kw):
    kw.setdefault("model", "actors.actor")
    kw.setdefault("object_id", 7)
    kw.setdefault("slug", "old-name")
    return RecordChange.objects.create(kind=kind, at=at or timezone.now(), **kw)


def test_changes_since_a_moment_include_it():
    noon = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    _change(at=noon - dt.timedelta(seconds=1), object_id=1)
    _change(at=noon, object_id=2)
    _change(at=noon + dt.timedelta(hours=1), object_id=3)
    assert list(RecordChange.objects.since(noon).values_list("object_id", flat=True)) == [2, 3]
    assert RecordChange.objects.since(None).count() == 3


def test_the_successor_of_a_merged_record_is_its_latest_merge(django_assert_num_queries):
    noon = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    # Written out of order: the latest merge is the one with the latest time, not the last row.
    _change(at=noon + dt.timedelta(hours=1), replaced_by_id=11, replaced_by_slug="second")
    _change(at=noon, replaced_by_id=10, replaced_by_slug="first")
    # Not a merge, another model, or a merge with no survivor recorded: none count.
    _change(kind=ChangeKind.WITHDRAWN, at=noon + dt.timedelta(hours=2), replaced_by_id=12)
    _change(model="articles.event", at=noon + dt.timedelta(hours=2), replaced_by_id=13)
    _change(at=noon + dt.timedelta(hours=3), replaced_by_id=None)
    changes = RecordChange.objects
    with django_assert_num_queries(1):
        assert changes.successor_of("actors.actor", pk=7) == (11, "second")
    assert changes.successor_of("actors.actor", slug="old-name") == (11, "second")
    assert changes.successor_of("actors.actor", pk=8) is None
    assert changes.successor_of("actors.actor", slug="other") is None


def test_of_two_merges_at_the_same_time_the_later_row_wins():
    noon = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    _change(at=noon, replaced_by_id=10, replaced_by_slug="first")
    _change(at=noon, replaced_by_id=11, replaced_by_slug="second")
    assert RecordChange.objects.successor_of("actors.actor", pk=7) == (11, "second")


def test_a_change_reads_as_what_happened_to_which_record_when():
    change = _change(kind=ChangeKind.DELETED, at=dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.UTC))
    assert str(change) == "actors.actor #7 deleted at 2024-05-01 12:30"


# --- a country is an ISO code from django-countries' list (CountryCodeField.validate) --------


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["XX", "ZZ", "Iraq"])
def test_a_country_that_is_no_iso_code_is_refused_with_djangos_message(code):
    event = factories.event(status=EditorialStatus.DRAFT, country="IQ")
    event.country = code
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert list(refused.value.error_dict) == ["country"]
    (error,) = refused.value.error_dict["country"]
    assert error.code == "invalid_choice"
    assert error.messages == [f"Value {code!r} is not a valid choice."]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["IQ", "RU", "PS", ""])
def test_an_iso_code_or_no_country_is_accepted(code):
    # (A code in lower case or of three letters, "iq" or "IRQ", is made "IQ" when assigned,
    # by django-countries, before any validation.)
    event = factories.event(status=EditorialStatus.DRAFT)
    event.country = code
    event.full_clean()
    actor = factories.actor(status=EditorialStatus.DRAFT)
    actor.country = code
    actor.full_clean()
