"""Every list page links to the API's list of the same records, filtered the same way, as
CSV and JSON; the footer links to the API docs."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db

PAGES = {
    "/events/": "/api/v1/events/",
    "/agreements/": "/api/v1/agreements/",
    "/actors/": "/api/v1/actors/",
    "/sources/": "/api/v1/sources/",
}


def _downloads(response):
    html = response.content.decode()
    block = re.search(r'<p class="list-downloads">(.*?)</p>', html, re.S)
    if block is None:
        return {}
    links = re.findall(r'<a href="([^"]+)"[^>]*>(CSV|JSON)</a>', block[1])
    return {label: unescape(href) for href, label in links}


@pytest.mark.parametrize("page, api", PAGES.items())
def test_each_list_links_its_api_list_as_csv_and_json(client, page, api):
    f.event(), f.agreement(), f.actor(), f.source()
    links = _downloads(client.get(page))
    assert set(links) == {"CSV", "JSON"}
    for label, href in links.items():
        url = urlsplit(href)
        assert url.path == api
        assert parse_qs(url.query) == {"page_size": ["100"], "format": [label.lower()]}
        assert client.get(href).status_code == 200


def test_the_links_carry_the_current_filter_but_not_the_page(client):
    for i in range(25):
        f.event(title=f"Talks {i}", country="IQ")
    f.event(title="Elsewhere", country="RU")
    response = client.get("/events/", {"country": "IQ", "search": "Talks", "page": "2"})
    links = _downloads(response)
    query = parse_qs(urlsplit(links["CSV"]).query)
    assert query == {
        "country": ["IQ"],
        "search": ["Talks"],
        "page_size": ["100"],
        "format": ["csv"],
    }
    api = client.get(links["JSON"]).json()
    assert api["count"] == 25  # the same records as the page's filter
    csv = client.get(links["CSV"])
    assert csv["Content-Type"].startswith("text/csv")
    assert len(csv.content.decode().strip().splitlines()) == 26  # a header and 25 rows


def test_a_bad_filter_offers_no_download(client):
    f.event()
    response = client.get("/events/", {"year_from": "soon"})
    assert response.status_code == 400
    assert _downloads(response) == {}


def test_russian_and_arabic_pages_link_to_the_same_api(client):
    f.actor()
    for prefix in ("/ru", "/ar"):
        links = _downloads(client.get(f"{prefix}/actors/"))
        assert urlsplit(links["JSON"]).path == "/api/v1/actors/"


def test_the_footer_links_to_the_api_docs(client):
    for path in ("/", "/events/", "/ru/actors/"):
        assert 'href="/api/v1/docs/"' in client.get(path).content.decode(), path
