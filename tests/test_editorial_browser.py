"""The editorial process in a real browser (Playwright driving /usr/bin/chromium, as
tests/test_browser.py): a reader reports an error with JavaScript off and the editor finds it
in the admin queue; a reviewer opens the admin on the desk and reaches what waits for review
in one click."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import ErrorReport, Event
from ruiraq.models import EditorialStatus
from tests import factories

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# The session's Chromium (``browser``, tests/conftest.py); each test makes its own data.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.requires("chromium"),
    pytest.mark.django_db(transaction=True),
]


def _page(browser, **options):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _staff(username, permissions):
    """A staff user with ``permissions`` ("app.codename"): the editorial groups come from a
    data migration, which the live server's flushed database no longer holds."""
    from django.contrib.auth.models import Permission, User

    user = User.objects.create_user(username, password="pw-staff-1234", is_staff=True)
    for label in permissions:
        app_label, codename = label.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.fixture
def editor(db):
    return _staff(
        "editor",
        ["articles.view_errorreport", "articles.change_errorreport", "articles.change_event"],
    )


@pytest.fixture
def reviewer(db):
    return _staff("reviewer", ["articles.change_event", "articles.publish_event"])


def _log_in(page, site, username):
    page.goto(site + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-staff-1234")
    page.click("input[type=submit]")
    page.wait_for_url(site + "/admin/")


def test_reader_reports_an_error_without_javascript_and_the_editor_sees_it(
    browser, live_server, editor
):
    event = factories.event(title="Talks in Sochi")
    factories.citation(event)
    site = live_server.url
    reader = _page(browser, java_script_enabled=False)
    reader.goto(site + event.get_absolute_url())
    reader.click("text=Report an error")
    assert reader.locator("h1").inner_text() == "Report an error"
    # The honeypot is out of sight (off the page's edge); the reader fills in what people see.
    trap = reader.locator("#id_website").bounding_box()
    assert trap["x"] + trap["width"] <= 0
    reader.fill("#id_message", "Too short")
    reader.click("text=Send the report")
    assert "at least 10 characters" in reader.locator(".errorlist").inner_text()
    reader.fill("#id_message", "The talks took place in Moscow, not in Sochi.")
    reader.fill("#id_email", "reader@example.org")
    reader.click("text=Send the report")
    assert reader.locator("h1").inner_text() == "Thank you"
    ARTIFACTS.mkdir(exist_ok=True)
    reader.screenshot(path=str(ARTIFACTS / "report-thanks.png"))
    assert ErrorReport.objects.get().event == event

    desk = _page(browser)
    _log_in(desk, site, editor.username)
    desk.click("text=The queue of open reports")
    row = desk.locator("#result_list tbody tr").first
    assert "The talks took place in Moscow" in row.inner_text()
    assert "Talks in Sochi" in row.inner_text()
    desk.screenshot(path=str(ARTIFACTS / "report-queue.png"))


def test_reviewer_opens_the_desk_and_reaches_the_oldest_record_in_review(
    browser, live_server, reviewer
):
    older = factories.event(title="Older in review", status=EditorialStatus.IN_REVIEW)
    factories.event(title="Newer in review", status=EditorialStatus.IN_REVIEW)
    Event.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - dt.timedelta(days=3))
    site = live_server.url
    page = _page(browser)
    _log_in(page, site, reviewer.username)
    review = page.locator("#desk-review + h3 + ol li")
    assert review.first.inner_text().startswith("Older in review")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "editors-desk.png"), full_page=True)
    review.first.locator("a").click()
    assert page.locator("#id_title").input_value() == "Older in review"
