"""The network in a real browser (Playwright + the system Chromium, as tests/test_browser.py):
drawn, clicked, filtered, in three languages, without console errors, axe violations or
horizontal overflow. Screenshots go to test-artifacts/ (docs/screenshots/ with
`make screenshots`)."""

import os
from pathlib import Path

import pytest

from tests.test_browser import _page

#: Where the screenshots go: test-artifacts/, or with RUIRAQ_SCREENSHOTS=docs/screenshots
#: (`make screenshots`) the folder the README shows, so a test run leaves the tree clean.
SCREENSHOTS = Path(__file__).resolve().parent.parent / os.environ.get(
    "RUIRAQ_SCREENSHOTS", "test-artifacts"
)

# The session's Chromium (``browser``) on the session's seeded live server (``site``), both in
# tests/conftest.py; the one test that writes has a live server and a seed of its own.
pytestmark = [pytest.mark.browser, pytest.mark.requires("chromium")]


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


# --- the timeline -----------------------------------------------------------------------------


def _ticks(page):
    """The axis's labels (SVG text has no inner text: its text content)."""
    return page.eval_on_selector_all(
        ".timeline-svg__ticks text", "(texts) => texts.map((t) => t.textContent)"
    )


def _pixels_per_year(page):
    """The axis's scale, from the first two year marks (the zoom's measure)."""
    marks = page.eval_on_selector_all(
        ".timeline-svg__ticks text",
        "(texts) => texts.map((t) => [t.textContent, Number(t.getAttribute('x'))])",
    )
    years = [(int(label), x) for label, x in marks if label.isdigit()]
    (first, a), (second, b) = years[:2]
    return abs(b - a) / (second - first)


def test_reader_opens_the_timeline_zooms_moves_and_filters(browser, site):
    page = _page(browser)
    page.goto(site + "/timeline/")
    controls = page.locator(".timeline-picture__controls")
    controls.wait_for(state="visible")  # the script is running
    before = _pixels_per_year(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".timeline-picture").screenshot(path=str(SCREENSHOTS / "timeline.png"))
    controls.get_by_role("button", name="Zoom in").click()
    controls.get_by_role("button", name="Zoom in").click()
    assert _pixels_per_year(page) == pytest.approx(4 * before, rel=0.02)
    controls.get_by_role("button", name="Move back in time").click()
    # The keyboard: the picture's region takes +, -, the arrows and 0.
    page.locator(".timeline-picture__scroll").focus()
    page.keyboard.press("0")
    assert _pixels_per_year(page) == pytest.approx(before, rel=0.02)
    # Zoomed far in, the axis names months in the reader's language.
    for _ in range(6):
        page.keyboard.press("+")
    labels = _ticks(page)
    months = ("January", "February", "March", "April", "May", "June", "July", "August")
    assert any(label.startswith(months) for label in labels), labels
    page.keyboard.press("0")
    # A bar is a link to its record.
    href = page.locator("a.timeline-bar").first.get_attribute("href")
    assert href.startswith("/events/") or href.startswith("/agreements/")
    # Filter: agreements only, kept in the URL.
    page.get_by_label("Records", exact=True).select_option("agreement")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**record=agreement**")
    page.locator(".timeline-picture__controls").wait_for(state="visible")
    assert page.locator("a.timeline-bar--event").count() == 0
    assert page.locator("a.timeline-bar--agreement").count() >= 1  # the seed dates two
    assert page.errors == []


def test_timeline_zooms_to_months_named_in_arabic_and_runs_right_to_left(browser, site):
    page = _page(browser)
    page.goto(site + "/ar/timeline/?year=2019")
    page.locator(".timeline-picture__controls").wait_for(state="visible")
    assert page.locator("html").get_attribute("dir") == "rtl"
    labels = _ticks(page)
    assert "آذار" in labels  # March, as Iraq names it
    # Time runs right to left: January's mark is right of March's.
    january = page.locator(".timeline-svg__ticks text", has_text="كانون الثاني").first
    march = page.locator(".timeline-svg__ticks text", has_text="آذار").first
    assert january.bounding_box()["x"] > march.bounding_box()["x"]
    page.locator(".timeline-picture").screenshot(path=str(SCREENSHOTS / "timeline-ar.png"))
    assert page.errors == []


@pytest.mark.parametrize("language", ["", "/ru", "/ar"])
def test_timeline_page_is_accessible_and_fits_a_phone(browser, site, language):
    page = _page(browser, viewport={"width": 375, "height": 800}, bypass_csp=True)
    page.goto(f"{site}{language}/timeline/")
    page.locator(".timeline-picture__controls").wait_for(state="visible")
    assert not page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    _no_serious_axe_violations(page)
    assert page.errors == []


def test_timeline_works_without_javascript(browser, site):
    page = _page(browser, java_script_enabled=False)
    page.goto(site + "/timeline/")
    # The server's picture is there, its controls (which need the script) are not.
    assert page.locator("a.timeline-bar").count() > 10
    assert page.locator(".timeline-picture__controls").is_hidden()
    assert page.locator(".timeline__events li").count() > 10


# --- the charts -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["", "/ar"])
def test_home_chart_shows_its_numbers_and_passes_axe(browser, site, language):
    page = _page(browser, bypass_csp=True)
    page.goto(f"{site}{language}/")
    chart = page.locator(".hero .chart")
    assert chart.locator("svg[role=img]").is_visible()
    table = chart.locator("table")
    assert table.is_hidden()
    chart.locator("summary").click()  # the numbers, as text
    assert table.is_visible()
    assert table.locator("tbody tr").count() >= 2
    _no_serious_axe_violations(page)
    name = "home-chart-ar" if language else "home-chart"
    page.locator(".hero").screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    assert page.errors == []


# --- the network at 500 actors ----------------------------------------------------------------


def _five_hundred_actors():
    """500 public actors in 250 public events of four participants each (bulk: the network
    reads nothing the search documents hold)."""
    import datetime as dt

    from actors.models import Actor
    from articles.models import Event, EventParticipant

    actors = Actor.objects.bulk_create(
        Actor(
            name=f"Bulk actor {n:03}", slug=f"bulk-actor-{n:03}", kind="person", status="published"
        )
        for n in range(500)
    )
    events = Event.objects.bulk_create(
        Event(
            title=f"Bulk meeting {n}",
            slug=f"bulk-meeting-{n}",
            kind="meeting",
            start_date=dt.date(2010 + n % 10, 1 + n % 12, 1),
            status="published",
        )
        for n in range(250)
    )
    EventParticipant.objects.bulk_create(
        EventParticipant(event=event, actor=actors[(2 * n + k) % 500], role="participant")
        for n, event in enumerate(events)
        for k in range(4)
    )


@pytest.mark.django_db(transaction=True)
def test_network_page_stays_usable_at_500_actors(browser, live_server, seeded):
    site = live_server.url
    _five_hundred_actors()
    page = _page(browser)
    page.set_default_timeout(30_000)
    page.goto(site + "/network/?limit=500")
    _drawn(page)
    nodes = page.evaluate(
        "fetch(document.querySelector('[data-network-src]').dataset.networkSrc)"
        ".then((r) => r.json()).then((d) => d.nodes.length)"
    )
    assert nodes == 500
    # Still answers: a node's panel opens at once, zoom by wheel works, and no error.
    started = page.evaluate("performance.now()")
    page.locator(".node-button").nth(250).click()
    page.locator("#network-panel").wait_for(state="visible")
    assert page.evaluate("performance.now()") - started < 2000
    page.mouse.move(600, 500)
    page.mouse.wheel(0, -300)
    page.screenshot(path=str(SCREENSHOTS / "network-500.png"))
    assert page.errors == []
