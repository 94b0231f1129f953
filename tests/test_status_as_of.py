"""A status carries the date the sources last confirmed it: "planned, as of May 2018". It is
the publication date of the latest published source supporting the record, kept current as
the evidence changes, and shown beside the badge on pages, lists, cards and in the API."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from articles.models import Agreement, Event
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

MAY_2018 = {"date": "2018-05-01", "precision": "month", "display": "May 2018"}


def _as_of(record):
    record = type(record).objects.get(pk=record.pk)
    return record.status_as_of.as_dict() if record.status_as_of else None


@pytest.fixture
def plan():
    """A planned visit confirmed by a 2017 report and a May 2018 analysis; a 2020 draft and
    a 2021 quote that disputes it do not count."""
    event = factories.event(title="Planned visit", slug="planned-visit", event_status="planned")
    old = factories.source(
        title="Old", published_date=dt.date(2017, 1, 1), published_precision="year"
    )
    may = factories.source(
        title="May", published_date=dt.date(2018, 5, 1), published_precision="month"
    )
    draft = factories.source(title="Draft", status="draft", published_date=dt.date(2020, 3, 2))
    factories.citation(event, old)
    factories.citation(event, may)
    factories.citation(event, draft)
    factories.citation(
        event, factories.source(published_date=dt.date(2021, 1, 1)), stance="disputes"
    )
    return event, draft


def test_the_latest_published_supporting_source_dates_the_status(plan):
    event, _ = plan
    assert _as_of(event) == MAY_2018


def test_a_year_reaches_past_a_day_of_the_same_year():
    event = factories.event()
    factories.citation(event, factories.source(published_date=dt.date(2019, 12, 31)))
    factories.citation(
        event, factories.source(published_date=dt.date(2019, 1, 1), published_precision="year")
    )
    assert _as_of(event) == {
        "date": "2019-12-31",
        "precision": "day",
        "display": "31 December 2019",
    }
    event2 = factories.event()
    factories.citation(event2, factories.source(published_date=dt.date(2019, 6, 3)))
    factories.citation(
        event2, factories.source(published_date=dt.date(2019, 1, 1), published_precision="year")
    )
    assert _as_of(event2)["display"] == "2019"


def test_an_undated_record_has_no_status_date():
    event = factories.event()
    factories.citation(event, factories.source(published_date=None))
    assert _as_of(event) is None


# --- it follows the evidence, whatever the path -----------------------------------------------


def test_publishing_a_later_source_in_bulk_moves_the_date(reviewer_client, plan):
    event, draft = plan
    reviewer_client.post(
        reverse("admin:articles_source_changelist"),
        {"action": "publish", ACTION_CHECKBOX_NAME: [str(draft.pk)]},
    )
    assert _as_of(event)["display"] == "2 March 2020"


def test_redating_a_source_in_its_form_moves_the_date(reviewer_client, plan):
    # A reviewer's edit: an editor's change to a published source waits for review.
    event, _ = plan
    may = event.citations.get(source__title="May").source
    url = reverse("admin:articles_source_change", args=[may.pk])
    data = form_data(reviewer_client.get(url), "source_form")
    data["published_date"] = "June 2018"
    assert reviewer_client.post(url, data).status_code == 302
    assert _as_of(event)["display"] == "June 2018"


def test_deleting_or_disputing_the_latest_quote_moves_the_date_back(reviewer_client, plan):
    event, _ = plan
    citation = event.citations.get(source__title="May")
    url = reverse("admin:articles_citation_change", args=[citation.pk])
    data = form_data(reviewer_client.get(url), "citation_form")
    data["stance"] = "disputes"
    assert reviewer_client.post(url, data).status_code == 302
    assert _as_of(event)["display"] == "2017"
    citation.refresh_from_db()
    citation.stance = "supports"
    citation.save()
    assert _as_of(event) == MAY_2018
    delete = reverse("admin:articles_citation_delete", args=[citation.pk])
    assert reviewer_client.post(delete, {"post": "yes"}).status_code == 302
    assert _as_of(event)["display"] == "2017"


def test_moving_a_citation_to_another_record_dates_both(plan):
    event, _ = plan
    other = factories.agreement()
    citation = event.citations.get(source__title="May")
    citation.event, citation.agreement = None, other
    citation.save()
    assert (_as_of(event)["display"], _as_of(other)) == ("2017", MAY_2018)


# --- shown beside the badge -----------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix, text",
    [("", "as of May 2018"), ("/ru", "по состоянию на май 2018"), ("/ar", "وفق مصادر أيار 2018")],
)
def test_event_page_list_and_home_show_the_date_beside_the_badge(client, plan, prefix, text):
    for url in (f"{prefix}/events/planned-visit/", f"{prefix}/events/", f"{prefix}/"):
        page = client.get(url).content.decode()
        assert text in page, url


def test_agreement_card_and_page_show_it_too(client):
    deal = factories.agreement(title="Deal", slug="deal", agreement_status="negotiating")
    factories.citation(
        deal, factories.source(published_date=dt.date(2018, 5, 1), published_precision="month")
    )
    for url in ("/agreements/deal/", "/agreements/", "/timeline/"):
        assert "as of May 2018" in client.get(url).content.decode(), url


def test_tie_on_its_holders_page_shows_it(client):
    envoy = factories.actor(name="Envoy", slug="envoy")
    tie = factories.tie(subject=envoy, title="Ambassador")
    factories.citation(envoy)
    factories.citation(
        tie, factories.source(published_date=dt.date(2018, 2, 1), published_precision="month")
    )
    assert "as of February 2018" in client.get("/actors/envoy/").content.decode()


def test_the_api_gives_the_date_with_its_precision(api_client, plan):
    event, _ = plan
    deal = factories.agreement(title="Deal")
    factories.citation(deal, factories.source(published_date=None))
    event.agreements.add(deal)
    listed = api_client.get("/api/v1/events/").json()["results"]
    assert [e["status_as_of"] for e in listed] == [MAY_2018]
    detail = api_client.get(f"/api/v1/events/{event.pk}/").json()
    assert detail["status_as_of"] == MAY_2018
    assert detail["agreements"][0]["status_as_of"] is None
    agreement = api_client.get(f"/api/v1/agreements/{deal.pk}/").json()
    assert agreement["events"][0]["status_as_of"] == MAY_2018


# --- lists keep a fixed number of queries ---------------------------------------------------


def _dated_events(n):
    for i in range(n):
        event = factories.event(event_status="planned")
        factories.citation(event, factories.source(published_date=dt.date(2010 + i, 1, 1)))


@pytest.mark.parametrize("n", [2, 7])
def test_event_list_and_api_list_queries_do_not_grow_with_the_dates(
    client, api_client, django_assert_num_queries, n
):
    _dated_events(n)
    # Page: COUNT, the page of events, participants, topics, disputing citations, years.
    with django_assert_num_queries(6):
        page = client.get("/events/").content.decode()
    assert page.count('class="as-of"') == n
    # API: the page, the count, topics, participants.
    with django_assert_num_queries(4):
        body = api_client.get("/api/v1/events/?page_size=100").json()
    assert len([e for e in body["results"] if e["status_as_of"]]) == n


@pytest.mark.parametrize("n", [2, 7])
def test_agreement_list_queries_do_not_grow_with_the_dates(client, django_assert_num_queries, n):
    for i in range(n):
        deal = factories.agreement()
        factories.citation(deal, factories.source(published_date=dt.date(2010 + i, 1, 1)))
    with django_assert_num_queries(6):
        page = client.get("/agreements/").content.decode()
    assert page.count('class="as-of"') == n
    assert Agreement.objects.exclude(status_as_of_date=None).count() == n
    assert Event.objects.count() == 0


def test_a_generated_dataset_dates_its_statuses():
    from django.core.management import call_command

    call_command("generate_synthetic", events=30, seed=2, verbosity=0)
    published = Event.objects.filter(status="published")
    assert published.count() > 10
    assert list(published.filter(status_as_of_date=None)) == []


def test_saving_the_record_again_keeps_its_status_date(plan):
    # The record's own save() derives the date from its stored citations, as they are.
    event, _ = plan
    event = Event.objects.get(pk=event.pk)
    event.title = "Planned visit, renamed"
    event.save()
    assert _as_of(event) == MAY_2018


def test_a_save_of_some_fields_writes_the_status_date_too(plan):
    # A source redated without signals (a queryset update) leaves the stored date stale; the
    # record's next save, even of one field, writes the date derived then.
    from articles.models import Source

    event, _ = plan
    Source.objects.filter(title="May").update(published_date=dt.date(2019, 7, 4))
    assert _as_of(event) == MAY_2018
    event = Event.objects.get(pk=event.pk)
    event.title = "Planned visit, renamed"
    event.save(update_fields=["title"])
    assert _as_of(event)["display"] == "July 2019"


@pytest.mark.parametrize(
    "coarse, fine, display",
    [
        # Equal last days: "March 2019" ends on 31 March, as "31 March 2019" does.
        (("month", dt.date(2019, 3, 1)), ("day", dt.date(2019, 3, 31)), "31 March 2019"),
        # "2019" ends on 31 December, as "December 2019" does.
        (("year", dt.date(2019, 1, 1)), ("month", dt.date(2019, 12, 1)), "December 2019"),
    ],
)
def test_at_an_equal_last_day_the_finer_date_wins(coarse, fine, display):
    # The coarser one is cited first, so only the comparison can put the finer one first.
    event = factories.event()
    for precision, date in (coarse, fine):
        source = factories.source(published_date=date, published_precision=precision)
        factories.citation(event, source)
    assert _as_of(event)["display"] == display


def test_a_refresh_in_several_batches_counts_every_record_it_changed(monkeypatch):
    events = []
    for day in (3, 4, 5):
        event = factories.event()
        factories.citation(event, factories.source(published_date=dt.date(2019, 6, day)))
        events.append(event)
    Event.objects.filter(pk__in=[e.pk for e in events]).update(status_as_of_date=None)
    monkeypatch.setattr(Event, "REFRESH_BATCH", 2)
    assert Event.refresh_status_as_of([e.pk for e in events]) == 3
    assert [_as_of(e)["display"] for e in events] == ["3 June 2019", "4 June 2019", "5 June 2019"]
    assert Event.refresh_status_as_of([e.pk for e in events]) == 0
