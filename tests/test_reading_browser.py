"""Every page type in a real browser, in English, Russian and Arabic, at 375, 768 and 1,280
px: nothing wider than the window, no boxes laid over one another, the header on one row at
1,280 px, placeholders whole; and a record page printed as a clean document.

Playwright drives the system Chromium (/usr/bin/chromium), as in tests/test_browser.py;
without it these tests are skipped with a reason. Screenshots go to test-artifacts/; with
RUIRAQ_SCREENSHOTS=docs/screenshots they go there instead (the README shows them).
"""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The session's Chromium (``browser``) on the session's seeded live server (``site``), both in
# tests/conftest.py; the one test that writes has a live server and a seed of its own.
pytestmark = [pytest.mark.browser, pytest.mark.requires("chromium")]

#: One page of each type, in the seed dataset.
PAGES = {
    "home": "/",
    "event-list": "/events/",
    "event": "/events/hakim-visit-moscow-2019/",
    "agreement-list": "/agreements/",
    "agreement": "/agreements/t90-tank-contracts-2017/",
    "actor-list": "/actors/",
    "actor": "/actors/sergey-lavrov/",
    "source-list": "/sources/",
    "source": "/sources/al-monitor-hakim-moscow-2019/",
    "search": "/search/?q=Lavrov",
    "timeline": "/timeline/",
    "not-found": "/events/no-such-event/",
}
LANGUAGES = {"en": "", "ru": "/ru", "ar": "/ar"}
WIDTHS = (375, 768, 1280)

#: Containers whose children must not overlap one another (each line of an inline child is
#: compared on its own, so text that wraps is not an overlap).
_CONTAINERS = [
    ".site-header__inner",
    ".site-nav ul",
    ".language-switcher ul",
    ".hero",
    ".counts",
    ".home-grid",
    ".key-actors",
    ".records",
    ".record",
    ".record__meta",
    ".list-layout",
    ".detail__header",
    ".facts",
    ".detail__body",
    ".detail__aside",
    ".citations",
    ".citation__source",
    ".cite",
    ".cite__downloads",
    ".pagination",
    ".site-footer__links",
]

_MEASURE = """(containers) => {
  const visible = (e) => { const s = getComputedStyle(e);
    return s.display !== 'none' && s.visibility !== 'hidden'
      && !e.classList.contains('visually-hidden'); };
  const overlaps = [];
  for (const selector of containers) {
    for (const box of document.querySelectorAll(selector)) {
      if (!visible(box)) continue;
      const rects = [...box.children].filter(visible).map(child => ({
        name: child.tagName.toLowerCase() + '.' + [...child.classList].join('.'),
        rects: [...child.getClientRects()].filter(r => r.width > 1 && r.height > 1),
      }));
      for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++)
        for (const a of rects[i].rects) for (const b of rects[j].rects) {
          const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (x > 1 && y > 1) overlaps.push(`${selector}: ${rects[i].name} / ${rects[j].name}`);
        }
    }
  }
  const header = [...document.querySelector('.site-header__inner').children]
    .filter(visible).map(e => e.getBoundingClientRect());
  const placeholders = [...document.querySelectorAll('input[placeholder]')].filter(visible)
    .filter(input => { const old = input.value; input.value = input.placeholder;
      const cut = input.scrollWidth > input.clientWidth + 1; input.value = old; return cut; })
    .map(input => input.id || input.name);
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    overlaps: [...new Set(overlaps)],
    headerRows: new Set(header.map(r => Math.round(r.top + r.height / 2) >> 4)).size,
    headerOneRow: header.every(r => r.top < header[0].bottom && header[0].top < r.bottom),
    cutPlaceholders: placeholders,
  };
}"""


def _shots_dir():
    folder = ROOT / os.environ.get("RUIRAQ_SCREENSHOTS", "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_fits_every_width_without_overlaps(browser, site, language):
    """For each page type at 375, 768 and 1,280 px: no horizontal overflow, no overlapping
    boxes, whole placeholders, and at 1,280 px the header (brand, navigation, search) on one
    row. One test per language, every problem reported at once."""
    problems = []
    shots = _shots_dir()
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        for name, path in PAGES.items():
            page.goto(f"{site}{LANGUAGES[language]}{path}")
            found = page.evaluate(_MEASURE, _CONTAINERS)
            where = f"{name} {language} {width}px"
            if found["overflow"] > 0:
                problems.append(f"{where}: {found['overflow']}px wider than the window")
            problems += [f"{where}: overlap {o}" for o in found["overlaps"]]
            problems += [f"{where}: placeholder cut in #{p}" for p in found["cutPlaceholders"]]
            if width == 1280 and not found["headerOneRow"]:
                problems.append(f"{where}: the header takes more than one row")
            page.screenshot(path=str(shots / f"{name}-{language}-{width}.png"))
        context.close()
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_record_page_prints_as_a_clean_document(browser, live_server, seeded):
    """The print stylesheet: the title, dates, parties, the evidence with each source's address
    and the permalink; no header, navigation, search, buttons or downloads."""
    from articles.models import Source

    site = live_server.url

    # The seed's sources have no address; this one gets one, to be printed.
    Source.objects.filter(slug="al-monitor-hakim-moscow-2019").update(
        url="https://www.al-monitor.com/originals/2019/01/iraq-russia-hakim-moscow.html"
    )
    context = browser.new_context(viewport={"width": 800, "height": 1100})
    page = context.new_page()
    page.goto(f"{site}{PAGES['event']}")
    page.emulate_media(media="print")
    for hidden in (
        ".site-header",
        ".site-nav",
        ".site-search",
        ".site-footer",
        "button",
        ".cite__downloads",
        ".language-switcher",
    ):
        assert all(not el.is_visible() for el in page.query_selector_all(hidden)), hidden
    for shown in ("h1", ".facts", ".roles", ".citation__quote", ".citation__url", ".cite__text"):
        assert page.locator(shown).first.is_visible(), shown
    assert page.locator(".citation__url").first.inner_text() == (
        "https://www.al-monitor.com/originals/2019/01/iraq-russia-hakim-moscow.html"
    )
    assert "/events/hakim-visit-moscow-2019/" in page.locator(".cite__text").inner_text()
    # Nothing is cut at the page's edge: the layout is one column.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(_shots_dir() / "event-print-en.png"), full_page=True)
    context.close()
