"""Filters that speak names (issue 14, item 4): the actor and party filters take a name in
any script or a slug, on the list pages and in the API (one FilterSet serves both); an
ambiguous name offers the choices, an unknown one says so; suggestions and every list's
``search`` put an exact or prefix name match first; country and language are selects of
names in the reader's language; the filter panel collapses on a phone."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """Two al-Hakims (a name that fits both), Lavrov with a recorded transliteration, and
    the events and an agreement they take part in."""
    lavrov = factories.actor(
        name="Sergey Lavrov", name_ru="Сергей Лавров", name_ar="سيرغي لافروف", slug="sergey-lavrov"
    )
    factories.alias(lavrov, "Sergei Lavrov")
    ammar = factories.actor(
        name="Ammar al-Hakim",
        name_ru="Аммар аль-Хаким",
        name_ar="عمار الحكيم",
        slug="ammar-al-hakim",
    )
    mohammed = factories.actor(
        name="Mohammed Ali al-Hakim",
        name_ru="Мохаммед Али аль-Хаким",
        name_ar="محمد علي الحكيم",
        slug="mohammed-ali-al-hakim",
    )
    # A draft namesake: never a candidate.
    factories.actor(name="Hidden Lavrov", slug="hidden-lavrov", status="draft")
    # Mentions Lavrov in its description only: not "called" Lavrov.
    factories.actor(name="Russian Foreign Ministry", description="Headed by Lavrov.")
    talks = factories.event(title="Talks in Moscow", start_date=dt.date(2019, 1, 29))
    factories.participant(talks, lavrov)
    factories.participant(talks, mohammed)
    visit = factories.event(title="Visit to Najaf", start_date=dt.date(2018, 5, 1))
    factories.participant(visit, ammar)
    deal = factories.agreement(title="Energy memorandum")
    factories.party(deal, lavrov, role="signatory")
    return lavrov, ammar, mohammed


def _titles(response):
    assert response.status_code == 200, response.content[:500]
    return [str(record) for record in response.context["object_list"]]


# --- the pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Lavrov",
        "lavrov",
        "Sergei Lavrov",
        "Лавров",
        "ЛАВРОВ",
        "сергей лавров",
        "لافروف",
        "sergey-lavrov",
    ],
)
def test_event_list_takes_the_actor_by_name_in_any_script_or_slug(client, people, name):
    assert _titles(client.get(reverse("articles:event-list"), {"actor": name})) == [
        "Talks in Moscow"
    ]


@pytest.mark.parametrize("name", ["Lavrov", "Лавров", "لافروف"])
def test_agreement_list_takes_the_party_by_name_in_any_script(client, people, name):
    response = client.get(reverse("articles:agreement-list"), {"party": name})
    assert _titles(response) == ["Energy memorandum"]


def test_arabic_name_is_matched_without_its_article_and_diacritics(client, people):
    # "الحكيم" with its article, "حكيم" without; both fit the two al-Hakims.
    for name in ("عمار الحكيم", "عمّار حكيم"):
        response = client.get(reverse("articles:event-list"), {"actor": name})
        assert _titles(response) == ["Visit to Najaf"]


def test_ambiguous_name_offers_each_actor_as_a_link_without_javascript(client, people):
    response = client.get("/ru/events/", {"actor": "хаким", "year_from": "2000"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "«хаким»" in html or "“хаким”" in html
    # Links keep the other filters and name the actors as the reader reads.
    assert 'href="/ru/events/?actor=ammar-al-hakim&amp;year_from=2000"' in html or (
        'href="/ru/events/?year_from=2000&amp;actor=ammar-al-hakim"' in html
    )
    assert ">Аммар аль-Хаким</a>" in html
    assert ">Мохаммед Али аль-Хаким</a>" in html
    # The page speaks of names, not slugs.
    assert "mohammed-ali-al-hakim</" not in html
    assert "Give one of their slugs" not in html


def test_following_a_choice_filters_by_that_actor(client, people):
    response = client.get(reverse("articles:event-list"), {"actor": "ammar-al-hakim"})
    assert _titles(response) == ["Visit to Najaf"]


def test_unknown_name_says_so_clearly(client, people):
    response = client.get(reverse("articles:event-list"), {"actor": "Nobody Atall"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "No actor is called “Nobody Atall”" in html
    assert "Nothing matches these filters" not in html  # not a silently empty list


def test_draft_actor_is_unknown_by_name_and_by_slug(client, people):
    for name in ("Hidden Lavrov", "hidden-lavrov"):
        assert client.get(reverse("articles:event-list"), {"actor": name}).status_code == 400


def test_description_mention_does_not_make_an_actor_of_that_name(client, people):
    # "Lavrov" fits Sergey Lavrov alone: the ministry only mentions him.
    assert _titles(client.get(reverse("articles:event-list"), {"actor": "lavrov"})) == [
        "Talks in Moscow"
    ]


def test_exact_name_wins_over_names_that_contain_it(client):
    iraq = factories.actor(name="Iraq", kind="state", slug="iraq")
    council = factories.actor(name="Council of Ministers of Iraq", kind="government_body")
    for actor, title in ((iraq, "State visit"), (council, "Cabinet session")):
        factories.participant(factories.event(title=title), actor)
    assert _titles(client.get(reverse("articles:event-list"), {"actor": "IRAQ"})) == ["State visit"]
    response = client.get(reverse("articles:event-list"), {"actor": "ministers"})
    assert _titles(response) == ["Cabinet session"]


def test_name_filter_costs_one_or_two_queries_more_than_the_list(client, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(5):
        event = factories.event(title=f"Meeting {n}")
        factories.participant(event, people[0])

    def queries(params):
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("articles:event-list"), params)
        return len(captured)

    plain = queries({})
    # The actor by slug or whole name: one query; a surname: the exact lookup finds
    # nothing, the word lookup finds him: two. The page's own queries do not grow.
    assert queries({"actor": "Сергей Лавров"}) == plain + 1
    assert queries({"actor": "sergey-lavrov"}) == plain + 1
    assert queries({"actor": "Лавров"}) == plain + 2


# --- the API ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Lavrov", "Лавров", "لافروف", "sergey-lavrov"])
def test_api_takes_the_actor_by_name_in_any_script(api_client, people, name):
    response = api_client.get("/api/v1/events/", {"actor": name})
    assert response.status_code == 200
    assert [e["title"] for e in response.json()["results"]] == ["Talks in Moscow"]
    response = api_client.get("/api/v1/agreements/", {"party": name})
    assert [a["title"] for a in response.json()["results"]] == ["Energy memorandum"]


def test_api_unknown_name_is_a_400_naming_the_parameter(api_client, people):
    response = api_client.get("/api/v1/agreements/", {"party": "Nobody Atall"})
    assert response.status_code == 400
    assert list(response.json()) == ["party"]
    assert "Nobody Atall" in response.json()["party"][0]


def test_api_ambiguous_name_is_a_400_listing_the_candidates_slugs(api_client, people):
    response = api_client.get("/api/v1/events/", {"actor": "al-Hakim"})
    assert response.status_code == 400
    message = response.json()["actor"][0]
    assert "ammar-al-hakim" in message
    assert "mohammed-ali-al-hakim" in message


def test_api_overlong_name_is_a_400(api_client, people):
    response = api_client.get("/api/v1/events/", {"actor": "x" * 500})
    assert response.status_code == 400
    assert "actor" in response.json()


# --- suggestions and ranked search -------------------------------------------------------


def test_suggestions_put_a_name_beginning_with_the_query_first(client):
    factories.actor(name="Slavneft", kind="company")  # "lav" inside a word: no match
    factories.actor(name="Lavra Monastery Press", kind="media")
    factories.actor(name="Sergey Lavrov", name_ru="Сергей Лавров", slug="sergey-lavrov")
    factories.actor(name="Foreign Ministry", description="Led by Lavrov.")
    results = client.get(reverse("actors:suggest"), {"q": "lav"}).json()["results"]
    # A name that begins with "lav" first, then one with a word beginning with it; a name
    # containing it inside a word, or a description mentioning it, is no suggestion.
    assert [r["name"] for r in results] == ["Lavra Monastery Press", "Sergey Lavrov"]


def test_suggestions_put_the_exact_name_first(client):
    for name in ("Iraqi Oil Ministry", "Council of Ministers of Iraq", "Iraq", "Embassy of Iraq"):
        factories.actor(name=name, kind="state")
    results = client.get("/ru/actors/suggest.json", {"q": "iraq"}).json()["results"]
    assert [r["name"] for r in results][:2] == ["Iraq", "Iraqi Oil Ministry"]


def test_suggestions_cost_one_query(client, people, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(reverse("actors:suggest"), {"q": "хаким"}).json()["results"]


def test_list_search_ranks_an_exact_name_first_then_keeps_the_list_order(client):
    factories.actor(name="Council of Ministers of Iraq", kind="government_body")
    factories.actor(name="Abu Iraq", kind="person")
    factories.actor(name="Iraq", kind="state")
    response = client.get(reverse("actors:list"), {"search": "iraq"})
    # Iraq (the name itself), then the rest by name, as the list orders them.
    assert _titles(response) == ["Iraq", "Abu Iraq", "Council of Ministers of Iraq"]
    # A reader's order replaces the ranking.
    response = client.get(reverse("actors:list"), {"search": "iraq", "ordering": "-name"})
    assert _titles(response) == ["Iraq", "Council of Ministers of Iraq", "Abu Iraq"]


def test_event_list_search_ranks_titles_beginning_with_the_query_first(client):
    factories.event(title="Talks on Kirkuk oil", start_date=dt.date(2020, 1, 1))
    factories.event(title="Kirkuk oil exports resume", start_date=dt.date(2010, 1, 1))
    response = client.get(reverse("articles:event-list"), {"search": "kirkuk"})
    assert _titles(response) == ["Kirkuk oil exports resume", "Talks on Kirkuk oil"]
    response = client.get("/api/v1/events/", {"search": "kirkuk"})
    assert [e["title"] for e in response.json()["results"]] == [
        "Kirkuk oil exports resume",
        "Talks on Kirkuk oil",
    ]


# --- country and language selects, the panel --------------------------------------------


def test_country_and_language_filters_are_selects_of_names_in_the_readers_language(client):
    factories.event(title="In Baghdad", country="IQ")
    html = client.get("/ru/events/").content.decode()
    assert '<select name="country"' in html
    assert '<option value="IQ">Ирак</option>' in html
    html = client.get("/ar/sources/").content.decode()
    assert '<select name="language"' in html
    assert '<option value="ru">الروسية</option>' in html


def test_country_filter_takes_the_code_in_any_case_and_refuses_nonsense(client, api_client):
    factories.event(title="In Baghdad", country="IQ")
    factories.event(title="In Moscow", country="RU")
    assert _titles(client.get(reverse("articles:event-list"), {"country": "iq"})) == ["In Baghdad"]
    response = api_client.get("/api/v1/events/", {"country": "Narnia"})
    assert response.status_code == 400
    assert list(response.json()) == ["country"]


def test_language_filter_takes_the_code(client):
    factories.source(title="Russian text", language="ru")
    factories.source(title="English text", language="en")
    response = client.get(reverse("articles:source-list"), {"language": "RU"})
    assert _titles(response) == ["Russian text"]
    assert client.get(reverse("articles:source-list"), {"language": "xx"}).status_code == 400


def test_filter_panel_is_a_details_open_by_default_that_the_script_collapses(client):
    html = client.get(reverse("articles:event-list")).content.decode()
    assert '<details class="filters-panel" data-collapse-narrow open>' in html
    assert '<summary class="filters-panel__summary"><h2 id="filters-heading"' in html
    # A filter to correct keeps the panel open on a phone too.
    html = client.get(reverse("articles:event-list"), {"actor": "Nobody"}).content.decode()
    assert "data-collapse-narrow data-keep-open open" in html
