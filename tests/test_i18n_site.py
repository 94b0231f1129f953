"""The public site in English (unprefixed), Russian (/ru/) and Arabic (/ar/, right to left)."""

import datetime as dt
import functools
import re
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db

D = dt.date
PREFIX = {"en": "", "ru": "/ru", "ar": "/ar"}
DIRECTION = {"en": "ltr", "ru": "ltr", "ar": "rtl"}


def _html(response):
    return response.content.decode()


def _en(url):
    """``url()`` as the English address: a request to /ru/ or /ar/ leaves its language active
    in the test's thread, and reverse() would prefix it."""
    with translation.override("en"):
        return url()


@pytest.fixture
def world():
    """A small, realistic corner of the data: names in some scripts and not others."""
    lavrov = factories.actor(
        name="Sergey Lavrov",
        name_ru="Сергей Лавров",
        name_ar="سيرغي لافروف",
        slug="sergey-lavrov",
        country="RU",
    )
    hakim = factories.actor(name="Mohammed Ali al-Hakim", name_ar="محمد علي الحكيم", slug="hakim")
    rosneft = factories.actor(name="Rosneft", name_ru="Роснефть", kind="company", slug="rosneft")
    energy = factories.topic(name="Energy", name_ru="Энергетика", name_ar="الطاقة", slug="energy")
    defence = factories.topic(name="Defence", slug="defence")
    source = factories.source(
        title="In Moscow, Iraqi minister talks",
        slug="al-monitor-hakim",
        outlet="Al-Monitor",
        published_date=D(2019, 1, 31),
    )
    visit = factories.event(
        title="Hakim visits Moscow",
        slug="hakim-visit",
        kind="visit",
        start_date=D(2019, 1, 29),
        end_date=D(2019, 1, 30),
        place="Moscow",
        country="RU",
    )
    visit.topics.set([energy, defence])
    factories.participant(visit, lavrov, role="host")
    factories.participant(visit, hakim, role="guest")
    factories.citation(visit, source, locator="paragraph 1")
    talks = factories.event(
        title="Talks in Baghdad", slug="talks", start_date=D(2019, 3, 1), start_precision="month"
    )
    factories.participant(talks, lavrov)
    deal = factories.agreement(
        title="Energy investments",
        slug="energy-investments",
        kind="investment",
        agreement_status="in_force",
        start_date=D(2014, 1, 1),
        start_precision="year",
        value_amount=10_000_000_000,
        value_currency="USD",
        value_qualifier="more_than",
    )
    deal.topics.set([energy])
    factories.party(deal, rosneft, role="operator")
    factories.citation(deal, source)
    factories.citation(lavrov, source)
    tie = factories.tie(subject=lavrov, object=factories.actor(name="Russia", name_ru="Россия"))
    factories.citation(tie, source)
    return {"lavrov": lavrov, "hakim": hakim, "visit": visit, "deal": deal, "source": source}


# --- every page type in every language -------------------------------------------------------

#: Each page type, and a heading it shows in each language.
PAGES = {
    "home": (
        lambda w: reverse("home"),
        {
            "en": "Russia and Iraq: who, what, and which source says so",
            "ru": "Россия и Ирак: кто, что и какой источник об этом говорит",
            "ar": "روسيا والعراق: من، وماذا، وأي مصدر يقول ذلك",
        },
    ),
    "event list": (
        lambda w: reverse("articles:event-list"),
        {"en": "Events", "ru": "События", "ar": "الأحداث"},
    ),
    "event": (
        lambda w: w["visit"].get_absolute_url(),
        {"en": "Who took part", "ru": "Кто участвовал", "ar": "من شارك"},
    ),
    "agreement list": (
        lambda w: reverse("articles:agreement-list"),
        {"en": "Agreements", "ru": "Соглашения", "ar": "الاتفاقيات"},
    ),
    "agreement": (
        lambda w: w["deal"].get_absolute_url(),
        {"en": "Parties", "ru": "Стороны", "ar": "الأطراف"},
    ),
    "actor list": (
        lambda w: reverse("actors:list"),
        {"en": "Actors", "ru": "Действующие лица", "ar": "الجهات الفاعلة"},
    ),
    "actor": (
        lambda w: w["lavrov"].get_absolute_url(),
        {
            "en": "Positions and ties over time",
            "ru": "Должности и связи во времени",
            "ar": "المناصب والصلات عبر الزمن",
        },
    ),
    "source list": (
        lambda w: reverse("articles:source-list"),
        {"en": "Sources", "ru": "Источники", "ar": "المصادر"},
    ),
    "source": (
        lambda w: w["source"].get_absolute_url(),
        {
            "en": "What this source is cited for",
            "ru": "Для чего цитируется этот источник",
            "ar": "السجلات التي تستشهد بهذا المصدر",
        },
    ),
    "timeline": (
        lambda w: reverse("timeline"),
        {"en": "Timeline", "ru": "Хронология", "ar": "التسلسل الزمني"},
    ),
    "search": (
        lambda w: reverse("search") + "?q=moscow",
        {"en": "Search", "ru": "Поиск", "ar": "بحث"},
    ),
}


@functools.cache
def _english_interface_strings():
    """The interface strings (msgids) whose translation differs from the English."""
    po = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    return {e.msgid for e in po if e.msgstr and e.msgstr != e.msgid and len(e.msgid) > 2}


class _Texts(HTMLParser):
    """Every text node and human-readable attribute of a page, stripped."""

    ATTRIBUTES = {"aria-label", "placeholder", "title", "alt", "content", "data-copied"}

    def __init__(self):
        super().__init__()
        self.texts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.texts += [v.strip() for k, v in attrs if k in self.ATTRIBUTES and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


#: Texts that are English on purpose: the switcher names each language in itself, and
#: "summary" is a value of <meta name="twitter:card">, not prose.
_ENGLISH_ON_PURPOSE = {"English", "summary"}


def english_left_in(html, allowed=()):
    """Interface strings shown in English on a page (texts equal to an untranslated msgid),
    but for those ``allowed``."""
    parser = _Texts()
    parser.feed(html)
    english = _english_interface_strings() - _ENGLISH_ON_PURPOSE - set(allowed)
    return sorted({unescape(t) for t in parser.texts} & english)


@pytest.mark.parametrize("language", ["en", "ru", "ar"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_type_is_translated_with_its_language_and_direction(
    client, world, page, language
):
    path, headings = PAGES[page]
    response = client.get(PREFIX[language] + _en(lambda: path(world)))
    assert response.status_code == 200
    html = _html(response)
    assert f'<html lang="{language}" dir="{DIRECTION[language]}">' in html
    assert response["Content-Language"] == language
    assert headings[language] in html
    if language != "en":
        assert headings["en"] not in html.split("</header>", 1)[1]
        # Nothing of the interface is left in English (record data may be).
        assert english_left_in(html) == []


def test_an_unprefixed_page_stays_english_whatever_the_browser_prefers(client, world):
    """Django 5.2 serves the default language at unprefixed addresses: no redirect to /ru/,
    no Russian under an English address (and so no mixed-up public cache)."""
    for headers in ({"HTTP_ACCEPT_LANGUAGE": "ru"}, {"HTTP_ACCEPT_LANGUAGE": "ar,ru;q=0.8"}):
        response = client.get(reverse("articles:event-list"), **headers)
        assert response.status_code == 200
        assert '<html lang="en" dir="ltr">' in _html(response)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    assert '<html lang="en"' in _html(client.get("/events/"))
    response = client.get("/ru/events/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="ru" dir="ltr">' in _html(response)


def test_machine_addresses_stay_unprefixed_and_english(client, world):
    assert client.get("/healthz").status_code == 200
    assert client.get("/ru/healthz").status_code == 404
    assert client.get("/ar/sitemap.xml").status_code == 404
    assert client.get("/ru/robots.txt").status_code == 404
    robots = client.get("/robots.txt").content.decode().splitlines()
    for disallowed in ("/admin/", "/search/", "/ru/admin/", "/ru/search/", "/ar/admin/"):
        assert f"Disallow: {disallowed}" in robots


def test_unknown_language_prefix_is_a_404(client, world):
    assert client.get("/de/events/").status_code == 404
    assert client.get("/en/events/").status_code == 404  # English has no prefix


# --- dates, numbers, names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["29–30 January 2019", "March 2019", "2014", "more than 10,000,000,000 USD"]),
        (
            "ru",
            [
                "29–30\u00a0января 2019\u00a0г.",
                "март 2019\u00a0г.",
                "2014\u00a0г.",
                "более 10\u00a0000\u00a0000\u00a0000 USD",
            ],
        ),
        ("ar", ["29–30 كانون الثاني 2019", "آذار 2019", "2014", "أكثر من 10,000,000,000 USD"]),
    ],
)
def test_dates_and_amounts_read_in_the_readers_language_at_their_precision(
    client, world, language, expected
):
    day, month, year, amount = expected
    event = _html(client.get(PREFIX[language] + "/events/hakim-visit/"))
    assert f"<dd>{day}</dd>" in event
    events = _html(client.get(PREFIX[language] + "/events/"))
    assert f'<span class="record__date">{day}</span>' in events
    assert f'<span class="record__date">{month}</span>' in events
    agreement = _html(client.get(PREFIX[language] + "/agreements/energy-investments/"))
    assert f"<dd>{year}</dd>" in agreement
    assert f"<dd>{amount}</dd>" in agreement
    timeline = _html(client.get(PREFIX[language] + "/timeline/"))
    assert f'<h4 class="timeline__label">{month}</h4>' in timeline


def test_actors_are_named_in_the_readers_script_with_the_english_name_beside(client, world):
    url = "/events/hakim-visit/"
    english = _html(client.get(url))
    assert '<a href="/actors/sergey-lavrov/">Sergey Lavrov</a> <span class="role">' in english
    russian = _html(client.get("/ru" + url))
    assert (
        '<a href="/ru/actors/sergey-lavrov/">Сергей Лавров</a> '
        '<span class="name-en" lang="en" dir="ltr">(Sergey Lavrov)</span>'
    ) in russian
    # No Russian name recorded: the English one, marked as English.
    assert (
        '<a href="/ru/actors/hakim/"><span lang="en" dir="ltr">Mohammed Ali al-Hakim</span></a>'
        in (russian)
    )
    arabic = _html(client.get("/ar" + url))
    assert '<a href="/ar/actors/hakim/">محمد علي الحكيم</a>' in arabic
    assert '<span class="name-en" lang="en" dir="ltr">(Mohammed Ali al-Hakim)</span>' in arabic


def test_actor_page_is_titled_by_the_local_name_with_the_other_spellings(client, world):
    url = "/actors/sergey-lavrov/"
    russian = _html(client.get("/ru" + url))
    assert '<h1 id="record-title">Сергей Лавров</h1>' in russian
    assert '<span lang="en" dir="ltr">Sergey Lavrov</span>' in russian
    assert '<span lang="ar" dir="rtl">سيرغي لافروف</span>' in russian
    assert "<title>Сергей Лавров · ruiraq</title>" in russian
    arabic = _html(client.get("/ar" + url))
    assert '<h1 id="record-title">سيرغي لافروف</h1>' in arabic
    english = _html(client.get(url))
    assert '<h1 id="record-title">Sergey Lavrov</h1>' in english


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # English: by the English name.
        ("en", ["Mohammed Ali al-Hakim", "Rosneft", "Russia", "Sergey Lavrov"]),
        # Russian: Cyrillic names first in their order, then those known only in English.
        ("ru", ["Роснефть", "Россия", "Сергей Лавров", "Mohammed Ali al-Hakim"]),
        ("ar", ["سيرغي لافروف", "محمد علي الحكيم", "Rosneft", "Russia"]),
    ],
)
def test_actor_list_sorts_by_the_names_the_reader_sees(client, world, language, expected):
    html = _html(client.get(PREFIX[language] + "/actors/"))
    titles = re.findall(r'<h3 class="record__title"><a [^>]*>(?:<span[^>]*>)?([^<]+)<', html)
    assert [t for t in titles if not t.startswith("Actor ")] == expected
    ordered = _html(client.get(PREFIX[language] + "/actors/", {"ordering": "-name"}))
    titles = re.findall(r'<h3 class="record__title"><a [^>]*>(?:<span[^>]*>)?([^<]+)<', ordered)
    local = [name for name in expected if not name.isascii()]
    english = [name for name in expected if name.isascii()]
    # Descending within each group; the names in the reader's script still come first.
    assert [t for t in titles if not t.startswith("Actor ")] == local[::-1] + english[::-1]


def test_topics_are_named_in_the_readers_language_or_marked_english(client, world):
    url = "/events/hakim-visit/"
    russian = _html(client.get("/ru" + url))
    assert '<a href="/ru/events/?topic=energy">Энергетика</a>' in russian
    assert '<a href="/ru/events/?topic=defence"><span lang="en" dir="ltr">Defence</span></a>' in (
        russian
    )
    assert '<option value="energy">Энергетика</option>' in _html(client.get("/ru/events/"))
    arabic = _html(client.get("/ar" + url))
    assert '<a href="/ar/events/?topic=energy">الطاقة</a>' in arabic


def test_choice_labels_are_translated(client, world):
    russian = _html(client.get("/ru" + "/events/hakim-visit/"))
    assert "Визит" in russian and "состоялось" in russian and ">принимающая сторона<" in russian
    arabic = _html(client.get("/ar" + "/agreements/energy-investments/"))
    assert "سارية" in arabic and ">مشغِّل<" in arabic and "استثمار" in arabic
    assert '<option value="in_force">Действует</option>' in _html(client.get("/ru/agreements/"))


def test_actor_suggestions_name_actors_in_the_pages_language(client, world):
    results = client.get("/ru/actors/suggest.json", {"q": "lavrov"}).json()["results"]
    assert results == [{"slug": "sergey-lavrov", "name": "Сергей Лавров"}]
    results = client.get("/actors/suggest.json", {"q": "Лавров"}).json()["results"]
    assert results == [{"slug": "sergey-lavrov", "name": "Sergey Lavrov"}]


# --- switching language, alternates, feeds, sitemap --------------------------------------------


def _switcher(html):
    nav = html.split('class="wrap language-switcher"', 1)[1].split("</nav>", 1)[0]
    return {
        code: (unescape(href), "aria-current" in attrs)
        for href, code, attrs in re.findall(r'<a href="([^"]*)" hreflang="(\w+)"([^>]*)>', nav)
    }


@pytest.mark.parametrize("language", ["en", "ru", "ar"])
def test_language_switcher_keeps_the_page_and_its_query_string(client, world, language):
    query = "?kind=visit&topic=energy&q=%D0%BB%D0%B0%D0%B2"
    html = _html(client.get(PREFIX[language] + "/events/" + query))
    assert _switcher(html) == {
        "en": ("/events/" + query, language == "en"),
        "ru": ("/ru/events/" + query, language == "ru"),
        "ar": ("/ar/events/" + query, language == "ar"),
    }
    detail = _html(client.get(PREFIX[language] + "/events/hakim-visit/"))
    assert _switcher(detail)["ar"] == ("/ar/events/hakim-visit/", language == "ar")


def test_switcher_on_a_missing_page_keeps_its_address(client, world):
    response = client.get("/ru/events/no-such-event/?x=1")
    assert response.status_code == 404
    html = _html(response)
    assert '<html lang="ru" dir="ltr">' in html and "Не найдено" in html
    assert _switcher(html)["ar"] == ("/ar/events/no-such-event/?x=1", False)
    assert _switcher(html)["en"] == ("/events/no-such-event/?x=1", False)


def test_every_page_lists_its_language_alternates_and_an_x_default(client, world):
    html = _html(client.get("/ar/events/?kind=visit"))
    alternates = re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html)
    assert sorted(alternates) == [
        ("ar", "http://testserver/ar/events/"),
        ("en", "http://testserver/events/"),
        ("ru", "http://testserver/ru/events/"),
        ("x-default", "http://testserver/events/"),
    ]
    assert '<link rel="canonical" href="http://testserver/ar/events/">' in html


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "ruiraq: newly published events and agreements"),
        ("ru", "ruiraq: новые события и соглашения"),
        ("ar", "ruiraq: أحدث الأحداث والاتفاقيات المنشورة"),
    ],
)
def test_each_language_has_its_feed_linking_to_its_pages(client, world, language, title):
    atom = "{http://www.w3.org/2005/Atom}"
    response = client.get(PREFIX[language] + "/feed/")
    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{atom}title") == title
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    links = {e.find(f"{atom}link").get("href") for e in feed.findall(f"{atom}entry")}
    assert f"http://testserver{PREFIX[language]}/events/hakim-visit/" in links
    page = _html(client.get(PREFIX[language] + "/"))
    assert f'type="application/atom+xml" title="{title}" href="{PREFIX[language]}/feed/"' in page


def test_sitemap_lists_every_page_in_each_language_with_its_alternates(client, world):
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    urls = ET.fromstring(client.get("/sitemap-events.xml").content).findall("s:url", ns)
    by_location = {u.findtext("s:loc", namespaces=ns): u for u in urls}
    for prefix in ("", "/ru", "/ar"):
        assert f"http://testserver{prefix}/events/hakim-visit/" in by_location
    links = by_location["http://testserver/ru/events/hakim-visit/"].findall("x:link", ns)
    assert {(link.get("hreflang"), link.get("href")) for link in links} == {
        ("en", "http://testserver/events/hakim-visit/"),
        ("ru", "http://testserver/ru/events/hakim-visit/"),
        ("ar", "http://testserver/ar/events/hakim-visit/"),
        ("x-default", "http://testserver/events/hakim-visit/"),
    }
    pages = ET.fromstring(client.get("/sitemap-pages.xml").content).findall("s:url", ns)
    assert "http://testserver/ar/timeline/" in {u.findtext("s:loc", namespaces=ns) for u in pages}


def test_sitemap_pages_hold_at_most_the_limit_of_addresses(client, world, settings):
    from ruiraq.site.sitemaps import EventSitemap

    EventSitemap.limit, limit = 4, EventSitemap.limit
    try:
        index = ET.fromstring(client.get("/sitemap.xml").content)
        ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        sections = [s.findtext("s:loc", namespaces=ns) for s in index.findall("s:sitemap", ns)]
        event_pages = [s for s in sections if "sitemap-events" in s]
        assert len(event_pages) == 2  # 2 events × 3 languages = 6 addresses, 4 a page
        seen = []
        for page in event_pages:
            body = client.get(page.removeprefix("http://testserver")).content
            seen += [u.findtext("s:loc", namespaces=ns) for u in ET.fromstring(body)]
        assert len(seen) == len(set(seen)) == 6
    finally:
        EventSitemap.limit = limit


# --- right to left, forms, errors, drafts ------------------------------------------------------


def test_arrows_point_along_the_reading_direction(client):
    for _ in range(25):
        factories.event()
    english = _html(client.get("/events/", {"page": 2}))
    assert '<span class="arrow" aria-hidden="true">←</span> Previous' in english
    arabic = _html(client.get("/ar/events/", {"page": 1}))
    assert 'التالي <span class="arrow" aria-hidden="true">←</span>' in arabic
    arabic = _html(client.get("/ar/events/", {"page": 2}))
    assert '<span class="arrow" aria-hidden="true">→</span> السابق' in arabic
    assert "الصفحة 2 من 2" in arabic


@pytest.mark.parametrize(
    ("language", "message", "label"),
    [
        ("ru", "Введите целое число.", "С года"),
        ("ar", "أدخل رقما صحيحا.", "من سنة"),
    ],
)
def test_a_bad_filter_is_a_400_with_the_error_in_the_readers_language(
    client, world, language, message, label
):
    response = client.get(PREFIX[language] + "/events/", {"year_from": "abc"})
    assert response.status_code == 400
    html = _html(response)
    assert message in html and label in html
    assert client.get(PREFIX[language] + "/events/", {"page": 99}).status_code == 404


@pytest.mark.parametrize("language", ["en", "ru", "ar"])
@pytest.mark.parametrize("make", [factories.event, factories.agreement, factories.actor])
def test_a_draft_is_404_under_every_prefix(client, language, make):
    draft = make(status="draft")
    response = client.get(PREFIX[language] + draft.get_absolute_url())
    assert response.status_code == 404
    assert f'<html lang="{language}"' in _html(response)


def test_the_public_cache_keeps_each_language_apart(client, world, settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    assert client.get("/events/")["X-Cache"] == "miss"
    russian = client.get("/ru/events/")
    assert russian["X-Cache"] == "miss" and "События" in _html(russian)
    english = client.get("/events/", HTTP_ACCEPT_LANGUAGE="ru")
    assert english["X-Cache"] == "hit" and '<html lang="en"' in _html(english)
    # The admin under a language prefix is never cached, like /admin/.
    assert "X-Cache" not in client.get("/ru/admin/login/")


# --- the same queries in every language -------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("n", [5, 50])
def test_pages_run_the_same_queries_in_every_language(client, settings, n):
    """Local names and topic names are read with the rows (Actor.NAME_FIELDS): a Russian or
    Arabic page runs exactly the queries the English one does (tests/test_site_queries.py
    lists them), at 5 records as at 50."""
    settings.PUBLIC_CACHE_SECONDS = 0
    hub = factories.actor(name="Hub", name_ru="Хаб", name_ar="هب")
    topic = factories.topic(name="Energy", name_ru="Энергетика")
    source = factories.source()
    factories.citation(hub, source)
    for i in range(n):
        other = factories.actor(name_ru=f"Актор {i}")
        event = factories.event(start_date=D(2000 + i % 20, 1, 1))
        event.topics.set([topic])
        factories.participant(event, hub)
        factories.participant(event, other)
        factories.citation(event, source)
        agreement = factories.agreement()
        agreement.topics.set([topic])
        factories.party(agreement, hub)
        factories.party(agreement, other)
        factories.citation(agreement, source)
        factories.citation(factories.tie(subject=hub, object=other), source)
    pages = [
        "/",
        "/events/",
        "/agreements/",
        "/actors/",
        "/sources/",
        "/timeline/",
        "/search/?q=hub",
        hub.get_absolute_url(),
        event.get_absolute_url(),
        agreement.get_absolute_url(),
        source.get_absolute_url(),
    ]
    for page in pages:
        english = _queries(client, page)
        assert _queries(client, "/ru" + page) == english, page
        assert _queries(client, "/ar" + page) == english, page


@pytest.mark.parametrize(
    ("language", "direction", "home", "text"),
    [("en", "ltr", "/", "Something went wrong"), ("ar", "rtl", "/ar/", "حدث خطأ ما")],
)
def test_server_error_page_is_in_the_language_of_the_address(rf, language, direction, home, text):
    from django.views.defaults import server_error

    with translation.override(language):
        html = server_error(rf.get(home)).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert f'<a href="{home}">' in html and text in html


@pytest.mark.parametrize("language", ["en", "ru", "ar"])
def test_searching_a_list_keeps_the_readers_name_order(client, world, language):
    for query in ({"search": "Лавров"}, {"search": "lavrov", "ordering": "-name"}):
        html = _html(client.get(PREFIX[language] + "/actors/", query))
        assert 'href="' + PREFIX[language] + '/actors/sergey-lavrov/"' in html, query


@pytest.mark.parametrize("language", ["en", "ru", "ar"])
def test_choice_labels_are_read_in_the_active_language(language):
    """get_<field>_display() (ruiraq.models.ChoiceLabelsModel, which keeps each language's
    labels) answers what Django's own answers: the label in the reader's language, and a
    stored value that is no choice as it is."""
    from django.db.models import Model

    event = factories.event(kind="visit")
    participant = factories.participant(event, factories.actor(), role="host")
    with translation.override(language):
        for record, field in ((event, "kind"), (event, "status"), (participant, "role")):
            expected = Model._get_FIELD_display(record, record._meta.get_field(field))
            assert getattr(record, f"get_{field}_display")() == expected
        assert event.get_kind_display() == str(translation.gettext("visit"))
        event.kind = "not-a-kind"
        assert event.get_kind_display() == "not-a-kind"
