"""Citing a record: the meta tags reference managers read from its page (Highwire Press and
Dublin Core), the "cite this record" box (plain, APA, Chicago), the BibTeX, RIS and CSL-JSON
downloads, and the API's ``cite``: all the same data. Expected texts are written out."""

import datetime as dt
import json
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

FIRST_PUBLISHED = dt.datetime(2024, 5, 3, 9, 30, tzinfo=dt.UTC)


class _Head(HTMLParser):
    """The page's <meta name> tags and <link> elements, as a page importer reads them."""

    def __init__(self):
        super().__init__()
        self.meta, self.links = {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "name" in attrs:
            self.meta.setdefault(attrs["name"], []).append(attrs["content"])
        if tag == "link":
            self.links.append(attrs)


def _head(html):
    parser = _Head()
    parser.feed(html)
    return parser


def _today():
    today = timezone.localdate()
    return today, f"{today:%B} {today.day}, {today.year}"


@pytest.fixture
def talks():
    event = factories.event(title="Lavrov & Hussein talk oil", slug="talks")
    factories.citation(event)
    type(event).objects.filter(pk=event.pk).update(published_at=FIRST_PUBLISHED)
    return event


def test_record_page_carries_highwire_and_dublin_core_tags(client, talks):
    head = _head(client.get("/events/talks/").content.decode())
    meta = head.meta
    assert meta["citation_title"] == ["Lavrov & Hussein talk oil"]
    assert meta["citation_publisher"] == ["ruiraq"]
    assert meta["citation_publication_date"] == ["2024/05/03"]
    assert meta["citation_public_url"] == ["http://testserver/events/talks/"]
    assert meta["citation_language"] == ["en"]
    assert meta["DC.title"] == ["Lavrov & Hussein talk oil"]
    assert meta["DC.publisher"] == ["ruiraq"]
    assert meta["DC.date"] == ["2024-05-03"]
    assert meta["DC.identifier"] == ["http://testserver/events/talks/"]
    assert {"rel": "schema.DC", "href": "http://purl.org/dc/elements/1.1/"} in head.links
    alternates = {link.get("type"): link["href"] for link in head.links}
    assert alternates["application/x-research-info-systems"] == "/events/talks/cite.ris"
    assert alternates["application/x-bibtex"] == "/events/talks/cite.bib"


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/agreements/contract/", lambda: factories.agreement(title="Contract", slug="contract")),
        ("/actors/rosneft/", lambda: factories.actor(name="Rosneft", slug="rosneft")),
        ("/sources/report/", lambda: factories.source(title="Report", slug="report")),
    ],
)
def test_every_kind_of_record_page_carries_the_tags(client, url, make):
    record = make()
    if record._meta.model_name != "source":
        factories.citation(record)
    meta = _head(client.get(url).content.decode()).meta
    assert meta["citation_title"] == [str(record)]
    assert meta["DC.identifier"] == [f"http://testserver{url}"]


def test_list_pages_carry_no_citation_tags(client, talks):
    assert "citation_title" not in client.get("/events/").content.decode()


def test_russian_page_cites_the_russian_name_and_address(client):
    actor = factories.actor(name="Rosneft", name_ru="Роснефть", slug="rosneft")
    factories.citation(actor)
    meta = _head(client.get("/ru/actors/rosneft/").content.decode()).meta
    assert meta["citation_title"] == ["Роснефть"]
    assert meta["citation_language"] == ["ru"]
    assert meta["DC.identifier"] == ["http://testserver/ru/actors/rosneft/"]


def test_cite_box_offers_apa_chicago_and_the_downloads(client, talks):
    html = client.get("/events/talks/").content.decode()
    _, accessed = _today()
    assert (
        "ruiraq. (2024, May 3). <i><bdi>Lavrov &amp; Hussein talk oil</bdi></i>. "
        f'Retrieved {accessed}, from <span class="cite__url">http://testserver/events/talks/</span>'
    ) in html
    assert (
        "“<bdi>Lavrov &amp; Hussein talk oil</bdi>.” <i>ruiraq</i>. Published May 3, 2024. "
        f'Accessed {accessed}. <span class="cite__url">http://testserver/events/talks/</span>.'
    ) in html
    for fmt in ("bib", "ris", "json"):
        assert f'href="/events/talks/cite.{fmt}" download' in html


def test_bibtex_download_is_an_entry_a_reference_manager_imports(client, talks):
    response = client.get("/events/talks/cite.bib")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ruiraq-event-talks.bib"'
    today, _ = _today()
    assert response.content.decode() == (
        "@misc{ruiraq-event-talks,\n"
        "  title = {{Lavrov \\& Hussein talk oil}},\n"
        "  author = {{ruiraq}},\n"
        "  organization = {ruiraq},\n"
        "  publisher = {ruiraq},\n"
        "  howpublished = {\\url{http://testserver/events/talks/}},\n"
        "  url = {http://testserver/events/talks/},\n"
        "  year = {2024},\n"
        "  month = may,\n"
        "  date = {2024-05-03},\n"
        f"  urldate = {{{today.isoformat()}}},\n"
        f"  note = {{Event. Accessed {today.isoformat()}}},\n"
        "  language = {en}\n"
        "}\n"
    )


def test_bibtex_escapes_what_tex_reads_as_commands(client):
    event = factories.event(title="50% of {oil}_deal #1 ~ $5^2 \\ back", slug="odd")
    factories.citation(event)
    body = client.get("/events/odd/cite.bib").content.decode()
    assert (
        "title = {{50\\% of \\{oil\\}\\_deal \\#1 \\textasciitilde{} \\$5\\textasciicircum{}2 "
        "\\textbackslash{} back}}"
    ) in body


def test_ris_download_is_a_record_with_crlf_lines(client, talks):
    response = client.get("/events/talks/cite.ris")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    today, _ = _today()
    assert response.content.decode().split("\r\n") == [
        "TY  - ELEC",
        "TI  - Lavrov & Hussein talk oil",
        "AU  - ruiraq",
        "PB  - ruiraq",
        "T2  - ruiraq",
        "PY  - 2024",
        "DA  - 2024/05/03/",
        f"Y2  - {today:%Y/%m/%d}/",
        "UR  - http://testserver/events/talks/",
        "M3  - Event",
        "LA  - en",
        "ID  - ruiraq-event-talks",
        "ER  - ",
        "",
    ]


def test_csl_json_download_is_one_item(client, talks):
    response = client.get("/events/talks/cite.json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    today, _ = _today()
    assert json.loads(response.content) == [
        {
            "id": "ruiraq-event-talks",
            "type": "webpage",
            "title": "Lavrov & Hussein talk oil",
            "genre": "Event",
            "author": [{"literal": "ruiraq"}],
            "publisher": "ruiraq",
            "container-title": "ruiraq",
            "issued": {"date-parts": [[2024, 5, 3]]},
            "accessed": {"date-parts": [[today.year, today.month, today.day]]},
            "URL": "http://testserver/events/talks/",
            "language": "en",
        }
    ]


def test_download_costs_one_query(client, talks, django_assert_num_queries):
    # Queries: the event (the public cache is off in the tests).
    with django_assert_num_queries(1):
        assert client.get("/events/talks/cite.ris").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/events/talks/cite.pdf",  # no such format
        "/events/talks/cite.",
        "/events/nothing/cite.bib",  # no such record
        "/events/draft/cite.bib",  # not public
    ],
)
def test_bad_downloads_are_404(client, talks, url):
    factories.event(slug="draft", status="draft")
    assert client.get(url).status_code == 404


def test_russian_download_cites_the_russian_page(client):
    actor = factories.actor(name="Rosneft", name_ru="Роснефть", slug="rosneft")
    factories.citation(actor)
    body = client.get("/ru/actors/rosneft/cite.ris").content.decode()
    assert "TI  - Роснефть\r\n" in body and "UR  - http://testserver/ru/actors/rosneft/\r\n" in body


@pytest.mark.parametrize("kind", ["events", "agreements", "actors", "sources"])
def test_api_detail_gives_the_same_citation_as_the_downloads(api_client, client, kind):
    make = {
        "events": lambda: factories.event(slug="x"),
        "agreements": lambda: factories.agreement(slug="x"),
        "actors": lambda: factories.actor(slug="x"),
        "sources": lambda: factories.source(slug="x"),
    }[kind]
    record = make()
    if kind != "sources":
        factories.citation(record)
    cite = api_client.get(f"/api/v1/{kind}/{record.pk}/").json()["cite"]
    assert cite["url"] == f"http://testserver/{kind}/x/"
    assert cite["publisher"] == "ruiraq"
    assert cite["bibtex"] == client.get(f"/{kind}/x/cite.bib").content.decode()
    assert cite["ris"] == client.get(f"/{kind}/x/cite.ris").content.decode()
    assert [cite["csl"]] == json.loads(client.get(f"/{kind}/x/cite.json").content)
    assert cite["apa"].startswith("ruiraq. (") and cite["chicago"].startswith("“")


def test_api_lists_do_not_carry_the_citation(api_client, talks):
    assert "cite" not in api_client.get("/api/v1/events/").json()["results"][0]
