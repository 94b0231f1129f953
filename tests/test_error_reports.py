"""Report an error: the reader's form (no account, CSRF, honeypot, length limits, a per-address
limit), the editors' queue in the admin, and nothing a reader writes ever shown publicly."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import ErrorReport
from ruiraq.models import EditorialStatus
from tests import factories

pytestmark = pytest.mark.django_db

MESSAGE = "The meeting took place in Moscow, not in Sochi: see the ministry's statement."


def _event(**kw):
    event = factories.event(**kw)
    factories.citation(event)
    return event


def _report_url(record, kind="event"):
    return reverse("report", kwargs={"kind": kind, "slug": record.slug})


def _send(client, record, kind="event", address="192.0.2.1", **data):
    return client.post(
        _report_url(record, kind), {"message": MESSAGE, "email": "", **data}, REMOTE_ADDR=address
    )


def test_reader_reports_an_error_and_is_thanked(client):
    event = _event(title="Talks in Sochi")
    form = client.get(_report_url(event))
    assert form.status_code == 200
    page = form.content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and 'name="website"' in page
    assert "Talks in Sochi" in page
    response = _send(client, event, email="reader@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "report-thanks", kwargs={"kind": "event", "slug": event.slug}
    )
    (report,) = ErrorReport.objects.all()
    assert (report.event, report.message, report.email, report.handled_at) == (
        event,
        MESSAGE,
        "reader@example.org",
        None,
    )
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "Thank you" in thanks.content.decode()


@pytest.mark.parametrize("kind", ["agreement", "actor", "source"])
def test_every_kind_of_public_record_can_be_reported(client, kind):
    record = getattr(factories, kind)()
    assert _send(client, record, kind).status_code == 302
    assert getattr(ErrorReport.objects.get(), kind) == record


def test_the_form_page_is_never_cached(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    event = _event()
    first = client.get(_report_url(event))
    assert "no-store" in first["Cache-Control"]
    assert "X-Cache" not in first
    second = client.get(_report_url(event))
    assert "X-Cache" not in second


def test_a_post_without_the_csrf_token_is_refused():
    event = _event()
    client = Client(enforce_csrf_checks=True)
    assert _send(client, event).status_code == 403
    assert not ErrorReport.objects.exists()


def test_the_form_works_with_the_csrf_token_as_a_browser_sends_it():
    event = _event()
    client = Client(enforce_csrf_checks=True)
    page = client.get(_report_url(event))
    token = page.context["csrf_token"]
    response = _send(client, event, csrfmiddlewaretoken=str(token))
    assert response.status_code == 302
    assert ErrorReport.objects.count() == 1


def test_the_honeypot_is_thanked_and_dropped(client):
    event = _event()
    response = _send(client, event, website="http://spam.example.com")
    assert response.status_code == 302
    assert not ErrorReport.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"message": ""}, "message", "This field is required."),
        ({"message": "wrong"}, "message", "at least 10 characters"),
        ({"message": "x" * 2001}, "message", "at most 2000 characters"),
        ({"email": "not an address"}, "email", "valid email"),
        ({"message": "a\x00long enough message"}, "message", "Null characters are not allowed"),
    ],
)
def test_bad_input_is_a_clear_form_error(client, data, field, words):
    event = _event()
    response = _send(client, event, **data)
    assert response.status_code == 400
    assert words in " ".join(response.context["form"].errors[field])
    assert "no-store" in response["Cache-Control"]
    assert not ErrorReport.objects.exists()


def test_a_record_that_is_not_public_cannot_be_reported(client):
    draft = factories.event(status=EditorialStatus.DRAFT)
    assert client.get(_report_url(draft)).status_code == 404
    assert _send(client, draft).status_code == 404
    assert client.get(reverse("report", kwargs={"kind": "tie", "slug": "x"})).status_code == 404
    assert (
        client.get(reverse("report", kwargs={"kind": "event", "slug": "nope"})).status_code == 404
    )
    assert not ErrorReport.objects.exists()


def test_a_flood_from_one_address_gets_a_friendly_429(client, settings):
    settings.ERROR_REPORT_RATE = "3/hour"
    event = _event()
    for _ in range(3):
        assert _send(client, event).status_code == 302
    response = _send(client, event)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many reports" in response.content.decode()
    assert ErrorReport.objects.count() == 3
    # Another address is not held back.
    assert _send(client, event, address="203.0.113.9").status_code == 302


def test_the_limit_counts_the_client_behind_the_proxies(client, settings):
    settings.ERROR_REPORT_RATE = "1/hour"
    settings.NUM_PROXIES = 1
    event = _event()
    url = _report_url(event)
    data = {"message": MESSAGE}
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 302
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    # A forged left part does not make a new client.
    forged = "10.0.0.1, 198.51.100.1"
    assert client.post(url, data, HTTP_X_FORWARDED_FOR=forged).status_code == 429
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302


def test_nothing_a_reader_writes_is_shown_publicly(client, api_client):
    event = _event()
    _send(client, event, message="A secret remark only editors may read.")
    assert ErrorReport.objects.count() == 1
    for url in (
        event.get_absolute_url(),
        reverse("corrections"),
        reverse("api:event-detail", args=[event.pk]),
        reverse("api:corrections"),
    ):
        assert "secret remark" not in client.get(url).content.decode()


def test_every_record_page_links_to_its_report_form(client):
    event = _event()
    page = client.get(event.get_absolute_url()).content.decode()
    assert f'href="{_report_url(event)}"' in page


def test_the_report_form_in_arabic(client):
    event = _event()
    page = client.get(f"/ar{_report_url(event)}").content.decode()
    assert 'dir="rtl"' in page and "الإبلاغ عن خطأ" in page


# --- the editors' queue ------------------------------------------------------------------------


def test_reports_land_in_the_admin_queue_with_the_record_linked(editor_client, client):
    event = _event(title="Talks in Sochi")
    _send(client, event)
    page = editor_client.get(reverse("admin:articles_errorreport_changelist") + "?state=open")
    assert page.status_code == 200
    html = page.content.decode()
    assert MESSAGE[:60] in html
    assert reverse("admin:articles_event_change", args=[event.pk]) in html
    assert event.get_absolute_url() in html


def test_the_queue_runs_a_fixed_number_of_queries(
    editor_client, client, django_assert_max_num_queries
):
    event, actor, source = _event(), factories.actor(), factories.source()
    for n, (record, kind) in enumerate(
        ((event, "event"), (actor, "actor"), (source, "source")) * 4
    ):
        assert _send(client, record, kind, address=f"192.0.2.{n + 1}").status_code == 302
    url = reverse("admin:articles_errorreport_changelist")
    # Queries: session, user, permissions (groups), the count(s) and the page of reports with
    # their records joined: a bound that does not grow with the rows.
    with django_assert_max_num_queries(8):
        assert editor_client.get(url).status_code == 200


def test_editor_marks_reports_handled_and_filters_the_queue(editor_client, editor, client):
    event = _event()
    _send(client, event, message="First report about this event.")
    _send(client, event, message="Second report about this event.")
    first, second = ErrorReport.objects.order_by("pk")
    url = reverse("admin:articles_errorreport_changelist")
    response = editor_client.post(
        url, {"action": "mark_handled", "_selected_action": [first.pk]}, follow=True
    )
    assert "1 report marked as handled." in response.content.decode()
    first.refresh_from_db()
    assert first.handled_at is not None and first.handled_by == editor
    open_page = editor_client.get(url + "?state=open").content.decode()
    assert "Second report" in open_page and "First report" not in open_page
    handled_page = editor_client.get(url + "?state=handled").content.decode()
    assert "First report" in handled_page and "Second report" not in handled_page
    editor_client.post(url, {"action": "reopen", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.handled_at is None


def test_nobody_adds_or_rewrites_a_report_in_the_admin(editor_client, reviewer_client, client):
    _send(client, _event())
    report = ErrorReport.objects.get()
    assert editor_client.get(reverse("admin:articles_errorreport_add")).status_code == 403
    change = reverse("admin:articles_errorreport_change", args=[report.pk])
    editor_client.post(change, {"message": "Rewritten."})
    report.refresh_from_db()
    assert report.message == MESSAGE
    # Reviewers may delete one (spam that got through); editors may not.
    delete = reverse("admin:articles_errorreport_delete", args=[report.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert reviewer_client.post(delete, {"post": "yes"}).status_code == 302
    assert not ErrorReport.objects.exists()
