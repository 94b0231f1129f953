"""The number of published records the database keeps (ruiraq.counts): read by the
unfiltered lists instead of a COUNT of their rows, and right after every kind of change."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actors.models import Actor, Tie
from articles.models import Agreement, Event, Source
from ruiraq import counts
from ruiraq.models import EditorialStatus, kept_count_models
from tests import factories

pytestmark = pytest.mark.django_db

PUBLISHED, DRAFT = EditorialStatus.PUBLISHED, EditorialStatus.DRAFT

#: Each counted kind: its model and a factory of one record.
KINDS = {
    "event": (Event, factories.event),
    "agreement": (Agreement, factories.agreement),
    "source": (Source, factories.source),
    "actor": (Actor, factories.actor),
}

_COUNT = re.compile(r"\bCOUNT\(", re.IGNORECASE)


def _rows(model):
    """The number of published rows, counted by reading them (never the kept count)."""
    return len(list(model.objects.public().values_list("pk", flat=True)))


def _kept(model):
    return counts.published(model, "default")


def test_the_counted_kinds_are_those_whose_public_records_are_their_published_rows():
    assert counts.PUBLISHED == EditorialStatus.PUBLISHED
    # A tie is public only with both its actors: a count of its own rows cannot know that.
    assert set(kept_count_models()) == {model for model, _make in KINDS.values()}
    assert counts.published(Tie, "default") is None


@pytest.mark.parametrize("kind", KINDS)
def test_every_way_of_changing_records_keeps_the_count(kind):
    model, make = KINDS[kind]
    before = _kept(model)
    assert before == _rows(model)

    first, second = make(), make(status=DRAFT)
    assert _kept(model) == before + 1 == _rows(model)

    second.status = PUBLISHED  # a save
    second.save()
    assert _kept(model) == before + 2 == _rows(model)

    model.objects.filter(pk=first.pk).update(status=EditorialStatus.WITHDRAWN)  # a bulk update
    assert _kept(model) == before + 1 == _rows(model)

    model.objects.filter(pk=second.pk).update(editorial_note="Checked.")
    assert _kept(model) == before + 1  # a change of anything else leaves it

    made = [make(status=DRAFT) for _ in range(3)]
    model.objects.filter(pk__in=[r.pk for r in made]).update(status=PUBLISHED)
    assert _kept(model) == before + 4 == _rows(model)

    second.delete()
    model.objects.filter(pk__in=[r.pk for r in made[:2]]).delete()  # a bulk delete
    assert _kept(model) == before + 1 == _rows(model)


def test_a_bulk_insert_is_counted():
    before = _kept(Event)
    Event.objects.bulk_create(
        [
            Event(title=f"Bulk {n}", slug=f"bulk-{n}", kind="meeting", status=status)
            for n, status in enumerate([PUBLISHED, PUBLISHED, DRAFT, PUBLISHED])
        ]
    )
    assert _kept(Event) == before + 3 == _rows(Event)


def test_an_unfiltered_list_reads_the_kept_count_and_a_filtered_one_counts(client):
    for _ in range(3):
        factories.event(kind="meeting")
    factories.event(kind="visit")
    factories.event(status=DRAFT)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("articles:event-list"))
    assert response.status_code == 200
    assert "4 events" in response.content.decode()
    assert not [q["sql"] for q in queries if _COUNT.search(q["sql"])]

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("articles:event-list"), {"kind": "visit"})
    assert "1 event" in response.content.decode()
    assert [q["sql"] for q in queries if _COUNT.search(q["sql"])]


@pytest.mark.parametrize("route, kind", [("api:event-list", "event"), ("api:actor-list", "actor")])
def test_the_api_lists_read_the_kept_count(client, route, kind):
    model, make = KINDS[kind]
    make(), make(), make(status=DRAFT)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(route))
    assert response.status_code == 200
    assert response.json()["count"] == _rows(model)
    assert not [q["sql"] for q in queries if _COUNT.search(q["sql"])]


def test_narrower_querysets_are_counted_as_before():
    factories.event(kind="visit")
    factories.event(kind="meeting")
    public = Event.objects.public()
    assert public.filter(kind="visit").count() == 1
    assert public.exclude(kind="visit").count() == _rows(Event) - 1
    assert public[:1].count() == 1
    assert public.distinct().count() == _rows(Event)
    assert Event.objects.count() == Event.objects.all().values("pk").count()
    # A tie's public records need its actors public too: counted from its rows.
    hidden = factories.actor(status=DRAFT)
    factories.tie(subject=hidden)
    shown = factories.tie()
    assert list(Tie.objects.public()) == [shown]
    assert Tie.objects.public().count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_and_a_migrate_leave_the_count_right():
    factories.event()
    factories.actor(status=DRAFT)
    # A test database's flush empties every table (PostgreSQL: TRUNCATE; SQLite: DELETE).
    call_command("flush", interactive=False, verbosity=0)
    assert _kept(Event) == 0 == _rows(Event)
    factories.event()
    factories.event(status=DRAFT)
    assert _kept(Event) == 1 == _rows(Event)

    # A count gone wrong and triggers gone (SQLite drops them when a migration rebuilds a
    # table) are put right by the next migrate.
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {counts.TABLE} SET published = 99")
        cursor.execute(
            'DROP TRIGGER IF EXISTS "articles_event_published_insert"'
            + (' ON "articles_event"' if connection.vendor == "postgresql" else "")
        )
    call_command("migrate", verbosity=0)
    assert _kept(Event) == 1 and _kept(Actor) == 0
    factories.event()
    assert _kept(Event) == 2 == _rows(Event)
