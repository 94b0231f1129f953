"""How the API answers: CSV lists, the JSON Lines export, ETags and 304, CORS, throttling."""

import csv
import io
import json
from collections import Counter

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from actors.api import ActorViewSet
from actors.models import Actor
from articles.api import AgreementViewSet, EventViewSet, SourceViewSet, TopicViewSet
from articles.models import Topic
from ruiraq.models import EditorialStatus
from ruiraq.seed.loader import SEED_PATH
from ruiraq.settings import env_rate
from tests import factories as f

pytestmark = pytest.mark.django_db

DRAFT = EditorialStatus.DRAFT
VIEWSETS = {
    "events": EventViewSet,
    "agreements": AgreementViewSet,
    "actors": ActorViewSet,
    "sources": SourceViewSet,
    "topics": TopicViewSet,
}


def _csv(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


@pytest.fixture
def rich():
    """A little of everything, published and not."""
    topic = f.topic(name="Energy", slug="energy")
    lavrov, hakim = f.actor(name="Sergey Lavrov"), f.actor(name="Mohammed Ali al-Hakim")
    f.alias(lavrov, "Lavrov")
    event = f.event(title="Visit, with a comma", summary='He said "yes".')
    event.topics.add(topic)
    f.participant(event, lavrov, role="host")
    f.participant(event, hakim, role="guest")
    f.participant(event, f.actor(name="Hidden", status=DRAFT))
    deal = f.agreement(title="Oil deal", value_amount=1000, value_currency="USD")
    f.party(deal, lavrov, role="signatory")
    f.citation(event)
    f.event(title="Draft", status=DRAFT)
    return event, deal


# --- CSV --------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", VIEWSETS)
def test_every_list_is_also_csv_with_the_same_records(api_client, rich, endpoint):
    rows = _csv(api_client.get(f"/api/v1/{endpoint}/?format=csv"))
    as_json = api_client.get(f"/api/v1/{endpoint}/").json()["results"]
    assert rows[0] == list(VIEWSETS[endpoint].csv_columns)
    assert [int(row[0]) for row in rows[1:]] == [record["id"] for record in as_json]


def test_csv_rows_are_flat(api_client, rich):
    event, _deal = rich
    header, row = _csv(api_client.get("/api/v1/events/?format=csv"))
    cells = dict(zip(header, row, strict=True))
    assert cells["title"] == "Visit, with a comma"
    assert cells["summary"] == 'He said "yes".'
    assert cells["when.display"] == "29 January 2019"
    assert (cells["when.start.date"], cells["when.start.precision"]) == ("2019-01-29", "day")
    assert (cells["when.end.date"], cells["when.end.precision"]) == ("", "")
    assert cells["topics.slug"] == "energy"
    assert cells["participants.actor.name"] == "Sergey Lavrov; Mohammed Ali al-Hakim"
    assert cells["participants.role"] == "host; guest"
    assert cells["url"] == f"http://testserver/api/v1/events/{event.pk}/"
    assert cells["page_url"] == f"http://testserver/events/{event.slug}/"


def test_csv_of_agreement_value_and_actor_aliases(api_client, rich):
    header, row = _csv(api_client.get("/api/v1/agreements/?format=csv"))
    cells = dict(zip(header, row, strict=True))
    assert (cells["value.amount"], cells["value.currency"]) == ("1000.00", "USD")
    assert cells["parties.role"] == "signatory"
    header, *rows = _csv(api_client.get("/api/v1/actors/?format=csv&search=lavrov"))
    assert [dict(zip(header, r, strict=True))["aliases.name"] for r in rows] == ["Lavrov"]


def test_csv_takes_the_same_filters_and_pages(api_client, rich):
    for n in range(3):
        f.event(title=f"Extra {n}", kind="talks")
    rows = _csv(api_client.get("/api/v1/events/?format=csv&kind=talks&page_size=2&page=2"))
    json_page = api_client.get("/api/v1/events/?kind=talks&page_size=2&page=2").json()
    assert [row[2] for row in rows[1:]] == [r["title"] for r in json_page["results"]] == ["Extra 2"]


def test_empty_csv_still_has_its_header(api_client):
    rows = _csv(api_client.get("/api/v1/events/?format=csv"))
    assert rows == [list(EventViewSet.csv_columns)]


def test_csv_is_a_download_and_paginates_through_headers(api_client, rich):
    for _ in range(3):
        f.topic()
    response = api_client.get("/api/v1/topics/?format=csv&page_size=2")
    assert response["Content-Disposition"] == 'attachment; filename="topics.csv"'
    assert response["X-Total-Count"] == "4"
    assert response["Link"] == (
        '<http://testserver/api/v1/topics/?format=csv&page=2&page_size=2>; rel="next", '
        '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    )


def test_csv_asked_for_by_accept_header(api_client, rich):
    response = api_client.get("/api/v1/events/", HTTP_ACCEPT="text/csv")
    assert _csv(response)[0][0] == "id"


def test_csv_with_a_bad_filter_answers_the_error_in_json(api_client):
    response = api_client.get("/api/v1/events/?format=csv&year_from=soon")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"year_from": ["Enter a whole number."]}


def test_details_have_no_csv(api_client, rich):
    event, _deal = rich
    response = api_client.get(f"/api/v1/events/{event.pk}/?format=csv")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("path", ["/api/v1/events/?format=xml", "/api/v1/search/?format=csv"])
def test_unknown_format_is_404(api_client, path):
    response = api_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_empty_format_means_json(api_client, rich):
    response = api_client.get("/api/v1/events/?format=")
    assert response["Content-Type"] == "application/json"


def test_unacceptable_accept_header_is_406(api_client):
    response = api_client.get("/api/v1/events/", HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert response.json() == {"detail": "Could not satisfy the request Accept header."}


# --- the export -------------------------------------------------------------------------------


def _lines(response):
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_export_streams_every_published_record_as_json_lines(api_client, rich):
    """Without a prepared dump (tests/test_bulk_data.py), the whole dataset is streamed."""
    event, deal = rich
    f.source(title="Draft source", status=DRAFT)
    # In review: not public either (a public() letting these through once passed the suite).
    f.source(title="Source in review", status=EditorialStatus.IN_REVIEW)
    f.actor(name="Actor in review", status=EditorialStatus.IN_REVIEW)
    f.event(title="Event in review", status=EditorialStatus.IN_REVIEW)
    records = _lines(api_client.get("/api/v1/export/"))

    by_type = {}
    for record in records:
        by_type.setdefault(record["type"], []).append(record["id"])
    assert by_type == {
        # The fixture's own records, by name: the draft source and actor are left out.
        "topic": [Topic.objects.get(slug="energy").pk],
        "source": [event.citations.get().source_id],
        "actor": [
            Actor.objects.get(name="Sergey Lavrov").pk,
            Actor.objects.get(name="Mohammed Ali al-Hakim").pk,
        ],
        "event": [event.pk],
        "agreement": [deal.pk],
        "citation": [event.citations.get().pk],
    }
    # A record is its API list entry, with the ids of the records it links to.
    exported_event = next(r for r in records if r["type"] == "event")
    (listed,) = api_client.get("/api/v1/events/").json()["results"]
    assert exported_event.pop("agreements") == list(event.agreements.values_list("pk", flat=True))
    assert exported_event == {"type": "event", **listed}
    assert "Hidden" not in json.dumps(records)
    assert "in review" not in json.dumps(records)


def test_export_is_a_download(api_client):
    response = api_client.get("/api/v1/export/")
    assert response["Content-Disposition"].startswith('attachment; filename="ruiraq-')
    assert response["Content-Disposition"].endswith('.jsonl"')


def test_export_of_the_seed_dataset(api_client, seeded):
    records = _lines(api_client.get("/api/v1/export/"))
    # Every record of seed.json is published: the export holds each of them, once, and each
    # citation of an actor, tie, event or agreement.
    seed = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    kinds = {"topic": "topics", "source": "sources", "actor": "actors", "event": "events"}
    kinds.update(agreement="agreements", tie="ties")
    expected = {kind: len(seed[key]) for kind, key in kinds.items()}
    expected["citation"] = sum(
        len(record.get("citations", []))
        for key in ("actors", "ties", "events", "agreements")
        for record in seed[key]
    )
    exported = Counter(record["type"] for record in records)
    assert exported == expected
    # Non-Latin names stay readable, not \u-escaped.
    assert any("Лавров" in json.dumps(r, ensure_ascii=False) for r in records)


# --- ETag and 304 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/",
        "/api/v1/events/",
        "/api/v1/events/{pk}/",
        "/api/v1/events/?format=csv",
        "/api/v1/search/?q=visit",
    ],
)
def test_etag_and_304_when_it_still_matches(api_client, rich, path):
    event, _deal = rich
    path = path.format(pk=event.pk)
    first = api_client.get(path)
    assert first.status_code == 200
    etag = first["ETag"]
    again = api_client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert api_client.get(path, HTTP_IF_NONE_MATCH='"something else"').status_code == 200


def test_etag_changes_with_an_edit(api_client, rich):
    event, _deal = rich
    etag = api_client.get(f"/api/v1/events/{event.pk}/")["ETag"]
    event.title = "Renamed"
    event.save()
    response = api_client.get(f"/api/v1/events/{event.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"


def test_etag_differs_by_format_and_filter(api_client, rich):
    etags = {
        api_client.get(path)["ETag"]
        for path in ("/api/v1/events/", "/api/v1/events/?format=csv", "/api/v1/events/?kind=talks")
    }
    assert len(etags) == 3


def test_a_known_etag_never_reveals_an_unpublished_record(api_client, rich):
    event, _deal = rich
    etag = api_client.get(f"/api/v1/events/{event.pk}/")["ETag"]
    event.status = EditorialStatus.WITHDRAWN
    event.save()
    response = api_client.get(f"/api/v1/events/{event.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 404


def test_errors_carry_no_etag(api_client):
    assert "ETag" not in api_client.get("/api/v1/events/?year_from=x")
    assert "ETag" not in api_client.get("/api/v1/events/1/")


# --- CORS -------------------------------------------------------------------------------------


def test_any_origin_may_read(api_client, rich):
    response = api_client.get("/api/v1/events/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    exposed = response["Access-Control-Expose-Headers"]
    assert {"ETag", "Link", "Retry-After", "X-Total-Count"} <= set(exposed.split(", "))


def test_preflight_allows_get_only(api_client):
    response = api_client.options(
        "/api/v1/events/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "if-none-match" in response["Access-Control-Allow-Headers"]


def test_cors_stays_off_the_site(client):
    response = client.get("/admin/login/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in response


# --- throttling -------------------------------------------------------------------------------


def _rate(rate):
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": rate}}
    )


@pytest.mark.parametrize("path", ["/api/v1/events/", "/api/v1/search/", "/api/v1/export/"])
def test_anonymous_clients_are_throttled_with_retry_after(api_client, path):
    """Answers from the cache count too: the throttle runs before the cache is asked."""
    with _rate("2/minute"):
        cache.clear()
        assert api_client.get(path).status_code == 200
        assert api_client.get(path).status_code == 200
        response = api_client.get(path)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Request was throttled.")
    assert 0 < int(response["Retry-After"]) <= 60


def test_throttle_counts_each_client_apart(api_client):
    with _rate("1/minute"):
        cache.clear()
        assert api_client.get("/api/v1/", REMOTE_ADDR="10.0.0.1").status_code == 200
        assert api_client.get("/api/v1/", REMOTE_ADDR="10.0.0.2").status_code == 200
        assert api_client.get("/api/v1/", REMOTE_ADDR="10.0.0.1").status_code == 429


def test_throttle_behind_a_proxy_ignores_a_forged_forwarded_for(api_client, settings):
    settings.NUM_PROXIES = 1
    with _rate("1/minute"):
        cache.clear()
        forged = {"REMOTE_ADDR": "10.0.0.9"}
        first = api_client.get("/api/v1/", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5", **forged)
        again = api_client.get("/api/v1/", HTTP_X_FORWARDED_FOR="2.2.2.2, 203.0.113.5", **forged)
        other = api_client.get("/api/v1/", HTTP_X_FORWARDED_FOR="203.0.113.6", **forged)
    assert (first.status_code, again.status_code, other.status_code) == (200, 429, 200)


def test_throttle_rate_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("API_THROTTLE_ANON", "60/minute")
    assert env_rate("API_THROTTLE_ANON", "1000/hour") == "60/minute"
    monkeypatch.delenv("API_THROTTLE_ANON")
    assert env_rate("API_THROTTLE_ANON", "1000/hour") == "1000/hour"


@pytest.mark.parametrize("value", ["lots", "10/fortnight", "-1/hour", "1000"])
def test_malformed_throttle_rate_stops_start_up(monkeypatch, value):
    monkeypatch.setenv("API_THROTTLE_ANON", value)
    with pytest.raises(ImproperlyConfigured, match="API_THROTTLE_ANON"):
        env_rate("API_THROTTLE_ANON", "1000/hour")


# --- the public cache -------------------------------------------------------------------------


def test_a_repeated_request_is_answered_from_the_cache(api_client, rich, django_assert_num_queries):
    first = api_client.get("/api/v1/events/")
    with django_assert_num_queries(0):
        again = api_client.get("/api/v1/events/")
    assert (first["X-Cache"], again["X-Cache"]) == ("miss", "hit")
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["X-Total-Count"] == first["X-Total-Count"]


def test_the_cache_keeps_formats_apart(api_client, rich):
    api_client.get("/api/v1/events/")
    as_csv = api_client.get("/api/v1/events/?format=csv")
    by_accept = api_client.get("/api/v1/events/", HTTP_ACCEPT="text/csv")
    assert as_csv["Content-Type"] == by_accept["Content-Type"] == "text/csv; charset=utf-8"


def test_an_edit_empties_the_cache(api_client, rich):
    event, _deal = rich
    api_client.get(f"/api/v1/events/{event.pk}/")
    event.title = "Renamed"
    event.save()
    response = api_client.get(f"/api/v1/events/{event.pk}/")
    assert response["X-Cache"] == "miss"
    assert response.json()["title"] == "Renamed"


def test_the_cache_can_be_turned_off(api_client, rich, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    api_client.get("/api/v1/events/")
    assert "X-Cache" not in api_client.get("/api/v1/events/")


def test_errors_are_not_cached(api_client):
    api_client.get("/api/v1/events/?year_from=x")
    assert "X-Cache" not in api_client.get("/api/v1/events/?year_from=x")
