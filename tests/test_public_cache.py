"""The public cache serves anonymous readers and never shows anything stale or private."""

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from articles.models import Event
from ruiraq.models import EditorialStatus
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _titles(request):
    titles = ", ".join(Event.objects.public().order_by("title").values_list("title", flat=True))
    return HttpResponse(f"[{titles}]")


def _private(request):
    response = HttpResponse("secret")
    response["Cache-Control"] = "private"
    return response


urlpatterns = [path("events/", _titles), path("private/", _private)]


def _get(client):
    response = client.get("/events/")
    return response["X-Cache"] if response.has_header("X-Cache") else None, response.content


def test_second_anonymous_request_is_a_hit(client):
    factories.event(title="A")
    assert _get(client) == ("miss", b"[A]")
    assert _get(client) == ("hit", b"[A]")


@pytest.mark.parametrize(
    "change",
    [
        lambda e: Event.objects.filter(pk=e.pk).first().save(),  # plain save
        lambda e: factories.event(title="B"),  # a new published record
        lambda e: e.delete(),
        lambda e: _set_status(e, EditorialStatus.WITHDRAWN),
        lambda e: _set_status(
            factories.event(title="B", status=EditorialStatus.DRAFT), EditorialStatus.PUBLISHED
        ),
        lambda e: e.topics.add(factories.topic()),
        lambda e: factories.citation(e),
    ],
    ids=["save", "create", "delete", "withdraw", "publish", "m2m", "related row"],
)
def test_any_change_shows_on_the_very_next_request(client, change):
    event = factories.event(title="A")
    _get(client)
    assert _get(client)[0] == "hit"
    change(event)
    state, content = _get(client)
    assert state == "miss"
    assert (
        content
        == b"["
        + ", ".join(
            Event.objects.public().order_by("title").values_list("title", flat=True)
        ).encode()
        + b"]"
    )


def _set_status(event, status):
    event.status = status
    event.save()


def test_logged_in_users_are_never_cached(client):
    client.force_login(User.objects.create_user("staff", password="pw-123456789", is_staff=True))
    response = client.get("/events/")
    assert not response.has_header("X-Cache")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_private_responses_are_not_stored(client):
    assert not client.get("/private/").has_header("X-Cache")
    assert not client.get("/private/").has_header("X-Cache")


@override_settings(PUBLIC_CACHE_SECONDS=0)
def test_cache_can_be_turned_off(client):
    assert not client.get("/events/").has_header("X-Cache")
