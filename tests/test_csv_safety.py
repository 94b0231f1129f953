"""CSV cannot attack a spreadsheet (issue 19, item 3): a cell a spreadsheet would run as a
formula starts with a single quote in the API's ?format=csv and the admin's export; JSON
keeps the verbatim text; an exported CSV imports back unchanged."""

import csv
import io
import json

import pytest
from django.urls import reverse

from actors.models import Actor
from tests import factories
from tests.admin_forms import form_data
from tests.test_admin_import import _confirm, _upload

pytestmark = pytest.mark.django_db

HOSTILE = {
    '=HYPERLINK("http://evil.example.org","x")': '\'=HYPERLINK("http://evil.example.org","x")',
    "+1+cmd|' /C calc'!A0": "'+1+cmd|' /C calc'!A0",
    "-2+3": "'-2+3",
    "@SUM(1+1)": "'@SUM(1+1)",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    "'=1+1": "''=1+1",  # already quoted by its author: it keeps its quote on the way back
    "Lavrov = Russia's minister": "Lavrov = Russia's minister",  # inside a cell: harmless
    "'quoted'": "'quoted'",
}


def _csv_rows(content):
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


@pytest.mark.parametrize(("title", "written"), HOSTILE.items())
def test_api_csv_cells_that_start_a_formula_begin_with_a_quote(api_client, title, written):
    factories.source(title=title)
    (row,) = _csv_rows(api_client.get("/api/v1/sources/?format=csv").content)
    assert row["title"] == written


def test_api_json_keeps_the_verbatim_text(api_client):
    factories.source(title="=1+1", summary="-2 casualties")
    (record,) = api_client.get("/api/v1/sources/").json()["results"]
    assert record["title"] == "=1+1"


def test_api_csv_neutralises_list_columns_too(api_client):
    actor = factories.actor(name="@Lavrov")
    factories.alias(actor, "=cmd")
    (row,) = _csv_rows(api_client.get("/api/v1/actors/?format=csv").content)
    assert row["name"] == "'@Lavrov"
    assert row["aliases.name"] == "'=cmd"


def _export(client, url_name):
    url = reverse(url_name)
    data = form_data(client.get(url))
    data.update(format="0", resource="0")  # CSV
    return client.post(url, data)


def test_admin_csv_export_neutralises_formulas(editor_client):
    for title in HOSTILE:
        factories.source(title=title, status="draft")
    rows = _csv_rows(_export(editor_client, "admin:articles_source_export").content)
    assert sorted(row["title"] for row in rows) == sorted(HOSTILE.values())


def test_admin_json_export_keeps_the_verbatim_text(editor_client):
    factories.source(title="=1+1", status="draft")
    url = reverse("admin:articles_source_export")
    data = form_data(editor_client.get(url))
    data.update(format="1", resource="0")  # JSON
    (record,) = json.loads(editor_client.post(url, data).content)
    assert record["title"] == "=1+1"


def test_an_exported_csv_imports_back_unchanged(editor_client):
    # Not "\r=…": CSV readers turn a CR inside a cell into a newline whatever the quote.
    for n, name in enumerate(name for name in HOSTILE if "\r" not in name):
        factories.actor(name=name, slug=f"actor-{n}", status="draft")
    exported = _export(editor_client, "admin:actors_actor_export").content
    before = dict(Actor.objects.values_list("slug", "name"))
    preview = _upload(editor_client, Actor, exported.decode("utf-8"))
    assert not preview.context["result"].has_errors()
    assert not preview.context["result"].has_validation_errors()
    _confirm(editor_client, Actor, preview)
    assert dict(Actor.objects.values_list("slug", "name")) == before
