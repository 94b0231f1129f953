"""Hostile input answers with a clear message, never a 500 (issue 19)."""

from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, transaction

from articles.models import Agreement
from tests import factories as make


@pytest.mark.django_db
def test_options_on_the_api_docs_is_refused_not_a_server_error(client):
    response = client.options("/api/v1/docs/")
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


@pytest.mark.django_db
def test_healthz_answers_head_as_load_balancers_ask(client):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/feed/", "/sitemap.xml", "/robots.txt", "/healthz"])
def test_trace_is_refused_everywhere(client, path):
    assert client.generic("TRACE", path).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("source", ["²", "9" * 30, "-1", "1e5"])
def test_a_bad_source_in_the_add_forms_address_leaves_the_citation_empty(admin_client, source):
    response = admin_client.get("/admin/articles/event/add/", {"source": source})
    assert response.status_code == 200
    citations = response.context["inline_admin_formsets"][-1].formset
    assert citations.forms[0].initial.get("source") is None


@pytest.mark.django_db
@pytest.mark.parametrize("object_id", ["abc", "9" * 30, "²"])
def test_the_history_of_an_impossible_id_says_it_does_not_exist(admin_client, object_id):
    for path in (
        f"/admin/articles/event/{object_id}/history/",
        f"/admin/articles/event/{object_id}/history/1/",
        f"/admin/articles/event/{object_id}/change/",
        f"/admin/actors/actor/{object_id}/history/",
    ):
        response = admin_client.get(path, follow=True)
        assert response.status_code == 200, path
        assert "doesn’t exist" in response.content.decode(), path


@pytest.mark.django_db
@pytest.mark.parametrize(
    "term, found", [("\x00", ["Oil deal", "Talks on arms"]), ("Talks\x00", ["Talks on arms"])]
)
def test_nul_in_an_admin_search_is_dropped(admin_client, term, found):
    make.agreement(title="Talks on arms")
    make.agreement(title="Oil deal")
    response = admin_client.get(
        "/admin/autocomplete/",
        {"term": term, "app_label": "articles", "model_name": "event", "field_name": "agreements"},
    )
    assert response.status_code == 200
    assert sorted(r["text"] for r in response.json()["results"]) == found
    response = admin_client.get("/admin/articles/event/", {"q": term, "kind": "\x00meeting"})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["abc", "9" * 30, "²", "-1", "1.5"])
def test_impossible_ids_posted_in_autocomplete_fields_are_form_errors(admin_client, bad):
    response = admin_client.post(
        "/admin/articles/event/add/",
        {
            "title": "x",
            "kind": "meeting",
            "event_status": "occurred",
            "status": "draft",
            "agreements": [bad],
            "topics": [bad],
            "participants-TOTAL_FORMS": "1",
            "participants-INITIAL_FORMS": "0",
            "participants-0-actor": bad,
            "participants-0-role": "participant",
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "0",
            "citations-0-source": bad,
            "citations-0-stance": "supports",
            "citations-0-quote": "q",
        },
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["agreements"] and form.errors["topics"]
    participants, citations = (f.formset for f in response.context["inline_admin_formsets"])
    assert participants.forms[0].errors["actor"]
    assert citations.forms[0].errors["source"]


def _agreement_form(**values):
    return {
        "title": "Arms contract",
        "kind": "arms_contract",
        "agreement_status": "reported",
        "value_qualifier": "exact",
        "value_currency": "USD",
        "status": "draft",
        "parties-TOTAL_FORMS": "0",
        "parties-INITIAL_FORMS": "0",
        "Event_agreements-TOTAL_FORMS": "0",
        "Event_agreements-INITIAL_FORMS": "0",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        **values,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["9999999999999999.99", "99999999999999.99", "1e20"])
def test_an_amount_beyond_fifteen_digits_is_a_form_error(admin_client, amount):
    response = admin_client.post(
        "/admin/articles/agreement/add/", _agreement_form(value_amount=amount)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["value_amount"]
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_the_largest_amount_is_stored_and_read_back_exactly(admin_client):
    response = admin_client.post(
        "/admin/articles/agreement/add/", _agreement_form(value_amount="9999999999999.99")
    )
    assert response.status_code == 302
    assert Agreement.objects.get().value_amount == Decimal("9999999999999.99")
    # SQLite rounded 16 significant digits: 1234567890123.45 must come back to the cent.
    agreement = make.agreement(value_amount=Decimal("1234567890123.45"), value_currency="RUB")
    agreement.refresh_from_db()
    assert str(agreement.value_amount) == "1234567890123.45"


@pytest.mark.django_db
def test_the_database_refuses_an_amount_beyond_the_exact_range():
    # SQLite: the check constraint; PostgreSQL: numeric(15, 2) itself.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        make.agreement(value_amount=Decimal("10000000000000"), value_currency="USD")


# --- every list, filter, search, format and admin endpoint against hostile input ---------------
# (issue 19, item 10). Each answer may be a 200, a 400 naming the parameter, a 404 or a
# redirect: never a 5xx. Run on SQLite and PostgreSQL alike (NUL, overflowing numbers and
# lone surrogates fail differently on each).

#: Raw (already URL-encoded) query values.
HOSTILE = {
    "empty": "",
    "nul": "%00",
    "nul-inside": "Lavrov%00x",
    "superscript-two": "%C2%B2",
    "overflow": "9" * 30,
    "negative": "-1",
    "exponent": "1e400",
    "decimal-overflow": "9999999999999999999999.999",
    "lone-surrogate": "%ED%A0%80",
    "invalid-utf8": "%FF%FE",
    "sql": "%27%20OR%201%3D1%20--",
    "tsquery": "a%20%26%20!b%20%7C%20(c%3A*",
    "markup": "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "long": "x" * 10_000,
    "percent": "%25",
    "backslash": "%5C",
    "list": "a&{name}=b",
}
#: The worst of them, sent to every parameter on its own (the rest go to all at once).
ALONE = ("nul", "overflow", "lone-surrogate", "decimal-overflow")

PARAMETERS = (
    "kind", "status", "topic", "actor", "party", "country", "year_from", "year_to",
    "value_min", "value_max", "outlet", "language", "year", "search", "q", "ordering",
    "page", "page_size", "format", "limit", "depth", "source", "target", "updated_since",
)  # fmt: skip

PUBLIC = (
    "/events/", "/agreements/", "/actors/", "/sources/", "/timeline/", "/search/",
    "/network/", "/network/data.json", "/network/edge/", "/network/edge.json",
    "/actors/suggest.json", "/feed/", "/sitemap-events.xml", "/ru/events/", "/ar/search/",
)  # fmt: skip
API = (
    "/api/v1/", "/api/v1/events/", "/api/v1/agreements/", "/api/v1/actors/",
    "/api/v1/sources/", "/api/v1/topics/", "/api/v1/search/", "/api/v1/network/",
    "/api/v1/network/edge/", "/api/v1/export/",
)  # fmt: skip


def _query(name, value):
    return f"{name}={value.format(name=name)}"


def _no_server_error(client, path, queries):
    for query in queries:
        response = client.get(f"{path}?{query}")
        assert response.status_code < 500, (path, query[:200])


@pytest.fixture
def world(db):
    lavrov = make.actor(name="Sergey Lavrov", slug="sergey-lavrov")
    event = make.event(title="Talks", slug="talks")
    make.participant(event, lavrov)
    make.citation(event)
    deal = make.agreement(title="Arms deal", value_amount=Decimal("1000"), value_currency="USD")
    make.citation(deal)
    return lavrov


@pytest.mark.parametrize("path", PUBLIC + API)
def test_no_query_string_makes_a_server_error(client, world, path):
    together = ["&".join(_query(name, v) for name in PARAMETERS) for v in HOSTILE.values()]
    alone = [_query(name, HOSTILE[key]) for key in ALONE for name in PARAMETERS]
    _no_server_error(client, path, together + alone)


ADMIN_CHANGELISTS = {
    "/admin/articles/event/": ("status__exact", "kind__exact", "topics__id__exact", "year"),
    "/admin/articles/agreement/": ("status__exact", "agreement_status__exact", "supported"),
    "/admin/articles/source/": ("status__exact", "language__exact", "year"),
    "/admin/articles/citation/": ("stance__exact", "source__kind__exact"),
    "/admin/articles/topic/": (),
    "/admin/actors/actor/": ("status__exact", "kind__exact", "country__exact"),
    "/admin/actors/tie/": ("status__exact",),
}


@pytest.mark.parametrize("path", ADMIN_CHANGELISTS)
def test_no_admin_search_or_filter_makes_a_server_error(admin_client, world, path):
    names = ("q", "o", "p", "e", *ADMIN_CHANGELISTS[path])
    together = ["&".join(_query(name, v) for name in names) for v in HOSTILE.values()]
    alone = [_query(name, HOSTILE[key]) for key in ALONE for name in names]
    _no_server_error(admin_client, path, together + alone)


AUTOCOMPLETES = [
    ("articles", "event", "agreements"),
    ("articles", "event", "topics"),
    ("articles", "eventparticipant", "actor"),
    ("articles", "citation", "source"),
    ("actors", "tie", "subject"),
]


@pytest.mark.parametrize(("app", "model", "field"), AUTOCOMPLETES)
def test_no_autocomplete_term_makes_a_server_error(admin_client, world, app, model, field):
    base = f"app_label={app}&model_name={model}&field_name={field}"
    queries = [f"{base}&{_query('term', v)}&{_query('page', v)}" for v in HOSTILE.values()]
    _no_server_error(admin_client, "/admin/autocomplete/", queries)


@pytest.mark.parametrize("value", ["abc", "9" * 30, "%C2%B2", "%00", "-1", "0"])
def test_no_admin_address_with_a_bad_id_makes_a_server_error(admin_client, world, value):
    for model in ("articles/event", "articles/agreement", "articles/source", "actors/actor"):
        for path in (
            f"/admin/{model}/{value}/change/",
            f"/admin/{model}/{value}/history/",
            f"/admin/{model}/{value}/history/{value}/",
            f"/admin/{model}/{value}/delete/",
        ):
            assert admin_client.get(path).status_code < 500, path
        add = f"/admin/{model}/add/?source={value}"
        assert admin_client.get(add).status_code < 500, add


@pytest.mark.django_db
def test_a_form_sent_back_with_an_emptied_slug_shows_its_errors(editor_client):
    # A published event refused for another reason (no supporting citation) is shown again as
    # the editor typed it: with no slug it has no public address yet, and the page has no
    # link to one (it was a 500: the link was built from the empty slug).
    from django.urls import reverse

    from tests.admin_forms import form_data

    event = make.event(title="Talks")
    url = reverse("admin:articles_event_change", args=[event.pk])
    data = form_data(editor_client.get(url), "event_form")
    data["slug"] = [""]
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "has no supporting citation" in response.content.decode()
    assert not response.context["has_absolute_url"]
    event.refresh_from_db()
    assert event.slug == "talks"
