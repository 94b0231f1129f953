"""Slugs in the API: /api/v1/<kind>/<slug>/ redirects to the record's address by id (302),
a merged actor's old slug and id lead to the survivor (301), and the schema documents it."""

import pytest

from ruiraq.models import EditorialStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

BUILDERS = {
    "events": lambda **kw: f.event(**kw),
    "agreements": lambda **kw: f.agreement(**kw),
    "actors": lambda **kw: f.actor(**kw),
    "sources": lambda **kw: f.source(**kw),
}


@pytest.mark.parametrize("kind", BUILDERS)
def test_a_slug_redirects_to_the_id_route(client, kind, django_assert_num_queries):
    record = BUILDERS[kind]()
    # One query: the slug's id.
    with django_assert_num_queries(1):
        response = client.get(f"/api/v1/{kind}/{record.slug}/")
    assert response.status_code == 302
    assert response["Location"] == f"http://testserver/api/v1/{kind}/{record.pk}/"
    followed = client.get(f"/api/v1/{kind}/{record.slug}/", follow=True)
    assert followed.status_code == 200
    assert followed.json()["slug"] == record.slug


def test_a_topic_slug_redirects_too(client):
    topic = f.topic(slug="energy")
    response = client.get("/api/v1/topics/energy/")
    assert (response.status_code, response["Location"]) == (
        302,
        f"http://testserver/api/v1/topics/{topic.pk}/",
    )


def test_the_query_string_is_kept(client):
    event = f.event()
    response = client.get(f"/api/v1/events/{event.slug}/?format=json")
    assert response["Location"].endswith(f"/api/v1/events/{event.pk}/?format=json")


@pytest.mark.parametrize("status", [EditorialStatus.DRAFT, EditorialStatus.WITHDRAWN])
def test_an_unpublished_records_slug_is_a_404(client, status):
    event = f.event(status=status)
    response = client.get(f"/api/v1/events/{event.slug}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No published event has this slug."}


def test_an_unknown_slug_is_a_json_404(client):
    response = client.get("/api/v1/actors/nobody-at-all/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_ids_still_win_and_overlong_ids_are_404(client):
    event = f.event(title="2019")  # slug "2019": a digits-only path is an id
    assert client.get(f"/api/v1/events/{event.pk}/").status_code == 200
    assert client.get("/api/v1/events/1234567890123456789/").status_code == 404


def test_a_merged_actors_old_slug_and_id_lead_to_the_survivor(client, reviewer):
    survivor, merged = f.actor(name="Sergey Lavrov"), f.actor(name="Sergei Lavrov")
    f.citation(survivor, f.source())  # a published survivor rests on evidence
    old_pk, old_slug = merged.pk, merged.slug
    merged.merge_into(survivor, reviewer)
    for path in (f"/api/v1/actors/{old_slug}/", f"/api/v1/actors/{old_pk}/"):
        response = client.get(path)
        assert response.status_code == 301, path
        assert response["Location"] == f"http://testserver/api/v1/actors/{survivor.pk}/"


def test_a_post_to_a_slug_is_a_405(client):
    event = f.event()
    assert client.post(f"/api/v1/events/{event.slug}/").status_code == 405


def test_the_schema_documents_the_slug_routes(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    for kind in ("events", "agreements", "actors", "sources", "topics"):
        operation = schema["paths"][f"/api/v1/{kind}/{{slug}}/"]["get"]
        assert operation["operationId"] == f"{kind}_by_slug"
        assert {"301", "302", "404"} <= set(operation["responses"])
        assert "Location" in operation["responses"]["302"]["headers"]
