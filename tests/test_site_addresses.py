"""Absolute addresses come from the configured site address (settings.SITE_URL), never from
the request (issue 19, item 7): a crafted path such as //evil.example.org/x made the 404
page's canonical link, og:url, hreflang and language links point at another host."""

import os
import re
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from ruiraq.settings import env_url
from tests import factories

pytestmark = pytest.mark.django_db

SITE = "https://ruiraq.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "other.example.net"]


def _addresses(html):
    """Every href/content/src address of a page that is absolute or protocol-relative."""
    return re.findall(r'(?:href|content|src)="((?:https?:)?//[^"]*)"', html)


@pytest.mark.parametrize(
    "path", ["//evil.example.org/x", "///evil.example.org/x", "//evil.example.org/ru/x"]
)
def test_a_crafted_path_never_gives_an_address_on_another_host(client, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    links = _addresses(html)
    assert links, "the 404 page has its canonical and hreflang links"
    for link in links:
        assert link.startswith(SITE + "/"), link
    # Relative links: none protocol-relative (the language switcher's were).
    assert not re.search(r'href="//', html)


def test_record_pages_give_the_site_address_whatever_the_host_header(client):
    event = factories.event(title="Talks in Moscow")
    html = client.get(event.get_absolute_url(), HTTP_HOST="other.example.net").content.decode()
    canonical = f"{SITE}{event.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert f'hreflang="ru" href="{SITE}/ru{event.get_absolute_url()}"' in html
    assert "other.example.net" not in html


def test_feed_sitemaps_and_robots_use_the_site_address(client):
    event = factories.event(title="Talks in Moscow")
    feed = client.get("/feed/", HTTP_HOST="other.example.net").content.decode()
    assert f'href="{SITE}/feed/"' in feed and f'href="{SITE}{event.get_absolute_url()}"' in feed
    index = client.get("/sitemap.xml", HTTP_HOST="other.example.net").content.decode()
    assert f"<loc>{SITE}/sitemap-events.xml</loc>" in index
    section = client.get("/sitemap-events.xml", HTTP_HOST="other.example.net")
    assert f"<loc>{SITE}{event.get_absolute_url()}</loc>" in section.content.decode()
    robots = client.get("/robots.txt", HTTP_HOST="other.example.net").content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in robots
    for body in (feed, index, section.content.decode(), robots):
        assert "other.example.net" not in body


@pytest.mark.parametrize(
    "raw", ["ruiraq.example.org", "ftp://ruiraq.example.org", "https://x.org/path", "https://"]
)
def test_a_malformed_site_url_stops_start_up(monkeypatch, raw):
    monkeypatch.setenv("SITE_URL", raw)
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        env_url("SITE_URL", "http://127.0.0.1:8000")


def test_site_url_keeps_scheme_host_and_port(monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://ruiraq.example.org:8443/")
    assert env_url("SITE_URL", "") == "https://ruiraq.example.org:8443"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "1"}, "http://127.0.0.1:8000"),
        (
            {"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": ".ruiraq.example.org,b.org"},
            "https://ruiraq.example.org",
        ),
        (
            {"DEBUG": "0", "SECRET_KEY": "x" * 50, "SITE_URL": "https://www.example.org"},
            "https://www.example.org",
        ),
    ],
)
def test_site_url_defaults(env, expected):
    code = (
        "from django.conf import settings; import django; django.setup(); print(settings.SITE_URL)"
    )
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("SITE_URL", "ALLOWED_HOSTS")},
        "DJANGO_SETTINGS_MODULE": "ruiraq.settings",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == expected, result.stderr


@pytest.mark.parametrize("language", ["en", "ru", "ar"])
@pytest.mark.parametrize(
    ("route", "kwargs"),
    [
        ("articles:event-detail", {"slug": "visit-to-moscow-2019"}),
        ("actors:detail", {"slug": "sergey-lavrov"}),
        ("api:event-detail", {"pk": 42}),
        ("articles:event-list", {}),
    ],
)
def test_record_paths_are_what_reverse_gives(route, kwargs, language):
    from django.urls import reverse
    from django.utils import translation

    from ruiraq.addresses import record_path

    with translation.override(language):
        for _ in range(2):  # the first call reverses, the second fills in the cached route
            assert record_path(route, **kwargs) == reverse(route, kwargs=kwargs)


@pytest.mark.parametrize("slug", ["визит", "a b", "a/b"])
def test_a_record_path_the_route_refuses_is_refused_as_reverse_refuses_it(slug):
    from django.urls import NoReverseMatch

    from ruiraq.addresses import record_path

    with pytest.raises(NoReverseMatch):
        record_path("articles:event-detail", slug=slug)
