"""Incremental sync: ``updated_since`` on every list, and /api/v1/changes/ for published
records that were withdrawn, unpublished, deleted or merged (with what replaced them)."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from actors.models import Actor
from articles.models import Event, Source
from ruiraq.models import EditorialStatus, RecordChange
from tests import factories as f

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/events/", "/api/v1/agreements/", "/api/v1/actors/", "/api/v1/sources/"]


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _age(record, days):
    """Pretend ``record`` was last changed ``days`` ago (auto_now ignores assignments)."""
    type(record).objects.filter(pk=record.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=days)
    )


def _changes(client, since=None):
    url = "/api/v1/changes/" + (f"?since={since}" if since else "")
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- updated_since ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", LISTS)
def test_updated_since_keeps_only_records_changed_at_or_after_it(client, url):
    builder = {
        "events": f.event,
        "agreements": f.agreement,
        "actors": f.actor,
        "sources": f.source,
    }[url.split("/")[3]]
    old, new = builder(), builder()
    _age(old, 10)
    since = (timezone.now() - dt.timedelta(days=1)).date().isoformat()
    ids = _ids(client.get(url, {"updated_since": since}))
    assert new.pk in ids
    assert old.pk not in ids
    # Without it, both.
    assert {old.pk, new.pk} <= _ids(client.get(url))


def test_updated_since_takes_a_time_with_a_zone(client):
    event = f.event()
    _age(event, 0)  # now
    stamp = Event.objects.get(pk=event.pk).updated_at
    before = (stamp - dt.timedelta(seconds=1)).astimezone(dt.timezone(dt.timedelta(hours=3)))
    after = stamp + dt.timedelta(seconds=1)
    assert _ids(client.get("/api/v1/events/", {"updated_since": before.isoformat()})) == {event.pk}
    assert _ids(client.get("/api/v1/events/", {"updated_since": after.isoformat()})) == set()


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", "2024-02-30T10:00", "12345"])
def test_a_bad_updated_since_is_a_400_naming_it(client, url, value):
    response = client.get(url, {"updated_since": value})
    assert response.status_code == 400
    assert list(response.json()) == ["updated_since"]


def test_updated_since_after_publishing_brings_the_record(client):
    event = f.event(status=EditorialStatus.DRAFT)
    f.citation(event)
    _age(event, 10)
    since = timezone.now().isoformat()
    assert event.pk not in _ids(client.get("/api/v1/events/", {"updated_since": since}))
    event = Event.objects.get(pk=event.pk)
    event.status = EditorialStatus.PUBLISHED
    event.save()
    assert _ids(client.get("/api/v1/events/", {"updated_since": since})) == {event.pk}


def test_the_list_page_also_filters_by_updated_since(client):
    old, new = f.event(title="Old meeting"), f.event(title="New meeting")
    _age(old, 10)
    since = (timezone.now() - dt.timedelta(days=1)).date().isoformat()
    response = client.get("/events/", {"updated_since": since})
    assert response.status_code == 200
    assert new.title in response.content.decode()
    assert old.title not in response.content.decode()
    assert client.get("/events/", {"updated_since": "soon"}).status_code == 400


# --- /api/v1/changes/ ------------------------------------------------------------------------


def test_withdrawing_and_unpublishing_are_listed(client, reviewer):
    withdrawn, unpublished = f.event(), f.agreement()
    for record in (withdrawn, unpublished):
        f.citation(record)
    withdrawn.change_status(EditorialStatus.WITHDRAWN, reviewer)
    unpublished.change_status(EditorialStatus.DRAFT, reviewer)
    rows = _changes(client)
    assert [(r["kind"], r["change"], r["id"], r["slug"], r["replaced_by"]) for r in rows] == [
        ("event", "withdrawn", withdrawn.pk, withdrawn.slug, None),
        ("agreement", "unpublished", unpublished.pk, unpublished.slug, None),
    ]


def test_a_deleted_public_record_is_listed_also_through_queryset_delete(client):
    one, two = f.source(title="One"), f.source(title="Two")
    actor = f.actor()
    actor_pk = actor.pk
    actor.delete()
    Source.objects.filter(pk__in=[one.pk, two.pk]).delete()
    rows = _changes(client)
    assert {(r["kind"], r["change"], r["id"]) for r in rows} == {
        ("actor", "deleted", actor_pk),
        ("source", "deleted", one.pk),
        ("source", "deleted", two.pk),
    }


def test_records_that_never_were_public_leave_no_trace(client, reviewer):
    draft = f.event(status=EditorialStatus.DRAFT, title="Secret talks")
    review = f.event(status=EditorialStatus.IN_REVIEW)
    review.change_status(EditorialStatus.DRAFT, reviewer)
    draft.delete()
    f.actor(status=EditorialStatus.WITHDRAWN).delete()
    assert _changes(client) == []
    assert RecordChange.objects.count() == 0


def _cited(actor):
    """A published actor resting on evidence, as a merge's survivor must (the publishing rule)."""
    f.citation(actor, f.source())
    return actor


def test_a_merge_names_the_survivor_and_the_old_page_redirects(reviewer_client, client):
    survivor = _cited(f.actor(name="Sergey Lavrov"))
    merged = f.actor(name="Sergei V. Lavrov")
    reviewer_client.post(
        reverse("admin:actors_actor_changelist"),
        {
            "action": "merge_actors",
            ACTION_CHECKBOX_NAME: [str(survivor.pk), str(merged.pk)],
            "survivor": str(survivor.pk),
            "apply": "Merge",
        },
    )
    assert not Actor.objects.filter(pk=merged.pk).exists()
    (row,) = _changes(client)
    assert row["change"] == "merged"
    assert (row["id"], row["slug"]) == (merged.pk, merged.slug)
    assert row["replaced_by"] == {
        "id": survivor.pk,
        "slug": survivor.slug,
        "url": f"http://testserver/api/v1/actors/{survivor.pk}/",
        "page_url": f"http://testserver/actors/{survivor.slug}/",
    }
    response = client.get(f"/actors/{merged.slug}/")
    assert response.status_code == 301
    assert response["Location"] == f"/actors/{survivor.slug}/"
    response = client.get(f"/ru/actors/{merged.slug}/")
    assert (response.status_code, response["Location"]) == (301, f"/ru/actors/{survivor.slug}/")


def test_a_merge_of_a_merge_points_at_the_last_survivor(client, reviewer):
    a, b, c = f.actor(name="A"), _cited(f.actor(name="B")), _cited(f.actor(name="C"))
    a_pk = a.pk
    a.merge_into(b, reviewer)
    Actor.objects.get(pk=b.pk).merge_into(c, reviewer)
    rows = _changes(client)
    assert {r["id"]: r["replaced_by"]["id"] for r in rows} == {a_pk: c.pk, b.pk: c.pk}
    assert client.get(f"/actors/{a.slug}/")["Location"] == f"/actors/{c.slug}/"


def test_a_survivor_that_is_not_public_is_not_named(client, reviewer):
    survivor = f.actor(name="Hidden", status=EditorialStatus.DRAFT)
    merged = f.actor(name="Shown")
    merged.merge_into(survivor, reviewer)
    (row,) = _changes(client)
    assert (row["change"], row["replaced_by"]) == ("merged", None)
    assert client.get(f"/actors/{merged.slug}/").status_code == 404


def test_an_unknown_slug_is_still_a_404(client):
    assert client.get("/actors/nobody-at-all/").status_code == 404


def test_since_keeps_only_later_changes(client, reviewer):
    early, late = f.event(), f.event()
    late_pk = late.pk
    early.delete()
    RecordChange.objects.update(at=timezone.now() - dt.timedelta(days=5))
    late.delete()
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert [r["id"] for r in _changes(client, since.replace("+", "%2B"))] == [late_pk]
    assert len(_changes(client)) == 2


@pytest.mark.parametrize(
    "query, bad", [("since=soon", "since"), ("page=0", "page"), ("page_size=x", "page_size")]
)
def test_bad_changes_parameters_are_a_400_naming_them(client, query, bad):
    response = client.get(f"/api/v1/changes/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [bad]


def test_changes_costs_a_fixed_number_of_queries(client, reviewer, django_assert_num_queries):
    survivor = _cited(f.actor())
    for _ in range(5):
        f.actor().merge_into(survivor, reviewer)
        f.event().delete()
    # COUNT of the changes; the page; the public survivors among the actors named.
    with django_assert_num_queries(3):
        rows = _changes(client)
    assert len(rows) == 10


def test_the_changes_endpoint_is_in_the_root_and_the_schema(client):
    assert client.get("/api/v1/").json()["changes"] == "http://testserver/api/v1/changes/"
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/changes/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"since", "page", "page_size"}
    for path in ("/api/v1/events/", "/api/v1/actors/"):
        names = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert "updated_since" in names


@pytest.mark.parametrize(
    "since",
    [
        "0020-03-23T16:09:17+17:56",  # an offset PostgreSQL refuses (±15:59): was a 500
        "0001-01-01T00:00:00+05:00",  # before year 1 in UTC
    ],
)
def test_updated_since_at_the_edges_of_time_is_an_answer_not_a_500(client, since):
    f.actor(name="Kept")
    response = client.get("/api/v1/actors/", {"updated_since": since})
    assert response.status_code in (200, 400), response.content
    if response.status_code == 200:
        names = [row["name"] for row in response.json()["results"]]
        assert names == (["Kept"] if since.startswith("00") else [])


def test_changes_since_a_far_zone_offset_is_read_in_utc(client):
    """ISO 8601 allows "+17:56"; PostgreSQL refuses such an offset: it is read in UTC."""
    response = client.get("/api/v1/changes/", {"since": "2020-01-01T00:00+17:56"})
    assert response.status_code == 200
    assert response.json()["results"] == []
