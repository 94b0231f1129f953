"""The Atom feed, the sitemap and robots.txt."""

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _published(record, days_ago):
    type(record).objects.filter(pk=record.pk).update(
        published_at=timezone.now() - dt.timedelta(days=days_ago)
    )


def test_feed_is_atom_of_events_and_agreements_newest_published_first(client):
    old_event = factories.event(title="Old event", summary="Long ago.")
    agreement = factories.agreement(title="New agreement")
    new_event = factories.event(title="Newest event")
    _published(old_event, 30)
    _published(agreement, 2)
    _published(new_event, 1)
    factories.actor(name="Not in the feed")
    response = client.get(reverse("feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Newest event",
        "New agreement",
        "Old event",
    ]
    first = entries[0]
    assert (
        first.find(f"{ATOM}link").get("href") == f"http://testserver{new_event.get_absolute_url()}"
    )
    assert first.findtext(f"{ATOM}updated") and first.findtext(f"{ATOM}published")
    assert entries[2].findtext(f"{ATOM}summary") == "Long ago."
    assert {c.get("term") for c in entries[1].findall(f"{ATOM}category")} == {
        "agreement",
        "arms contract",
    }
    self_link = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href") == "http://testserver/feed/"


def test_record_published_without_a_publication_stamp_is_in_the_feed(client):
    """Published by queryset.update() (a bulk path that skips save()): no published_at."""
    stamped = factories.event(title="Stamped event")
    _published(stamped, 3)
    unstamped = factories.agreement(title="Unstamped agreement")
    type(unstamped).objects.filter(pk=unstamped.pk).update(published_at=None)
    response = client.get(reverse("feed"))
    assert response.status_code == 200
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    # Dated by its last change (now), so it comes before the one published 3 days ago.
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Unstamped agreement",
        "Stamped event",
    ]
    assert entries[0].findtext(f"{ATOM}published")


def test_feed_is_capped(client):
    for _ in range(35):
        factories.event()
    feed = ET.fromstring(client.get(reverse("feed")).content)
    assert len(feed.findall(f"{ATOM}entry")) == 30


def _sitemap_urls(client):
    """Every <url> of every sitemap the index at /sitemap.xml lists."""
    index = ET.fromstring(client.get(reverse("sitemap")).content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    urls = []
    for section in index.findall(f"{SITEMAP}sitemap"):
        response = client.get(section.findtext(f"{SITEMAP}loc").removeprefix("http://testserver"))
        assert response.status_code == 200
        urls += ET.fromstring(response.content).findall(f"{SITEMAP}url")
    return urls


def test_sitemap_lists_every_public_record_and_the_fixed_pages(client):
    records = [factories.event(), factories.agreement(), factories.actor(), factories.source()]
    urls = _sitemap_urls(client)
    locations = {u.findtext(f"{SITEMAP}loc") for u in urls}
    for record in records:
        assert f"http://testserver{record.get_absolute_url()}" in locations
    for page in ("/", "/events/", "/agreements/", "/actors/", "/sources/", "/timeline/"):
        assert f"http://testserver{page}" in locations
    event_url = f"http://testserver{records[0].get_absolute_url()}"
    event_entry = next(u for u in urls if u.findtext(f"{SITEMAP}loc") == event_url)
    assert event_entry.findtext(f"{SITEMAP}lastmod") == records[0].updated_at.date().isoformat()


def test_sitemap_index_gives_each_section_its_latest_change(client):
    event = factories.event()
    index = ET.fromstring(client.get(reverse("sitemap")).content)
    lastmods = {
        s.findtext(f"{SITEMAP}loc"): s.findtext(f"{SITEMAP}lastmod")
        for s in index.findall(f"{SITEMAP}sitemap")
    }
    assert lastmods["http://testserver/sitemap-events.xml"] == event.updated_at.isoformat()
    assert lastmods["http://testserver/sitemap-actors.xml"] is None  # no actor yet


@pytest.mark.parametrize("url", ["/sitemap-nothing.xml", "/sitemap-events.xml?p=zzz"])
def test_a_bad_sitemap_section_or_page_is_404(client, url):
    factories.event()
    assert client.get(url).status_code == 404


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert client.post("/robots.txt").status_code == 405


# --- validity (RFC 4287), read by an outside parser ----------------------------------------


@pytest.mark.parametrize("prefix", ["", "/ru", "/ar"])
@pytest.mark.parametrize("with_records", [True, False])
def test_feed_is_valid_atom_in_every_language(client, prefix, with_records):
    """feedparser reads it without complaint (``bozo`` is false), and the elements RFC 4287
    requires are there: the feed's id, title, updated and author, and each entry's id, title,
    updated and link. Also with nothing published yet."""
    if with_records:
        factories.event(title="Talks in Baghdad", summary="")
        factories.agreement(title="Oil contract", summary="A contract.")
    response = client.get(f"{prefix}/feed/")
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert parsed.bozo is False, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    feed = parsed.feed
    assert feed.id == f"http://testserver{prefix}/"
    assert feed.title and feed.updated_parsed
    assert feed.author_detail.name == "ruiraq"
    assert feed.author_detail.href == f"http://testserver{prefix}/"
    assert {(link.rel, link.href) for link in feed.links} == {
        ("alternate", f"http://testserver{prefix}/"),
        ("self", f"http://testserver{prefix}/feed/"),
    }
    assert feed.language == {"": "en", "/ru": "ru", "/ar": "ar"}[prefix]
    assert len(parsed.entries) == (2 if with_records else 0)
    for entry in parsed.entries:
        assert entry.id.startswith(f"http://testserver{prefix}/")
        assert entry.title and entry.updated_parsed and entry.published_parsed
        assert entry.link == entry.id


def test_russian_feed_has_a_russian_title_and_links_to_russian_pages(client):
    factories.event(title="Talks", slug="talks")
    parsed = feedparser.parse(client.get("/ru/feed/").content)
    assert parsed.feed.title != "ruiraq: newly published events and agreements"
    assert parsed.entries[0].link == "http://testserver/ru/events/talks/"
