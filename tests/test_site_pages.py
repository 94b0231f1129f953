"""What the public pages show: every field a record holds, its evidence and its links."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from ruiraq.templatetags.public_site import highlight
from tests import factories

pytestmark = pytest.mark.django_db


def _html(response):
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def hakim_visit():
    """An event with everything an event page shows."""
    source = factories.source(title="In Moscow, Iraqi minister talks", outlet="Al-Monitor")
    hakim = factories.actor(name="Mohammed Ali al-Hakim", slug="hakim", name_ar="محمد علي الحكيم")
    russia = factories.actor(name="Russia", slug="russia", kind="state")
    event = factories.event(
        title="Hakim visits Moscow",
        slug="hakim-visit",
        kind="visit",
        start_date=dt.date(2019, 1, 29),
        end_date=dt.date(2019, 1, 30),
        place="Moscow",
        country="RU",
        summary="A formal visit.",
    )
    event.topics.add(factories.topic(name="Diplomacy", slug="diplomacy"))
    factories.participant(event, hakim, role="guest")
    factories.participant(event, russia, role="host")
    commission = factories.agreement(title="Intergovernmental commission", slug="commission")
    event.agreements.add(commission)
    factories.citation(
        event, source, quote="paid a formal visit to Moscow on Jan. 29 and 30", locator="para 1"
    )
    return event


def test_event_page_shows_dates_place_participants_agreements_topics(client, hakim_visit):
    html = _html(client.get(hakim_visit.get_absolute_url()))
    assert "<h1" in html and "Hakim visits Moscow" in html
    assert "29–30 January 2019" in html
    assert "Moscow, Russia" in html
    assert 'href="/actors/hakim/">Mohammed Ali al-Hakim</a> <span class="role">guest' in html
    assert 'href="/actors/russia/">Russia</a> <span class="role">host' in html
    assert 'href="/agreements/commission/"' in html
    assert 'href="/events/?topic=diplomacy">Diplomacy</a>' in html
    assert "A formal visit." in html


def test_event_page_shows_each_quote_with_its_locator_stance_and_source(client, hakim_visit):
    html = _html(client.get(hakim_visit.get_absolute_url()))
    quote = re.search(r"<blockquote[^>]*>\s*<p>(.*?)</p>", html, re.S)
    assert quote and quote.group(1) == "“paid a formal visit to Moscow on Jan. 29 and 30”"
    source = hakim_visit.citations.get().source
    assert f'href="{source.get_absolute_url()}">In Moscow, Iraqi minister talks</a>' in html
    assert "Al-Monitor" in html and "para 1" in html
    assert "Supports this" in html
    assert "disputed" not in html


def test_a_disputed_record_is_marked_disputed(client, hakim_visit):
    factories.citation(hakim_visit, quote="The visit never happened.", stance="disputes")
    html = _html(client.get(hakim_visit.get_absolute_url()))
    assert 'class="badge badge--disputed">disputed</span>' in html
    assert "Disputes this" in html
    listing = _html(client.get(reverse("articles:event-list")))
    assert 'class="badge badge--disputed">disputed</span>' in listing


def test_year_precision_dates_never_show_a_day(client):
    agreement = factories.agreement(
        title="T-90 contracts", start_date=dt.date(2017, 6, 5), start_precision="year"
    )
    factories.citation(agreement)
    html = _html(client.get(agreement.get_absolute_url()))
    assert "<dd>2017</dd>" in html
    assert "January 2017" not in html


def test_agreement_page_shows_value_status_parties_and_related_events(client, hakim_visit):
    agreement = hakim_visit.agreements.get()
    agreement.value_amount, agreement.value_currency = 10_000_000_000, "USD"
    agreement.value_qualifier, agreement.agreement_status = "more_than", "signed"
    agreement.save()
    factories.party(agreement, factories.actor(name="Rosneft", slug="rosneft"), role="operator")
    factories.citation(agreement, quote="more than $10 billion")
    html = _html(client.get(agreement.get_absolute_url()))
    assert "more than 10,000,000,000 USD" in html
    assert "badge--signed" in html
    assert 'href="/actors/rosneft/">Rosneft</a> <span class="role">operator' in html
    assert 'href="/events/hakim-visit/"' in html
    assert "more than $10 billion" in html


def test_actor_page_shows_native_names_aliases_ties_records_and_co_participants(
    client, hakim_visit
):
    hakim = hakim_visit.actors.get(slug="hakim")
    hakim.name_ru = "Мохаммед Али аль-Хаким"
    hakim.wikidata_id = "Q123"
    hakim.save()
    factories.alias(hakim, "al-Hakim", language="en")
    iraq = factories.actor(name="Iraq", slug="iraq", kind="state")
    tie = factories.tie(
        subject=hakim,
        object=iraq,
        title="Foreign Minister of Iraq",
        start_date=dt.date(2018, 10, 1),
        start_precision="month",
    )
    factories.citation(tie, quote="Iraqi Foreign Minister Mohammed Ali al-Hakim")
    factories.party(hakim_visit.agreements.get(), hakim, role="signatory")
    html = _html(client.get(hakim.get_absolute_url()))
    assert '<span lang="ru" dir="ltr">Мохаммед Али аль-Хаким</span>' in html
    assert '<span lang="ar" dir="rtl">محمد علي الحكيم</span>' in html
    assert '<span lang="en" dir="ltr">al-Hakim</span>' in html
    assert "https://www.wikidata.org/wiki/Q123" in html
    assert f'id="tie-{tie.pk}"' in html and "Foreign Minister of Iraq" in html
    assert "October 2018" in html and 'href="/actors/iraq/">Iraq</a>' in html
    assert "Iraqi Foreign Minister Mohammed Ali al-Hakim" in html
    assert 'href="/events/hakim-visit/"' in html and "Role: guest" in html
    assert 'href="/agreements/commission/"' in html and "Role: signatory" in html
    co = html.split("Appears most often with")[1]
    assert 'href="/actors/russia/">Russia</a>' in co and "1 shared record" in co


def test_co_participants_are_ranked_by_shared_records():
    from actors.selectors import co_participants

    hub, often, once = factories.actor(), factories.actor(), factories.actor()
    for _ in range(3):
        event = factories.event()
        factories.participant(event, hub)
        factories.participant(event, often)
    factories.participant(event, once)
    agreement = factories.agreement()
    factories.party(agreement, hub)
    factories.party(agreement, often)
    ranked = [(a, a.shared_events, a.shared_agreements) for a in co_participants(hub)]
    assert ranked == [(often, 3, 1), (once, 1, 0)]


def test_source_page_lists_every_record_citing_it_with_quotes_and_versions(client, hakim_visit):
    source = hakim_visit.citations.get().source
    actor = hakim_visit.actors.get(slug="hakim")
    factories.citation(actor, source, quote="Iraq's foreign minister")
    copy = factories.source(title="Republished copy", republishes=source)
    translation = factories.source(title="Перевод", language="ru", translation_of=source)
    html = _html(client.get(source.get_absolute_url()))
    assert 'href="/events/hakim-visit/">Hakim visits Moscow</a>' in html
    assert "paid a formal visit to Moscow on Jan. 29 and 30" in html
    assert 'href="/actors/hakim/">Mohammed Ali al-Hakim</a>' in html
    assert "Iraq&#x27;s foreign minister" in html
    assert f'href="{copy.get_absolute_url()}">Republished copy</a>' in html
    assert f'href="{translation.get_absolute_url()}" lang="ru">Перевод</a>' in html
    copy_html = _html(client.get(copy.get_absolute_url()))
    assert f'href="{source.get_absolute_url()}">In Moscow, Iraqi minister talks</a>' in copy_html


@pytest.mark.parametrize("make", [factories.event, factories.agreement, factories.actor])
def test_record_pages_have_canonical_link_citation_line_and_sharing_tags(client, make):
    record = make()
    html = _html(client.get(record.get_absolute_url()))
    permalink = f"http://testserver{record.get_absolute_url()}"
    assert f'<link rel="canonical" href="{permalink}">' in html
    assert f'<meta property="og:url" content="{permalink}">' in html
    assert f'<meta property="og:title" content="{record}">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    cite = html.split('id="cite-text"')[1].split("</p>")[0]
    assert str(record) in cite and "<i>ruiraq</i>" in cite and permalink in cite
    assert "Accessed " in cite


@pytest.mark.parametrize(
    "url",
    ["home", "articles:event-list", "actors:list", "timeline", "search", "articles:source-list"],
)
def test_every_page_links_the_feed_and_is_marked_up_for_readers(client, url):
    html = _html(client.get(reverse(url)))
    assert '<html lang="en" dir="ltr">' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/feed/"' in html
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert '<link rel="canonical"' in html
    # Nothing is loaded from another host.
    assert not re.search(r'(src|href)="(https?:)?//(?!testserver)[^"]*\.(css|js)', html)


def test_home_shows_counts_latest_records_and_key_actors(client, hakim_visit):
    factories.event(title="A draft event", status="draft")
    html = _html(client.get(reverse("home")))
    counts = re.findall(r'counts__number">(\d+)</span> <span class="counts__label">(\w+)', html)
    # The noun agrees with its number.
    assert counts == [("1", "event"), ("1", "agreement"), ("2", "actors"), ("1", "source")]
    assert 'href="/events/hakim-visit/"' in html
    assert 'href="/agreements/commission/"' in html
    key_actors = html.split("Key actors")[1]
    assert 'href="/actors/hakim/">Mohammed Ali al-Hakim</a>' in key_actors
    assert 'role="search"' in html and 'action="/search/"' in html
    assert "A draft event" not in html


def test_timeline_groups_events_by_year_and_month_at_their_precision(client):
    factories.event(title="Year only", start_date=dt.date(2017, 1, 1), start_precision="year")
    factories.event(title="In March", start_date=dt.date(2017, 3, 1), start_precision="month")
    factories.event(title="On a day", start_date=dt.date(2017, 1, 15))
    factories.event(title="Undated", start_date=None)
    response = client.get(reverse("timeline"))
    years = response.context["years"]
    assert [
        (y, [e.title for e in top], [(m and str(m), [e.title for e in es]) for m, es in ms])
        for y, top, ms in years
    ] == [
        (2017, ["Year only"], [("January 2017", ["On a day"]), ("March 2017", ["In March"])]),
        (None, [], [(None, ["Undated"])]),
    ]
    html = _html(response)
    assert "During 2017" in html and "January 2017" in html and "March 2017" in html
    assert "Date not known" in html


def test_timeline_year_filter_shows_only_that_year(client):
    factories.event(title="In 2014", start_date=dt.date(2014, 5, 1))
    factories.event(title="In 2019", start_date=dt.date(2019, 5, 1))
    html = _html(client.get(reverse("timeline"), {"year": 2019}))
    assert "In 2019" in html and "In 2014" not in html
    assert 'href="/timeline/?year=2014"' in html  # every year stays reachable
    assert 'href="/timeline/?year=2019" aria-current="page"' in html


def test_search_page_groups_results_by_kind_and_marks_the_terms(client, hakim_visit):
    html = _html(client.get(reverse("search"), {"q": "moscow"}))
    assert 'id="group-event"' in html
    assert "Hakim visits <mark>Moscow</mark>" in html
    assert 'id="group-actor"' not in html


def test_search_page_says_when_nothing_matches(client, hakim_visit):
    html = _html(client.get(reverse("search"), {"q": "zzzz"}))
    assert "Nothing published matches “zzzz”." in html


def test_highlight_escapes_the_text_and_the_terms():
    assert highlight("<b>Lavrov</b> & co", "lavrov &") == (
        "&lt;b&gt;<mark>Lavrov</mark>&lt;/b&gt; <mark>&amp;</mark> co"
    )
    assert highlight("a<script>", "<script>") == "a<mark>&lt;script&gt;</mark>"
    assert highlight("plain", "") == "plain"


def test_actor_suggestions_give_public_slugs_as_json(client):
    factories.actor(name="Sergey Lavrov", slug="sergey-lavrov")
    factories.actor(name="Lavrov's draft twin", status="draft")
    response = client.get(reverse("actors:suggest"), {"q": "lavrov"})
    assert response.json() == {"results": [{"slug": "sergey-lavrov", "name": "Sergey Lavrov"}]}
    assert client.get(reverse("actors:suggest")).json() == {"results": []}


def test_filter_form_labels_every_field_and_offers_actor_suggestions(client):
    html = _html(client.get(reverse("articles:event-list")))
    for name in (
        "search",
        "kind",
        "event_status",
        "topic",
        "actor",
        "country",
        "year_from",
        "year_to",
    ):
        assert f'<label for="id_{name}">' in html
    assert 'data-suggest="/actors/suggest.json"' in html
    assert 'aria-describedby="id_actor_helptext"' in html
    assert '<select name="actor"' not in html  # never a <select> of every actor


def test_server_error_page_renders_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html and "/static/css/site.css" in html


def test_templates_have_no_inline_script_or_style():
    """The Content-Security-Policy allows neither: scripts and styles come from /static/."""
    from django.conf import settings

    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\ssrc=)", text), path
        assert "<style" not in text and " style=" not in text, path
        assert not re.search(r"\son[a-z]+=", text), path
