"""The visual timeline (/timeline/, its JSON, /api/v1/timeline/ and its CSV) and the activity
charts of the home, actor and topic pages."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

DRAFT = "draft"


def _world():
    """Lavrov at talks known to the day range, a visit known to the month, a delivery known
    to the year, a T-90 contract (2017, in force) and a denied S-400 deal, all on defence."""
    defence = f.topic(name="Defence", name_ru="Оборона", name_ar="الدفاع", slug="defence")
    lavrov = f.actor(name="Sergey Lavrov", slug="sergey-lavrov")
    talks = f.event(
        title="Talks in Baghdad",
        kind="talks",
        start_date=dt.date(2019, 1, 29),
        end_date=dt.date(2019, 1, 30),
    )
    visit = f.event(
        title="Visit to Moscow",
        kind="visit",
        start_date=dt.date(2019, 3, 1),
        start_precision="month",
    )
    delivery = f.event(
        title="Deliveries", kind="delivery", start_date=dt.date(2014, 1, 1), start_precision="year"
    )
    tanks = f.agreement(title="T-90 tanks", agreement_status="in_force")
    s400 = f.agreement(
        title="S-400 deal",
        agreement_status="denied",
        start_date=dt.date(2018, 2, 1),
        start_precision="month",
        end_date=dt.date(2019, 1, 1),
        end_precision="year",
    )
    for record in (talks, visit, delivery, tanks, s400):
        record.topics.add(defence)
    f.participant(talks, lavrov)
    f.party(tanks, lavrov)
    return lavrov, defence


def _items(client, **params):
    response = client.get(reverse("api:timeline"), params)
    assert response.status_code == 200, response.content
    return {item["title"]: item for item in response.json()["items"]}


# --- content --------------------------------------------------------------------------------


def test_each_record_spans_the_whole_period_its_precision_names(client):
    _world()
    items = _items(client)
    spans = {title: (i["first_day"], i["last_day"]) for title, i in items.items()}
    assert spans == {
        "Deliveries": ("2014-01-01", "2014-12-31"),  # a year
        "T-90 tanks": ("2017-01-01", "2017-12-31"),
        "S-400 deal": ("2018-02-01", "2019-12-31"),  # a month to a year
        "Talks in Baghdad": ("2019-01-29", "2019-01-30"),  # a day range
        "Visit to Moscow": ("2019-03-01", "2019-03-31"),  # a month
    }
    assert items["Visit to Moscow"]["when"] == "March 2019"
    assert items["Visit to Moscow"]["start"] == {
        "date": "2019-03-01",
        "precision": "month",
        "display": "March 2019",
    }
    assert items["S-400 deal"]["status"] == "denied"
    assert items["S-400 deal"]["type"] == "agreement"
    assert items["Talks in Baghdad"]["url"] == "/events/talks-in-baghdad/"
    assert items["Talks in Baghdad"]["when"] == "29–30 January 2019"


def test_items_come_in_date_order_with_the_records_per_year(client):
    _world()
    data = client.get(reverse("api:timeline")).json()
    assert [i["title"] for i in data["items"]] == [
        "Deliveries",
        "T-90 tanks",
        "S-400 deal",
        "Talks in Baghdad",
        "Visit to Moscow",
    ]
    assert data["years"] == [
        {"year": 2014, "events": 1, "agreements": 0},
        {"year": 2017, "events": 0, "agreements": 1},
        {"year": 2018, "events": 0, "agreements": 1},
        {"year": 2019, "events": 2, "agreements": 0},
    ]
    assert (data["count"], data["shown"], data["truncated"]) == (5, 5, False)


@pytest.mark.parametrize(
    "params, titles",
    [
        ({"actor": "sergey-lavrov"}, {"Talks in Baghdad", "T-90 tanks"}),
        ({"record": "agreement"}, {"T-90 tanks", "S-400 deal"}),
        ({"kind": "visit"}, {"Visit to Moscow"}),
        ({"kind": "arms_contract", "record": "agreement"}, {"T-90 tanks", "S-400 deal"}),
        ({"year": 2019}, {"Talks in Baghdad", "Visit to Moscow", "S-400 deal"}),  # it reaches 2019
        ({"year_from": 2015, "year_to": 2017}, {"T-90 tanks"}),
        ({"topic": "defence", "year_to": 2014}, {"Deliveries"}),
    ],
)
def test_filters_by_actor_topic_kind_and_years(client, params, titles):
    _world()
    assert set(_items(client, **params)) == titles


def test_too_many_records_are_drawn_as_records_per_year(client, monkeypatch):
    from ruiraq.site import timeline

    _world()
    monkeypatch.setattr(timeline, "MAX_ITEMS", 3)
    monkeypatch.setattr(timeline.build, "__defaults__", (3,))
    data = client.get(reverse("api:timeline")).json()
    assert (data["count"], data["shown"], data["truncated"]) == (5, 3, True)
    html = client.get(reverse("timeline")).content.decode()
    assert 'class="timeline-bar ' not in html
    assert 'class="timeline-year" href="?year=2019"' in html
    assert "5 records match: choose a year" in html


def test_the_page_draws_each_record_as_a_linked_bar_and_lists_it_below(client):
    _world()
    html = client.get(reverse("timeline")).content.decode()
    bars = re.findall(
        r'<a class="timeline-bar timeline-bar--(\w+) timeline-bar--(\w+)" href="([^"]+)"', html
    )
    assert sorted(bars) == sorted(
        [
            ("event", "occurred", "/events/talks-in-baghdad/"),
            ("event", "occurred", "/events/visit-to-moscow/"),
            ("event", "occurred", "/events/deliveries/"),
            ("agreement", "in_force", "/agreements/t-90-tanks/"),
            ("agreement", "denied", "/agreements/s-400-deal/"),
        ]
    )
    # The bars carry the days they cover (since 1970, the end excluded) for the script.
    start = (dt.date(2019, 3, 1) - dt.date(1970, 1, 1)).days
    assert f'data-start="{start}" data-end="{start + 31}"' in html
    assert 'aria-label="Visit to Moscow, March 2019"' in html
    assert 'role="group" aria-labelledby="picture-title"' in html
    assert "Timeline, 2014 to 2019" in html
    # The list below holds the same records, agreements too, at their precision.
    list_part = html.split("The records, by year and month")[1]
    for title in ("Talks in Baghdad", "Visit to Moscow", "Deliveries", "T-90 tanks", "S-400 deal"):
        assert title in list_part
    assert "During 2014" in list_part and "March 2019" in list_part
    assert '<script src="/static/js/timeline.js" defer></script>' in html


def test_the_page_keeps_its_filters_in_the_year_links_and_downloads(client):
    _world()
    html = client.get(reverse("timeline"), {"topic": "defence", "record": "event"}).content.decode()
    assert 'href="/timeline/?topic=defence&amp;record=event&amp;year=2019"' in html
    assert 'href="/api/v1/timeline/?topic=defence&amp;record=event&amp;format=csv"' in html


def test_the_arabic_page_mirrors_the_axis(client):
    _world()
    html = client.get("/ar/timeline/").content.decode()
    assert 'data-rtl="1"' in html and 'direction="rtl"' in html
    # 2014 (the first year) is on the right: its tick is the one furthest from the left.
    ticks = dict(
        (label, float(x))
        for x, label in re.findall(r'<line x1="([\d.]+)"[^>]*></line><text[^>]*>(\d{4})<', html)
    )
    assert ticks["2014"] > ticks["2019"]
    year = client.get("/ar/timeline/", {"year": 2019}).content.decode()
    assert "آذار" in year  # the Iraqi month name on the axis


def test_page_json_speaks_the_pages_language(client):
    _world()
    data = client.get("/ru/timeline/data.json").json()
    visit = next(i for i in data["items"] if i["title"] == "Visit to Moscow")
    assert visit["when"] == "март 2019\u00a0г."  # no break before "г." (ruiraq.dates)
    assert visit["url"] == "/ru/events/visit-to-moscow/"


def test_csv_holds_every_matching_record_undated_last(client):
    _world()
    f.event(title="Undated talks", start_date=None)
    response = client.get(reverse("api:timeline"), {"format": "csv", "record": "event"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="ruiraq-timeline.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["title"] for r in rows] == [
        "Deliveries",
        "Talks in Baghdad",
        "Visit to Moscow",
        "Undated talks",
    ]
    visit = rows[2]
    assert (visit["start_date"], visit["start_precision"], visit["last_day"]) == (
        "2019-03-01",
        "month",
        "2019-03-31",
    )
    # No date: no day in the date columns, and the one rendering of "unknown" in the words.
    assert rows[3]["first_day"] == "" and rows[3]["when"] == "Date not known"


# --- the public door ------------------------------------------------------------------------


def test_drafts_never_appear_as_a_bar_an_item_a_row_or_a_count(client):
    lavrov, _defence = _world()
    secret = f.event(title="Secret talks", start_date=dt.date(2016, 5, 5), status=DRAFT)
    f.participant(secret, lavrov)
    f.agreement(title="Secret deal", start_date=dt.date(2016, 1, 1), status=DRAFT)
    ghost = f.actor(name="Ghost", slug="ghost", status=DRAFT)
    f.participant(f.event(title="Ghost visit"), ghost)
    data = client.get(reverse("api:timeline")).json()
    assert "Secret talks" not in {i["title"] for i in data["items"]}
    assert "Secret deal" not in {i["title"] for i in data["items"]}
    assert 2016 not in {row["year"] for row in data["years"]}
    csv_text = b"".join(
        client.get(reverse("api:timeline"), {"format": "csv"}).streaming_content
    ).decode()
    assert "Secret" not in csv_text
    html = client.get(reverse("timeline")).content.decode()
    assert "Secret" not in html
    assert 'href="/timeline/?year=2016"' not in html  # no year of its own to choose
    # A draft actor is no filter: its slug is unknown to the public.
    assert client.get(reverse("api:timeline"), {"actor": "ghost"}).status_code == 400
    # Nor does a draft count in the charts.
    home = client.get(reverse("home")).content.decode()
    zeros = '<td class="number">0</td>' * 3
    assert f'<th scope="row">2016</th>{zeros}' in home
    actor_page = client.get(lavrov.get_absolute_url()).content.decode()
    assert '<th scope="row">2016</th>' not in actor_page


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, field",
    [
        ({"year": "last"}, "year"),
        ({"year": "1492"}, "year"),
        ({"year_from": 2019, "year_to": 2014}, "year_to"),
        ({"year": 2019, "year_from": 2014}, "year"),
        ({"kind": "party"}, "kind"),
        ({"kind": "visit", "record": "agreement"}, "kind"),
        ({"record": "tie"}, "record"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"actor": "nobody"}, "actor"),
        ({"actor": "not a slug!"}, "actor"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, params, field):
    _world()
    for url in (reverse("api:timeline"), reverse("timeline-data")):
        response = client.get(url, params)
        assert response.status_code == 400
        assert field in response.json()
    page = client.get(reverse("timeline"), params)
    assert page.status_code == 400
    assert 'role="alert"' in page.content.decode()


def test_an_unknown_format_is_a_404(client):
    assert client.get(reverse("api:timeline"), {"format": "xlsx"}).status_code == 404


# --- queries --------------------------------------------------------------------------------


def _many(n):
    lavrov = f.actor(name="Sergey Lavrov", slug="sergey-lavrov")
    topic = f.topic(slug="defence")
    for i in range(n):
        event = f.event(start_date=dt.date(2000 + i % 20, 1 + i % 12, 1), start_precision="month")
        event.topics.add(topic)
        f.participant(event, lavrov)
        deal = f.agreement(start_date=dt.date(2000 + i % 20, 1, 1))
        deal.topics.add(topic)
        f.party(deal, lavrov)


@pytest.mark.parametrize("n", [5, 50])
def test_the_timeline_api_runs_a_fixed_number_of_queries(client, django_assert_num_queries, n):
    _many(n)
    # 1 the actor's slug, 2 the topic's; 3 events per year, 4 the events, 5 agreements per
    # year, 6 the agreements.
    with django_assert_num_queries(6):
        response = client.get(
            reverse("api:timeline"), {"actor": "sergey-lavrov", "topic": "defence"}
        )
    assert response.json()["count"] == 2 * n
    # The CSV: the two slugs, then the events and the agreements, read in chunks.
    with django_assert_num_queries(4):
        response = client.get(
            reverse("api:timeline"), {"format": "csv", "actor": "sergey-lavrov", "topic": "defence"}
        )
        rows = b"".join(response.streaming_content).decode().splitlines()
    assert len(rows) == 1 + 2 * n


@pytest.mark.parametrize("n", [5, 50])
def test_the_charts_run_a_fixed_number_of_queries(client, django_assert_num_queries, n):
    _many(n)
    # The event list filtered by topic: 1 the topic's slug, 2 COUNT, 3 the page, 4 its
    # participants with their actors, 5 its topics, 6 the citations disputing them, 7 the
    # topics of the filter form; the chart: 8 events per year, 9 agreements per year.
    with django_assert_num_queries(9):
        response = client.get(reverse("articles:event-list"), {"topic": "defence"})
    assert response.context["activity"].total == 2 * n


# --- the charts -----------------------------------------------------------------------------


def test_home_chart_is_an_accessible_svg_with_its_numbers_as_a_table(client):
    _world()
    html = client.get(reverse("home")).content.decode()
    chart = html.split('<figure class="chart"')[1].split("</figure>")[0]
    assert 'role="img" aria-labelledby="home-activity-title home-activity-desc"' in chart
    assert '<title id="home-activity-title">Published records per year</title>' in chart
    assert (
        "5 records (events, agreements) per year from 2014 to 2019; the most in 2019: 2 records."
        in chart
    )
    rows = re.findall(
        r'<tr><th scope="row">(\d+)</th>((?:<td class="number">\d+</td>)+)</tr>', chart
    )
    table = {year: re.findall(r"\d+", cells) for year, cells in rows}
    # Years without records keep their row: the axis is even.
    assert table == {
        "2014": ["1", "0", "1"],
        "2015": ["0", "0", "0"],
        "2016": ["0", "0", "0"],
        "2017": ["0", "1", "1"],
        "2018": ["0", "1", "1"],
        "2019": ["2", "0", "2"],
    }
    assert len(re.findall(r'<rect class="chart__bar chart__bar--event"', chart)) == 2


def test_actor_and_topic_pages_chart_their_own_records(client):
    lavrov, defence = _world()
    actor_html = client.get(lavrov.get_absolute_url()).content.decode()
    assert "Published records per year involving Sergey Lavrov" in actor_html
    assert "2 records (events, agreements) per year from 2017 to 2019" in actor_html
    assert 'href="/timeline/?actor=sergey-lavrov"' in actor_html
    topic_html = client.get(reverse("articles:event-list"), {"topic": "defence"}).content.decode()
    assert "Published records per year on Defence" in topic_html
    assert 'href="/timeline/?topic=defence"' in topic_html
    # Without a topic the event list has no chart.
    assert "chart__svg" not in client.get(reverse("articles:event-list")).content.decode()


def test_charts_speak_the_readers_language_and_mirror_in_arabic(client):
    _world()
    russian = client.get("/ru/").content.decode()
    assert "Опубликованные записи по годам" in russian
    arabic = client.get("/ar/").content.decode()
    assert "السجلات المنشورة سنويًا" in arabic
    # Numbers stay machine-readable in the SVG whatever the locale's decimal comma.
    svg = arabic.split('<svg class="chart__svg"', 1)[1].split("</svg>", 1)[0]
    assert not re.search(r'(x|y|width|height)="\d+,\d', svg)
    first = re.search(r'<text x="([\d.]+)" y="\d+" text-anchor="middle">2014<', svg)
    last = re.search(r'<text x="([\d.]+)" y="\d+" text-anchor="middle">2019<', svg)
    assert first and last and float(first.group(1)) > float(last.group(1))


def test_no_dated_record_means_no_chart_and_no_picture(client):
    f.event(title="Undated", start_date=None)
    assert "chart__svg" not in client.get(reverse("home")).content.decode()
    html = client.get(reverse("timeline")).content.decode()
    assert "timeline-svg" not in html and "Undated" in html
