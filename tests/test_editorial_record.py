"""The editorial record readers see: first published, last changed, corrections on the
record, on /corrections/ (three languages), in its Atom feed and in the API."""

import datetime as dt

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Correction, Event
from ruiraq.models import EditorialStatus
from ruiraq.revisions.models import PendingRevision
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


def _change(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def _edit(client, record, **changes):
    url = _change(record)
    data = form_data(client.get(url), f"{record._meta.model_name}_form")
    data.update(changes)
    return client.post(url, data)


def _supported_event(**kw):
    event = factories.event(**kw)
    factories.citation(event)
    return event


def _correct(record, note, when):
    field = record._meta.model_name
    return Correction.objects.create(**{field: record}, note=note, corrected_at=when)


# --- the admin: marking an edit as a correction ---------------------------------------------


def test_reviewer_marks_an_edit_of_a_published_event_as_a_correction(reviewer_client, reviewer):
    event = _supported_event(title="Visit to Baghdad", place="Basra")
    response = _edit(
        reviewer_client,
        event,
        place="Baghdad",
        is_correction="on",
        correction_note="The visit was to Baghdad, not Basra.",
    )
    assert response.status_code == 302
    (correction,) = Correction.objects.all()
    assert (correction.event, correction.note, correction.editor) == (
        event,
        "The visit was to Baghdad, not Basra.",
        reviewer,
    )


def test_an_editors_correction_is_listed_when_a_reviewer_approves_it(
    editor_client, reviewer_client, reviewer
):
    actor = factories.actor(name="Sergey Lavrov")
    factories.citation(actor)
    response = _edit(
        editor_client,
        actor,
        name="Sergei Lavrov",
        is_correction="on",
        correction_note="The spelling of the name.",
    )
    assert response.status_code == 302
    # The editor's change to a published record waits for review, and so does its note.
    assert not actor.corrections.exists()
    revision = PendingRevision.objects.get()
    review = reverse("admin:ruiraq_pendingrevision_change", args=[revision.pk])
    assert reviewer_client.post(review, {"_approve": "1"}).status_code == 302
    assert list(actor.corrections.values_list("note", "editor")) == [
        ("The spelling of the name.", reviewer.pk)
    ]


def test_an_edit_not_marked_is_no_correction(reviewer_client):
    event = _supported_event(place="Basra")
    assert _edit(reviewer_client, event, place="Baghdad").status_code == 302
    assert not Correction.objects.exists()


def test_a_correction_needs_its_note(reviewer_client):
    event = _supported_event()
    response = _edit(reviewer_client, event, is_correction="on", correction_note="  ")
    assert response.status_code == 200
    assert "Say what changed" in str(response.context["adminform"].form.errors)
    assert not Correction.objects.exists()


def test_a_correction_note_has_a_length_limit(reviewer_client):
    event = _supported_event()
    response = _edit(reviewer_client, event, is_correction="on", correction_note="x" * 1001)
    assert response.status_code == 200
    assert "correction_note" in response.context["adminform"].form.errors
    assert not Correction.objects.exists()


def test_a_never_published_record_offers_no_correction(editor_client):
    draft = factories.event(status=EditorialStatus.DRAFT)
    page = editor_client.get(_change(draft)).content.decode()
    assert 'name="is_correction"' not in page
    # Posted anyway (a crafted form): refused with a form error, nothing saved.
    response = _edit(editor_client, draft, is_correction="on", correction_note="Fixed.")
    assert response.status_code == 200
    assert "Only a record that has been published" in str(response.context["adminform"].form.errors)
    assert not Correction.objects.exists()


def test_the_correction_fields_are_on_a_published_source_form(editor_client):
    source = factories.source()
    page = editor_client.get(_change(source)).content.decode()
    assert 'name="is_correction"' in page and 'name="correction_note"' in page


def test_editors_may_fix_a_correction_note_but_not_add_one_in_its_admin(editor_client):
    event = _supported_event()
    correction = _correct(event, "Old wording.", timezone.now())
    url = reverse("admin:articles_correction_change", args=[correction.pk])
    assert editor_client.get(reverse("admin:articles_correction_add")).status_code == 403
    assert editor_client.post(url, {"note": "New wording."}).status_code == 302
    correction.refresh_from_db()
    assert correction.note == "New wording."


# --- the record's page -------------------------------------------------------------------------


def test_event_page_shows_first_published_last_changed_and_corrections(client):
    event = _supported_event(title="Talks in Moscow")
    Event.objects.filter(pk=event.pk).update(
        published_at=dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC),
        updated_at=dt.datetime(2026, 5, 3, 9, tzinfo=dt.UTC),
    )
    _correct(event, "The talks lasted two days.", dt.datetime(2026, 5, 3, 9, tzinfo=dt.UTC))
    page = client.get(event.get_absolute_url()).content.decode()
    assert "First published" in page and "1 May 2026" in page
    assert "Last changed" in page and "3 May 2026" in page
    assert "Corrected on 3 May 2026:" in page and "The talks lasted two days." in page
    assert reverse("report", kwargs={"kind": "event", "slug": event.slug}) in page


@pytest.mark.parametrize("kind", ["agreement", "actor", "source"])
def test_every_kind_of_record_page_lists_its_corrections(client, kind):
    record = getattr(factories, kind)()
    if kind != "source":
        factories.citation(record)
    _correct(record, f"A {kind} corrected.", timezone.now())
    page = client.get(record.get_absolute_url()).content.decode()
    assert f"A {kind} corrected." in page
    assert reverse("report", kwargs={"kind": kind, "slug": record.slug}) in page


def test_the_record_page_in_russian_dates_its_correction_in_russian(client):
    event = _supported_event()
    _correct(event, "Исправлена дата.", dt.datetime(2026, 5, 3, 9, tzinfo=dt.UTC))
    page = client.get(f"/ru{event.get_absolute_url()}").content.decode()
    # The date as every Russian date on the site: no-break spaces, "г." after the year.
    assert "Исправлено 3\xa0мая 2026\xa0г.:" in page


def test_event_page_query_count_holds_with_corrections(client, django_assert_num_queries):
    event = _supported_event()
    # Queries: the event, topics, participants, agreements, citations, corrections.
    with django_assert_num_queries(6):
        assert client.get(event.get_absolute_url()).status_code == 200
    for n in range(3):
        _correct(event, f"Correction {n}.", timezone.now())
    from django.core.cache import cache

    cache.clear()
    with django_assert_num_queries(6):
        page = client.get(event.get_absolute_url()).content.decode()
    assert page.count("Corrected on") == 3


# --- /corrections/ and its feed ------------------------------------------------------------------


def test_corrections_page_lists_public_records_only_newest_first(client):
    public = _supported_event(title="A public event")
    draft = factories.event(title="A draft event", status=EditorialStatus.DRAFT)
    now = timezone.now()
    _correct(public, "First fix.", now - dt.timedelta(days=2))
    _correct(public, "Second fix.", now - dt.timedelta(days=1))
    _correct(draft, "Hidden fix.", now)
    page = client.get(reverse("corrections")).content.decode()
    assert page.index("Second fix.") < page.index("First fix.")
    assert "Hidden fix." not in page and "A draft event" not in page
    assert f"{public.get_absolute_url()}#correction-" in page


@pytest.mark.parametrize(
    ("prefix", "heading"), [("", "Corrections"), ("/ru", "Исправления"), ("/ar", "تصحيحات")]
)
def test_corrections_page_in_three_languages(client, prefix, heading):
    _correct(_supported_event(), "A fix.", timezone.now())
    response = client.get(f"{prefix}/corrections/")
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_corrections_page_is_paginated_with_a_fixed_query_count(client, django_assert_num_queries):
    event = _supported_event()
    agreement = factories.agreement()
    factories.citation(agreement)
    actor = factories.actor()
    source = factories.source()
    now = timezone.now()
    for n in range(25):
        record = (event, agreement, actor, source)[n % 4]
        _correct(record, f"Fix number {n}.", now - dt.timedelta(minutes=n))
    # Queries: the count, the page of corrections with their records.
    with django_assert_num_queries(2):
        first = client.get(reverse("corrections")).content.decode()
    assert "Fix number 0." in first and "Fix number 20." not in first
    second = client.get(reverse("corrections") + "?page=2").content.decode()
    assert "Fix number 20." in second and "Fix number 24." in second
    assert client.get(reverse("corrections") + "?page=9").status_code == 404
    assert client.get(reverse("corrections") + "?page=x").status_code == 404


def test_corrections_feed_is_valid_atom(client):
    event = _supported_event(title="Talks in Moscow")
    _correct(event, "The talks lasted two days.", timezone.now())
    _correct(factories.event(status=EditorialStatus.DRAFT), "Hidden.", timezone.now())
    response = client.get(reverse("corrections-feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    (entry,) = feed.entries
    assert entry.title == "Correction: Talks in Moscow"
    assert entry.summary == "The talks lasted two days."
    assert entry.link.startswith(f"http://testserver{event.get_absolute_url()}#correction-")
    assert feed.feed.title == "ruiraq: corrections"


def test_corrections_feed_in_russian_has_a_translated_title(client):
    feed = feedparser.parse(client.get("/ru/corrections/feed/").content)
    assert not feed.bozo
    assert feed.feed.title == "ruiraq: исправления"


# --- the API --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["event", "agreement", "actor", "source"])
def test_api_details_expose_the_editorial_record(api_client, kind):
    record = getattr(factories, kind)()
    if kind != "source":
        factories.citation(record)
    _correct(record, "What changed.", dt.datetime(2026, 5, 3, 9, tzinfo=dt.UTC))
    data = api_client.get(reverse(f"api:{kind}-detail", args=[record.pk])).json()
    assert data["first_published"] is not None
    assert data["last_changed"] is not None
    assert [(c["corrected_at"], c["note"]) for c in data["corrections"]] == [
        ("2026-05-03T09:00:00Z", "What changed.")
    ]


def test_api_event_detail_query_count_is_fixed_with_corrections(
    api_client, django_assert_num_queries
):
    event = _supported_event()
    for n in range(3):
        _correct(event, f"Fix {n}.", timezone.now())
    # Queries: the event, topics, participants, agreements, citations, corrections.
    with django_assert_num_queries(6):
        data = api_client.get(reverse("api:event-detail", args=[event.pk])).json()
    assert len(data["corrections"]) == 3


def test_api_corrections_list(api_client, django_assert_num_queries):
    event = _supported_event(title="Talks in Moscow")
    actor = factories.actor(name="Igor Sechin")
    draft = factories.event(status=EditorialStatus.DRAFT)
    _correct(event, "Older.", dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    _correct(actor, "Newer.", dt.datetime(2026, 5, 2, tzinfo=dt.UTC))
    _correct(draft, "Hidden.", dt.datetime(2026, 5, 3, tzinfo=dt.UTC))
    # Queries: the count, the page (with each record joined).
    with django_assert_num_queries(2):
        response = api_client.get(reverse("api:corrections"))
    data = response.json()
    assert data["count"] == 2
    assert [(c["note"], c["record"]["kind"], c["record"]["title"]) for c in data["results"]] == [
        ("Newer.", "actor", "Igor Sechin"),
        ("Older.", "event", "Talks in Moscow"),
    ]
    first = data["results"][0]
    assert first["record"]["page_url"] == f"http://testserver{actor.get_absolute_url()}"
    assert first["page_url"].startswith(first["record"]["page_url"] + "#correction-")
    since = api_client.get(reverse("api:corrections"), {"since": "2026-05-02"}).json()
    assert [c["note"] for c in since["results"]] == ["Newer."]


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01"])
def test_api_corrections_bad_since_is_a_400(api_client, since):
    response = api_client.get(reverse("api:corrections"), {"since": since})
    assert response.status_code == 400
    assert "since" in response.json()


def test_api_corrections_far_offset_is_no_500(api_client):
    response = api_client.get(reverse("api:corrections"), {"since": "2026-05-01T00:00+17:56"})
    assert response.status_code == 200


def test_the_schema_documents_the_corrections(api_client):
    schema = api_client.get(reverse("api:schema"), {"format": "json"}).json()
    assert "/api/v1/corrections/" in schema["paths"]
    event = schema["components"]["schemas"]["EventDetail"]["properties"]
    assert {"first_published", "last_changed", "corrections"} <= set(event)
