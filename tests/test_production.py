"""Production behaviour: deploy checks, security headers, health, login throttling."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import RequestFactory, override_settings

from ruiraq.security import client_ip

pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-a-long-random-production-key-" + "7f3k9q2m5z8w1c4v6b0n" * 2,
    "ALLOWED_HOSTS": "ruiraq.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://ruiraq.example.org",
}


def test_check_deploy_is_clean_with_production_settings():
    env = {**os.environ, **PRODUCTION_ENV}
    env.pop("DATABASE_URL", None)
    env.pop("DATABASE_REPLICA_URLS", None)  # replicas of a server this check does not use
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_security_headers(client):
    response = client.get("/admin/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_a_dead_database_and_nothing_else(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise RuntimeError("connection refused by 10.0.0.5: password authentication failed")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failed": ["database"]}
    assert b"10.0.0.5" not in response.content


def test_healthz_checks_redis_when_configured(client, monkeypatch):
    from django.core.cache import cache

    def broken_set(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(settings, "REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(cache, "set", broken_set)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


def test_healthz_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405


def test_admin_login_is_locked_after_repeated_failures(client):
    User.objects.create_superuser("editor", "e@example.org", "right-password-123")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
        assert response.status_code == 200  # the login form again, with an error
    last = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    assert last.status_code == 429
    # When to try again: the cool-off, in seconds (issue 19, item 9).
    assert last["Retry-After"] == str(round(settings.AXES_COOLOFF_TIME * 3600))
    locked = client.post("/admin/login/", {"username": "editor", "password": "right-password-123"})
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    # Another client address is not affected.
    other = client.post(
        "/admin/login/",
        {"username": "editor", "password": "right-password-123"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.1"),  # no proxy configured: the header is ignored
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a forged left part is not trusted
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_ip_behind_proxies(proxies, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(NUM_PROXIES=proxies):
        assert client_ip(request) == expected


def test_redis_url_makes_the_cache_shared():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='ruiraq.settings'; "
        "django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])"
    )
    env = {**os.environ, "DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/3"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3",
    ]
