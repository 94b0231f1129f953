"""Search (ruiraq.search): finds records in any script, stays current, shrugs off bad input.

These run on both databases. What only PostgreSQL does (trigram matching of misspellings,
ranking by ts_rank) is in test_search_postgres.py.
"""

import datetime as dt

import pytest

from actors.filters import ActorFilter
from actors.models import Actor
from articles.filters import AgreementFilter, EventFilter, SourceFilter
from articles.models import Agreement, Event, Source
from ruiraq import search
from ruiraq.models import EditorialStatus
from ruiraq.search import matching
from ruiraq.site import search as site_search
from tests import factories

pytestmark = pytest.mark.django_db

DRAFT = EditorialStatus.DRAFT
PUBLISHED = EditorialStatus.PUBLISHED


def found(query, kind):
    """The records search() shows for ``query`` in group ``kind``, best first."""
    return list(site_search.search(query, [kind])[kind])


def names(query):
    return [a.name for a in found(query, "actor")]


def titles(query, kind="event"):
    return [r.title for r in found(query, kind)]


# --- the seed dataset: names in three scripts ------------------------------------------------


# --- folding: case, accents, ё, Arabic diacritics ------------------------------------------


def test_cyrillic_is_matched_without_regard_to_case_or_yo():
    factories.actor(name="Konstantin Kosachev", name_ru="Константин Косачёв")
    assert names("косачев") == ["Konstantin Kosachev"]
    assert names("КОСАЧЁВ") == ["Konstantin Kosachev"]


def test_latin_accents_are_ignored_both_ways():
    factories.actor(name="Türkiye")
    factories.actor(name="Jose Lopez")
    assert names("turkiye") == ["Türkiye"]
    assert names("José López") == ["Jose Lopez"]


def test_arabic_diacritics_tatweel_and_letter_variants_are_ignored():
    factories.actor(name="Sergey Lavrov", name_ar="سيرغي لافروف")
    factories.actor(name="Mohammed Ali al-Hakim", name_ar="محمد علي الحكيم")
    assert names("لَافْرُوف") == ["Sergey Lavrov"]  # with harakat
    assert names("لافـــروف") == ["Sergey Lavrov"]  # with tatweel
    assert names("الحكيم") == ["Mohammed Ali al-Hakim"]
    assert names("حكيم") == ["Mohammed Ali al-Hakim"]  # without the article


def test_alef_hamza_and_teh_marbuta_variants_match():
    factories.actor(name="Ahmed", name_ar="أحمد")
    factories.agreement(title="Memorandum", summary="اتفاقية للطاقة")
    assert names("احمد") == ["Ahmed"]
    assert titles("اتفاقيه", "agreement") == ["Memorandum"]


def test_hyphenated_words_are_found_however_they_are_typed():
    factories.actor(name="Nouri al-Maliki")
    factories.agreement(title="Contract for T-90 tanks")
    for query in ("al-Maliki", "al Maliki", "almaliki", "AL-MALIKI"):
        assert names(query) == ["Nouri al-Maliki"], query
    for query in ("T-90", "t90"):
        assert titles(query, "agreement") == ["Contract for T-90 tanks"], query


def test_every_word_must_match():
    factories.event(title="Talks on oil in Kirkuk")
    factories.event(title="Talks on gas in Basra")
    assert titles("Kirkuk oil") == ["Talks on oil in Kirkuk"]
    assert titles("Kirkuk gas") == []


def test_quoted_phrase_must_match_as_written():
    factories.event(title="Oil field talks")
    factories.event(title="Field trip on oil")
    assert set(titles("oil field")) == {"Oil field talks", "Field trip on oil"}
    assert titles('"oil field"') == ["Oil field talks"]


def test_quote_marks_inside_and_unbalanced_quotes_are_harmless():
    factories.event(title="Sergey Lavrov's visit to Baghdad")
    assert titles("Lavrov's") == ["Sergey Lavrov's visit to Baghdad"]
    assert titles('"Lavrov') == ["Sergey Lavrov's visit to Baghdad"]
    assert titles("«Lavrov»") == ["Sergey Lavrov's visit to Baghdad"]


def test_short_acronym_matches_whole_words_only():
    islamic_state = factories.actor(name="Islamic State", kind="armed_group")
    factories.alias(islamic_state, "IS")
    factories.actor(name="Israel", kind="state")
    assert names("IS") == ["Islamic State"]


# --- what is searched: names, aliases, titles, summaries, quotes -----------------------------


def test_actor_is_found_by_alias_and_description():
    actor = factories.actor(name="Popular Mobilization Units", description="Paramilitary forces")
    factories.alias(actor, "al-Hashd al-Shaabi")
    assert names("Hashd") == ["Popular Mobilization Units"]
    assert names("paramilitary") == ["Popular Mobilization Units"]


def test_event_is_found_by_place_summary_and_quote():
    event = factories.event(title="Visit", place="Erbil", summary="Talks on pipelines.")
    factories.citation(event, quote="The minister praised the Sochi agreement.")
    assert titles("Erbil") == titles("pipelines") == titles("Sochi") == ["Visit"]


def test_source_is_found_by_title_outlet_and_author():
    factories.source(title="Moscow and Baghdad", outlet="Kommersant", authors="Ivan Petrov")
    for query in ("Baghdad", "Kommersant", "Petrov"):
        assert titles(query, "source") == ["Moscow and Baghdad"], query


def test_title_match_ranks_above_a_passing_mention():
    factories.event(title="A meeting", summary="Rosneft was mentioned in passing.")
    factories.event(title="Rosneft signs in Kirkuk")
    assert titles("Rosneft") == ["Rosneft signs in Kirkuk", "A meeting"]


def test_a_broad_query_ranks_its_title_matches_among_the_candidates(monkeypatch):
    """More matches than are ranked: the title match, added last (so last in table order,
    where an unordered LIMIT stops), still comes first, and passing mentions fill the rest."""
    monkeypatch.setattr(matching, "SEARCH_CANDIDATES", 3)  # where ranked() reads it
    for n in range(8):
        factories.event(title=f"Meeting {n}", summary="Rosneft was mentioned in passing.")
    factories.event(title="Rosneft signs in Kirkuk")
    found_titles = titles("Rosneft")
    assert found_titles[0] == "Rosneft signs in Kirkuk"
    assert 3 <= len(found_titles) <= 4
    assert all(t.startswith("Meeting") for t in found_titles[1:])


def test_a_broad_query_ranks_first_the_titles_that_begin_with_it(monkeypatch):
    """More title matches than are ranked: the records whose title begins with the query,
    added last (where an unordered LIMIT over the title matches stops), still come first,
    the exact title before the longer one; the other title matches fill the rest."""
    monkeypatch.setattr(matching, "SEARCH_CANDIDATES", 3)  # where ranked() reads it
    for n in range(8):
        factories.event(title=f"Talks on Rosneft {n}")
    factories.event(title="Rosneft signs in Kirkuk")
    factories.event(title="Rosneft")
    found_titles = titles("rosneft")
    assert found_titles[:2] == ["Rosneft", "Rosneft signs in Kirkuk"]
    # The other tiers take any 3 title matches and any 3 text matches, which may include
    # the first two again (where the rows lie in the table decides): 1 to 6 others.
    assert 1 <= len(found_titles) - 2 <= 6
    assert all(t.startswith("Talks on Rosneft") for t in found_titles[2:])
    # The control: without the first tier's records the title matches are ranked alike.
    assert set(titles("talks")) <= {f"Talks on Rosneft {n}" for n in range(8)}
    assert len(titles("talks")) >= 3


def test_results_carry_a_search_rank():
    factories.event(title="Rosneft signs")
    (event,) = found("Rosneft", "event")
    assert event.search_rank > 0


# --- drafts and freshness -----------------------------------------------------------------


@pytest.mark.parametrize("status", [DRAFT, EditorialStatus.IN_REVIEW, EditorialStatus.WITHDRAWN])
def test_unpublished_records_are_never_found(status):
    factories.actor(name="Hidden Lavrov", status=status)
    factories.event(title="Hidden Lavrov event", status=status)
    factories.agreement(title="Hidden Lavrov deal", status=status)
    factories.source(title="Hidden Lavrov article", status=status)
    assert all(not qs.exists() for qs in site_search.search("Lavrov").values())
    # The control: the same records published are found, one of each kind.
    factories.actor(name="Shown Lavrov")
    factories.event(title="Shown Lavrov event")
    factories.agreement(title="Shown Lavrov deal")
    factories.source(title="Shown Lavrov article")
    found_ = {kind: [str(r) for r in qs] for kind, qs in site_search.search("Lavrov").items()}
    assert found_ == {
        "actor": ["Shown Lavrov"],
        "event": ["Shown Lavrov event"],
        "agreement": ["Shown Lavrov deal"],
        "source": ["Shown Lavrov article"],
    }


def test_editing_a_title_changes_what_is_found_at_once():
    event = factories.event(title="Talks in Basra")
    event.title = "Talks in Mosul"
    event.save()
    assert titles("Basra") == []
    assert titles("Mosul") == ["Talks in Mosul"]


def test_saving_with_update_fields_keeps_the_document_current():
    event = factories.event(title="Talks in Basra")
    event.title = "Talks in Najaf"
    event.save(update_fields=["title"])
    assert titles("Najaf") == ["Talks in Najaf"]


def test_publishing_and_unpublishing_change_results_at_once():
    event = factories.event(title="Rosneft deal", status=DRAFT)
    assert titles("Rosneft") == []
    event.status = PUBLISHED
    event.save()
    assert titles("Rosneft") == ["Rosneft deal"]
    event.status = EditorialStatus.WITHDRAWN
    event.save()
    assert titles("Rosneft") == []


def test_deleted_record_is_gone_at_once():
    event = factories.event(title="Rosneft deal")
    assert titles("Rosneft") == ["Rosneft deal"]
    event.delete()
    assert titles("Rosneft") == []


def test_adding_renaming_and_deleting_an_alias_refreshes_the_actor():
    factories.actor(name="Sergey Lavrov")
    actor = factories.actor(name="Islamic State")
    alias = factories.alias(actor, "Daesh")
    assert names("Daesh") == ["Islamic State"]
    alias.name = "ISIL"
    alias.save()
    assert names("Daesh") == []
    assert names("ISIL") == ["Islamic State"]
    alias.delete()
    assert names("ISIL") == []


def test_alias_moved_to_another_actor_leaves_the_first():
    first, second = factories.actor(name="First"), factories.actor(name="Second")
    alias = factories.alias(first, "Zebra")
    alias = type(alias).objects.get(pk=alias.pk)
    alias.actor = second
    alias.save()
    assert names("Zebra") == ["Second"]


def test_citation_quote_added_edited_and_deleted_refreshes_the_record():
    agreement = factories.agreement(title="Deal")
    citation = factories.citation(agreement, quote="Signed at Akkas field.")
    assert titles("Akkas", "agreement") == ["Deal"]
    citation.quote = "Signed at Mansuriya field."
    citation.save()
    assert titles("Akkas", "agreement") == []
    assert titles("Mansuriya", "agreement") == ["Deal"]
    citation.delete()
    assert titles("Mansuriya", "agreement") == []


def test_citation_moved_to_another_record_leaves_the_first():
    first, second = factories.event(title="First"), factories.event(title="Second")
    citation = factories.citation(first, quote="Zebra crossing.")
    citation = type(citation).objects.get(pk=citation.pk)
    citation.event = second
    citation.save()
    assert titles("Zebra") == ["Second"]


def test_quotes_from_unpublished_sources_are_not_searchable_until_published():
    draft_source = factories.source(status=DRAFT)
    event = factories.event(title="Visit")
    factories.citation(event, draft_source, quote="A secret passage about Halfaya.")
    assert titles("Halfaya") == []
    draft_source.status = PUBLISHED
    draft_source.save()
    assert titles("Halfaya") == ["Visit"]
    source = Source.objects.get(pk=draft_source.pk)  # loaded, as the admin does
    source.status = EditorialStatus.WITHDRAWN
    source.save()
    assert titles("Halfaya") == []


def test_search_documents_are_not_kept_in_history():
    event = factories.event(title="Visit")
    historical_fields = {f.name for f in event.history.model._meta.fields}
    assert "title" in historical_fields
    assert not {"search_title", "search_text"} & historical_fields


def test_migration_backfill_builds_the_same_documents_as_save():
    import importlib

    from django.apps import apps

    event = factories.event(title="Kirkuk talks", place="Kirkuk", summary="Oil.")
    factories.citation(event, quote="“Exports resume,” he said.")
    actor = factories.actor(name="Nouri al-Maliki", name_ar="نوري المالكي")
    factories.alias(actor, "Nuri al-Maliki")
    # Sources: their documents gained the quotes taken from them after this migration
    # (`manage.py refresh_search` rebuilds older ones), so only the others are compared.
    expected = {
        m: list(m.objects.values_list("pk", "search_title", "search_text"))
        for m in (Actor, Event, Agreement)
    }
    for m in expected:
        m.objects.update(search_title="", search_text="")
    for app in ("actors", "articles"):
        name = {"actors": "0003_search_documents", "articles": "0004_search_documents"}[app]
        migration = importlib.import_module(f"{app}.migrations.{name}")
        migration.fill_documents(apps, None)
    for m, documents in expected.items():
        assert list(m.objects.values_list("pk", "search_title", "search_text")) == documents


# --- the list filters use the same search ---------------------------------------------------


@pytest.mark.parametrize(
    ("filterset", "make", "field"),
    [
        (ActorFilter, lambda text: factories.actor(name_ru=text), "name_ru"),
        (EventFilter, lambda text: factories.event(title=text), "title"),
        (AgreementFilter, lambda text: factories.agreement(summary=text), "summary"),
        (SourceFilter, lambda text: factories.source(title=text), "title"),
    ],
)
def test_list_filters_search_folded_text(filterset, make, field):
    shown = make("Поставки вооружений")
    make("Something else")
    model = type(shown)
    results = filterset({"search": "ПОСТАВКИ"}, queryset=model.objects.public()).qs
    assert list(results) == [shown]


def test_list_filter_search_is_unbounded_and_keeps_the_list_order():
    for n in range(3):
        factories.event(title=f"Kirkuk talks {n}", start_date=dt.date(2019, 1, n + 1))
    results = EventFilter({"search": "kirkuk"}, queryset=Event.objects.public()).qs
    assert [e.title for e in results] == ["Kirkuk talks 2", "Kirkuk talks 1", "Kirkuk talks 0"]


def test_list_filter_search_with_an_alias_match_does_not_repeat_records():
    actor = factories.actor(name="Sergey Lavrov")
    factories.alias(actor, "Sergei Lavrov")
    factories.alias(actor, "Lavrov S.")
    results = ActorFilter({"search": "Lavrov"}, queryset=Actor.objects.public()).qs
    assert list(results) == [actor]


# --- the interface --------------------------------------------------------------------------


def test_empty_query_gives_empty_groups_of_every_kind():
    event = factories.event()
    results = site_search.search("")
    assert set(results) == set(site_search.KINDS)
    assert all(list(qs) == [] for qs in results.values())
    assert list(site_search.search(event.title)["event"]) == [event]  # the control


def test_search_returns_only_the_kinds_asked_for():
    assert set(site_search.search("x", kinds=["event", "source"])) == {"event", "source"}


def test_unknown_kind_is_refused_with_its_name():
    with pytest.raises(ValueError, match="tie"):
        site_search.search("x", kinds=["tie"])


def test_highlight_terms_are_the_words_typed_without_their_quote_marks():
    assert search.highlight_terms('Kirkuk "oil field" «T-90» <b>') == [
        "Kirkuk",
        "oil",
        "field",
        "T-90",
        "<b>",
    ]
    assert search.highlight_terms("") == []
    assert len(search.highlight_terms(" ".join(f"w{i}" for i in range(50)))) == search.MAX_TERMS


@pytest.mark.parametrize("n", [5, 50])
def test_first_pages_of_every_kind_cost_one_query_each(n, django_assert_num_queries):
    for i in range(n):
        actor = factories.actor(name=f"Rosneft person {i}")
        factories.alias(actor, f"Rosneft alias {i}")
        event = factories.event(title=f"Rosneft event {i}")
        # The source is found by its title and by the quote taken from it: once.
        news = factories.source(title=f"Rosneft news {i}")
        factories.citation(event, news, quote="Rosneft said so.")
        factories.agreement(title=f"Rosneft deal {i}")
    results = site_search.search("Rosneft")
    # One SELECT per kind: the ranked page (candidates and rank are subqueries of it).
    with django_assert_num_queries(4):
        pages = {kind: list(qs[:20]) for kind, qs in results.items()}
    assert all(len(page) == min(n, 20) for page in pages.values())


def test_saving_an_alias_costs_a_fixed_number_of_queries(django_assert_num_queries):
    actor = factories.actor(name="Sergey Lavrov")
    for i in range(5):
        factories.alias(actor, f"Alias {i}")
    # INSERT alias, INSERT its history, SELECT aliases, SELECT actor, UPDATE actor document;
    # the events and the agreements the actor takes part in (none here: 2 SELECTs).
    with django_assert_num_queries(7):
        factories.alias(actor, "Sergei Lavrov")


# --- hostile input ---------------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    "\t\n\r ",
    "x" * 10_000,
    "Lavrov " * 2_000,
    "a & b | !c",
    "lavrov:* & !(oil) <-> gas",
    "<-> <2> :* ! & | ( ) ''",
    "'\"'\"'",
    '"unclosed',
    '""',
    "\\",
    "\\\\' OR 1=1 --",
    "%_%",
    "Lavrov\x00",
    "\x00\x00\x00",
    "\x01\x02\x1b[31m\x7f",
    "\u200b\u200e\u202e",
    "\ud800",
    "Лавров لافروف Lavrov 😀",
    "😀😀😀",
    "-",
    "*",
    "or",
    "the of and",
    "ـــ",
    "ً",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_is_harmless_and_bounded(query, django_assert_max_num_queries):
    factories.actor(name="Sergey Lavrov", name_ru="Сергей Лавров", name_ar="سيرغي لافروف")
    factories.event(title="Lavrov in Baghdad")
    # Bounded by the work it may do, not by the clock (which a busy machine would flake):
    # per kind a page and a COUNT, per filterset its list, whatever the query holds.
    with django_assert_max_num_queries(4 * 2 + 2):
        for qs in site_search.search(query).values():
            list(qs[:20])
            qs.count()
        for filterset, model in [(EventFilter, Event), (ActorFilter, Actor)]:
            form_data = {"search": query}
            f = filterset(form_data, queryset=model.objects.public())
            list(f.qs) if f.is_valid() else f.errors
    for term in search.highlight_terms(query):
        assert term.strip() == term and term and "\x00" not in term


def test_mixed_scripts_find_what_every_word_matches():
    factories.actor(name="Sergey Lavrov", name_ru="Сергей Лавров", name_ar="سيرغي لافروف")
    assert names("Сергей لافروف") == ["Sergey Lavrov"]
    assert names("Lavrov Лавров") == ["Sergey Lavrov"]


def test_query_is_cut_to_a_bounded_number_of_terms():
    assert len(search.terms(" ".join(f"w{i}" for i in range(100)))) == search.MAX_TERMS
    assert len(search.clean_query("x" * 10_000)) == search.MAX_QUERY_LENGTH


@pytest.mark.usefixtures("seeded_class")
class TestOnTheSeed:
    """Tests that read the seed dataset, loaded once for all of them (each test in a
    savepoint of its own)."""

    @pytest.mark.parametrize(
        "query",
        ["Lavrov", "lavrov", "LAVROV", "Лавров", "лавров", "ЛАВРОВ", "لافروف", "Sergey Lavrov"],
    )
    def test_seeded_lavrov_is_found_in_any_script_and_case(self, query):
        assert names(query)[0] == "Sergey Lavrov"

    def test_seeded_recorded_transliterations_find_the_actor(self):
        assert names("Sergei Lavrov")[0] == "Sergey Lavrov"  # a recorded alias
        assert names("Maksimov")[0] == "Maxim Maximov"  # "Maxim Maksimov" is recorded
        assert names("Kosachyov")[0] == "Konstantin Kosachev"

    def test_seeded_search_finds_every_kind(self):
        results = site_search.search("Kirkuk")
        assert results["agreement"].exists()
        assert results["event"].exists()
        assert set(results) == set(site_search.KINDS)

    def test_seeded_two_word_topic_finds_both_words_only(self):
        events = found("Kirkuk oil", "event") + found("Kirkuk oil", "agreement")
        assert events
        for record in events:
            text = f"{record.search_title} {record.search_text}"
            assert " kirkuk" in text and " oil" in text

    def test_seeded_arabic_article_and_native_names(self):
        assert names("العراق")[0] == "Iraq"
        assert "Iraq" in names("عراق")  # without the article
