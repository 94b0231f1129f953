"""In a real browser, under the site's Content-Security-Policy: an editor selects a passage of
a source's full text and cites it; the citation form opens with the source and the quote."""

import pytest

from tests import factories

# The session's Chromium (``browser``, tests/conftest.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.requires("chromium"),
    pytest.mark.django_db(transaction=True),
]

TEXT = "Page furniture\n\nMOSCOW — The minister arrived on Jan. 29 for talks.\nLast paragraph.\n"


def test_editor_cites_a_selected_passage_of_the_source_text(browser, live_server, editor):
    source = factories.source(title="Visit report", text=TEXT)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    # Console errors (a CSP refusal is one), except Chromium's note of the admin's missing
    # favicon: failed loads of the page's own resources are caught from the responses.
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and not msg.text.startswith("Failed to load resource")
            and errors.append(msg.text)
        ),
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    page.set_default_timeout(10_000)

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-staff-1234")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/articles/source/{source.pk}/change/")
    button = page.locator("a.cite-selection")
    assert button.is_visible()  # the script ran: the button is shown only by it
    start = TEXT.index("The minister")
    end = TEXT.index("for talks.") + len("for talks.")
    page.evaluate(
        """([start, end]) => {
            const text = document.getElementById("id_text");
            text.focus();
            text.setSelectionRange(start, end);
            text.dispatchEvent(new Event("select"));
        }""",
        [start, end],
    )
    with context.expect_page() as opened:
        button.click()
    citation_page = opened.value
    citation_page.wait_for_load_state()
    assert citation_page.locator("#id_quote").input_value() == (
        "The minister arrived on Jan. 29 for talks."
    )
    assert citation_page.locator("#id_source option[selected]").inner_text() == "Visit report"
    assert errors == []
    context.close()
