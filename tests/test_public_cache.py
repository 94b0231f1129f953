"""The public cache serves anonymous readers and never shows anything stale or private."""

import re
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.management import call_command
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path
from django.utils.translation import get_language

from articles.models import Event
from ruiraq import cache
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


def _no_store(request):
    response = HttpResponse("today only")
    response["Cache-Control"] = "no-store"
    return response


def _language(request):
    return HttpResponse(get_language())


def _by_accept(request):
    return HttpResponse("json" if "json" in request.headers.get("Accept", "") else "html")


def _echo(request):
    return HttpResponse(request.get_full_path())


urlpatterns = [
    path("events/", _titles),
    path("private/", _private),
    path("no-store/", _no_store),
    path("language/", _language),
    path("accept/", _by_accept),
    path("echo/", _echo),
    # Paths under a language prefix, as i18n_patterns makes them ("/ru/admin/" is the admin).
    path("ru/echo/", _echo),
    path("ru/admin/echo/", _echo),
    path("ar/healthz/echo/", _echo),
    path("None/admin/echo/", _echo),
]


def _get(client):
    response = client.get("/events/")
    return response["X-Cache"] if response.has_header("X-Cache") else None, response.content


def test_second_anonymous_request_is_a_hit(client):
    factories.event(title="A")
    assert _get(client) == ("miss", b"[A]")
    assert _get(client) == ("hit", b"[A]")


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (lambda e: Event.objects.filter(pk=e.pk).first().save(), b"[A]"),  # plain save
        (lambda e: factories.event(title="B"), b"[A, B]"),  # a new published record
        (lambda e: e.delete(), b"[]"),
        (lambda e: _set_status(e, EditorialStatus.WITHDRAWN), b"[]"),
        (
            lambda e: _set_status(
                factories.event(title="B", status=EditorialStatus.DRAFT),
                EditorialStatus.PUBLISHED,
            ),
            b"[A, B]",
        ),
        (lambda e: e.topics.add(factories.topic()), b"[A]"),
        (lambda e: factories.citation(e), b"[A]"),
    ],
    ids=["save", "create", "delete", "withdraw", "publish", "m2m", "related row"],
)
def test_any_change_shows_on_the_very_next_request(client, change, shown):
    event = factories.event(title="A")
    _get(client)
    assert _get(client)[0] == "hit"
    change(event)
    assert _get(client) == ("miss", shown)


def _set_status(event, status):
    event.status = status
    event.save()


def _directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_logged_in_users_are_never_cached(client):
    client.force_login(User.objects.create_user("staff", password="pw-123456789", is_staff=True))
    response = client.get("/events/")
    assert not response.has_header("X-Cache")
    # Both bare directives: "private=None" would be a private *field list*, not "private".
    assert {"private", "no-store"} <= _directives(response)


def test_private_responses_are_not_stored(client):
    assert not client.get("/private/").has_header("X-Cache")
    assert not client.get("/private/").has_header("X-Cache")


@override_settings(PUBLIC_CACHE_SECONDS=0)
def test_cache_can_be_turned_off(client):
    assert not client.get("/events/").has_header("X-Cache")


def test_no_store_responses_are_not_stored(client):
    assert not client.get("/no-store/").has_header("X-Cache")
    assert not client.get("/no-store/").has_header("X-Cache")


class _Later:
    """The clock of the process-memory cache, moved on by ``seconds``."""

    def __init__(self, seconds):
        self.moment = time.time() + seconds

    def time(self):
        return self.moment


@override_settings(
    PUBLIC_CACHE_SECONDS=60,
    CACHES={
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    },
)
def test_a_stored_page_lives_public_cache_seconds(client, monkeypatch):
    assert client.get("/echo/")["X-Cache"] == "miss"
    monkeypatch.setattr("django.core.cache.backends.locmem.time", _Later(30))
    assert client.get("/echo/")["X-Cache"] == "hit"
    monkeypatch.setattr("django.core.cache.backends.locmem.time", _Later(61))
    assert client.get("/echo/")["X-Cache"] == "miss"


@override_settings(PUBLIC_CACHE_SECONDS=1)
def test_one_second_is_a_cache_lifetime(client):
    assert client.get("/events/")["X-Cache"] == "miss"


def test_head_requests_are_cached_apart_from_get(client):
    assert client.head("/echo/")["X-Cache"] == "miss"
    assert client.head("/echo/")["X-Cache"] == "hit"
    assert client.get("/echo/")["X-Cache"] == "miss"


def test_each_address_has_its_own_entry(client):
    assert client.get("/echo/?page=1").content == b"/echo/?page=1"
    second = client.get("/echo/?page=2")
    assert (second["X-Cache"], second.content) == ("miss", b"/echo/?page=2")


def test_each_language_has_its_own_entry(client):
    russian = client.get("/language/", HTTP_ACCEPT_LANGUAGE="ru")
    arabic = client.get("/language/", HTTP_ACCEPT_LANGUAGE="ar")
    assert (russian["X-Cache"], russian.content) == ("miss", b"ru")
    assert (arabic["X-Cache"], arabic.content) == ("miss", b"ar")
    again = client.get("/language/", HTTP_ACCEPT_LANGUAGE="ru")
    assert (again["X-Cache"], again.content) == ("hit", b"ru")


def test_each_accepted_format_has_its_own_entry(client):
    assert client.get("/accept/", HTTP_ACCEPT="text/html").content == b"html"
    as_json = client.get("/accept/", HTTP_ACCEPT="application/json")
    assert (as_json["X-Cache"], as_json.content) == ("miss", b"json")


@pytest.mark.parametrize("address", ["/ru/admin/echo/", "/ar/healthz/echo/"])
def test_skipped_paths_are_skipped_under_a_language_prefix(client, address):
    assert client.get(address).content == address.encode()
    assert not client.get(address).has_header("X-Cache")


def test_a_path_that_only_looks_like_a_language_prefix_is_not_one(client):
    # "None" is no language: nothing to strip, and a public path like any other.
    response = client.get("/None/admin/echo/")
    assert (response["X-Cache"], response.content) == ("miss", b"/None/admin/echo/")


def test_public_pages_under_a_language_prefix_are_cached(client):
    assert client.get("/ru/echo/")["X-Cache"] == "miss"
    assert client.get("/ru/echo/")["X-Cache"] == "hit"


# --- the content version --------------------------------------------------------------------

TOKEN = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def versions_in_the_database():
    """The content version where production keeps it without Redis: a table in the database,
    here one whose entries expire at once unless given their own timeout (TIMEOUT 0), so a
    token written without ``timeout=None`` is seen to expire."""
    versions = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": settings.CONTENT_VERSION_TABLE,
        "TIMEOUT": 0,
    }
    with override_settings(CACHES={**settings.CACHES, "versions": versions}):
        call_command("createcachetable", "--database", "default")
        caches["versions"].clear()
        yield


def test_a_first_request_makes_a_token_that_stays(versions_in_the_database):
    first = cache.content_version()
    assert TOKEN.fullmatch(first)
    assert cache.content_version() == first


def test_reading_the_token_is_one_query_and_it_never_expires(
    versions_in_the_database, django_assert_num_queries
):
    cache.invalidate()
    with django_assert_num_queries(1):
        token = cache.content_version()
    with django_assert_num_queries(1):
        assert cache.content_version() == token
    assert TOKEN.fullmatch(token)


def test_invalidate_replaces_the_token(versions_in_the_database):
    before = cache.content_version()
    cache.invalidate()
    after = cache.content_version()
    assert TOKEN.fullmatch(after)
    assert after != before


def test_a_deferred_block_replaces_the_token_once_at_its_end(versions_in_the_database):
    before = cache.content_version()
    with cache.deferred_invalidation():
        factories.event(title="A")
        with cache.deferred_invalidation():
            factories.event(title="B")
        # The inner block joined the outer one: nothing replaced yet.
        assert cache.content_version() == before
        factories.event(title="C")
        assert cache.content_version() == before
    after = cache.content_version()
    assert TOKEN.fullmatch(after)
    assert after != before


def test_a_deferred_block_without_changes_keeps_the_token(versions_in_the_database):
    before = cache.content_version()
    with cache.deferred_invalidation():
        Event.objects.count()
    assert cache.content_version() == before
