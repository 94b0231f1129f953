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
