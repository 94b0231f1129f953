"""A source's full text (editors only) and the quotes checked against it: the citation forms
refuse a quote that does not stand in it, fill in the paragraph, record the verification, and
the public evidence says so; the text itself never leaves the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Citation, Source
from ruiraq.seed.loader import TEXTS_DIR
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

TEXT = (
    "Page furniture: rate this article\n"
    "\n"
    "MOSCOW — The minister arrived on Jan.\u00a029 for talks.\n"
    "\n"
    "“We will sign the «roadmap» soon,” he said after   the meeting.\n"
    "SECRET-SENTINEL closing paragraph nobody quotes.\n"
)


@pytest.fixture
def source_with_text():
    return factories.source(title="Visit report", text=TEXT)


def _add_citation(client, source, quote, locator="", **extra):
    url = reverse("admin:articles_citation_add")
    event = extra.pop("event", None) or factories.event(status="draft")
    data = {
        "source": str(source.pk),
        "quote": quote,
        "locator": locator,
        "stance": "supports",
        "event": str(event.pk),
        "note": "",
        **extra,
    }
    return client.post(url, data), event


# --- the citation forms ---------------------------------------------------------------------


def test_a_quote_absent_from_the_text_is_refused_with_a_clear_error(
    editor_client, source_with_text
):
    response, event = _add_citation(editor_client, source_with_text, "The minister left on Jan. 30")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "This quote does not stand verbatim in the source" in str(errors["quote"])
    assert not Citation.objects.filter(event=event).exists()


def test_a_quote_differing_only_in_spaces_and_quotation_marks_is_verified_and_located(
    editor_client, source_with_text
):
    quote = '"We will sign the "roadmap" soon,” he said after the meeting.'
    response, event = _add_citation(editor_client, source_with_text, quote)
    assert response.status_code == 302
    citation = Citation.objects.get(event=event)
    assert (citation.quote, citation.locator, citation.quote_verified) == (
        quote,
        "para. 3",
        True,
    )


def test_a_quote_across_a_line_break_and_a_no_break_space_is_found(editor_client, source_with_text):
    response, event = _add_citation(
        editor_client, source_with_text, "arrived on Jan. 29 for talks."
    )
    assert response.status_code == 302
    assert Citation.objects.get(event=event).locator == "para. 2"


def test_a_locator_the_editor_gives_is_kept(editor_client, source_with_text):
    response, event = _add_citation(
        editor_client, source_with_text, "for talks.", locator="second paragraph"
    )
    assert response.status_code == 302
    assert Citation.objects.get(event=event).locator == "second paragraph"


def test_case_and_words_count(editor_client, source_with_text):
    response, _ = _add_citation(editor_client, source_with_text, "the minister arrived")
    assert response.status_code == 200


def test_a_source_without_text_takes_any_quote_unverified(editor_client):
    response, event = _add_citation(editor_client, factories.source(), "Anything at all.")
    assert response.status_code == 302
    citation = Citation.objects.get(event=event)
    assert (citation.locator, citation.quote_verified) == ("", False)


def test_the_inline_citation_form_refuses_a_quote_absent_from_the_text(
    reviewer_client, source_with_text
):
    event = factories.event(status="draft", title="Inline")
    url = reverse("admin:articles_event_change", args=[event.pk])
    data = form_data(reviewer_client.get(url), "event_form")
    data.update(
        {
            "citations-0-source": str(source_with_text.pk),
            "citations-0-quote": "Words the source never printed.",
            "citations-0-stance": "supports",
        }
    )
    response = reviewer_client.post(url, data)
    assert response.status_code == 200
    assert "does not stand verbatim" in response.content.decode()
    assert not event.citations.exists()

    data["citations-0-quote"] = "he said after the meeting"
    assert reviewer_client.post(url, data).status_code == 302
    citation = event.citations.get()
    assert (citation.locator, citation.quote_verified) == ("para. 3", True)


# --- the admin: text, selection, import -----------------------------------------------------


def test_source_page_offers_citing_a_selected_passage_with_a_static_script(
    editor_client, source_with_text
):
    page = editor_client.get(
        reverse("admin:articles_source_change", args=[source_with_text.pk])
    ).content.decode()
    assert 'src="/static/ruiraq/admin/cite_selection.js"' in page
    add = f"/admin/articles/citation/add/?source={source_with_text.pk}"
    assert f'data-add-url="{add}"' in page
    assert "SECRET-SENTINEL" in page  # the editor sees and edits the text
    assert "<script>" not in page.replace('<script src="', "")


def test_the_citation_add_form_takes_the_source_and_quote_from_the_address(
    editor_client, source_with_text
):
    url = reverse("admin:articles_citation_add")
    response = editor_client.get(url, {"source": source_with_text.pk, "quote": "for talks."})
    form = response.context["adminform"].form
    assert (str(form.initial["source"]), form.initial["quote"]) == (
        str(source_with_text.pk),
        "for talks.",
    )


def test_importing_a_source_carries_its_text(editor_client):
    rows = (
        "slug,title,url,outlet,kind,language,published,text,status\n"
        'imported,Imported piece,https://example.org/imported,Outlet,news,en,2019,"First line.\n'
        'Second line.",draft\n'
    )
    url = reverse("admin:articles_source_import")
    upload = SimpleUploadedFile("sources.csv", rows.encode())
    preview = editor_client.post(url, {"format": "0", "resource": "0", "import_file": upload})
    form = preview.context["confirm_form"]
    process = reverse("admin:articles_source_process_import")
    editor_client.post(process, {name: form.initial[name] for name in form.fields})
    assert Source.objects.get(slug="imported").text == "First line.\nSecond line."


# --- the public side ------------------------------------------------------------------------


@pytest.fixture
def published_with_verified_quote(source_with_text):
    event = factories.event(title="Visit", slug="visit")
    factories.citation(event, source_with_text, quote="for talks.")
    factories.citation(event, factories.source(slug="no-text"), quote="Unchecked words.")
    return event


@pytest.mark.parametrize(
    "prefix, label",
    [
        ("", "verified against the source text"),
        ("/ru", "сверено с текстом источника"),
        ("/ar", "تمت مطابقته مع نص المصدر"),
    ],
)
def test_public_evidence_says_which_quote_was_verified(
    client, published_with_verified_quote, prefix, label
):
    page = client.get(f"{prefix}/events/visit/").content.decode()
    assert page.count(label) == 1
    assert "Unchecked words." in page


def test_the_full_text_never_reaches_the_public(
    client, api_client, published_with_verified_quote, source_with_text
):
    slug = source_with_text.slug
    for url in (
        f"/sources/{slug}/",
        "/sources/",
        f"/api/v1/sources/{source_with_text.pk}/",
        "/api/v1/sources/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "SECRET-SENTINEL" not in response.content.decode(), url
    # Search does not read the text either: a word only the text has finds nothing.
    page = client.get("/search/", {"q": "SENTINEL"}).content.decode()
    assert "Visit report" not in page


# --- the seed -------------------------------------------------------------------------------


def test_the_seed_texts_are_the_corpus_files(corpus_dir):
    for name in ("riac-mamedov-russia-iraq-2018.txt", "al-monitor-hakim-moscow-2019.txt"):
        assert (TEXTS_DIR / name).read_bytes() == (corpus_dir / name).read_bytes()


def test_every_seed_quote_is_verified_against_its_sources_text(seeded):
    texts = {
        "riac-mamedov-russia-iraq-2018",
        "al-monitor-hakim-moscow-2019",
    }
    assert set(Source.objects.exclude(text="").values_list("slug", flat=True)) == texts
    citations = Citation.objects.select_related("source")
    assert citations.count() > 50
    assert [c.pk for c in citations if not c.quote_verified] == []
    assert {c.source.slug for c in citations} <= texts


# --- the text changes after quotes were made ------------------------------------------------


def test_a_text_that_loses_a_quote_already_made_is_refused(editor_client, source_with_text):
    factories.citation(factories.event(status="draft"), source_with_text, quote="for talks.")
    url = reverse("admin:articles_source_change", args=[source_with_text.pk])
    data = form_data(editor_client.get(url), "source_form")
    data["text"] = "MOSCOW — The minister arrived.\n"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors["text"])
    assert "These quotes of this source do not stand in this text: “for talks.”" in errors
    assert Source.objects.get(pk=source_with_text.pk).text == TEXT


def test_pasting_the_text_later_verifies_the_quotes_already_made(reviewer_client):
    # A reviewer's edit: an editor's change to a published source waits for review.
    source = factories.source(title="Pasted later")
    found = factories.citation(factories.event(status="draft"), source, quote="for talks.")
    assert Citation.objects.get(pk=found.pk).quote_verified is False
    url = reverse("admin:articles_source_change", args=[source.pk])
    data = form_data(reviewer_client.get(url), "source_form")
    data["text"] = TEXT
    assert reviewer_client.post(url, data).status_code == 302
    assert Citation.objects.get(pk=found.pk).quote_verified is True


def test_a_text_replaced_outside_the_form_re_derives_the_flags(source_with_text):
    """An import or a script saves the source without its form: the flags follow all the same."""
    found = factories.citation(
        factories.event(status="draft"), source_with_text, quote="for talks."
    )
    assert Citation.objects.get(pk=found.pk).quote_verified is True
    source = Source.objects.get(pk=source_with_text.pk)
    source.text = "Another text altogether."
    source.save()
    assert Citation.objects.get(pk=found.pk).quote_verified is False
