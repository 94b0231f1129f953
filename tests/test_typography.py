"""How the pages write things in each language: quotation marks (nested ones included), the
words for what is not known, and the spacing of dates. Expectations are written out by hand,
character by character, never computed with ruiraq.typography."""

import pytest
from django.conf import settings
from django.utils import translation

from ruiraq.dates import FuzzySpan
from ruiraq.typography import quote
from tests import factories

pytestmark = pytest.mark.django_db


def _get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


# --- quotation marks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # The bug the issue reports: a quote inside a quote in the same marks.
        (
            "en",
            "The sides confirmed their “strategic partnership.”",
            "“The sides confirmed their ‘strategic partnership.’”",
        ),
        (
            "ru",
            "Стороны подтвердили «стратегическое партнёрство».",
            "«Стороны подтвердили „стратегическое партнёрство“.»",
        ),
        (
            "ar",
            "أكد الجانبان «الشراكة الاستراتيجية».",
            "«أكد الجانبان ”الشراكة الاستراتيجية“.»",
        ),
        # Marks typed on a keyboard pair up as well.
        (
            "en",
            'He called it "a new page" in relations.',
            "“He called it ‘a new page’ in relations.”",
        ),
        # A third level goes back to the outer marks.
        (
            "en",
            "He said “they wrote ‘a «deal»’ then” and left.",
            "“He said ‘they wrote “a ‘deal’” then’ and left.”",
        ),
        (
            "ru",
            "Он сказал: «они написали „сделка“ тогда».",
            "«Он сказал: „они написали «сделка» тогда“.»",
        ),
    ],
)
def test_nested_quotations_take_the_inner_marks_of_the_page_language(language, text, expected):
    assert quote(text, language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "“Russia and Iraq”"), ("ru", "«Russia and Iraq»"), ("ar", "«Russia and Iraq»")],
)
def test_a_quote_pasted_with_its_own_outer_marks_gets_the_pages_marks_once(language, expected):
    assert quote("«Russia and Iraq»", language) == expected
    assert quote("“Russia and Iraq”", language) == expected
    assert quote('"Russia and Iraq"', language) == expected


def test_apostrophes_and_unpaired_marks_keep_the_sources_characters():
    # Apostrophes are not quotation marks.
    assert quote("Iraq’s people’s choice, don't", "en") == "“Iraq’s people’s choice, don't”"
    assert quote("the ‘people’s choice’ won", "en") == "“the ‘people’s choice’ won”"
    # A quotation the editor cut in the middle: nothing to pair, nothing replaced.
    assert quote("he said «we will sign", "en") == "“he said «we will sign”"
    assert quote("we will sign» he said", "ru") == "«we will sign» he said»"
    # The letters themselves are never touched.
    assert quote("  Ёлка — «ёж»  ", "ru") == "«Ёлка — „ёж“»"


@pytest.mark.parametrize(
    ("prefix", "opening", "inner"),
    [("", "“", "‘strategic partnership’"), ("/ru", "«", "„strategic partnership“")],
)
def test_event_page_shows_the_quote_in_the_page_languages_marks(client, prefix, opening, inner):
    event = factories.event(title="Talks", slug="talks")
    factories.citation(event, quote="They agreed a “strategic partnership”.")
    html = _get(client, f"{prefix}/events/talks/")
    assert f"{opening}They agreed a {inner}." in html
    # The marks are in the text, not added a second time by the stylesheet.
    assert "open-quote" not in (settings.BASE_DIR / "static/css/site.css").read_text()


def test_source_page_and_actor_ties_quote_in_the_same_marks(client):
    source = factories.source(title="A report", slug="a-report")
    event = factories.event(title="Talks", slug="talks")
    factories.citation(event, source, quote="a “new page”")
    ambassador = factories.tie(subject=factories.actor(name="Envoy", slug="envoy"))
    factories.citation(ambassador, source, quote="named «ambassador»")
    assert "“a ‘new page’”" in _get(client, "/sources/a-report/")
    assert "«named „ambassador“»" in _get(client, "/ru/actors/envoy/")


# --- what is not known ---------------------------------------------------------------------


@pytest.fixture
def undated():
    event = factories.event(title="Undated meeting", slug="undated", start_date=None)
    factories.citation(event)
    return event


@pytest.mark.parametrize(("prefix", "words"), [("", "Date not known"), ("/ru", "Дата неизвестна")])
def test_an_undated_record_shows_the_same_words_in_lists_cards_and_search(
    client, undated, prefix, words
):
    event_list = _get(client, f"{prefix}/events/")
    home = _get(client, f"{prefix}/")
    search = _get(client, f"{prefix}/search/", q="Undated")
    detail = _get(client, f"{prefix}/events/undated/")
    for html in (event_list, home, search, detail):
        assert f'<span class="record__date">{words}</span>' in html or f"<dd>{words}</dd>" in html
    assert f'<span class="record__date">{words}</span>' in search


def test_an_undated_source_says_so_in_its_card_and_in_search(client):
    factories.source(title="Undated leaflet", published_date=None)
    for html in (_get(client, "/sources/"), _get(client, "/search/", q="leaflet")):
        assert '<span class="record__date">Date not known</span>' in html


def test_the_api_display_of_an_unknown_date_is_the_same_words(api_client, undated):
    body = api_client.get(f"/api/v1/events/{undated.pk}/").json()
    assert body["when"]["display"] == "Date not known"
    listed = api_client.get("/api/v1/events/").json()["results"]
    assert [row["when"]["display"] for row in listed] == ["Date not known"]


@pytest.mark.parametrize(
    ("prefix", "words"), [("", "Place not known"), ("/ar", "المكان غير معروف")]
)
def test_an_event_without_a_place_says_so_in_its_card_page_and_search(
    client, undated, prefix, words
):
    for html in (
        _get(client, f"{prefix}/events/"),
        _get(client, f"{prefix}/search/", q="Undated"),
    ):
        assert f'<span class="record__place">{words}</span>' in html
    assert f"<dd>{words}</dd>" in _get(client, f"{prefix}/events/undated/")


# --- dates ---------------------------------------------------------------------------------


def test_timeline_heads_undated_events_with_the_same_words(client, undated):
    assert "Дата неизвестна" in _get(client, "/ru/timeline/")


def test_display_of_an_empty_span_follows_the_language_asked_for():
    with translation.override("ru"):
        assert FuzzySpan(None, None).display() == "Дата неизвестна"
        assert FuzzySpan(None, None).display("en") == "Date not known"
