import asyncio
import contextlib
import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User


def pytest_configure(config):
    # Test users' passwords need no protection: hashing each with PBKDF2's million
    # iterations cost about 0.4 s of CPU per user created or logged in (Django's own advice
    # for faster tests). Production settings are untouched.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _hypothesis_profile()


def _hypothesis_profile():
    """Property tests (schemathesis runs on hypothesis) draw the same examples every run: a
    red run is red again on the next, and a green one does not turn red by chance. No
    deadline: the machine is shared, and a slow example is not a wrong one."""
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile(
        "ruiraq", derandomize=True, deadline=None, print_blob=True, database=None
    )
    hypothesis_settings.load_profile("ruiraq")


# --- prerequisites: skipped locally with the reason, a failure under CI --------------------


def in_ci():
    return os.environ.get("CI", "").lower() == "true"


def require(available, reason):
    """Go on if ``available``; otherwise skip the test saying ``reason`` — or, under CI=true,
    fail it: a CI run must not turn green by skipping what it could not set up (.ci/run
    installs each of these)."""
    if available:
        return
    if in_ci():
        pytest.fail(f"missing prerequisite under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


CHROMIUM_PATH = Path("/usr/bin/chromium")

#: What ``@pytest.mark.requires(name)`` checks before a test: (is it there?, why it matters).
PREREQUISITES = {
    "chromium": (
        lambda: CHROMIUM_PATH.exists(),
        "needs the system Chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
    "xgettext": (
        lambda: shutil.which("xgettext") is not None,
        "needs GNU gettext (xgettext; apt-get install gettext)",
    ),
    "playwright": (
        lambda: importlib.util.find_spec("playwright") is not None,
        "needs Playwright (pip install -r requirements-dev.txt; never `playwright install`)",
    ),
    "gunicorn": (
        lambda: shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is not None,
        "needs gunicorn in the venv (pip install -r requirements.txt)",
    ),
}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    for mark in item.iter_markers("requires"):
        for name in mark.args:
            available, reason = PREREQUISITES[name]
            require(available(), reason)


@pytest.fixture(scope="session")
def corpus_dir():
    """The two texts the seed is curated from: $CORPUS_DIR, or ../shared/corpus beside the
    project (as CI lays it out). A test concern: the site never reads them."""
    path = Path(
        os.environ.get("CORPUS_DIR") or Path(settings.BASE_DIR).parent / "shared" / "corpus"
    )
    require(path.is_dir(), f"corpus not found at {path} (../shared is not beside the project)")
    return path


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", "pw-root-1234")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def seeded(db):
    """The seed dataset, loaded once per test (inside the test's transaction)."""
    from ruiraq.seed.loader import load_seed

    load_seed()


@contextlib.contextmanager
def kept_for_the_scope(django_db_blocker):
    """A transaction around a whole module (or class) of tests.

    What a module-scoped fixture writes inside it is there for each of the module's tests,
    and each test still runs in a savepoint of its own (pytest-django's ``db``), so what a
    test writes is rolled back after it; at the end of the module everything is. For data
    that tests only read, built once instead of once per test.
    """
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def _seed_for_the_scope(django_db_blocker):
    from ruiraq.seed.loader import load_seed

    with kept_for_the_scope(django_db_blocker):
        load_seed()
        yield


@pytest.fixture(scope="module")
def seeded_module(django_db_setup, django_db_blocker):
    """The seed dataset, loaded once for a whole module whose tests all see it."""
    yield from _seed_for_the_scope(django_db_blocker)


@pytest.fixture(scope="class")
def seeded_class(django_db_setup, django_db_blocker):
    """The seed dataset, loaded once for a class of tests that all see it."""
    yield from _seed_for_the_scope(django_db_blocker)


# --- the browser tests: one Chromium for the session ------------------------------------------

#: Chromium in a container: no sandbox (root), no GPU, nothing fetched from Google.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def _chromium():
    """Playwright and the system Chromium, started at the first browser test of the session
    (of each xdist worker) and closed at its end: the two cost seconds to start, which every
    browser module used to pay again.

    Playwright's sync API leaves its event loop marked as running in this thread between its
    calls, and Django refuses ORM calls beside a running loop. The mark is lifted here and put
    back only for the length of a browser test (``browser``), so that the other tests of the
    session never run beside it. Yields (browser, its loop)."""
    for name in ("chromium", "playwright"):
        available, reason = PREREQUISITES[name]
        require(available(), reason)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS
        )
        loop = asyncio._get_running_loop()
        asyncio._set_running_loop(None)
        try:
            yield chromium, loop
        finally:
            asyncio._set_running_loop(loop)
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def browser(_chromium, monkeypatch):
    """The session's Chromium, for one test; the contexts (and pages) it opened are closed
    after it. DJANGO_ALLOW_ASYNC_UNSAFE lets the test's own ORM calls (its data, the live
    server's flush) run beside Playwright's loop, and only during the test: the variable
    must not leak into the rest of the session (the deploy check rejects it)."""
    chromium, loop = _chromium
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    asyncio._set_running_loop(loop)
    try:
        yield chromium
    finally:
        for context in chromium.contexts:
            context.close()
        # While an event loop is running, Django's connections are kept per context, not
        # per thread (asgiref's thread-critical Local): the test's own ORM calls opened a
        # connection of their own, which outlived the test and the session (PostgreSQL then
        # refused to drop the test database: "accessed by other users").
        from django.db import connections

        connections.close_all()
        asyncio._set_running_loop(None)


@pytest.fixture(scope="session")
def _test_database(django_db_setup, django_db_blocker):
    """The test database, set up even for a session whose tests all go without database
    access (``pytest tests/test_browser.py``): pytest-django then sets up none, and the live
    server's flush and seed below went to the database the settings name, a developer's own
    (``make run``'s db.sqlite3, flushed and reseeded)."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if connection.settings_dict["NAME"] == connection.creation._get_test_db_name():
        yield
        return
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=0)


@pytest.fixture(scope="session")
def _seeded_live_server(_test_database, django_db_blocker):
    """A live server over the seed dataset, committed once for the session (of each xdist
    worker) and flushed at its end. Loading the seed costs seconds; the browser tests that
    only read it shared none before, each loading it again and flushing it after.

    Only tests without database access use it (``site``), which pytest-django runs after
    every test that has some: no test that expects an empty database comes after it.
    """
    from django.core.management import call_command
    from django.test.utils import modify_settings
    from pytest_django.live_server_helper import LiveServer

    from ruiraq.seed.loader import load_seed

    with django_db_blocker.unblock():
        # From what a transactional test leaves (as the per-test seed was loaded into).
        call_command("flush", interactive=False, verbosity=0)
        load_seed()
    server = LiveServer("localhost")
    try:
        with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
            yield server.url
    finally:
        server.stop()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def site(_seeded_live_server, django_db_blocker):
    """The address of a live server over the seed dataset, for a browser test that only reads
    it: the test has no database marker (its server reads the session's committed seed). A
    test that writes, through the ORM or a form, uses ``live_server`` and ``seeded`` in a
    ``django_db(transaction=True)`` test instead, which rebuilds the data for itself."""
    with django_db_blocker.unblock():
        yield _seeded_live_server


@pytest.fixture(autouse=True)
def _english_between_tests():
    """Each test starts and ends in English. A request to /ru/ or /ar/ leaves its language
    active in the thread (LocaleMiddleware activates, never deactivates), which would change
    what reverse() and get_absolute_url() return in the next test."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _site_url(settings):
    """The site's configured address is the test client's host, as a deployment sets
    SITE_URL to the host it serves (tests/test_site_addresses.py sets another)."""
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the public cache and throttle counts live there,
    and the database is rolled back between tests while the cache is not."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def _no_dumps_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("no-dumps") / "dumps"


@pytest.fixture(autouse=True)
def _no_prepared_dump(settings, _no_dumps_dir):
    """No test sees a dump built on the developer's machine (var/dumps/): the export streams
    unless a test builds one (tests/test_bulk_data.py points DUMP_DIR at its own folder)."""
    settings.DUMP_DIR = _no_dumps_dir


@pytest.fixture(autouse=True)
def _primary_unless_replica_test(request):
    """With DATABASE_REPLICA_URLS set (CI's PostgreSQL run), only the tests marked ``replica``
    read from the replica: the others keep their data in a transaction it cannot see."""
    if not settings.REPLICA_DATABASES or request.node.get_closest_marker("replica"):
        yield
        return
    from django.test import override_settings

    with override_settings(REPLICA_DATABASES=[]):
        yield


# --- editorial admin: users in the groups the data migration creates -------------------------


def _editorial_groups():
    """The Editors and Reviewers groups, as the data migrations make them. A test on a live
    server starts from a flushed database, which has the permissions (made after every
    flush) but not the groups: they are made again here, by the migrations' own functions."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group

    if Group.objects.filter(name__in=["Editors", "Reviewers"]).count() == 2:
        return
    # The functions set each app's models_module for create_permissions, then clear it,
    # as they may in a migration's own registry; this is the project's: restore it.
    modules = {c.label: c.models_module for c in apps.get_app_configs()}
    try:
        for name, function in (
            ("0003_editors_and_reviewers_groups", "create_groups"),
            ("0010_corrections_and_error_reports", "grant"),
        ):
            getattr(import_module(f"articles.migrations.{name}"), function)(apps, None)
    finally:
        for config in apps.get_app_configs():
            config.models_module = modules[config.label]


def _staff_in(group_name, username):
    from django.contrib.auth.models import Group

    _editorial_groups()
    user = User.objects.create_user(username, f"{username}@example.org", "pw-staff-1234")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db):
    return _staff_in("Editors", "editor")


@pytest.fixture
def reviewer(db):
    return _staff_in("Reviewers", "reviewer")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(reviewer):
    from django.test import Client

    client = Client()
    client.force_login(reviewer)
    return client


@pytest.fixture
def api_client(db):
    """An anonymous client of the read API (the cache, so the throttle count, starts empty)."""
    from rest_framework.test import APIClient

    return APIClient()
