"""With the seed dataset: every published record is a few clicks from the home page, and no
internal link on the way is broken."""

import json
import re
from collections import deque
from html import unescape

import pytest

from actors.models import Actor
from articles.models import Agreement, Event, Source
from ruiraq.seed.loader import SEED_PATH

# The seed is loaded once for the module; each test reads it in a savepoint of its own.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

MAX_CLICKS = 3
_NOT_PAGES = ("/static/", "/admin/", "/feed/", "/sitemap.xml", "/actors/suggest.json")


def _links(html):
    for href in re.findall(r'<a [^>]*href="([^"#]+)', html):
        href = unescape(href)
        if href.startswith("/") and not href.startswith(_NOT_PAGES):
            yield href


def _crawl(client, start="/"):
    """{url: clicks from the home page} for every internal page within MAX_CLICKS."""
    depth = {start: 0}
    queue = deque([start])
    while queue:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        if response.streaming or not response["Content-Type"].startswith("text/html"):
            continue  # a download (CSV, a citation file), not a page to follow links from
        if depth[url] == MAX_CLICKS:
            continue
        for link in _links(response.content.decode()):
            if link.startswith("?"):
                link = url.split("?")[0] + link
            if link not in depth:
                depth[link] = depth[url] + 1
                queue.append(link)
    return depth


def test_every_published_seed_record_is_a_few_clicks_from_home(client):
    depth = _crawl(client)
    # The records of seed.json, all published, by slug (not public(): the rule under test).
    seed = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    records = [
        *Event.objects.filter(slug__in=[r["slug"] for r in seed["events"]]),
        *Agreement.objects.filter(slug__in=[r["slug"] for r in seed["agreements"]]),
        *Actor.objects.filter(slug__in=[r["slug"] for r in seed["actors"]]),
        *Source.objects.filter(slug__in=[r["slug"] for r in seed["sources"]]),
    ]
    assert len(records) == sum(len(seed[k]) for k in ("events", "agreements", "actors", "sources"))
    unreachable = [r.get_absolute_url() for r in records if r.get_absolute_url() not in depth]
    assert unreachable == []


#: Quotation marks: a page sets a quote in its language's marks (ruiraq.typography), nested
#: ones in the inner marks; the words between them are the source's, verbatim.
_MARKS = str.maketrans("", "", "\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\"'")


def test_seed_record_pages_show_their_evidence(client):
    for event in Event.objects.public():
        html = unescape(client.get(event.get_absolute_url()).content.decode())
        quotes = event.citations.public().values_list("quote", flat=True)
        assert quotes, event
        for quote in quotes:
            assert quote.translate(_MARKS) in html.translate(_MARKS), (event, quote)
