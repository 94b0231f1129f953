"""Search behaviour only PostgreSQL has: trigram matching of misspelled names, stemming,
ts_rank ranking over a bounded candidate set, and plans that use the GIN indexes."""

import pytest
from django.db import connection

from actors.models import Actor
from articles.models import Agreement, Event, EventParticipant, Source
from ruiraq import search
from ruiraq.search import matching
from ruiraq.site import search as site_search
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="trigram matching, stemming and GIN indexes exist on PostgreSQL only",
    ),
]


def names(query):
    return [a.name for a in site_search.search(query, ["actor"])["actor"]]


def titles(query, kind="event"):
    return [r.title for r in site_search.search(query, [kind])[kind]]


@pytest.fixture
def people():
    lavrov = factories.actor(name="Sergey Lavrov", name_ru="Сергей Лавров", name_ar="سيرغي لافروف")
    factories.actor(name="Maxim Maximov", name_ru="Максим Максимов")
    factories.actor(name="Nikolai Patrushev")
    islamic_state = factories.actor(name="Islamic State", kind="armed_group")
    factories.alias(islamic_state, "Daesh")
    return lavrov


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Maksimov", "Maxim Maximov"),
        ("Sergei Lavrov", "Sergey Lavrov"),
        ("Lavrof", "Sergey Lavrov"),
        ("Patrushef", "Nikolai Patrushev"),
        ("Лавроф", "Sergey Lavrov"),
        ("سيرجي لافروف", "Sergey Lavrov"),  # ج for غ, as Egyptian papers write it
        ("Daech", "Islamic State"),  # a misspelled alias
    ],
)
def test_misspelled_and_transliterated_names_find_the_actor(people, query, expected):
    assert names(query)[0] == expected


def test_unrelated_words_do_not_match_names_by_trigram(people):
    assert names("Rosneft") == []


def test_russian_and_english_inflections_are_stemmed():
    factories.event(title="Визит Сергея Лаврова в Багдад")
    factories.event(title="Deliveries of helicopters")
    assert titles("Лавров") == ["Визит Сергея Лаврова в Багдад"]
    assert titles("delivery") == ["Deliveries of helicopters"]


def test_exact_name_ranks_first():
    factories.actor(name="Council of Ministers of Iraq", kind="government_body")
    factories.actor(name="Iraq", kind="state")
    factories.actor(name="Iraqi Oil Ministry", kind="government_body")
    assert names("Iraq")[0] == "Iraq"


def test_ranking_is_bounded_to_a_candidate_set(monkeypatch):
    for n in range(10):
        factories.event(title=f"Rosneft {n}")
    monkeypatch.setattr(matching, "SEARCH_CANDIDATES", 4)  # where ranked() reads it
    # At most 4 whose title begins with the query, 4 title matches and 4 matches anywhere:
    # here all the same kind, so 4 to 10 (the ten there are).
    assert 4 <= site_search.search("Rosneft")["event"].count() <= 10
    # The list filter is not bounded: it narrows a list, it does not rank.
    assert search.filter_queryset(Event.objects.public(), "Rosneft").count() == 10


def test_records_the_queryset_leaves_out_take_no_place_among_the_candidates(monkeypatch):
    # Each tier's bound counts records of the queryset only: drafts matching the query (made
    # first, and first by title) do not fill it and leave the published matches out.
    for n in range(6):
        factories.event(title=f"Rosneft a draft {n}", status="draft")
    published = {factories.event(title=f"Rosneft z{n}") for n in range(3)}
    monkeypatch.setattr(matching, "SEARCH_CANDIDATES", 3)
    assert set(search.ranked(Event.objects.public(), "Rosneft")) == published


def test_a_queryset_narrowed_through_another_table_is_searched_within(monkeypatch):
    lavrov = factories.actor(name="Sergey Lavrov")
    for n in range(4):
        factories.event(title=f"Rosneft deal {n}")
    talks = factories.event(title="Rosneft talks")
    factories.participant(talks, lavrov)
    monkeypatch.setattr(matching, "SEARCH_CANDIDATES", 2)
    with_him = Event.objects.public().filter(participants__actor=lavrov)
    assert list(search.ranked(with_him, "Rosneft")) == [talks]
    assert list(search.ranked(with_him, "deal")) == []


def test_a_search_used_as_a_subquery_of_another_table_names_its_own_rows():
    # The search's SQL names the table of the query it is in: inside another query's
    # subquery it must follow that query's alias (U0), not a table the outer query lacks.
    lavrov = factories.actor(name="Sergey Lavrov")
    kirkuk = factories.event(title="Kirkuk oil exports")
    basra = factories.event(title="Basra port")
    factories.participant(kirkuk, lavrov)
    factories.participant(basra, lavrov)
    found = search.ranked(Event.objects.public(), "Kirkuk").values("pk")
    roles = EventParticipant.objects.filter(event__in=found)
    assert [role.event for role in roles] == [kirkuk]
    named = search.filter_queryset(Actor.objects.all(), "Lavrof").values("pk")
    factories.actor(name="Nikolai Patrushev")
    assert [role.actor for role in EventParticipant.objects.filter(actor__in=named)] == [
        lavrov,
        lavrov,
    ]


def test_like_wildcards_in_a_query_are_not_wildcards():
    factories.event(title="Rosneft deal")
    factories.event(title="Russian wheat")
    assert titles("Rosneft%") == ["Rosneft deal"]
    assert titles("R%t") == []
    assert titles("R_sneft") == []
    assert titles("%") == []


def _plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test database is small enough to scan, or to walk by primary key; forbid both to
        # see which indexes can serve the search conditions.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("model", [Actor, Event, Agreement, Source])
def test_search_conditions_are_served_by_their_indexes(model):
    table = model._meta.db_table
    # A list's filter (unbounded): the whole document's GIN index.
    plan = _plan(search.filter_queryset(model.objects.all(), "Kirkuk oil"))
    assert f"Bitmap Index Scan on {table}_search_idx" in plan
    # Search's ranked candidates, tier by tier: the records whose name or title begins with
    # the query (a range of the title-start index, however many records merely mention the
    # words), the title matches, the matches anywhere.
    plan = _plan(search.ranked(model.objects.all(), "Kirkuk oil"))
    for index in ("title_start_idx", "title_search_idx", "search_idx"):
        assert f"Bitmap Index Scan on {table}_{index}" in plan
    assert "~>=~ ' kirkuk oil'" in plan


@pytest.mark.parametrize(
    ("query", "name_index"),
    [
        ("Lavrof", "actors_actor_name_trgm_idx"),
        ("Лавроф", "actors_actor_name_ru_trgm_idx"),
        ("لافرف", "actors_actor_name_ar_trgm_idx"),
    ],
)
def test_name_conditions_are_served_by_the_trigram_indexes(people, query, name_index):
    plan = _plan(search.filter_queryset(Actor.objects.all(), query))
    for index in ("actors_actor_search_idx", name_index, "actors_actoralias_name_trgm_idx"):
        assert f"Bitmap Index Scan on {index}" in plan
    # Names in other scripts share no trigram with the query: not compared at all.
    assert plan.count("_trgm_idx") == 2


def test_icontains_on_names_is_served_by_the_upper_trigram_index():
    # The admin's search box and icontains filters: UPPER(name) LIKE UPPER(…).
    plan = _plan(Actor.objects.filter(name__icontains="avro"))
    assert "Bitmap Index Scan on actors_actor_name_trgm_idx" in plan
