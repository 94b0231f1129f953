"""The public site in a real browser: Playwright driving the system Chromium (/usr/bin/chromium).

CI installs Debian's chromium package; where it is absent these tests are skipped with a
reason, never faked. Screenshots go to test-artifacts/ (git-ignored).
"""

import json
import re
from pathlib import Path

import pytest

from ruiraq.seed.loader import SEED_PATH

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# The session's Chromium (``browser``) on the session's seeded live server (``site``), both in
# tests/conftest.py; these tests only read.
pytestmark = [pytest.mark.browser, pytest.mark.requires("chromium")]


def _page(browser, viewport=None, **context_options):
    """A page that records console errors and uncaught exceptions in ``page.errors``."""
    viewport = viewport or {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, **context_options)
    page = context.new_page()
    page.errors = []
    page.on(
        "console", lambda msg: msg.type == "error" and page.errors.append(f"console: {msg.text}")
    )
    page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
    page.set_default_timeout(10_000)
    return page


def _shot(page, name, full_page=True):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def test_reader_goes_from_home_to_a_filtered_list_an_event_and_an_actor(browser, site):
    page = _page(browser)
    page.goto(site + "/")
    assert page.locator("h1").inner_text().startswith("Russia and Iraq")
    # Every event of the seed is published: the count is the seed file's.
    seed_events = len(json.loads(SEED_PATH.read_text(encoding="utf-8"))["events"])
    assert page.locator(".counts__number").first.inner_text() == str(seed_events)
    _shot(page, "home")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    page.wait_for_url(re.compile(r"/events/$"))
    page.get_by_label("Kind").select_option("visit")
    page.get_by_label("Country").select_option("RU")  # by name: "Russia"
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/events/\?.*kind=visit"))
    assert "country=RU" in page.url
    assert page.locator(".results-count").inner_text() == "1 event"
    _shot(page, "events-filtered")

    page.get_by_role(
        "link", name="Iraqi Foreign Minister Mohammed Ali al-Hakim's visit to Moscow"
    ).click()
    page.wait_for_url(re.compile(r"/events/hakim-visit-moscow-2019/$"))
    assert page.locator(".facts").get_by_text("29–30 January 2019").is_visible()
    assert page.locator("blockquote").count() >= 2
    _shot(page, "event")

    page.get_by_role("region", name="Who took part").get_by_role(
        "link", name="Sergey Lavrov"
    ).click()
    page.wait_for_url(re.compile(r"/actors/sergey-lavrov/$"))
    assert page.locator("h1").inner_text() == "Sergey Lavrov"
    assert page.locator('.native-names [lang="ru"]').first.inner_text() == "Сергей Лавров"
    assert page.get_by_role("heading", name="Appears most often with").is_visible()
    _shot(page, "actor")
    assert page.errors == []


def test_filters_work_with_javascript_off(browser, site):
    page = _page(browser, java_script_enabled=False)
    page.goto(site + "/agreements/")
    page.get_by_label("Status").select_option("denied")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"status=denied"))
    titles = page.locator(".record__title").all_inner_texts()
    assert titles == ["Reported Iraqi purchase of Russian S-400 systems"]
    page.goto(site + "/events/?year_from=abc")
    assert page.get_by_role("alert").inner_text().count("Enter a whole number.") == 1
    assert page.errors == [] or all("400" in error for error in page.errors)


def test_actor_field_suggests_names_as_the_reader_types(browser, site):
    page = _page(browser)
    page.goto(site + "/events/")
    page.get_by_label("Actor").press_sequentially("lavr", delay=50)
    # The name as the page shows it (a slug only where two suggested actors share a name).
    option = page.locator("datalist option[value='Sergey Lavrov']")
    option.wait_for(state="attached")
    assert option.get_attribute("label") == "Sergey Lavrov"
    assert page.errors == []


def test_skip_link_is_the_first_stop_for_keyboard_users(browser, site):
    page = _page(browser)
    page.goto(site + "/timeline/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    _shot(page, "timeline")
    assert page.errors == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/events/",
        "/events/hakim-visit-moscow-2019/",
        "/agreements/russian-energy-investments-iraq/",
        "/actors/russia/",
        "/sources/riac-mamedov-russia-iraq-2018/",
        "/timeline/",
        "/search/?q=lavrov",
        "/events/?year_from=abc",
    ],
)
def test_pages_pass_the_axe_accessibility_checks(browser, site, path):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    page = _page(browser, bypass_csp=True)
    page.goto(site + path)
    results = axe_module.Axe().run(page)
    violations = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]
    assert violations == []


# --- in Russian and Arabic ------------------------------------------------------------------

PHONE = {"width": 375, "height": 812}
#: One page of each type; the screenshots of home and event go to docs/screenshots/.
PAGE_TYPES = [
    ("home", "/"),
    ("event", "/events/hakim-visit-moscow-2019/"),
    ("events", "/events/"),
    ("agreement", "/agreements/russian-energy-investments-iraq/"),
    ("actor", "/actors/sergey-lavrov/"),
    ("source", "/sources/riac-mamedov-russia-iraq-2018/"),
    ("timeline", "/timeline/"),
    ("search", "/search/?q=lavrov"),
]


def _overflowing(page):
    """Elements sticking out of the viewport sideways (what makes a phone scroll sideways)."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        return [...document.body.querySelectorAll("*")]
          .filter((e) => { const r = e.getBoundingClientRect();
                           return r.width && (r.right > width + 1 || r.left < -1); })
          .map((e) => e.tagName + "." + e.className + ": " + e.textContent.trim().slice(0, 40));
    }"""
    )


@pytest.mark.parametrize("language", ["ru", "ar"])
def test_every_page_type_fits_a_phone_screen_in_russian_and_arabic(browser, site, language):
    page = _page(browser, viewport=PHONE)
    for name, path in PAGE_TYPES:
        page.goto(f"{site}/{language}{path}")
        assert page.evaluate("document.documentElement.lang") == language
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], (path, _overflowing(page))
        if name in ("home", "event"):
            _shot(page, f"{name}-{language}-phone", full_page=False)
    assert page.errors == []


def test_arabic_layout_mirrors_and_keeps_latin_text_readable(browser, site):
    page = _page(browser, viewport=PHONE)
    page.goto(site + "/ar/events/hakim-visit-moscow-2019/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The brand starts at the right; the first menu item is right of the second.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] + brand["width"] > PHONE["width"] - 40
    first, second = (page.locator(".site-nav a").nth(i).bounding_box() for i in (0, 1))
    assert first["x"] > second["x"]
    # An English title or name inside Arabic text takes its own direction, isolated.
    title = page.locator("h1#record-title")
    assert title.evaluate("e => getComputedStyle(e).unicodeBidi") == "plaintext"
    english = page.locator(".roles .name-en").first
    assert english.get_attribute("dir") == "ltr"
    assert english.inner_text().startswith("(") and english.inner_text().endswith(")")
    # The date reads right to left: its first day is right of its last.
    facts = page.locator(".facts dd").first
    assert facts.inner_text() == "29–30 كانون الثاني 2019"
    _shot(page, "event-ar-phone-full")
    page.goto(site + "/ar/events/?kind=visit&country=RU")
    assert page.locator(".results-count").inner_text() == "حدث واحد"
    assert page.errors == []


def test_switching_language_keeps_the_page_and_its_filters(browser, site):
    page = _page(browser)
    page.goto(site + "/ar/events/?kind=visit&country=ru")
    page.get_by_role("navigation", name="اللغة").get_by_role("link", name="Русский").click()
    page.wait_for_url(re.compile(r"/ru/events/\?kind=visit&country=ru$"))
    assert page.locator("h1").inner_text() == "События"
    assert page.locator(".results-count").inner_text() == "1 событие"
    page.get_by_role("navigation", name="Язык").get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/events/\?kind=visit&country=ru$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.errors == []


@pytest.mark.parametrize("language", ["ru", "ar"])
def test_home_and_event_pages_in_russian_and_arabic(browser, site, language):
    """Desktop screenshots for the README, and the accessibility checks in each language."""
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    page = _page(browser, bypass_csp=True)
    for name, path in PAGE_TYPES[:2]:
        page.goto(f"{site}/{language}{path}")
        _shot(page, f"{name}-{language}", full_page=False)
        results = axe_module.Axe().run(page)
        violations = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
        ]
        assert violations == [], path
    assert page.errors == []
