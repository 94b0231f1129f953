"""Source-first curation and easy fuzzy dates: an editor curates a new article end to end in
the admin (source, actors, event, agreement, citations) and a reviewer publishes it."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from actors.models import Actor
from articles.models import Agreement, Event, Source
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


def _add(client, model, query="", **values):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add") + query
    data = form_data(client.get(url), f"{model._meta.model_name}_form")
    data.update(values)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    return model.objects.latest("pk")


def test_source_page_lists_every_record_citing_it_with_add_links(editor_client):
    source = factories.source(title="Al-Monitor report")
    event = factories.event(title="Hakim in Moscow")
    agreement = factories.agreement(title="Arms contract")
    actor = factories.actor(name="Ammar al-Hakim")
    factories.citation(event, source, quote="He visited Moscow.")
    factories.citation(agreement, source, quote="A contract was signed.", stance="disputes")
    factories.citation(actor, source, quote="Al-Hakim leads the movement.")
    page = editor_client.get(reverse("admin:articles_source_change", args=[source.pk]))
    html = page.content.decode()
    for record in (event, agreement, actor):
        opts = record._meta
        link = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        assert f'href="{link}"' in html
    assert "He visited Moscow." in html and "disputes" in html
    for name in ("event", "agreement", "citation"):
        assert f'href="{reverse(f"admin:articles_{name}_add")}?source={source.pk}"' in html


def test_the_source_list_of_citations_costs_one_query(editor_client, django_assert_num_queries):
    source = factories.source()
    for _ in range(10):
        factories.citation(factories.tie(), source)
        factories.citation(factories.event(), source)
    url = reverse("admin:articles_source_change", args=[source.pk])
    editor_client.get(url)
    with django_assert_num_queries(8) as captured:
        # 1 session, 2 user, 3-4 the user's and its groups' permissions, 5 the source,
        # 6 its revision awaiting review (the banner), 7 its stored status and version (the
        # form's conflict check), 8 the citations with their records (events, agreements,
        # actors, ties and the ties' actors joined in).
        editor_client.get(url)
    citing = [q for q in captured.captured_queries if 'FROM "articles_citation"' in q["sql"]]
    assert len(citing) == 1


def test_add_event_from_a_source_prefills_the_citation(editor_client):
    source = factories.source(title="Al-Monitor report")
    url = reverse("admin:articles_event_add") + f"?source={source.pk}"
    response = editor_client.get(url)
    citations = next(
        f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "citations"
    )
    assert citations.formset.forms[0].initial["source"] == source.pk
    assert form_data(response, "event_form")["citations-0-source"] == str(source.pk)
    citation_add = editor_client.get(
        reverse("admin:articles_citation_add") + f"?source={source.pk}"
    )
    assert citation_add.context["adminform"].form.initial["source"] == str(source.pk)


@pytest.mark.parametrize(
    ("typed", "date", "precision", "shown"),
    [
        ("2014", dt.date(2014, 1, 1), "year", "2014"),
        ("2019-03", dt.date(2019, 3, 1), "month", "March 2019"),
        ("March 2019", dt.date(2019, 3, 1), "month", "March 2019"),
        ("29 January 2019", dt.date(2019, 1, 29), "day", "29 January 2019"),
        ("2019-01-29", dt.date(2019, 1, 29), "day", "29 January 2019"),
        ("29.01.2019", dt.date(2019, 1, 29), "day", "29 January 2019"),
    ],
)
def test_a_fuzzy_date_is_typed_in_one_input(editor_client, typed, date, precision, shown):
    event = _add(editor_client, Event, title="Talks", kind="talks", start_date=typed)
    assert (event.start_date, event.start_precision, event.when) == (date, precision, shown)
    page = editor_client.get(reverse("admin:articles_event_change", args=[event.pk]))
    assert form_data(page, "event_form")["start_date"] == shown  # shown back as typed


@pytest.mark.parametrize(
    ("start", "end", "error"),
    [
        ("March", "", "Could not read"),
        ("31 February 2019", "", "not a date that exists"),
        ("01/02/2019", "", "Write the month as a word"),
        ("2019", "2018", "end cannot be before the start"),
    ],
)
def test_a_bad_fuzzy_date_is_a_form_error(editor_client, start, end, error):
    url = reverse("admin:articles_event_add")
    data = form_data(editor_client.get(url), "event_form")
    data.update(title="Talks", kind="talks", start_date=start, end_date=end)
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert error in str(response.context["adminform"].form.errors)
    assert not Event.objects.exists()


def test_a_tie_inline_takes_fuzzy_dates_too(editor_client):
    actor = factories.actor(name="Elbrus Kutrashev", status="draft")
    russia = factories.actor(name="Russia", kind="state")
    url = reverse("admin:actors_actor_change", args=[actor.pk])
    data = form_data(editor_client.get(url), "actor_form")
    data.update(
        {
            "ties-TOTAL_FORMS": "1",
            "ties-0-kind": "position",
            "ties-0-title": "Ambassador of Russia to Iraq",
            "ties-0-object": str(russia.pk),
            "ties-0-start_date": "2020",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    tie = actor.ties.get()
    assert (tie.when, tie.status) == ("2020", "draft")


def test_an_editor_curates_an_article_and_a_reviewer_publishes_it(editor_client, reviewer_client):
    russia = factories.actor(name="Russia", kind="state", country="RU")
    source = _add(
        editor_client,
        Source,
        title="Iraqi cleric visits Moscow",
        url="https://example.org/hakim-moscow",
        outlet="Al-Monitor",
        kind="news",
        language="en",
        published_date="31 January 2019",
    )
    hakim = _add(editor_client, Actor, name="Ammar al-Hakim", kind="person", country="IQ")
    cite = {
        "citations-0-source": str(source.pk),
        "citations-0-quote": "Hakim arrived in Moscow on Jan. 29.",
        "citations-0-stance": "supports",
    }
    event = _add(
        editor_client,
        Event,
        query=f"?source={source.pk}",
        title="Ammar al-Hakim visits Moscow",
        kind="visit",
        start_date="29 January 2019",
        end_date="30 January 2019",
        place="Moscow",
        country="RU",
        status="in_review",
        **{
            "participants-0-actor": str(hakim.pk),
            "participants-0-role": "guest",
            "participants-1-actor": str(russia.pk),
            "participants-1-role": "host",
            "participants-TOTAL_FORMS": "2",
            **cite,
        },
    )
    agreement = _add(
        editor_client,
        Agreement,
        title="Cooperation memorandum",
        kind="memorandum",
        start_date="January 2019",
        status="in_review",
        **{"parties-0-actor": str(russia.pk), "parties-0-role": "signatory", **cite},
    )
    hakim_url = reverse("admin:actors_actor_change", args=[hakim.pk])
    data = form_data(editor_client.get(hakim_url), "actor_form")
    data.update(status="in_review", **cite)
    assert editor_client.post(hakim_url, data).status_code == 302

    assert event.when == "29–30 January 2019"
    assert [p.actor for p in event.participants.all()] == [hakim, russia]
    assert not Event.objects.public().exists()

    for model, record in ((Source, source), (Actor, hakim), (Event, event), (Agreement, agreement)):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = reviewer_client.post(
            url, {"action": "publish", ACTION_CHECKBOX_NAME: [str(record.pk)]}, follow=True
        )
        name = model._meta.verbose_name
        assert f"1 {name} published." in response.content.decode()
        record.refresh_from_db()
        assert record.status == "published", model
    assert list(Event.objects.public()) == [event]
    page = reviewer_client.get(reverse("admin:articles_event_change", args=[event.pk]))
    assert f'href="{event.get_absolute_url()}"' in page.content.decode()
