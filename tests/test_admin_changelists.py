"""The changelists editors scan: the right columns (dates at their precision, citation
counts), search and filters, and a fixed number of queries whether they show 5 or 50 rows."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories
from tests.conftest import kept_for_the_scope

pytestmark = pytest.mark.django_db

# Every changelist, seen by an editor, starts with the same queries:
#   1 session, 2 user, 3 the user's own permissions, 4 the permissions of the user's groups.
# and then runs the page's own ones:
#   COUNT of the filtered rows (show_full_result_count is off: a second COUNT of the whole
#   table would cost as much again), the rows with their citation counts (subqueries in the
#   same query, evaluated for the page's rows only) and select_related objects, and one query
#   per list filter whose choices come from the database (the first and last year, topics,
#   the countries or languages present, read through their index).
COMMON = 4
PAGES = {
    # model: (page queries, what they are)
    "actors_actor": (3, "count, rows + citation counts, distinct countries"),
    "actors_tie": (3, "years, count, rows + subject/object + citation counts"),
    "articles_source": (4, "years, count, rows + citation counts, distinct languages"),
    "articles_event": (5, "topics, years, count, rows + citation counts, distinct countries"),
    "articles_agreement": (4, "topics, years, count, rows + citation counts"),
    "articles_citation": (
        8,
        "count, rows + source, then for the page's rows: events, agreements, actors, ties, "
        "the ties' subjects, the ties' objects",
    ),
    "articles_topic": (3, "count, full count, rows"),
}


def _records(n):
    """``n`` of every kind, each with its inline rows and a citation, as editors make them."""
    for i in range(n):
        topic = factories.topic()
        actor = factories.actor(country="RU", status="draft")
        factories.alias(actor, f"Alias {i}")
        event = factories.event(status="draft", start_date=dt.date(2019, 3, 1))
        event.topics.add(topic)
        factories.participant(event, actor)
        agreement = factories.agreement(status="draft")
        factories.party(agreement, actor)
        tie = factories.tie(subject=actor, status="draft")
        for record in (event, agreement, actor, tie):
            factories.citation(record)


@pytest.fixture(scope="class", params=[5, 50], ids=lambda n: f"{n} rows")
def rows(request, django_db_setup, django_db_blocker):
    """``_records(n)`` at 5 and at 50, built once for a class of tests (in its transaction)
    instead of once for each changelist; each test reads them in a savepoint of its own."""
    with kept_for_the_scope(django_db_blocker):
        _records(request.param)
        yield request.param


class TestQueryCounts:
    """Every changelist, with 5 and with 50 rows of every kind."""

    @pytest.mark.parametrize("page", PAGES)
    def test_changelist_query_count_does_not_grow_with_rows(
        self, editor_client, django_assert_num_queries, page, rows
    ):
        url = reverse(f"admin:{page}_changelist")
        with django_assert_num_queries(COMMON + PAGES[page][0]):
            response = editor_client.get(url)
        assert response.status_code == 200
        assert response.context["cl"].result_count >= rows


def test_event_list_shows_dates_at_their_precision_and_citation_counts(editor_client):
    event = factories.event(
        title="Visit to Moscow", start_date=dt.date(2019, 3, 1), start_precision="month"
    )
    factories.citation(event)
    factories.citation(event, stance="disputes")
    factories.agreement(title="Old contract", start_date=dt.date(2012, 5, 5))
    page = editor_client.get(reverse("admin:articles_event_changelist")).content.decode()
    assert "March 2019" in page
    assert "2019-03-01" not in page and "March 1, 2019" not in page
    row = page[page.index("Visit to Moscow") :]
    assert '<td class="field-citation_count">2</td>' in row
    assert '<td class="field-supporting_count">1</td>' in row
    agreements = editor_client.get(reverse("admin:articles_agreement_changelist"))
    assert "2012" in agreements.content.decode()


def test_source_list_shows_the_publication_date_at_its_precision(editor_client):
    factories.source(
        title="Report", published_date=dt.date(2018, 5, 1), published_precision="month"
    )
    page = editor_client.get(reverse("admin:articles_source_changelist")).content.decode()
    assert "May 2018" in page


@pytest.mark.parametrize(
    ("page", "query", "shown", "hidden"),
    [
        ("articles_event", "?year=2019", "In 2019", "In 2012"),
        ("articles_event", "?year=none", "Undated", "In 2019"),
        ("articles_event", "?supported=no", "Uncited", "In 2019"),
        ("articles_event", "?country__exact=IQ", "In 2019", "In 2012"),
        ("articles_event", "?q=2019", "In 2019", "In 2012"),
        ("actors_actor", "?q=Sergei", "Sergey Lavrov", "Vladimir Putin"),
        ("actors_actor", "?kind__exact=state", "Vladimir Putin", "Sergey Lavrov"),
        ("articles_source", "?year=2018", "Old report", "New report"),
    ],
)
def test_search_and_filters(editor_client, page, query, shown, hidden):
    for title, date, country in (
        ("In 2019", dt.date(2019, 1, 1), "IQ"),
        ("In 2012", dt.date(2012, 1, 1), "RU"),
    ):
        factories.citation(factories.event(title=title, start_date=date, country=country))
    factories.event(title="Undated", start_date=None)
    factories.event(title="Uncited", start_date=dt.date(2000, 1, 1))
    lavrov = factories.actor(name="Sergey Lavrov")
    factories.alias(lavrov, "Sergei Lavrov")
    factories.actor(name="Vladimir Putin", kind="state")
    factories.source(title="Old report", published_date=dt.date(2018, 1, 1))
    factories.source(title="New report", published_date=dt.date(2020, 1, 1))
    content = editor_client.get(reverse(f"admin:{page}_changelist") + query).content.decode()
    assert shown in content
    assert hidden not in content


@pytest.mark.parametrize(
    "query", ["?year=abc", "?year=99999", "?supported=maybe", "?status__exact=nope", "?o=99"]
)
def test_bad_filter_values_are_not_a_server_error(editor_client, query):
    factories.event()
    response = editor_client.get(reverse("admin:articles_event_changelist") + query)
    assert response.status_code in (200, 302)


def test_every_foreign_key_and_many_to_many_is_an_autocomplete():
    from django.contrib import admin
    from django.contrib.admin.utils import flatten_fieldsets

    checked = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("actors", "articles"):
            continue
        for each in [model_admin, *(i(model, admin.site) for i in model_admin.inlines)]:
            if each.fieldsets:
                shown = set(flatten_fieldsets(each.fieldsets))
            elif each.fields:
                shown = set(flatten_fieldsets([(None, {"fields": each.fields})]))
            else:
                shown = {f.name for f in each.model._meta.get_fields()}
            fk_to_parent = getattr(each, "fk_name", None) or (
                model._meta.model_name if each is not model_admin else None
            )
            for field in each.model._meta.get_fields():
                if not field.concrete or not (field.many_to_one or field.many_to_many):
                    continue
                if field.name not in shown or field.name == fk_to_parent:
                    continue
                if field.name in each.readonly_fields:
                    continue  # shown as text: no <select> of every row to render
                if each is not model_admin and field.related_model is model:
                    continue  # the inline's own link to its parent
                assert field.name in each.autocomplete_fields, (each, field.name)
                checked += 1
    assert checked >= 15


def _filter_choices(response, title):
    """The choices' labels of the list filter named ``title`` on a changelist response."""
    (spec,) = (s for s in response.context["cl"].filter_specs if str(s.title) == title)
    return [str(choice["display"]) for choice in spec.choices(response.context["cl"])]


def test_year_filter_offers_the_years_from_the_first_to_the_last(editor_client):
    factories.event(start_date=dt.date(2012, 5, 5))
    factories.event(start_date=dt.date(2015, 1, 1))
    factories.event(start_date=None)
    response = editor_client.get(reverse("admin:articles_event_changelist"))
    assert _filter_choices(response, "year") == [
        "All",
        "no date",
        "2015",
        "2014",
        "2013",
        "2012",
    ]
    filtered = editor_client.get(reverse("admin:articles_event_changelist") + "?year=2014")
    assert filtered.context["cl"].result_count == 0


def test_country_and_language_filters_offer_the_values_present(editor_client):
    factories.event(title="In Baghdad", country="IQ")
    factories.event(title="In Moscow", country="RU")
    factories.event(title="Nowhere", country="")
    factories.event(title="Also in Baghdad", country="IQ")
    events = editor_client.get(reverse("admin:articles_event_changelist"))
    # By name in the editor's language, the empty one as the admin marks an empty value.
    assert _filter_choices(events, "country") == ["All", "-", "Iraq", "Russia"]
    iraq = editor_client.get(reverse("admin:articles_event_changelist") + "?country=IQ")
    assert sorted(str(e) for e in iraq.context["cl"].result_list) == [
        "Also in Baghdad",
        "In Baghdad",
    ]
    factories.source(language="ar")
    factories.source(language="ru")
    sources = editor_client.get(reverse("admin:articles_source_changelist"))
    assert _filter_choices(sources, "language") == ["All", "ar", "ru"]


def test_citation_counts_are_each_rows_own(editor_client):
    source = factories.source(title="Cited thrice")
    factories.source(title="Never cited")
    actor = factories.actor(name="Cited Actor")
    factories.citation(actor, source)
    factories.citation(actor, source, stance="disputes")
    factories.citation(factories.event(), source)
    sources = editor_client.get(reverse("admin:articles_source_changelist")).content.decode()
    cited = sources[sources.index("Cited thrice") :]
    assert cited.index('<td class="field-citation_count">3</td>') < cited.index("</tr>")
    never = sources[sources.index("Never cited") :]
    assert never.index('<td class="field-citation_count">0</td>') < never.index("</tr>")
    actors = editor_client.get(reverse("admin:actors_actor_changelist")).content.decode()
    row = actors[actors.index("Cited Actor") :]
    row = row[: row.index("</tr>")]
    assert '<td class="field-citation_count">2</td>' in row
    assert '<td class="field-supporting_count">1</td>' in row


def test_citation_list_names_each_cited_record(editor_client):
    subject = factories.actor(name="Ambassador Person")
    tie = factories.tie(subject=subject, title="Ambassador")
    factories.citation(tie, quote="He presented his credentials")
    factories.citation(factories.agreement(title="Oil deal"), quote="The deal was signed")
    page = editor_client.get(reverse("admin:articles_citation_changelist")).content.decode()
    assert "Oil deal</a> (agreement)" in page
    assert "Ambassador Person" in page
