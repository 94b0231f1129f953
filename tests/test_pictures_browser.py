"""The network in a real browser (Playwright + the system Chromium, as tests/test_browser.py):
drawn, clicked, filtered, in three languages, without console errors, axe violations or
horizontal overflow. Screenshots go to docs/screenshots/ (the README shows them)."""

from pathlib import Path

import pytest

from tests import test_browser
from tests.test_browser import CHROMIUM, _page

#: The one Chromium of tests/test_browser.py (module-scoped fixture), shared here.
browser = test_browser.browser

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module", autouse=True)
def _allow_orm_beside_playwright():
    """As in tests/test_browser.py: Playwright's loop runs in the test thread; only here."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def site(live_server, seeded):
    return live_server.url


def _drawn(page):
    page.wait_for_selector("#network-canvas:not([hidden]) canvas")


def _no_serious_axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_reader_opens_the_network_clicks_an_actor_and_a_connection_and_filters(browser, site):
    page = _page(browser)
    page.goto(site + "/network/")
    _drawn(page)
    page.locator(".node-button").first.click()
    panel = page.locator("#network-panel")
    assert panel.is_visible()
    assert panel.get_by_role("link", name="Actor's page").is_visible()
    page.locator("a.edge-link").first.click()
    panel.locator("q").first.wait_for()  # the evidence's quote
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "network.png"))
    page.get_by_label("state").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**kind=state**")
    _drawn(page)
    assert page.locator(".node-button").count() >= 2
    assert page.errors == []


@pytest.mark.parametrize("language", ["", "/ru", "/ar"])
def test_network_page_is_accessible_and_fits_a_phone(browser, site, language):
    page = _page(browser, viewport={"width": 375, "height": 800}, bypass_csp=True)
    page.goto(f"{site}{language}/network/")
    _drawn(page)
    assert not page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    _no_serious_axe_violations(page)
    assert page.errors == []


def test_actor_page_draws_its_neighbourhood_in_arabic(browser, site):
    page = _page(browser)
    page.goto(site + "/ar/actors/sergey-lavrov/")
    _drawn(page)
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.screenshot(path=str(SCREENSHOTS / "actor-neighbourhood-ar.png"))
    assert page.errors == []


def test_network_is_reached_with_the_keyboard(browser, site):
    page = _page(browser)
    page.goto(site + "/network/")
    _drawn(page)
    button = page.locator(".node-button").first
    button.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "network-panel"
    page.keyboard.press("Escape")
    assert page.locator("#network-panel").is_hidden()
