"""Bulk import and export of actors and sources (CSV and JSON) with a dry-run preview; a file
with a bad row reports every bad row's number and reason, and nothing from it is saved."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actors.models import Actor, ActorAlias
from articles.models import Source
from ruiraq.models import Stance
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

CSV, JSON = "0", "1"  # the positions of the formats on the import and export forms

GOOD_ACTORS = (
    "slug,kind,name,name_ru,country,status,aliases\n"
    ",person,Mikhail Bogdanov,Михаил Богданов,RU,draft,Mikhail L. Bogdanov; M. Bogdanov\n"
    "existing,state,Existing State,,IQ,in_review,\n"
)


def _upload(client, model, content, fmt=CSV, name="file.csv"):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")
    upload = SimpleUploadedFile(name, content.encode())
    return client.post(url, {"format": fmt, "import_file": upload, "resource": "0"})


def _confirm(client, model, preview):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_process_import")
    form = preview.context["confirm_form"]
    return client.post(url, {name: form.initial[name] for name in form.fields}, follow=True)


def _row_errors(response):
    """{row number: [messages]} from the preview's validation errors."""
    result = response.context["result"]
    return {
        row.number: [str(m) for messages in row.error_dict.values() for m in messages]
        for row in result.invalid_rows
    }


def test_dry_run_previews_and_confirm_saves(editor_client):
    factories.actor(slug="existing", name="Existing State", kind="state", status="draft")
    preview = _upload(editor_client, Actor, GOOD_ACTORS)
    assert preview.status_code == 200
    assert not preview.context["result"].has_errors()
    assert not preview.context["result"].has_validation_errors()
    page = preview.content.decode()
    assert "Mikhail Bogdanov" in page and "New" in page and "Update" in page
    assert Actor.objects.count() == 1  # a preview saves nothing
    assert not ActorAlias.objects.exists()

    response = _confirm(editor_client, Actor, preview)
    assert response.status_code == 200
    bogdanov = Actor.objects.get(name="Mikhail Bogdanov")
    assert (bogdanov.slug, bogdanov.country, bogdanov.status) == ("mikhail-bogdanov", "RU", "draft")
    assert sorted(bogdanov.aliases.values_list("name", flat=True)) == [
        "M. Bogdanov",
        "Mikhail L. Bogdanov",
    ]
    existing = Actor.objects.get(slug="existing")
    assert (existing.country, existing.status) == ("IQ", "in_review")
    assert bogdanov.history.get().history_user.username == "editor"


def test_a_row_that_only_adds_aliases_is_imported(editor_client):
    actor = factories.actor(slug="lavrov", name="Sergey Lavrov", kind="person", status="draft")
    factories.alias(actor, "Sergei Lavrov")
    content = (
        "slug,kind,name,status,aliases\nlavrov,person,Sergey Lavrov,draft,SERGEI LAVROV; Лавров\n"
    )
    preview = _upload(editor_client, Actor, content)
    assert preview.context["result"].totals["update"] == 1
    _confirm(editor_client, Actor, preview)
    assert sorted(actor.aliases.values_list("name", flat=True)) == ["Sergei Lavrov", "Лавров"]


def test_a_file_with_bad_rows_reports_each_and_saves_nothing(editor_client):
    content = (
        "slug,kind,name,country,status,wikidata_id\n"
        ",person,Good Person,RU,draft,\n"
        ",wizard,Bad Kind,RU,draft,\n"
        ",person,Bad Country,Iraq,draft,\n"
        ",person,,RU,draft,\n"
        ",person,Bad Wikidata,RU,draft,27\n"
    )
    preview = _upload(editor_client, Actor, content)
    errors = _row_errors(preview)
    assert sorted(errors) == [2, 3, 4, 5]
    assert "not a valid choice" in " ".join(errors[2])
    # A country that is no ISO code (django-countries' choices).
    assert "Value 'Iraq' is not a valid choice." in errors[3]
    assert "cannot be blank" in " ".join(errors[4])
    assert "Q-number" in " ".join(errors[5]) or "Constraint" in " ".join(errors[5])
    assert "confirm_form" not in preview.context  # nothing to confirm
    page = preview.content.decode()
    assert "Some rows failed to validate" in page
    assert not Actor.objects.exists()  # not even the good row


def test_the_workflow_holds_on_import(editor_client, reviewer_client):
    published = "slug,kind,name,status\n,person,Published Person,published\n"
    assert "Only reviewers can publish" in " ".join(
        _row_errors(_upload(editor_client, Actor, published))[1]
    )
    # Even a reviewer cannot import a claim as published: it has no citation yet.
    reviewer_errors = " ".join(_row_errors(_upload(reviewer_client, Actor, published))[1])
    assert "cannot be imported as published" in reviewer_errors
    assert "“Published Person” has no supporting citation" in reviewer_errors
    assert not Actor.objects.exists()


def test_an_existing_record_is_published_by_import_only_with_a_supporting_citation(
    reviewer_client,
):
    factories.actor(slug="bare", name="Bare Person", status="in_review")
    disputed = factories.actor(slug="disputed", name="Disputed Person", status="in_review")
    factories.citation(disputed, stance=Stance.DISPUTES)
    cited = factories.actor(slug="cited", name="Cited Person", status="in_review")
    factories.citation(cited)
    content = (
        "slug,kind,name,status\n"
        "cited,person,Cited Person,published\n"
        "bare,person,Bare Person,published\n"
        "disputed,person,Disputed Person,published\n"
    )
    preview = _upload(reviewer_client, Actor, content)
    errors = _row_errors(preview)
    assert sorted(errors) == [2, 3]  # one error per row, on the rows that lack support
    assert "“Bare Person” has no supporting citation" in " ".join(errors[2])
    assert "“Disputed Person” has no supporting citation" in " ".join(errors[3])
    assert "confirm_form" not in preview.context
    assert set(Actor.objects.values_list("status", flat=True)) == {"in_review"}
    # Without the rows that lack support, the file publishes the cited actor.
    preview = _upload(
        reviewer_client, Actor, "slug,kind,name,status\ncited,person,Cited Person,published\n"
    )
    assert not preview.context["result"].has_validation_errors(), _row_errors(preview)
    _confirm(reviewer_client, Actor, preview)
    assert Actor.objects.get(slug="cited").status == "published"
    assert Actor.objects.get(slug="bare").status == "in_review"


def test_a_source_needs_no_citation_to_be_imported_as_published(reviewer_client):
    content = "title,url,kind,language,published,status\nReport,https://example.org/r,news,en,2019,published\n"
    preview = _upload(reviewer_client, Source, content)
    assert not preview.context["result"].has_validation_errors(), _row_errors(preview)
    _confirm(reviewer_client, Source, preview)
    assert Source.objects.get().status == "published"


def test_sources_import_from_json_with_fuzzy_dates(editor_client):
    rows = [
        {"title": "Visit report", "url": "https://example.org/a", "kind": "news",
         "language": "en", "published": "March 2019", "status": "draft"},
        {"title": "Analysis", "url": "https://example.org/b", "kind": "analysis",
         "language": "ru", "published": "2018", "status": "draft"},
    ]  # fmt: skip
    preview = _upload(editor_client, Source, json.dumps(rows), fmt=JSON, name="s.json")
    assert not preview.context["result"].has_errors()
    assert not preview.context["result"].has_validation_errors(), _row_errors(preview)
    _confirm(editor_client, Source, preview)
    dates = dict(Source.objects.values_list("title", "published_precision"))
    assert dates == {"Visit report": "month", "Analysis": "year"}
    assert Source.objects.get(title="Visit report").published.display() == "March 2019"


def test_a_source_with_a_bad_date_or_a_taken_url_is_reported(editor_client):
    factories.source(url="https://example.org/taken")
    content = (
        "title,url,kind,language,published,status\n"
        "Fine,https://example.org/new,news,en,2019,draft\n"
        "Bad date,https://example.org/other,news,en,31 February 2019,draft\n"
        "Taken,https://example.org/taken,news,en,2019,draft\n"
    )
    errors = _row_errors(_upload(editor_client, Source, content))
    assert sorted(errors) == [2, 3]
    assert "not a date that exists" in " ".join(errors[2])
    assert "source_url_unique" in " ".join(errors[3])
    assert Source.objects.count() == 1


def test_an_unreadable_file_is_an_error_not_a_crash(editor_client):
    response = _upload(editor_client, Actor, "{not json", fmt=JSON, name="x.json")
    assert response.status_code == 200
    assert response.context["form"].errors or response.context["result"].has_errors()
    assert not Actor.objects.exists()


@pytest.mark.parametrize(("fmt", "marker"), [(CSV, "slug,kind,name"), (JSON, '"slug": ')])
def test_export_writes_aliases_and_fuzzy_dates(editor_client, fmt, marker):
    lavrov = factories.actor(name="Sergey Lavrov", slug="sergey-lavrov")
    factories.alias(lavrov, "Sergei Lavrov")
    factories.alias(lavrov, "Лавров")
    url = reverse("admin:actors_actor_export")
    data = form_data(editor_client.get(url))
    data.update(format=fmt, resource="0")
    response = editor_client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and marker in body
    assert "Sergei Lavrov; Лавров" in body or "Sergei Lavrov; \\u041b" in body

    factories.source(
        title="Report", published_date=dt.date(2019, 3, 5), published_precision="month"
    )
    url = reverse("admin:articles_source_export")
    data = form_data(editor_client.get(url))
    data.update(format=fmt, resource="0")
    assert "March 2019" in editor_client.post(url, data).content.decode()


# --- the confirm step trusts no posted value (issue 19, item 4) -------------------------------


def _confirm_data(preview):
    form = preview.context["confirm_form"]
    return {name: form.initial[name] for name in form.fields}


def _process_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_process_import")


def test_confirm_never_reads_or_deletes_a_file_it_is_named(editor_client, tmp_path):
    import tempfile
    from pathlib import Path

    victim = Path(tempfile.gettempdir()) / "ruiraq-victim.csv"
    victim.write_text(GOOD_ACTORS)
    try:
        preview = _upload(editor_client, Actor, GOOD_ACTORS)
        for name in (victim.name, str(victim), "../" * 8 + "etc/passwd", ""):
            data = {**_confirm_data(preview), "import_file_name": name}
            response = editor_client.post(_process_url(Actor), data)
            assert response.status_code == 200
            assert response.context["confirm_form"].errors
            assert victim.exists()
        assert not Actor.objects.exists()
    finally:
        victim.unlink(missing_ok=True)


def test_another_editors_upload_cannot_be_confirmed(editor_client, reviewer_client):
    preview = _upload(editor_client, Actor, GOOD_ACTORS)
    response = reviewer_client.post(_process_url(Actor), _confirm_data(preview))
    assert response.status_code == 200
    assert "not yours or has expired" in str(response.context["confirm_form"].errors)
    assert not Actor.objects.exists()
    # Nor an actors upload confirmed as a sources import.
    response = editor_client.post(_process_url(Source), _confirm_data(preview))
    assert "not yours or has expired" in str(response.context["confirm_form"].errors)


@pytest.mark.parametrize(
    ("field", "value"), [("format", "9"), ("format", "x"), ("format", "²"), ("resource", "7")]
)
def test_a_bad_format_or_resource_on_confirm_is_a_form_error(editor_client, field, value):
    preview = _upload(editor_client, Actor, GOOD_ACTORS)
    response = editor_client.post(_process_url(Actor), {**_confirm_data(preview), field: value})
    assert response.status_code == 200
    assert field in response.context["confirm_form"].errors
    assert not Actor.objects.exists()


def test_confirming_twice_or_after_expiry_asks_for_the_file_again(editor_client):
    preview = _upload(editor_client, Actor, GOOD_ACTORS)
    data = _confirm_data(preview)
    assert editor_client.post(_process_url(Actor), data, follow=True).status_code == 200
    assert Actor.objects.count() == 2
    response = editor_client.post(_process_url(Actor), data)
    assert response.status_code == 200
    assert "expired" in str(response.context["confirm_form"].errors)
    assert Actor.objects.count() == 2


# --- no lost update through an import (issue 19, item 2) ----------------------------------------


def _export_csv(client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")
    data = form_data(client.get(url))
    data.update(format=CSV, resource="0")
    return client.post(url, data).content.decode("utf-8")


def test_an_export_carries_each_records_version(editor_client):
    actor = factories.actor(name="Existing State", slug="existing", kind="state", status="draft")
    exported = _export_csv(editor_client, Actor)
    assert exported.splitlines()[0].endswith(",version")
    assert exported.splitlines()[1].endswith(f",{actor.version}")


def test_importing_a_stale_export_is_refused_and_the_newer_change_kept(editor_client):
    actor = factories.actor(name="Existing State", slug="existing", kind="state", status="draft")
    exported = _export_csv(editor_client, Actor)
    # A colleague saves the record after the export.
    actor.description = "Newer change"
    actor.save()
    edited = exported.replace("Existing State", "Renamed State")
    preview = _upload(editor_client, Actor, edited)
    errors = _row_errors(preview)
    assert list(errors) == [1]
    assert "changed after this file was exported" in errors[1][0]
    actor.refresh_from_db()
    assert (actor.name, actor.description) == ("Existing State", "Newer change")


def test_importing_a_fresh_export_updates(editor_client):
    factories.actor(name="Existing State", slug="existing", kind="state", status="draft")
    edited = _export_csv(editor_client, Actor).replace("Existing State", "Renamed State")
    preview = _upload(editor_client, Actor, edited)
    assert not preview.context["result"].has_validation_errors()
    _confirm(editor_client, Actor, preview)
    assert Actor.objects.get().name == "Renamed State"


def test_an_editors_import_cannot_change_a_published_record(editor_client, reviewer_client):
    """An editor's change to a published record waits for a reviewer (ruiraq.revisions); an
    import cannot wait, so the row is refused and the record keeps what the public reads."""
    published = factories.actor(name="Published State", slug="published", kind="state")
    factories.citation(published)
    factories.actor(name="Draft State", slug="draft-state", kind="state", status="draft")
    exported = _export_csv(editor_client, Actor)
    edited = exported.replace("Published State", "Renamed State").replace(
        "Draft State", "Renamed Draft"
    )
    preview = _upload(editor_client, Actor, edited)
    # One row refused (the draft's row alone would import): the published record's.
    ((_row, messages),) = _row_errors(preview).items()
    assert "“Published State” is published: a change to it waits for a reviewer" in messages[0]
    assert Actor.objects.get(pk=published.pk).name == "Published State"
    # The same file, unchanged rows and all, is a reviewer's to import.
    preview = _upload(reviewer_client, Actor, edited)
    assert not preview.context["result"].has_validation_errors()
    _confirm(reviewer_client, Actor, preview)
    assert sorted(Actor.objects.values_list("name", flat=True)) == [
        "Renamed Draft",
        "Renamed State",
    ]


def test_an_editors_import_skips_a_published_record_it_does_not_change(editor_client):
    published = factories.actor(name="Published State", slug="published", kind="state")
    factories.citation(published)
    preview = _upload(editor_client, Actor, _export_csv(editor_client, Actor))
    assert not preview.context["result"].has_validation_errors()
    assert preview.context["result"].totals["skip"] == 1


def test_two_rows_with_one_slug_are_an_error_not_new_and_updated(editor_client):
    content = (
        "slug,kind,name,status\n"
        "bogdanov,person,Mikhail Bogdanov,draft\n"
        "bogdanov,person,M. Bogdanov,draft\n"
    )
    preview = _upload(editor_client, Actor, content)
    errors = _row_errors(preview)
    assert list(errors) == [1, 2]
    assert all("more than one row" in messages[0] for messages in errors.values())
    assert not Actor.objects.exists()


def test_an_import_refreshes_search_documents_and_the_cache_version_once(
    editor_client, monkeypatch
):
    """Bulk paths (issue 19, item 5): one new content version per import, and the search
    documents refreshed at its end, inside its transaction, not after every row."""
    from ruiraq import cache

    factories.actor(slug="existing", name="Existing State", kind="state", status="draft")
    preview = _upload(editor_client, Actor, GOOD_ACTORS)
    versions = []
    real_set = cache.caches["versions"].set
    monkeypatch.setattr(
        cache.caches["versions"], "set", lambda *a, **k: versions.append(a) or real_set(*a, **k)
    )
    _confirm(editor_client, Actor, preview)
    assert len(versions) == 1
    bogdanov = Actor.objects.get(name="Mikhail Bogdanov")
    # Its name and aliases, refreshed at the end.
    document = f"{bogdanov.search_title} {bogdanov.search_text}"
    assert "mikhail bogdanov" in document and "mikhail l bogdanov" in document


# --- large imports write in bulk (issue 19, item 5) ---------------------------------------------


def _sources_csv(rows, start=0):
    lines = ["title,url,outlet,kind,language,published,summary,status"]
    lines += [
        f"Bulk report {n},https://bulk.example.org/{n},Outlet,news,en,March 2019,"
        f"Oil talks {n},draft"
        for n in range(start, start + rows)
    ]
    return "\n".join(lines) + "\n"


def _actors_csv(rows):
    lines = ["kind,name,country,status,aliases"]
    lines += [f"person,Bulk Person {n},RU,draft,BP{n}; B. Person {n}" for n in range(rows)]
    return "\n".join(lines) + "\n"


def test_a_large_source_import_writes_history_documents_and_versions(editor_client, editor):
    preview = _upload(editor_client, Source, _sources_csv(300))
    assert not preview.context["result"].has_validation_errors(), _row_errors(preview)
    assert not Source.objects.exists()  # the preview writes nothing
    _confirm(editor_client, Source, preview)
    assert Source.objects.count() == 300
    assert Source.history.filter(history_type="+", history_user=editor).count() == 300
    assert Source.objects.filter(version=1).count() == 300
    assert Source.objects.filter(search_text__contains="oil talks").count() == 300
    report = Source.objects.get(url="https://bulk.example.org/7")
    assert (report.slug, report.search_title.split()) == ("bulk-report-7", ["bulk", "report", "7"])
    assert (report.published_date, report.published_precision) == (dt.date(2019, 3, 1), "month")
    # The admin's log names the editor for each record.
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.filter(user=editor).count() == 300


def test_a_large_actor_import_writes_aliases_and_their_history(editor_client, editor):
    preview = _upload(editor_client, Actor, _actors_csv(250))
    _confirm(editor_client, Actor, preview)
    assert Actor.objects.count() == 250
    assert ActorAlias.objects.count() == 500
    assert ActorAlias.history.filter(history_user=editor).count() == 500
    assert Actor.history.filter(history_user=editor).count() == 250
    person = Actor.objects.get(name="Bulk Person 42")
    assert person.slug == "bulk-person-42" and person.version == 1
    assert person.search_title.split() == ["bulk", "person", "42", "bp42", "b", "person", "42"]


def test_an_imports_history_rows_hold_each_record_as_written_with_editor_and_reason(
    editor_client, editor
):
    """The history is copied by the database from the rows just written (ruiraq.bulk
    .write_history): what a save would have recorded, for records and for their aliases."""
    preview = _upload(editor_client, Actor, _actors_csv(30))
    _confirm(editor_client, Actor, preview)
    person = Actor.objects.get(name="Bulk Person 17")
    (row,) = person.history.all()
    assert (row.history_type, row.history_user, row.history_change_reason) == (
        "+",
        editor,
        "import",
    )
    stored = {f.attname: getattr(person, f.attname) for f in Actor.history.model.tracked_fields}
    assert {name: getattr(row, name) for name in stored} == stored
    assert person.history.most_recent().country.code == "RU"
    aliases = ActorAlias.history.filter(actor_id=person.pk).order_by("name")
    assert [(a.name, a.history_type, a.history_user) for a in aliases] == [
        ("B. Person 17", "+", editor),
        ("BP17", "+", editor),
    ]
    # One history row per record and alias, each pointing at its own record.
    assert sorted(Actor.history.values_list("id", flat=True)) == sorted(
        Actor.objects.values_list("id", flat=True)
    )
    assert ActorAlias.history.count() == ActorAlias.objects.count() == 60


def test_an_updating_imports_history_rows_hold_the_new_values(editor_client, editor):
    factories.source(title="Old", url="https://example.org/u", slug="u", status="draft")
    content = "slug,title,url,kind,language,status\nu,New,https://example.org/u,news,en,draft\n"
    _confirm(editor_client, Source, _upload(editor_client, Source, content))
    latest = Source.objects.get(slug="u").history.most_recent()
    assert latest.title == "New"
    row = Source.history.filter(slug="u").latest("history_id")
    assert (row.history_type, row.history_user, row.title) == ("~", editor, "New")
    assert Source.history.filter(slug="u").count() == 2  # the factory's save, the import


def _table_queries(captured, app_label):
    """The statements that read or write ``app_label``'s tables (records, history, aliases)."""
    return [q["sql"] for q in captured if f'"{app_label}_' in q["sql"]]


@pytest.mark.parametrize(
    ("model", "make_csv", "per_batch"),
    [
        # A batch of new sources: the free slugs, the INSERT, the history INSERT ... SELECT.
        (Source, _sources_csv, 3),
        # A batch of new actors: the same, then their aliases (two an actor here, written in
        # batches of the same size): two INSERTs and two history INSERTs.
        (Actor, _actors_csv, 7),
    ],
)
def test_an_imports_queries_per_batch_stay_the_same_as_the_file_grows(
    editor_client, monkeypatch, model, make_csv, per_batch
):
    """Batches of 25 rows (500 in production) so that a few hundred rows make several: the
    preview reads the file's records once whatever its size, and the confirm step adds the same
    few statements per batch, none per row."""
    from actors.resources import ActorResource
    from articles.resources import SourceResource
    from ruiraq import bulk

    monkeypatch.setattr(bulk, "BATCH_SIZE", 25)
    for resource in (ActorResource, SourceResource):
        monkeypatch.setattr(resource._meta, "batch_size", 25)
    app_label = model._meta.app_label
    previews, confirms = [], []
    for rows in (50, 100, 200):  # 2, 4 and 8 batches
        model._base_manager.all().delete()
        with CaptureQueriesContext(connection) as captured:
            preview = _upload(editor_client, model, make_csv(rows))
        previews.append(len(_table_queries(captured, app_label)))
        with CaptureQueriesContext(connection) as captured:
            _confirm(editor_client, model, preview)
        confirms.append(len(_table_queries(captured, app_label)))
        assert model._base_manager.count() == rows
    assert previews[0] == previews[1] == previews[2]
    assert confirms[1] - confirms[0] == 2 * per_batch  # two more batches
    assert confirms[2] - confirms[1] == 4 * per_batch  # four more


def test_a_large_preview_shows_the_first_rows_with_their_changes_and_counts_the_rest(
    editor_client,
):
    preview = _upload(editor_client, Source, _sources_csv(250))
    page = preview.content.decode()
    assert "Rows in the file: 250. New: 250. To update: 0. Unchanged (skipped): 0." in page
    # The first hundred rows, field by field; the others only in the totals.
    assert len(preview.context["result"].previewed_rows()) == 100
    assert ">Bulk report 99<" in page and ">Bulk report 100<" not in page
    assert "… and 150 more rows, counted in the totals above but not shown." in page
    assert "confirm_form" in preview.context
    assert not Source.objects.exists()


def test_a_previews_page_does_not_grow_with_the_file(editor_client):
    small = _upload(editor_client, Source, _sources_csv(120, start=1000)).content
    large = _upload(editor_client, Source, _sources_csv(900, start=2000)).content
    assert abs(len(large) - len(small)) < len(small) / 100


def test_a_small_preview_shows_every_row(editor_client):
    page = _upload(editor_client, Source, _sources_csv(3)).content.decode()
    assert all(f">Bulk report {n}<" in page for n in range(3))
    assert "more row" not in page


def test_unchanged_rows_beyond_the_preview_are_skipped_and_a_changed_one_updated(
    editor_client, editor
):
    for n in range(120):
        factories.source(
            title=f"Report {n}", url=f"https://example.org/r{n}", slug=f"r-{n}", status="draft"
        )
    header, *lines = _export_csv(editor_client, Source).splitlines()
    # The changed row last, well past the rows the preview shows field by field.
    lines.sort(key=lambda line: line.startswith("r-110,"))
    edited = "\n".join([header, *lines]).replace(",Report 110,", ",Report 110 (corrected),")
    preview = _upload(editor_client, Source, edited)
    totals = preview.context["result"].totals
    assert (totals["new"], totals["update"], totals["skip"]) == (0, 1, 119)
    _confirm(editor_client, Source, preview)
    assert Source.objects.get(slug="r-110").title == "Report 110 (corrected)"
    assert list(Source.history.filter(history_type="~").values_list("slug", flat=True)) == ["r-110"]
    assert set(Source.objects.exclude(slug="r-110").values_list("version", flat=True)) == {1}


def test_a_country_is_an_iso_code_read_as_django_countries_reads_it(editor_client):
    content = (
        "kind,name,country,status\n"
        "person,Lower,ru,draft\nperson,Alpha3,IRQ,draft\nperson,Unknown,XK,draft\n"
    )
    preview = _upload(editor_client, Actor, content)
    assert _row_errors(preview) == {3: ["Value 'XK' is not a valid choice."]}
    _confirm(editor_client, Actor, _upload(editor_client, Actor, content.rsplit("\n", 2)[0]))
    assert dict(Actor.objects.values_list("name", "country")) == {"Lower": "RU", "Alpha3": "IQ"}


def test_a_large_update_bumps_each_version_and_keeps_a_history_row(editor_client, editor):
    for n in range(120):
        factories.source(
            title=f"Old {n}", url=f"https://bulk.example.org/{n}", slug=f"s-{n}", status="draft"
        )
    content = "slug,title,url,kind,language,status\n" + "".join(
        f"s-{n},New {n},https://bulk.example.org/{n},news,en,draft\n" for n in range(120)
    )
    preview = _upload(editor_client, Source, content)
    assert preview.context["result"].totals["update"] == 120
    _confirm(editor_client, Source, preview)
    assert Source.objects.filter(title__startswith="New ", version=2).count() == 120
    assert Source.history.filter(history_type="~", history_user=editor).count() == 120
    assert Source.objects.get(slug="s-3").search_title.split() == ["new", "3"]


def test_a_record_saved_while_the_import_runs_fails_it_whole(editor_client, monkeypatch):
    from django.db.models import F

    from actors.resources import ActorResource

    factories.actor(slug="existing", name="Existing State", kind="state", status="draft")
    preview = _upload(editor_client, Actor, GOOD_ACTORS)
    real = ActorResource.before_bulk_update

    def colleague_saves_first(self, instances):
        # A colleague's save lands after the rows were read, before they are written.
        Actor.objects.filter(slug="existing").update(version=F("version") + 1)
        real(self, instances)

    monkeypatch.setattr(ActorResource, "before_bulk_update", colleague_saves_first)
    response = _confirm(editor_client, Actor, preview)
    assert response.status_code == 200
    assert "Saved by someone else during this import: Existing State" in response.content.decode()
    assert list(Actor.objects.values_list("name", "country")) == [("Existing State", "")]


def test_two_rows_with_one_url_are_refused(editor_client):
    content = (
        "title,url,kind,language,status\n"
        "First,https://example.org/same,news,en,draft\n"
        "Second,https://example.org/same,news,en,draft\n"
    )
    errors = _row_errors(_upload(editor_client, Source, content))
    assert list(errors) == [1, 2]
    assert all("more than one row" in " ".join(messages) for messages in errors.values())
    assert not Source.objects.exists()


def test_a_bad_row_late_in_a_large_file_fails_it_whole(editor_client):
    content = (
        _sources_csv(600) + "Late,https://bulk.example.org/late,Outlet,wizard,en,2019,x,draft\n"
    )
    errors = _row_errors(_upload(editor_client, Source, content))
    assert list(errors) == [601]
    assert "not a valid choice" in " ".join(errors[601])
    assert not Source.objects.exists()


def test_new_titles_already_taken_get_the_next_free_slug(editor_client):
    factories.source(title="Report", slug="report", url="https://example.org/0")
    factories.source(title="Report 2", slug="report-2", url="https://example.org/00")
    content = "title,url,kind,language,status\n" + "".join(
        f"Report,https://example.org/{n},news,en,draft\n" for n in range(1, 4)
    )
    _confirm(editor_client, Source, _upload(editor_client, Source, content))
    slugs = Source.objects.filter(title="Report").values_list("slug", flat=True)
    assert sorted(slugs) == ["report", "report-3", "report-4", "report-5"]
