"""The list pages filter through the shared FilterSets; bad input is a message, never a 500."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _titles(response):
    assert response.status_code == 200
    return [str(record) for record in response.context["object_list"]]


@pytest.fixture
def events():
    lavrov = factories.actor(name="Sergey Lavrov", slug="sergey-lavrov")
    defence = factories.topic(name="Defence", slug="defence")
    visit = factories.event(
        title="Visit", kind="visit", country="RU", start_date=dt.date(2019, 1, 29)
    )
    factories.participant(visit, lavrov)
    delivery = factories.event(
        title="Delivery",
        kind="delivery",
        country="IQ",
        start_date=dt.date(2014, 1, 1),
        start_precision="year",
        event_status="planned",
    )
    delivery.topics.add(defence)
    return visit, delivery


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Visit", "Delivery"]),
        ({"kind": "visit"}, ["Visit"]),
        ({"event_status": "planned"}, ["Delivery"]),
        # The old name of the parameter, in links made before it was renamed.
        ({"status": "planned"}, ["Delivery"]),
        ({"status": "planned", "event_status": "occurred"}, ["Visit"]),
        ({"topic": "defence"}, ["Delivery"]),
        ({"actor": "sergey-lavrov"}, ["Visit"]),
        ({"country": "iq"}, ["Delivery"]),
        ({"year_from": "2015"}, ["Visit"]),
        ({"year_to": "2014"}, ["Delivery"]),
        ({"search": "deliv"}, ["Delivery"]),
        ({"ordering": "date"}, ["Delivery", "Visit"]),
        ({"actor": "Sergey Lavrov"}, ["Visit"]),
    ],
)
def test_event_list_filters(client, events, params, expected):
    assert _titles(client.get(reverse("articles:event-list"), params)) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"party": "rosneft"}, ["Oil"]),
        ({"value_min": "500"}, ["Oil"]),
        ({"value_max": "500"}, ["Tanks"]),
        ({"agreement_status": "signed"}, ["Tanks"]),
        ({"status": "signed"}, ["Tanks"]),
        ({"kind": "energy_contract"}, ["Oil"]),
        ({"ordering": "-value"}, ["Oil", "Tanks"]),
    ],
)
def test_agreement_list_filters(client, params, expected):
    rosneft = factories.actor(name="Rosneft", slug="rosneft", kind="company")
    oil = factories.agreement(
        title="Oil", kind="energy_contract", value_amount=1000, value_currency="USD"
    )
    factories.party(oil, rosneft)
    factories.agreement(
        title="Tanks", agreement_status="signed", value_amount=100, value_currency="USD"
    )
    assert _titles(client.get(reverse("articles:agreement-list"), params)) == expected


def test_actor_and_source_lists_filter(client):
    factories.actor(name="Iraq", kind="state", country="IQ")
    factories.actor(name="Lavrov", kind="person", country="RU")
    assert _titles(client.get(reverse("actors:list"), {"kind": "state"})) == ["Iraq"]
    assert _titles(client.get(reverse("actors:list"), {"country": "ru"})) == ["Lavrov"]
    factories.source(title="TASS item", outlet="TASS", language="ru", kind="news")
    factories.source(title="RIAC analysis", outlet="RIAC", kind="analysis")
    sources = reverse("articles:source-list")
    assert _titles(client.get(sources, {"outlet": "tas"})) == ["TASS item"]
    assert _titles(client.get(sources, {"language": "ru"})) == ["TASS item"]
    assert _titles(client.get(sources, {"kind": "analysis"})) == ["RIAC analysis"]
    assert _titles(client.get(sources, {"year": "2019"})) == ["RIAC analysis", "TASS item"]
    assert _titles(client.get(sources, {"year": "2020"})) == []


@pytest.mark.parametrize(
    ("url", "params", "message"),
    [
        ("articles:event-list", {"year_from": "abc"}, "Enter a whole number."),
        ("articles:event-list", {"year_to": "99999"}, "less than or equal to 2100"),
        ("articles:event-list", {"kind": "party"}, "Select a valid choice."),
        ("articles:event-list", {"status": "rumoured"}, "Select a valid choice."),
        ("articles:event-list", {"topic": "no-such-topic"}, "Select a valid choice."),
        ("articles:event-list", {"ordering": "secret"}, "Select a valid choice."),
        ("articles:agreement-list", {"value_min": "lots"}, "Enter a number."),
        ("articles:agreement-list", {"value_max": "-5"}, "greater than or equal to 0"),
        ("actors:list", {"kind": "alien"}, "Select a valid choice."),
        ("articles:source-list", {"year": "1492"}, "greater than or equal to 1900"),
        ("articles:source-list", {"kind": "rumour"}, "Select a valid choice."),
        ("timeline", {"year": "last"}, "Enter a whole number."),
    ],
)
def test_a_bad_filter_value_is_a_400_with_the_form_error(client, events, url, params, message):
    response = client.get(reverse(url), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    # The field the bad value was given to is marked invalid for assistive technology.
    # The one field given the bad value is marked invalid, for assistive technology
    # ("status" is the old name of the events' event_status).
    field = {"status": "event_status"}.get(next(iter(params)), next(iter(params)))
    invalid = re.findall(r'<(?:input|select) [^>]*name="(\w+)"[^>]*aria-invalid="true"', html)
    assert invalid == [field]


@pytest.mark.parametrize("page", ["zzz", "0", "-1", "3", "1.5"])
@pytest.mark.parametrize("url", ["articles:event-list", "actors:list", "timeline"])
def test_a_bad_or_out_of_range_page_is_404(client, url, page):
    factories.event()
    factories.actor()
    assert client.get(reverse(url), {"page": page}).status_code == 404


def test_pagination_keeps_the_filters_in_its_links(client):
    for i in range(25):
        factories.event(title=f"Visit {i:02}", kind="visit")
    factories.event(title="Meeting", kind="meeting")
    response = client.get(reverse("articles:event-list"), {"kind": "visit", "ordering": "title"})
    html = response.content.decode()
    assert response.context["paginator"].count == 25
    assert len(response.context["object_list"]) == 20
    assert "Page 1 of 2" in html
    next_link = re.search(r'<a class="pagination__link" rel="next" href="([^"]+)"', html)
    assert next_link.group(1) == "?kind=visit&amp;ordering=title&amp;page=2"
    second = client.get(
        reverse("articles:event-list"), {"kind": "visit", "ordering": "title", "page": 2}
    )
    assert _titles(second) == [f"Visit {i:02}" for i in range(20, 25)]
    assert 'rel="prev" href="?kind=visit&amp;ordering=title&amp;page=1"' in second.content.decode()


def test_an_overlong_search_is_cut_not_refused(client, events):
    response = client.get(reverse("search"), {"q": "visit " * 200})
    assert response.status_code == 200


def test_control_characters_in_the_search_are_ignored(client, events):
    assert client.get(reverse("search"), {"q": "vis\x00it"}).status_code == 200
    assert client.get(reverse("actors:suggest"), {"q": "\x00\x01"}).json() == {"results": []}


# --- the year filters at their boundaries ---------------------------------------------------

#: Records on either side of the years 2015's edges: (title, start date).
EDGES = [
    ("Last day of 2014", dt.date(2014, 12, 31)),
    ("First day of 2015", dt.date(2015, 1, 1)),
    ("Last day of 2015", dt.date(2015, 12, 31)),
    ("First day of 2016", dt.date(2016, 1, 1)),
]
YEAR_BOUNDARIES = [
    ({"year_from": "2015"}, {"First day of 2015", "Last day of 2015", "First day of 2016"}),
    ({"year_to": "2015"}, {"Last day of 2014", "First day of 2015", "Last day of 2015"}),
    ({"year_from": "2015", "year_to": "2015"}, {"First day of 2015", "Last day of 2015"}),
    ({"year_from": "2016"}, {"First day of 2016"}),
    ({"year_to": "2014"}, {"Last day of 2014"}),
]


@pytest.mark.parametrize(("params", "expected"), YEAR_BOUNDARIES)
@pytest.mark.parametrize(
    ("factory", "url", "api"),
    [
        (factories.event, "articles:event-list", "/api/v1/events/"),
        (factories.agreement, "articles:agreement-list", "/api/v1/agreements/"),
    ],
    ids=["events", "agreements"],
)
def test_year_filters_take_the_whole_year_at_both_ends(
    client, api_client, factory, url, api, params, expected
):
    for title, start in EDGES:
        factory(title=title, start_date=start, start_precision="day")
    assert set(_titles(client.get(reverse(url), params))) == expected
    response = api_client.get(api, params)
    assert response.status_code == 200
    assert {row["title"] for row in response.json()["results"]} == expected


def test_the_filter_forms_selects_write_djangos_own_markup():
    """PageSelect (the public filter forms' select) writes what Django's select templates
    write, escaping, selection, groups and attributes included."""
    from django import forms

    from ruiraq.form_renderer import PageSelect

    choices = [
        ("", "Any"),
        ("IQ", "Iraq"),
        ("a&b", 'Tom & "Jerry" <b>'),
        ("Group <1>", [(1, "one"), (2, "two")]),
    ]
    attrs = {"id": "id_x", "aria-describedby": 'help "x"', "required": True, "disabled": False}
    flat = [*choices[:3], ("IQ", "Iraq again"), (None, "None"), (3, "three")]
    for value in ("", "IQ", "a&b", "2", "3", None):
        for options in (choices, flat):
            expected = forms.Select(attrs=attrs, choices=options).render("x", value)
            assert PageSelect(attrs=attrs, choices=options).render("x", value) == expected


@pytest.mark.parametrize("typed", ["IQ", "iq", " iq "])
def test_the_country_filter_keeps_the_chosen_country_selected(client, events, typed):
    # A code in any case filters (the API's readers type "iq") and shows as chosen.
    response = client.get(reverse("articles:event-list"), {"country": typed})
    assert _titles(response) == ["Delivery"]
    html = response.content.decode()
    assert '<select name="country" aria-describedby="id_country_helptext" id="id_country">' in html
    assert '<option value="IQ" selected>Iraq</option>' in html
    assert '<option value="RU">Russia</option>' in html


def test_a_source_year_takes_the_whole_year_at_both_ends(client):
    for title, published in [
        ("Last day of 2018", dt.date(2018, 12, 31)),
        ("First day of 2019", dt.date(2019, 1, 1)),
        ("Last day of 2019", dt.date(2019, 12, 31)),
        ("First day of 2020", dt.date(2020, 1, 1)),
    ]:
        factories.source(title=title, published_date=published)
    response = client.get(reverse("articles:source-list"), {"year": "2019"})
    assert set(_titles(response)) == {"First day of 2019", "Last day of 2019"}


@pytest.mark.parametrize(
    ("params", "expected"), [({"year_from": "1900"}, 1), ({"year_to": "2100"}, 1)]
)
def test_the_first_and_last_years_allowed_are_accepted(client, params, expected):
    factories.event(start_date=dt.date(2019, 1, 1))
    assert len(_titles(client.get(reverse("articles:event-list"), params))) == expected


def _labels(html):
    """{field name: its label text} of a list page's filter form."""
    return dict(re.findall(r'<label for="id_(\w+)">([^<]*)</label>', html))


def test_the_shared_filters_are_labelled_for_readers(client):
    events = client.get(reverse("articles:event-list")).content.decode()
    labels = _labels(events)
    assert (labels["search"], labels["country"], labels["updated_since"]) == (
        "Search",
        "Country",
        "Updated since",
    )
    assert (
        '<div class="helptext" id="id_updated_since_helptext">'
        "An ISO 8601 date or time: only records changed at or after it.</div>"
    ) in events
    assert _labels(client.get(reverse("articles:source-list")).content.decode())["language"] == (
        "Language"
    )


def _options(html, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


@pytest.mark.parametrize(("prefix", "russian"), [("", "Russian"), ("/ru", "Русский")])
def test_languages_are_offered_by_two_letter_code_sorted_by_name(client, prefix, russian):
    html = client.get(f"{prefix}/sources/").content.decode()
    options = [(code, name) for code, name in _options(html, "language") if code]
    names = [name for _code, name in options]
    assert dict(options)["ru"] == russian
    assert names == sorted(names, key=str.casefold)
    # Only ISO 639-1 codes: none of Django's regional or script variants ("zh-hans").
    assert all(len(code) == 2 for code, _name in options)
    assert len(options) > 50


def test_a_code_is_taken_in_any_case_and_with_stray_spaces(client):
    factories.source(title="Russian", language="ru")
    factories.source(title="English", language="en")
    factories.actor(name="Iraq", kind="state", country="IQ")
    factories.actor(name="Lavrov", country="RU")
    assert _titles(client.get(reverse("articles:source-list"), {"language": " RU "})) == ["Russian"]
    assert _titles(client.get(reverse("actors:list"), {"country": " iq "})) == ["Iraq"]


@pytest.fixture
def named_in_russian():
    factories.event(title="Alpha", title_ru="Яблоко", slug="alpha")
    factories.event(title="Beta", title_ru="Арбуз", slug="beta")
    factories.event(title="Gamma", slug="gamma")  # no Russian title: after those that have one


@pytest.mark.parametrize(
    ("prefix", "ordering", "expected"),
    [
        ("", "title", ["alpha", "beta", "gamma"]),
        ("", "-title", ["gamma", "beta", "alpha"]),
        ("/ru", "title", ["beta", "alpha", "gamma"]),
        ("/ru", "-title", ["alpha", "beta", "gamma"]),
    ],
)
def test_a_title_order_follows_the_titles_the_reader_sees(
    client, named_in_russian, prefix, ordering, expected
):
    response = client.get(f"{prefix}/events/", {"ordering": ordering})
    assert [event.slug for event in response.context["object_list"]] == expected


def test_a_filtered_list_holds_only_published_records(client, api_client):
    factories.event(title="Published visit", kind="visit")
    for status in ("draft", "in_review", "withdrawn"):
        factories.event(title=f"{status} visit", kind="visit", status=status)
    assert _titles(client.get(reverse("articles:event-list"), {"kind": "visit"})) == [
        "Published visit"
    ]
    response = api_client.get("/api/v1/events/", {"kind": "visit", "status": "occurred"})
    assert [row["title"] for row in response.json()["results"]] == ["Published visit"]


def test_a_search_lists_the_best_match_first_unless_an_order_is_chosen(client, api_client):
    factories.event(title="Talks on Iraq", slug="talks", start_date=dt.date(2020, 1, 1))
    factories.event(title="Iraq", slug="iraq", start_date=dt.date(2010, 1, 1))
    # Newest first without a search; the event named "Iraq" first when searching for it.
    assert _titles(client.get(reverse("articles:event-list"))) == ["Talks on Iraq", "Iraq"]
    searched = client.get(reverse("articles:event-list"), {"search": "iraq"})
    assert _titles(searched) == ["Iraq", "Talks on Iraq"]
    response = api_client.get("/api/v1/events/", {"search": "iraq"})
    assert [row["title"] for row in response.json()["results"]] == ["Iraq", "Talks on Iraq"]
    ordered = client.get(reverse("articles:event-list"), {"search": "iraq", "ordering": "-date"})
    assert _titles(ordered) == ["Talks on Iraq", "Iraq"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page": "2"},
        {"kind": "visit", "year_from": "2019", "search": 'a "quoted" <term> & more'},
        {"year_from": "abc", "year_to": "1800", "updated_since": "yesterday", "country": "XX"},
        {"topic": "no-such-topic", "ordering": "nonsense", "actor": "nobody"},
        {"country": '<i>&amp;"', "kind": "<b>", "outlet": "<x>"},
    ],
)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_filter_forms_fields_write_djangos_own_markup(events, params, language):
    """The form renderer (ruiraq.form_renderer) writes what Django's templates write for
    every field of the three list pages' forms: labels, help texts, values and errors
    included."""
    from django.forms.renderers import DjangoTemplates
    from django.utils import translation

    from articles.filters import AgreementFilter, EventFilter, SourceFilter
    from ruiraq.views import dress_filter_form

    with translation.override(language):
        for filterset_class in (EventFilter, AgreementFilter, SourceFilter):
            forms = []
            for _ in range(2):
                form = filterset_class(params or None).form
                dress_filter_form(form)
                forms.append(form)
            forms[1].renderer = DjangoTemplates()
            for field in forms[1]:
                # Errors made by Django's renderer render through it.
                field.errors.renderer = forms[1].renderer
            page, django = ([str(field.as_field_group()) for field in f] for f in forms)
            assert page == django


@pytest.mark.parametrize(
    "url",
    ["/events/", "/agreements/", "/sources/", "/actors/", "/network/", "/timeline/", "/search/"],
)
def test_every_filter_form_on_the_site_reads_as_djangos_templates_write_it(
    client, events, monkeypatch, settings, url
):
    """Each page with a filter form is the same with the form renderer's writers as with
    Django's templates alone, unfiltered and with bad values."""
    from ruiraq import form_renderer

    settings.PUBLIC_CACHE_SECONDS = 0  # both renderings rendered

    for params in ({}, {"year_from": "<b>", "kind": "x", "country": "XX", "q": "oil"}):
        written = client.get(url, params).content
        with monkeypatch.context() as patched:
            patched.setattr(form_renderer, "_WRITERS", {})
            assert b"<input" in written
            assert client.get(url, params).content == written


def test_the_filter_forms_selects_are_written_in_each_readers_language():
    """PageSelect keeps the markup of each list of options: a list of translated labels is
    written again in each language, never served from another's."""
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from ruiraq.form_renderer import PageSelect

    choices = [("", gettext_lazy("Any")), ("visit", gettext_lazy("visit"))]
    for language in ("en", "ru", "ar", "en"):
        with translation.override(language):
            html = PageSelect(choices=choices).render("kind", "")
            assert f">{translation.gettext('Any')}</option>" in html
