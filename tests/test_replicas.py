"""Read replicas (ruiraq/replicas.py): anonymous reads on a replica, everything else on the
primary, and no editor ever sees the replica's lag.

The tests marked ``replica`` run against a real PostgreSQL streaming replica of the test
server (.ci/start-replica; DATABASE_REPLICA_URLS=postgres://postgres@127.0.0.1:5433/x). Each
replica alias mirrors the default test database (settings: TEST MIRROR), so it reaches the
very database pytest-django created on the primary, through the standby. Data must be
committed to be replicated: those tests are transactional, and wait for the standby to
replay the primary's WAL. Without a replica they are skipped, except under CI=true.
"""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from articles.models import Event
from ruiraq import replicas
from tests import factories

# --- the decision, from the request alone (no replica needed) ---------------------------------


@pytest.fixture
def one_replica(settings):
    settings.REPLICA_DATABASES = ["replica1"]


@pytest.mark.parametrize(
    "method, path, cookies, expected",
    [
        ("GET", "/events/", {}, "replica1"),
        ("HEAD", "/api/v1/events/", {}, "replica1"),
        ("GET", "/ar/actors/", {}, "replica1"),
        ("POST", "/api/v1/events/", {}, None),
        ("GET", "/admin/articles/event/", {}, None),
        ("GET", "/admin/login/", {}, None),
        ("GET", "/ru/admin/", {}, None),
        ("GET", "/events/", {"sessionid": "x"}, None),
        ("GET", "/events/", {replicas.PIN_COOKIE: "1"}, None),
    ],
)
def test_where_a_request_reads(one_replica, method, path, cookies, expected):
    request = RequestFactory().generic(method, path)
    request.COOKIES.update(cookies)
    assert replicas.replica_for(request) == expected


def test_without_replicas_everything_reads_the_primary(settings):
    settings.REPLICA_DATABASES = []
    assert replicas.replica_for(RequestFactory().get("/events/")) is None


def test_a_request_that_writes_reads_the_primary_after_and_pins_the_browser(one_replica):
    seen = []

    def view(request):
        seen.append(replicas.current_database())
        replicas.ReplicaRouter().db_for_write(Event)
        seen.append(replicas.current_database())
        return HttpResponse("ok")

    response = replicas.ReplicaMiddleware(view)(RequestFactory().get("/events/"))
    assert seen == ["replica1", "default"]
    cookie = response.cookies[replicas.PIN_COOKIE]
    assert cookie["max-age"] == settings.REPLICA_PIN_SECONDS
    assert cookie["httponly"]


def test_a_read_only_request_sets_no_cookie(one_replica):
    response = replicas.ReplicaMiddleware(lambda request: HttpResponse("ok"))(
        RequestFactory().get("/events/")
    )
    assert replicas.PIN_COOKIE not in response.cookies


def test_outside_a_request_everything_is_the_primary(one_replica):
    assert replicas.current_database() == "default"


def test_a_streamed_body_reads_where_its_request_did(one_replica):
    from django.http import StreamingHttpResponse

    def view(request):
        return StreamingHttpResponse(replicas.current_database() for _ in range(2))

    response = replicas.ReplicaMiddleware(view)(RequestFactory().get("/api/v1/export/"))
    assert replicas.current_database() == "default"  # the middleware has returned
    assert b"".join(response.streaming_content) == b"replica1replica1"


def test_replicas_are_never_migrated(one_replica):
    router = replicas.ReplicaRouter()
    assert router.allow_migrate("replica1", "articles") is False
    assert router.allow_migrate("default", "articles") is None


def test_replicas_are_never_migrated_with_the_routing_off(settings):
    # The tests that do not read the replica switch the routing off (conftest.py); Django's
    # consistency check of `makemigrations --check` asks the router about every alias, and a
    # replica must still be left alone (it is not this test's database to query).
    settings.REPLICA_DATABASES = []
    assert replicas.ReplicaRouter().allow_migrate("replica1", "articles") is False


def _settings_with(env):
    """Imports the settings in a fresh interpreter with ``env``; its stderr and exit code."""
    result = subprocess.run(
        [sys.executable, "-c", "import ruiraq.settings"],
        env={**os.environ, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    return result.returncode, result.stderr


@pytest.mark.parametrize(
    "urls, message",
    [
        ("not a url", "DATABASE_REPLICA_URLS holds an invalid database URL"),
        ("sqlite:///elsewhere.sqlite3", "must name replicas of DATABASE_URL's server"),
    ],
)
def test_a_bad_replica_url_stops_start_up(urls, message):
    code, stderr = _settings_with(
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x", "DATABASE_REPLICA_URLS": urls}
    )
    assert code != 0
    assert "ImproperlyConfigured" in stderr and message in stderr


# --- against a real streaming replica ---------------------------------------------------------


@pytest.fixture
def replica(settings):
    """The first replica's alias, caught up with the primary; the public cache off, so that
    every answer is read from a database."""
    if connections["default"].vendor != "postgresql" or not settings.REPLICA_DATABASES:
        if os.environ.get("CI", "").lower() == "true" and connections["default"].vendor == (
            "postgresql"
        ):
            pytest.fail(
                "CI runs the replica tests: start .ci/start-replica and set DATABASE_REPLICA_URLS"
            )
        pytest.skip("needs DATABASE_REPLICA_URLS naming a streaming replica (.ci/start-replica)")
    settings.PUBLIC_CACHE_SECONDS = 0
    alias = settings.REPLICA_DATABASES[0]
    with _one_test_at_a_time():
        _wait_for_replay(alias)
        yield alias
        _resume(alias)


class _one_test_at_a_time:
    """A session advisory lock on the primary: parallel test workers share the one standby,
    and a test that pauses its replay must not stall another's."""

    def __enter__(self):
        import psycopg

        params = connections["default"].get_connection_params()
        params["dbname"] = "postgres"
        self.connection = psycopg.connect(**params, autocommit=True)
        self.connection.execute("SELECT pg_advisory_lock(18006)")

    def __exit__(self, *exc):
        self.connection.close()  # releases the lock


def _scalar(alias, sql):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def _wait_for_replay(alias, timeout=30):
    """Until the standby has replayed everything the primary has committed so far."""
    target = _scalar("default", "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _scalar(alias, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
            return
        time.sleep(0.05)
    pytest.fail(f"the replica did not replay up to {target} within {timeout} s")


def _pause(alias):
    _scalar(alias, "SELECT pg_wal_replay_pause()::text")


def _resume(alias):
    _scalar(alias, "SELECT pg_wal_replay_resume()::text")


@pytest.fixture
def editors_group():
    """The editors' group of the data migration: a transactional test starts from a flushed
    database, which has the permissions (made after every flush) but not the groups."""
    from importlib import import_module

    from django.contrib.auth.models import Group, Permission

    migration = import_module("articles.migrations.0003_editors_and_reviewers_groups")
    group, _created = Group.objects.get_or_create(name="Editors")
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in migration.EDITORS
    )
    return group


def _published_event(title):
    event = factories.event(title=title)
    factories.citation(event)
    return event


@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_the_replica_is_a_streaming_standby_of_the_test_database(replica):
    assert _scalar(replica, "SELECT pg_is_in_recovery()") is True
    assert _scalar("default", "SELECT pg_is_in_recovery()") is False
    assert _scalar(replica, "SELECT current_database()") == _scalar(
        "default", "SELECT current_database()"
    )
    assert (
        connections[replica].settings_dict["PORT"] != connections["default"].settings_dict["PORT"]
    )


@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_anonymous_reads_go_to_the_replica(replica, client):
    _published_event("Talks on the Mansuriya gas field")
    _wait_for_replay(replica)
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[replica]) as on_replica,
    ):
        page = client.get("/events/")
        api = client.get("/api/v1/events/")
    assert page.status_code == 200 and api.status_code == 200
    assert "Talks on the Mansuriya gas field" in page.content.decode()
    assert [row["title"] for row in api.json()["results"]] == ["Talks on the Mansuriya gas field"]
    assert len(on_replica) > 0
    assert list(on_primary) == []
    assert replicas.PIN_COOKIE not in client.cookies


@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_lagging_replica_never_shows_an_editor_stale_data(replica, editors_group, editor_client):
    reader = Client()  # anonymous (``client`` is the one editor_client logs in)
    _published_event("Visit of the Iraqi defence minister")
    _wait_for_replay(replica)
    _pause(replica)  # the standby stops replaying: whatever is written now, it does not have
    Event.objects.filter(title="Visit of the Iraqi defence minister").update(
        title="Visit of the Iraqi defence minister to Moscow"
    )

    # Anonymous readers see the replica, which is behind (what proves they read it) ...
    anonymous = reader.get("/api/v1/events/").json()["results"]
    assert [row["title"] for row in anonymous] == ["Visit of the Iraqi defence minister"]
    # ... while the editor, on the public pages as in the admin, reads the primary.
    public = editor_client.get("/events/").content.decode()
    assert "Visit of the Iraqi defence minister to Moscow" in public
    changelist = editor_client.get("/admin/articles/event/").content.decode()
    assert "Visit of the Iraqi defence minister to Moscow" in changelist

    _resume(replica)
    _wait_for_replay(replica)
    anonymous = reader.get("/api/v1/events/").json()["results"]
    assert [row["title"] for row in anonymous] == ["Visit of the Iraqi defence minister to Moscow"]


@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_an_editor_reads_the_primary_while_the_replica_lags(replica, editors_group, editor_client):
    event = _published_event("Session of the intergovernmental commission")
    _wait_for_replay(replica)
    _pause(replica)
    with CaptureQueriesContext(connections[replica]) as on_replica:
        form = editor_client.get(f"/admin/articles/event/{event.pk}/change/")
        assert form.status_code == 200
        page = editor_client.get(event.get_absolute_url())
    assert page.status_code == 200
    assert list(on_replica) == []


@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_browser_that_posted_reads_the_primary_for_a_while(replica, client):
    _published_event("Delivery of helicopters")
    _wait_for_replay(replica)
    # A failed admin login: a write (the attempt is logged) without a session.
    client.post("/admin/login/", {"username": "nobody", "password": "wrong"})
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert client.cookies[replicas.PIN_COOKIE]["max-age"] == settings.REPLICA_PIN_SECONDS
    with CaptureQueriesContext(connections[replica]) as on_replica:
        assert client.get("/api/v1/events/").status_code == 200
    assert list(on_replica) == []
    # Once the cookie has expired, the browser reads the replica again.
    del client.cookies[replicas.PIN_COOKIE]
    with CaptureQueriesContext(connections[replica]) as on_replica:
        assert client.get("/api/v1/events/").status_code == 200
    assert len(on_replica) > 0
