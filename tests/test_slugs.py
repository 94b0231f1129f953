"""Permanent addresses: a slug derived once from the title, unique, never a 500."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from articles.models import Event
from tests import factories

pytestmark = pytest.mark.django_db


def _slug_lookups(queries):
    return [q["sql"] for q in queries if q["sql"].startswith('SELECT "articles_event"."slug"')]


def test_same_titles_get_numbered_slugs_in_one_query_each():
    slugs = [Event.objects.create(kind="visit", title="Talks in Moscow").slug for _ in range(4)]
    assert slugs == [
        "talks-in-moscow",
        "talks-in-moscow-2",
        "talks-in-moscow-3",
        "talks-in-moscow-4",
    ]
    with CaptureQueriesContext(connection) as queries:
        fifth = Event.objects.create(kind="visit", title="Talks in Moscow")
    assert fifth.slug == "talks-in-moscow-5"
    # One look-up of the taken slugs, however many there are (was one per taken slug).
    assert len(_slug_lookups(queries.captured_queries)) == 1


def test_a_slug_taken_between_choosing_and_saving_is_retried_not_a_500(monkeypatch):
    """Another editor's save takes the slug after this save chose it (simulated by a row
    written behind the model's back right after the choice, as a concurrent save would)."""
    Event.objects.create(kind="visit", title="Talks")  # "talks"
    choose = Event._unique_slug
    rivals = []

    def choose_then_lose_the_race(self):
        slug = choose(self)
        if not rivals:
            rivals.extend(Event.objects.bulk_create([Event(kind="visit", title="R", slug=slug)]))
        return slug

    monkeypatch.setattr(Event, "_unique_slug", choose_then_lose_the_race)
    event = Event.objects.create(kind="visit", title="Talks")
    assert rivals and rivals[0].slug == "talks-2"
    assert event.slug == "talks-3"
    assert set(Event.objects.values_list("slug", flat=True)) == {"talks", "talks-2", "talks-3"}


def test_a_slug_given_by_the_editor_is_kept():
    event = Event.objects.create(kind="visit", title="Talks", slug="moscow-talks-2019")
    event.title = "Talks in Moscow"
    event.save()
    event.refresh_from_db()
    assert event.slug == "moscow-talks-2019"


def test_a_title_without_letters_still_gets_a_slug():
    assert Event.objects.create(kind="visit", title="—").slug == "event"


def test_a_cleared_slug_is_derived_again_as_it_was():
    # The record's own stored row does not count as taking its slug.
    event = factories.event(title="Talks")
    assert event.slug == "talks"
    event.slug = ""
    event.save()
    event.refresh_from_db()
    assert event.slug == "talks"


def test_a_slug_taken_by_a_concurrent_save_is_retried_until_the_last_attempt(monkeypatch):
    # Another save takes the slug between the lookup and the INSERT: the unique index refuses
    # it, and the save derives the slug again, up to SLUG_ATTEMPTS times.
    factories.event(title="Taken")
    derived = iter(["taken"] * (Event.SLUG_ATTEMPTS - 1) + ["talks"])
    monkeypatch.setattr(Event, "_unique_slug", lambda self: next(derived))
    event = factories.event(title="Talks")
    assert event.slug == "talks"
    assert Event.objects.filter(slug="talks").count() == 1


def test_a_slug_taken_at_every_attempt_is_an_error_and_leaves_no_slug(monkeypatch):
    factories.event(title="Taken")
    attempts = []
    monkeypatch.setattr(Event, "_unique_slug", lambda self: attempts.append(1) or "taken")
    event = Event(title="Talks", kind="meeting")
    with pytest.raises(IntegrityError):
        event.save()
    assert len(attempts) == Event.SLUG_ATTEMPTS
    assert event.slug == ""  # the next save derives it again
    assert not Event.objects.filter(title="Talks").exists()


def test_a_refusal_that_is_not_about_the_slug_is_raised_at_once(monkeypatch):
    # An end before the start breaks a CHECK constraint: no other slug would help.
    attempts = []
    original = Event._unique_slug
    monkeypatch.setattr(Event, "_unique_slug", lambda self: attempts.append(1) or original(self))
    event = Event(
        title="Backwards",
        kind="meeting",
        start_date=dt.date(2020, 5, 1),
        end_date=dt.date(2020, 4, 1),
    )
    with pytest.raises(IntegrityError):
        event.save()
    assert len(attempts) == 1
    assert event.slug == ""


def test_a_title_with_nothing_a_slug_keeps_is_addressed_by_its_kind():
    assert factories.event(title="!!!").slug == "event"
    assert factories.event(title="«…»").slug == "event-2"
