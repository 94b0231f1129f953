"""schema.org JSON-LD on every record page: parsed from the page's
``<script type="application/ld+json">``, with the keys each type needs, under the CSP."""

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest

from ruiraq.models import EditorialStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.blocks, self._in = [], False

    def handle_starttag(self, tag, attrs):
        self._in = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        if self._in:
            self.blocks.append("")

    def handle_endtag(self, tag):
        self._in = False

    def handle_data(self, data):
        if self._in:
            self.blocks[-1] += data


def _json_ld(response):
    assert response.status_code == 200
    parser = _Scripts()
    parser.feed(response.content.decode())
    (block,) = parser.blocks
    return json.loads(block)


def _common(doc, path):
    assert doc["@context"] == "https://schema.org"
    assert doc["url"] == f"http://testserver{path}"
    assert doc["@id"] == f"http://testserver{path}#record"


def test_an_actor_page_describes_a_person_with_its_names_and_wikidata(client):
    lavrov = f.actor(
        name="Sergey Lavrov",
        name_ru="Сергей Лавров",
        name_ar="سيرغي لافروف",
        country="RU",
        wikidata_id="Q80090",
        description="Foreign minister of Russia.",
    )
    f.alias(lavrov, "Sergei Lavrov")
    source = f.source(title="Lavrov visits", url="https://example.org/lavrov")
    f.citation(lavrov, source)
    doc = _json_ld(client.get(lavrov.get_absolute_url()))
    _common(doc, lavrov.get_absolute_url())
    assert doc["@type"] == "Person"
    assert doc["name"] == "Sergey Lavrov"
    assert doc["alternateName"] == ["Сергей Лавров", "سيرغي لافروف", "Sergei Lavrov"]
    assert doc["sameAs"] == ["https://www.wikidata.org/wiki/Q80090"]
    assert doc["nationality"] == {"@type": "Country", "identifier": "RU", "name": "Russia"}
    assert doc["subjectOf"] == [
        {"@type": "CreativeWork", "name": "Lavrov visits", "url": "https://example.org/lavrov"}
    ]


@pytest.mark.parametrize(
    "kind, schema_type",
    [
        ("state", "GovernmentOrganization"),
        ("government_body", "GovernmentOrganization"),
        ("company", "Corporation"),
        ("party", "Organization"),
        ("media", "NewsMediaOrganization"),
    ],
)
def test_organisations_have_their_schema_type(client, kind, schema_type):
    actor = f.actor(name="Something", kind=kind, country="IQ")
    doc = _json_ld(client.get(actor.get_absolute_url()))
    assert doc["@type"] == schema_type
    assert "sameAs" not in doc  # no Wikidata id: nothing to point at
    assert doc["areaServed"] == {"@type": "Country", "identifier": "IQ", "name": "Iraq"}


def test_an_event_page_describes_the_event(client):
    host = f.actor(name="Iraqi Oil Ministry", kind="government_body")
    guest = f.actor(name="Sergey Lavrov")
    event = f.event(
        title="Talks in <Baghdad> & more",
        start_date=dt.date(2019, 3, 1),
        start_precision="month",
        place="Baghdad",
        country="IQ",
    )
    f.participant(event, host, role="host")
    f.participant(event, guest, role="guest")
    event.topics.add(f.topic(name="Energy"))
    doc = _json_ld(client.get(event.get_absolute_url()))
    _common(doc, event.get_absolute_url())
    assert doc["@type"] == "Event"
    assert doc["name"] == "Talks in <Baghdad> & more"  # escaped in the page, intact in JSON
    assert doc["startDate"] == "2019-03"
    assert doc["eventStatus"] == "https://schema.org/EventScheduled"
    assert doc["location"]["address"]["addressCountry"] == "IQ"
    assert doc["organizer"] == [
        {
            "@type": "GovernmentOrganization",
            "name": "Iraqi Oil Ministry",
            "url": f"http://testserver{host.get_absolute_url()}",
        }
    ]
    assert [a["name"] for a in doc["attendee"]] == ["Sergey Lavrov"]
    assert doc["keywords"] == ["Energy"]


def test_the_json_cannot_close_its_script_element(client):
    event = f.event(title="</script><script>alert(1)</script>")
    html = client.get(event.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    assert "<" not in block and ">" not in block
    assert json.loads(block)["name"] == "</script><script>alert(1)</script>"


def test_an_agreement_page_describes_the_agreement(client):
    deal = f.agreement(title="West Qurna-2", agreement_status="signed")
    f.party(deal, f.actor(name="Lukoil", kind="company"), role="supplier")
    doc = _json_ld(client.get(deal.get_absolute_url()))
    _common(doc, deal.get_absolute_url())
    assert doc["@type"] == "CreativeWork"
    assert doc["name"] == "West Qurna-2"
    assert doc["dateCreated"] == "2017"
    assert doc["creativeWorkStatus"] == "signed"
    assert doc["contributor"][0]["@type"] == "Corporation"


@pytest.mark.parametrize(
    "kind, schema_type", [("news", "NewsArticle"), ("analysis", "CreativeWork")]
)
def test_a_source_page_describes_the_article(client, kind, schema_type):
    source = f.source(
        title="Lavrov in Baghdad",
        kind=kind,
        authors="A. Writer, B. Writer",
        outlet="Interfax",
        language="ru",
        url="https://example.org/a",
    )
    doc = _json_ld(client.get(source.get_absolute_url()))
    _common(doc, source.get_absolute_url())
    assert doc["@type"] == schema_type
    assert doc["headline"] == "Lavrov in Baghdad"
    assert doc["datePublished"] == "2019-01-31"
    assert doc["author"] == [
        {"@type": "Person", "name": "A. Writer"},
        {"@type": "Person", "name": "B. Writer"},
    ]
    assert doc["publisher"] == {"@type": "Organization", "name": "Interfax"}
    assert doc["sameAs"] == ["https://example.org/a"]
    assert doc["inLanguage"] == "ru"


def test_the_csp_stays_strict_and_pages_in_other_languages_carry_it_too(client):
    actor = f.actor(name="Sergey Lavrov", name_ru="Сергей Лавров")
    path = f"/ru{actor.get_absolute_url()}"
    response = client.get(path)
    doc = _json_ld(response)
    assert doc["url"] == f"http://testserver{path}"
    # A data block is not executed: no 'unsafe-inline' was needed.
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_a_preview_has_no_structured_data(admin_client):
    draft = f.event(status=EditorialStatus.DRAFT)
    response = admin_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert b"application/ld+json" not in response.content


def test_json_ld_costs_no_query(client, django_assert_num_queries):
    """The page's queries are those the detail view already ran (tests/test_site_queries.py)."""
    event = f.event()
    for i in range(3):
        f.participant(event, f.actor(name=f"A{i}"))
        f.citation(event)
    # The event, topics, participants (with actors), agreements, citations, corrections.
    with django_assert_num_queries(6):
        _json_ld(client.get(event.get_absolute_url()))
