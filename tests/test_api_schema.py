"""The OpenAPI schema: valid, complete, served with offline docs, and true of the live API."""

import datetime as dt

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ruiraq.wsgi import application
from tests import factories as f

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


def _beyond_the_schema(query):
    """Whether a well-formed query breaks a rule OpenAPI cannot state: a slug that must name a
    record — a ``topic`` (topics are edited in the admin, so the schema cannot list them), or
    a published actor (the network's ``actor``, an edge's ``source`` and ``target``; the
    lists' ``actor`` and ``party``, a name or slug that must fit exactly one): each a
    documented 400 naming the parameter; the timeline's ``year`` with a range; given empty,
    an edge's ``source`` and ``target``
    (required) are missing, also a documented 400; a cursor the API did not give, or a page
    number in a cursor walk. (A reversed year or value range is not
    one: it matches nothing.)"""
    if any(name in query for name in ("topic", "actor", "party", "source", "target")):
        return True
    # A cursor must be one the API gave (a documented 400 naming it), and a cursor walk takes
    # no page number (a documented 400 naming ``page``).
    if query.get("cursor") or (query.get("pagination") == "cursor" and query.get("page")):
        return True
    # The timeline takes one year or a range, not both: a documented 400 naming ``year``.
    return bool(query.get("year")) and bool(query.get("year_from") or query.get("year_to"))


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Let schemathesis call the real WSGI application inside the test's transaction.

    Django closes the database connection when a request ends (``close_old_connections``);
    inside a test that would end its transaction, so, as Django's own test client does,
    the signal is disconnected while the test runs.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def sample(db):
    """A few linked records of every kind, so lists, details and search answer with data.

    (The whole seed dataset is checked against the schema below; loading it for every
    operation here would double the run.)
    """
    energy = f.topic(name="Energy", slug="energy")
    russia, iraq = f.actor(name="Russia", kind="state"), f.actor(name="Iraq", kind="state")
    f.alias(russia, "Россия", language="ru")
    f.citation(f.tie(f.actor(name="Envoy"), russia), f.source(url=""))
    event = f.event(title="Visit", end_date=dt.date(2019, 1, 30))
    event.topics.add(energy)
    f.participant(event, russia, role="host")
    deal = f.agreement(title="Oil deal", value_amount=10**9, value_currency="USD")
    deal.topics.add(energy)
    f.party(deal, iraq, role="buyer")
    event.agreements.add(deal)
    for record in (event, deal, russia):
        f.citation(record)


@pytest.mark.usefixtures("sample", "wsgi_keeps_the_test_connection")
@schema.parametrize()
@hypothesis_settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    """No 5xx, every answer documented and conforming, bad input refused, good input served."""
    cache.clear()  # the anonymous throttle counts in the cache
    # Such a query may be refused though well-formed; every other check still runs on it.
    excluded = [positive_data_acceptance] if _beyond_the_schema(case.query or {}) else []
    case.call_and_validate(excluded_checks=excluded)


# --- the schema itself ------------------------------------------------------------------------


@pytest.fixture
def openapi(api_client):
    response = api_client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_schema_is_valid_openapi_3(openapi):
    validate(openapi)
    assert openapi["openapi"].startswith("3.")


def test_schema_describes_every_endpoint(openapi):
    assert sorted(openapi["paths"]) == [
        "/api/v1/",
        "/api/v1/actors/",
        "/api/v1/actors/{id}/",
        "/api/v1/actors/{slug}/",
        "/api/v1/agreements/",
        "/api/v1/agreements/{id}/",
        "/api/v1/agreements/{slug}/",
        "/api/v1/changes/",
        "/api/v1/corrections/",
        "/api/v1/events/",
        "/api/v1/events/{id}/",
        "/api/v1/events/{slug}/",
        "/api/v1/export/",
        "/api/v1/export/dump/",
        "/api/v1/export/ftm/",
        "/api/v1/network/",
        "/api/v1/network/edge/",
        "/api/v1/search/",
        "/api/v1/sources/",
        "/api/v1/sources/{id}/",
        "/api/v1/sources/{slug}/",
        "/api/v1/timeline/",
        "/api/v1/topics/",
        "/api/v1/topics/{id}/",
        "/api/v1/topics/{slug}/",
    ]
    assert {method for _path, method, _op in _operations(openapi)} == {"get"}


def test_every_operation_declares_its_errors(openapi):
    for path, _method, operation in _operations(openapi):
        codes = set(operation["responses"])
        # A slug route answers with a redirect to the record's id route, never a body.
        success = {"301", "302"} if path.endswith("{slug}/") else {"200"}
        assert success | {"405", "406", "429"} <= codes, path
        if path != "/api/v1/":
            assert "404" in codes, path
        takes_query = any(p["in"] == "query" for p in operation.get("parameters", []))
        assert ("400" in codes) == takes_query, path
        for code in codes - {"200", "301", "302", "304"}:
            schema = operation["responses"][code]["content"]["application/json"]["schema"]
            assert schema, (path, code)


def test_every_parameter_is_described(openapi):
    for path, _method, operation in _operations(openapi):
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (path, parameter["name"])
            if parameter["in"] == "query":
                assert parameter["allowEmptyValue"] is True, (path, parameter["name"])


def test_list_parameters_are_the_filtersets(openapi):
    def names(path):
        operation = openapi["paths"][path]["get"]
        return {p["name"] for p in operation["parameters"] if p["in"] == "query"}

    common = {
        *("format", "lang", "page", "page_size", "pagination", "cursor"),
        *("search", "ordering", "updated_since"),
    }
    assert names("/api/v1/events/") == common | {
        "kind",
        "event_status",
        "topic",
        "actor",
        "country",
        "year_from",
        "year_to",
    }
    assert names("/api/v1/agreements/") == common | {
        "kind",
        "agreement_status",
        "topic",
        "party",
        "year_from",
        "year_to",
        "value_min",
        "value_max",
    }
    assert names("/api/v1/actors/") == common | {"kind", "country"}
    assert names("/api/v1/sources/") == common | {"outlet", "language", "kind", "year"}
    year = next(
        p
        for p in openapi["paths"]["/api/v1/events/"]["get"]["parameters"]
        if p["name"] == "year_from"
    )
    assert year["schema"] == {"type": "integer", "minimum": 1900, "maximum": 2100}


def test_lists_document_their_csv(openapi):
    content = openapi["paths"]["/api/v1/events/"]["get"]["responses"]["200"]["content"]
    assert set(content) == {"application/json", "text/csv"}
    assert content["text/csv"]["schema"] == {"type": "string"}


# --- every seeded record, through the schema ---------------------------------------------------


@pytest.mark.usefixtures("wsgi_keeps_the_test_connection")
def test_every_seeded_record_conforms_to_the_schema(seeded):
    from actors.models import Actor
    from articles.models import Agreement, Event, Source, Topic

    cache.clear()
    for model, path in (
        (Event, "/api/v1/events/{id}/"),
        (Agreement, "/api/v1/agreements/{id}/"),
        (Actor, "/api/v1/actors/{id}/"),
        (Source, "/api/v1/sources/{id}/"),
        (Topic, "/api/v1/topics/{id}/"),
    ):
        manager = model.objects.public() if hasattr(model.objects, "public") else model.objects
        for pk in manager.values_list("pk", flat=True):
            response = schema[path]["GET"].Case(path_parameters={"id": pk}).call_and_validate()
            assert response.status_code == 200
    for path in ("/api/v1/events/", "/api/v1/agreements/", "/api/v1/actors/", "/api/v1/sources/"):
        case = schema[path]["GET"].Case(query={"page_size": 100})
        assert case.call_and_validate().status_code == 200
