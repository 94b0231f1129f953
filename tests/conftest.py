import contextlib
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


#: What ``@pytest.mark.requires(name)`` checks before a test: (is it there?, why it matters).
PREREQUISITES = {
    "chromium": (
        lambda: Path("/usr/bin/chromium").exists(),
        "needs the system Chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
    "xgettext": (
        lambda: shutil.which("xgettext") is not None,
        "needs GNU gettext (xgettext; apt-get install gettext)",
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
