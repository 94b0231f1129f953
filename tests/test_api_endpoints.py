"""The read API's endpoints: what each list and detail shows, and that nothing unpublished leaks."""

import datetime as dt
import json
from collections import Counter
from decimal import Decimal

import pytest

from ruiraq.models import EditorialStatus
from ruiraq.seed.loader import SEED_PATH
from tests import factories as f

pytestmark = pytest.mark.django_db

DRAFT = EditorialStatus.DRAFT
UNPUBLISHED = [EditorialStatus.DRAFT, EditorialStatus.IN_REVIEW, EditorialStatus.WITHDRAWN]
HOST = "http://testserver"

#: endpoint → a factory making one record of it with the given editorial status.
EDITORIAL = {
    "events": lambda status: f.event(status=status),
    "agreements": lambda status: f.agreement(status=status),
    "actors": lambda status: f.actor(status=status),
    "sources": lambda status: f.source(status=status),
}


def _ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- the root ---------------------------------------------------------------------------------


def test_root_links_every_endpoint(api_client):
    response = api_client.get("/api/v1/")
    assert response.status_code == 200
    assert response.json() == {
        "events": f"{HOST}/api/v1/events/",
        "agreements": f"{HOST}/api/v1/agreements/",
        "actors": f"{HOST}/api/v1/actors/",
        "sources": f"{HOST}/api/v1/sources/",
        "topics": f"{HOST}/api/v1/topics/",
        "search": f"{HOST}/api/v1/search/",
        "export": f"{HOST}/api/v1/export/",
        "export_ftm": f"{HOST}/api/v1/export/ftm/",
        "changes": f"{HOST}/api/v1/changes/",
        "corrections": f"{HOST}/api/v1/corrections/",
        "schema": f"{HOST}/api/v1/schema/",
        "docs": f"{HOST}/api/v1/docs/",
        "licence": {
            "name": "CC BY 4.0",
            "url": "https://creativecommons.org/licenses/by/4.0/",
            "page_url": f"{HOST}/licence/",
        },
    }
    links = {k: v for k, v in response.json().items() if k != "licence"}
    for url in links.values():
        assert api_client.get(url.removeprefix(HOST)).status_code == 200, url


# --- published records only -------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", EDITORIAL)
def test_list_shows_published_records_only(api_client, endpoint):
    published = EDITORIAL[endpoint](EditorialStatus.PUBLISHED)
    for status in UNPUBLISHED:
        EDITORIAL[endpoint](status)
    response = api_client.get(f"/api/v1/{endpoint}/")
    assert _ids(response) == [published.pk]
    assert response.json()["count"] == 1


@pytest.mark.parametrize("status", UNPUBLISHED)
@pytest.mark.parametrize("endpoint", EDITORIAL)
def test_detail_of_unpublished_record_is_404(api_client, endpoint, status):
    record = EDITORIAL[endpoint](status)
    response = api_client.get(f"/api/v1/{endpoint}/{record.pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": f"No {type(record).__name__} matches the given query."}


@pytest.mark.parametrize("endpoint", [*EDITORIAL, "topics"])
@pytest.mark.parametrize("pk", ["999999", "999999999999999999"])
def test_unknown_id_is_404(api_client, endpoint, pk):
    response = api_client.get(f"/api/v1/{endpoint}/{pk}/")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "path",
    [
        # (A slug, "sergey-lavrov" or "-1", is looked up: tests/test_research_slugs.py.)
        "/api/v1/events/sergey lavrov/",
        "/api/v1/events/9999999999999999999999999/",  # longer than any database id
        "/api/v1/nothing-here/",
        "/api/v1/events/1/extra/",
    ],
)
def test_any_other_address_is_a_json_404(api_client, path):
    response = api_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "No API endpoint at this address."}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path",
    ["/api/v1/", "/api/v1/events/", "/api/v1/events/{pk}/", "/api/v1/search/", "/api/v1/export/"],
)
def test_writing_is_405(api_client, method, path):
    event = f.event()
    response = getattr(api_client, method)(path.format(pk=event.pk), {"title": "x"}, format="json")
    assert response.status_code == 405
    assert response.json()["detail"] == f'Method "{method.upper()}" not allowed.'
    assert "POST" not in response["Allow"]
    event.refresh_from_db()
    assert event.title != "x"


# --- events -----------------------------------------------------------------------------------


def test_event_detail_holds_everything_its_page_shows(api_client):
    defence = f.topic(name="Defence", slug="defence")
    event = f.event(
        title="Talks in Moscow",
        kind="talks",
        place="Moscow",
        country="RU",
        summary="They talked.",
        start_date=dt.date(2019, 1, 29),
        end_date=dt.date(2019, 1, 30),
    )
    event.topics.add(defence)
    lavrov = f.actor(name="Sergey Lavrov")
    f.participant(event, lavrov, role="host")
    deal = f.agreement(title="T-90 contract")
    event.agreements.add(deal)
    source = f.source(title="Al-Monitor report", published_date=dt.date(2019, 2, 1))
    quote = f.citation(event, source, quote="Lavrov met al-Hakim.", locator="para 2")

    response = api_client.get(f"/api/v1/events/{event.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == event.pk
    assert body["slug"] == event.slug
    assert body["url"] == f"{HOST}/api/v1/events/{event.pk}/"
    assert body["page_url"] == f"{HOST}/events/{event.slug}/"
    assert body["title"] == "Talks in Moscow"
    assert (body["kind"], body["event_status"]) == ("talks", "occurred")
    assert (body["place"], body["country"], body["summary"]) == ("Moscow", "RU", "They talked.")
    assert body["when"] == {
        "start": {"date": "2019-01-29", "precision": "day", "display": "29 January 2019"},
        "end": {"date": "2019-01-30", "precision": "day", "display": "30 January 2019"},
        "display": "29–30 January 2019",
    }
    assert body["topics"] == [
        {
            "id": defence.pk,
            "slug": "defence",
            "name": "Defence",
            "languages": {"name": "en"},
            "url": f"{HOST}/api/v1/topics/{defence.pk}/",
        }
    ]
    assert body["participants"] == [
        {
            "role": "host",
            "note": "",
            "actor": {
                "id": lavrov.pk,
                "slug": lavrov.slug,
                "name": "Sergey Lavrov",
                "kind": "person",
                "url": f"{HOST}/api/v1/actors/{lavrov.pk}/",
                "page_url": f"{HOST}/actors/{lavrov.slug}/",
            },
        }
    ]
    assert [a["id"] for a in body["agreements"]] == [deal.pk]
    assert body["agreements"][0]["when"]["display"] == "2017"
    assert body["citations"] == [
        {
            "id": quote.pk,
            "quote": "Lavrov met al-Hakim.",
            "editors_translation": None,
            "stance": "supports",
            "locator": "para 2",
            "verified": False,
            "source": {
                "id": source.pk,
                "slug": source.slug,
                "title": "Al-Monitor report",
                "outlet": "Example Outlet",
                "published": {
                    "date": "2019-02-01",
                    "precision": "day",
                    "display": "1 February 2019",
                },
                "source_url": source.url,
                "url": f"{HOST}/api/v1/sources/{source.pk}/",
                "page_url": f"{HOST}/sources/{source.slug}/",
            },
            "page_url": f"{HOST}/sources/{source.slug}/#citation-{quote.pk}",
        }
    ]
    assert "editorial_note" not in body and "status" not in body


def test_event_hides_unpublished_participants_agreements_and_evidence(api_client):
    event = f.event()
    shown = f.actor(name="Shown")
    f.participant(event, shown)
    f.participant(event, f.actor(name="Hidden", status=DRAFT))
    event.agreements.add(f.agreement(status=DRAFT))
    kept = f.citation(event, f.source())
    f.citation(event, f.source(status=DRAFT))
    f.citation(event, f.source(status=EditorialStatus.WITHDRAWN))

    list_row = api_client.get("/api/v1/events/").json()["results"][0]
    detail = api_client.get(f"/api/v1/events/{event.pk}/").json()

    for body in (list_row, detail):
        assert [p["actor"]["name"] for p in body["participants"]] == ["Shown"]
    assert detail["agreements"] == []
    assert [c["id"] for c in detail["citations"]] == [kept.pk]


def test_event_span_with_year_and_open_end(api_client):
    event = f.event(start_date=dt.date(2014, 6, 1), start_precision="year")
    body = api_client.get(f"/api/v1/events/{event.pk}/").json()
    assert body["when"] == {
        "start": {"date": "2014-01-01", "precision": "year", "display": "2014"},
        "end": None,
        "display": "2014",
    }


def test_event_without_a_date_has_an_empty_span(api_client):
    event = f.event(start_date=None)
    body = api_client.get(f"/api/v1/events/{event.pk}/").json()
    assert body["when"] == {"start": None, "end": None, "display": "Date not known"}


# --- agreements -------------------------------------------------------------------------------


def test_agreement_detail_holds_value_parties_events_and_evidence(api_client):
    deal = f.agreement(
        title="S-400",
        agreement_status="denied",
        value_amount=Decimal("4000000000"),
        value_currency="USD",
        value_qualifier="more_than",
    )
    russia, iraq = f.actor(name="Russia", kind="state"), f.actor(name="Iraq", kind="state")
    f.party(deal, russia, role="supplier")
    f.party(deal, iraq, role="buyer")
    f.party(deal, f.actor(name="Draft Co", status=DRAFT), role="operator")
    signing = f.event(title="Signing")
    signing.agreements.add(deal)
    f.event(title="Draft signing", status=DRAFT).agreements.add(deal)
    supports = f.citation(deal, quote="Iraq is buying S-400.")
    disputes = f.citation(deal, quote="Iraq denies it.", stance="disputes")

    body = api_client.get(f"/api/v1/agreements/{deal.pk}/").json()

    assert body["agreement_status"] == "denied"
    assert body["value"] == {
        "amount": "4000000000.00",
        "currency": "USD",
        "qualifier": "more_than",
        "display": "more than 4,000,000,000 USD",
    }
    assert [(p["role"], p["actor"]["name"]) for p in body["parties"]] == [
        ("supplier", "Russia"),
        ("buyer", "Iraq"),
    ]
    assert [e["title"] for e in body["events"]] == ["Signing"]
    assert [(c["id"], c["stance"]) for c in body["citations"]] == [
        (supports.pk, "supports"),
        (disputes.pk, "disputes"),
    ]
    assert body["page_url"] == f"{HOST}/agreements/{deal.slug}/"


def test_agreement_without_a_value_has_null_value(api_client):
    deal = f.agreement()
    assert api_client.get(f"/api/v1/agreements/{deal.pk}/").json()["value"] is None
    assert api_client.get("/api/v1/agreements/").json()["results"][0]["value"] is None


# --- actors -----------------------------------------------------------------------------------


def test_actor_detail_holds_names_ties_events_agreements_and_evidence(api_client):
    maximov = f.actor(
        name="Maxim Maximov",
        name_ru="Максим Максимов",
        name_ar="مكسيم مكسيموف",
        country="RU",
        description="Russia's ambassador in Iraq.",
        wikidata_id="Q4115189",
    )
    f.alias(maximov, "Maksim Maksimov", kind="transliteration")
    russia = f.actor(name="Russia", kind="state")
    embassy_staff = f.actor(name="Attaché")
    post = f.tie(
        maximov,
        russia,
        title="Ambassador of Russia to Iraq",
        start_date=dt.date(2015, 1, 1),
        start_precision="year",
    )
    post_evidence = f.citation(post, quote="Maxim Maximov, Russia's ambassador in Iraq")
    f.tie(maximov, f.actor(name="Draft body", status=DRAFT), title="Hidden: draft object")
    f.tie(maximov, russia, title="Hidden: draft tie", status=DRAFT)
    incoming = f.tie(embassy_staff, maximov, kind="membership", title="Staff of the ambassador")
    visit = f.event(title="Visit", start_date=dt.date(2019, 1, 29))
    f.participant(visit, maximov, role="guest")
    f.participant(f.event(title="Draft visit", status=DRAFT), maximov)
    contract = f.agreement(title="Contract")
    f.party(contract, maximov, role="signatory")
    f.party(f.agreement(title="Draft contract", status=DRAFT), maximov)
    about = f.citation(maximov, quote="the ambassador said")
    f.citation(maximov, f.source(status=DRAFT), quote="hidden")

    body = api_client.get(f"/api/v1/actors/{maximov.pk}/").json()

    assert (body["name"], body["name_ru"], body["name_ar"]) == (
        "Maxim Maximov",
        "Максим Максимов",
        "مكسيم مكسيموف",
    )
    assert body["aliases"] == [
        {"name": "Maksim Maksimov", "language": "en", "kind": "transliteration"}
    ]
    assert (body["country"], body["description"]) == ("RU", "Russia's ambassador in Iraq.")
    assert body["wikidata_url"] == "https://www.wikidata.org/wiki/Q4115189"
    assert [t["id"] for t in body["ties"]] == [post.pk]
    tie = body["ties"][0]
    assert tie["title"] == "Ambassador of Russia to Iraq"
    assert tie["when"]["display"] == "2015"
    assert tie["object"]["name"] == "Russia"
    assert tie["page_url"] == f"{HOST}/actors/{maximov.slug}/#tie-{post.pk}"
    assert [c["id"] for c in tie["citations"]] == [post_evidence.pk]
    assert [t["id"] for t in body["incoming_ties"]] == [incoming.pk]
    assert body["incoming_ties"][0]["subject"]["name"] == "Attaché"
    assert [(e["role"], e["event"]["title"]) for e in body["events"]] == [("guest", "Visit")]
    assert [(a["role"], a["agreement"]["title"]) for a in body["agreements"]] == [
        ("signatory", "Contract")
    ]
    assert [c["id"] for c in body["citations"]] == [about.pk]


def test_actor_events_are_latest_first(api_client):
    actor = f.actor()
    for year in (2015, 2019, 2017):
        f.participant(f.event(title=f"In {year}", start_date=dt.date(year, 1, 1)), actor)
    body = api_client.get(f"/api/v1/actors/{actor.pk}/").json()
    assert [e["event"]["title"] for e in body["events"]] == ["In 2019", "In 2017", "In 2015"]


def test_actor_list_row(api_client):
    actor = f.actor(name="Rosneft", kind="company", country="RU")
    f.alias(actor, "НК Роснефть", language="ru")
    (row,) = api_client.get("/api/v1/actors/").json()["results"]
    assert row == {
        "id": actor.pk,
        "slug": "rosneft",
        "url": f"{HOST}/api/v1/actors/{actor.pk}/",
        "page_url": f"{HOST}/actors/rosneft/",
        "kind": "company",
        "name": "Rosneft",
        "name_ru": "",
        "name_ar": "",
        "country": "RU",
        "country_name": "Russia",
        "wikidata_id": "",
        "aliases": [{"name": "НК Роснефть", "language": "ru", "kind": "variant"}],
        "updated_at": row["updated_at"],
    }


# --- sources ----------------------------------------------------------------------------------


def test_source_detail_lists_every_public_claim_citing_it(api_client):
    source = f.source(title="RIAC analysis", url="", published_date=dt.date(2018, 5, 1))
    source.published_precision = "month"
    source.save()
    event, deal, actor = f.event(title="Visit"), f.agreement(title="Deal"), f.actor(name="Lavrov")
    tie = f.tie(actor, f.actor(name="Russia", kind="state"), title="Foreign minister")
    cites = [
        f.citation(event, source, locator="p. 1"),
        f.citation(deal, source, stance="disputes"),
        f.citation(actor, source),
        f.citation(tie, source),
    ]
    f.citation(f.event(status=DRAFT), source)
    f.citation(f.actor(status=DRAFT), source)
    f.citation(f.tie(actor, f.actor(status=DRAFT)), source)

    body = api_client.get(f"/api/v1/sources/{source.pk}/").json()

    assert body["published"] == {"date": "2018-05-01", "precision": "month", "display": "May 2018"}
    assert body["source_url"] is None
    assert [c["id"] for c in body["citations"]] == [c.pk for c in cites]
    records = [c["record"] for c in body["citations"]]
    assert [(r["type"], r["id"]) for r in records] == [
        ("event", event.pk),
        ("agreement", deal.pk),
        ("actor", actor.pk),
        ("tie", tie.pk),
    ]
    assert records[0] == {
        "type": "event",
        "id": event.pk,
        "slug": event.slug,
        "title": "Visit",
        "url": f"{HOST}/api/v1/events/{event.pk}/",
        "page_url": f"{HOST}/events/{event.slug}/",
    }
    assert records[3]["slug"] is None
    assert records[3]["title"] == "Lavrov: Foreign minister (Russia)"
    assert records[3]["url"] == f"{HOST}/api/v1/actors/{actor.pk}/"
    assert records[3]["page_url"] == f"{HOST}/actors/{actor.slug}/#tie-{tie.pk}"
    assert body["citations"][1]["stance"] == "disputes"


def test_source_links_to_public_originals_and_copies_only(api_client):
    original = f.source(title="Original")
    draft_original = f.source(title="Draft original", status=DRAFT)
    copy = f.source(title="Copy", republishes=original, translation_of=draft_original)
    f.source(title="Draft copy", republishes=original, status=DRAFT)
    translation = f.source(title="Translation", translation_of=original)

    copy_body = api_client.get(f"/api/v1/sources/{copy.pk}/").json()
    original_body = api_client.get(f"/api/v1/sources/{original.pk}/").json()

    assert copy_body["republishes"]["id"] == original.pk
    assert copy_body["translation_of"] is None
    assert [s["title"] for s in original_body["republications"]] == ["Copy"]
    assert [s["id"] for s in original_body["translations"]] == [translation.pk]


# --- topics -----------------------------------------------------------------------------------


def test_topic_counts_published_records_only(api_client):
    energy = f.topic(name="Energy", slug="energy")
    for status in (EditorialStatus.PUBLISHED, EditorialStatus.PUBLISHED, DRAFT):
        f.event(status=status).topics.add(energy)
    f.agreement().topics.add(energy)
    f.agreement(status=EditorialStatus.IN_REVIEW).topics.add(energy)
    f.topic(name="Culture", slug="culture")

    rows = api_client.get("/api/v1/topics/").json()["results"]
    detail = api_client.get(f"/api/v1/topics/{energy.pk}/").json()

    assert [(r["name"], r["event_count"], r["agreement_count"]) for r in rows] == [
        ("Culture", 0, 0),
        ("Energy", 2, 1),
    ]
    assert detail == rows[1]
    assert detail["events_url"] == f"{HOST}/api/v1/events/?topic=energy"
    assert detail["agreements_url"] == f"{HOST}/api/v1/agreements/?topic=energy"
    assert detail["page_url"] == f"{HOST}/events/?topic=energy"


# --- search -----------------------------------------------------------------------------------


def test_search_groups_public_hits_by_kind(api_client):
    lavrov = f.actor(name="Sergey Lavrov")
    f.actor(name="Lavrov draft", status=DRAFT)
    talks = f.event(title="Lavrov talks")
    f.agreement(title="Unrelated")
    source = f.source(title="Lavrov interview")

    body = api_client.get("/api/v1/search/", {"q": "lavrov"}).json()

    assert body["query"] == "lavrov"
    assert list(body["results"]) == ["actor", "event", "agreement", "source"]
    assert body["results"]["actor"] == {
        "count": 1,
        "list_url": f"{HOST}/api/v1/actors/?search=lavrov",
        "hits": [
            {
                "kind": "actor",
                "id": lavrov.pk,
                "slug": lavrov.slug,
                "title": "Sergey Lavrov",
                "url": f"{HOST}/api/v1/actors/{lavrov.pk}/",
                "page_url": f"{HOST}/actors/{lavrov.slug}/",
            }
        ],
    }
    assert [h["id"] for h in body["results"]["event"]["hits"]] == [talks.pk]
    assert body["results"]["agreement"] == {
        "count": 0,
        "list_url": f"{HOST}/api/v1/agreements/?search=lavrov",
        "hits": [],
    }
    assert body["results"]["source"]["hits"][0]["title"] == source.title


def test_search_by_kind_and_limit(api_client):
    for n in range(3):
        f.event(title=f"Moscow talks {n}")
        f.actor(name=f"Moscow body {n}")
    body = api_client.get("/api/v1/search/?q=moscow&kind=event&limit=2").json()
    assert list(body["results"]) == ["event"]
    assert body["results"]["event"]["count"] == 3
    assert len(body["results"]["event"]["hits"]) == 2


def test_search_counts_every_match_beyond_the_ranked_few(api_client, monkeypatch):
    # Only SEARCH_CANDIDATES records are ranked; the count is of every match.
    monkeypatch.setattr("ruiraq.search.matching.SEARCH_CANDIDATES", 2)
    for n in range(4):
        f.event(title=f"Basra port talks {n}")
    f.event(title="Unrelated visit")
    body = api_client.get("/api/v1/search/?q=basra&kind=event&limit=10").json()
    assert body["results"]["event"]["count"] == 4
    assert len(body["results"]["event"]["hits"]) == 2


@pytest.mark.parametrize("query", ["!!!", "«»", "- -"])
def test_search_with_no_word_counts_nothing(api_client, query):
    f.event(title="Basra port talks")
    body = api_client.get("/api/v1/search/", {"q": query, "kind": "event"}).json()
    assert body["results"]["event"] == {**body["results"]["event"], "count": 0, "hits": []}


def test_empty_search_finds_nothing(api_client):
    f.event()
    body = api_client.get("/api/v1/search/").json()
    assert body["query"] == ""
    assert all(group["count"] == 0 for group in body["results"].values())


@pytest.mark.parametrize(
    "query, bad",
    [
        ("kind=tie", "kind"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("q=" + "x" * 1001, "q"),
        ("q=a%00b", "q"),
    ],
)
def test_bad_search_parameter_is_400_naming_it(api_client, query, bad):
    response = api_client.get(f"/api/v1/search/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [bad]


# --- the seed dataset -------------------------------------------------------------------------


def _seed_quotes(citations):
    return sorted(c["quote"] for c in citations)


def test_every_published_seed_record_is_reachable_with_its_evidence(api_client, seeded):
    # What the API must show comes from seed.json, the data this test loads (every record of
    # it is published), never from the public() rule the API is built on.
    seed = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    ids = {}
    for key in ("events", "agreements", "actors"):
        listed = api_client.get(f"/api/v1/{key}/?page_size=100").json()
        assert listed["count"] == len(seed[key])
        ids[key] = {row["slug"]: row["id"] for row in listed["results"]}
        assert sorted(ids[key]) == sorted(record["slug"] for record in seed[key])
        for record in seed[key]:
            body = api_client.get(f"/api/v1/{key}/{ids[key][record['slug']]}/").json()
            quotes = _seed_quotes(record["citations"])
            assert _seed_quotes(body["citations"]) == quotes, record["slug"]
            assert all(c["source"]["title"] for c in body["citations"])
    for tie in seed["ties"]:
        body = api_client.get(f"/api/v1/actors/{ids['actors'][tie['subject']]}/").json()
        (shown,) = [
            t
            for t in body["ties"]
            if (t["object"]["slug"], t["kind"], t["title"])
            == (tie["object"], tie["kind"], tie["title"])
        ]
        assert _seed_quotes(shown["citations"]) == _seed_quotes(tie["citations"])
    cited = Counter(
        citation["source"]
        for key in ("events", "agreements", "actors", "ties")
        for record in seed[key]
        for citation in record["citations"]
    )
    sources = api_client.get("/api/v1/sources/?page_size=100").json()
    assert sorted(row["slug"] for row in sources["results"]) == sorted(
        source["slug"] for source in seed["sources"]
    )
    for row in sources["results"]:
        body = api_client.get(f"/api/v1/sources/{row['id']}/").json()
        assert len(body["citations"]) == cited[row["slug"]], row["slug"]
    topics = api_client.get("/api/v1/topics/").json()
    assert topics["count"] == len(seed["topics"])
