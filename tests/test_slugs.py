"""Permanent addresses: a slug derived once from the title, unique, never a 500."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Event

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
