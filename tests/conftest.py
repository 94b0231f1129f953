import pytest
from django.contrib.auth.models import User


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
    from ruiraq.seeding import load_seed

    load_seed()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the public cache and throttle counts live there,
    and the database is rolled back between tests while the cache is not."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
