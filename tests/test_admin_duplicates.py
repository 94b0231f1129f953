"""Duplicates: adding an actor whose name has the key of an existing one, or a source whose URL
normalises like an existing one, warns with a link to it; the editor may confirm and save."""

import pytest
from django.urls import reverse

from actors.models import Actor
from actors.names import name_key
from articles.models import Source
from ruiraq.search.folding import fold
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Sergei Lavrov", "Sergey Lavrov"),
        ("LAVROV, Sergei", "Sergey Lavrov"),
        ("Сергей Лавров", "Sergey Lavrov"),
        ("Юрий Борисов", "Yuri Borisov"),
        ("Aleksei", "Alexey"),
        ("Mikhail Bogdanov", "Mihail Bogdanov"),
        ("Youssef", "Yusef"),
        ("Hussein", "Husain"),
        ("Ammar al-Hakim", "Ammar Hakim"),
        ("Ziyād", "Ziyad"),
        ("أحمد", "احمد"),
        ("نوري المالكي", "نوري مالكي"),  # the Arabic article, as search folds it
        ("Ali Sistani", "ʿAlī al-Sīstānī"),
    ],
)
def test_spellings_of_one_name_share_a_name_key(one, other):
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(
    ("one", "other"), [("Sergey Lavrov", "Sergey Shoigu"), ("Iraq", "Iran"), ("Lukoil", "")]
)
def test_different_names_do_not(one, other):
    assert name_key(one) != name_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Ёлкин", "елкин"),
        ("Møller", "moller"),
        ("الـعراق", "عراق"),  # tatweel and article
        ("إبراهيم", "ابراهيم"),
        ("Lav\u200brov", "Lavrov"),  # a zero-width space is dropped
        ("Kırık", "kirik"),
    ],
)
def test_what_search_folds_alike_has_one_name_key(one, other):
    """The key is built on search's folding: it never tells apart what search does not."""
    assert fold(one) == fold(other)
    assert name_key(one) == name_key(other)


def test_similar_to_finds_names_russian_names_and_aliases():
    lavrov = factories.actor(name="Sergey Lavrov", name_ru="Сергей Лавров")
    maliki = factories.actor(name="Nouri al-Maliki")
    factories.alias(maliki, "Nuri al-Maliki")
    factories.actor(name="Vladimir Putin")
    assert list(Actor.objects.similar_to("Sergei Lavrov")) == [lavrov]
    assert list(Actor.objects.similar_to("Лавров Сергей")) == [lavrov]
    assert list(Actor.objects.similar_to("Nuri Maliki")) == [maliki]
    assert list(Actor.objects.similar_to("")) == []


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/news/visit",
        "https://www.example.org/news/visit/",
        "https://example.org/news/visit?utm_source=tw&utm_medium=social",
        "https://EXAMPLE.org/news/visit?fbclid=abc#comments",
        "example.org/news/visit",
    ],
)
def test_urls_naming_one_page_normalise_alike(url):
    assert Source.normalise_url(url) == "example.org/news/visit"


def test_urls_naming_different_pages_do_not():
    assert Source.normalise_url("https://example.org/news?id=3") != Source.normalise_url(
        "https://example.org/news?id=4"
    )
    assert Source.normalise_url("https://example.org/a?b=1&c=2") == Source.normalise_url(
        "https://example.org/a?c=2&b=1"
    )


def _add(client, model, **values):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    data = form_data(client.get(url), f"{model._meta.model_name}_form")
    data.update(values)
    return client.post(url, data)


def test_adding_a_similar_actor_warns_with_a_link_and_saves_once_confirmed(editor_client):
    existing = factories.actor(name="Sergey Lavrov", kind="person")
    response = _add(editor_client, Actor, name="Sergei Lavrov", kind="person")
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.non_field_errors())
    assert "Possible duplicate" in errors
    link = reverse("admin:actors_actor_change", args=[existing.pk])
    assert f'href="{link}"' in errors
    assert 'type="checkbox" name="not_a_duplicate"' in response.content.decode()
    assert Actor.objects.count() == 1

    response = _add(editor_client, Actor, name="Sergei Lavrov", kind="person", not_a_duplicate="on")
    assert response.status_code == 302
    assert Actor.objects.count() == 2


def test_a_cyrillic_name_is_matched_against_a_recorded_alias(editor_client):
    putin = factories.actor(name="Vladimir Putin")
    factories.alias(putin, "Владимир Путин", language="ru")
    response = _add(editor_client, Actor, name="V. Putin", name_ru="Владимир Путин", kind="person")
    assert "Possible duplicate" in str(response.context["adminform"].form.non_field_errors())


def test_a_new_actor_with_a_new_name_is_saved_without_warning(editor_client):
    factories.actor(name="Sergey Lavrov")
    assert _add(editor_client, Actor, name="Mikhail Bogdanov", kind="person").status_code == 302


def test_renaming_an_actor_to_an_existing_name_warns(editor_client):
    factories.actor(name="Sergey Lavrov")
    other = factories.actor(name="Someone", status="draft")
    url = reverse("admin:actors_actor_change", args=[other.pk])
    data = form_data(editor_client.get(url), "actor_form")
    assert editor_client.post(url, {**data, "description": "x"}).status_code == 302
    data = form_data(editor_client.get(url), "actor_form")
    response = editor_client.post(url, {**data, "name": "Sergei Lavrov"})
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.non_field_errors())
    assert "Possible duplicate" in errors and "Sergey Lavrov" in errors
    other.refresh_from_db()
    assert other.name == "Someone"  # not saved until confirmed


def test_adding_a_source_with_the_same_normalised_url_warns(editor_client):
    existing = factories.source(url="https://www.al-monitor.com/originals/2019/01/hakim.html")
    response = _add(
        editor_client,
        Source,
        title="Copy",
        url="http://al-monitor.com/originals/2019/01/hakim.html?utm_source=twitter",
        kind="news",
        language="en",
    )
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.non_field_errors())
    assert "Possible duplicate" in errors
    assert reverse("admin:articles_source_change", args=[existing.pk]) in errors
    assert Source.objects.count() == 1
    response = _add(
        editor_client,
        Source,
        title="Copy",
        url="http://al-monitor.com/originals/2019/01/hakim.html?utm_source=twitter",
        kind="news",
        language="en",
        not_a_duplicate="on",
    )
    assert response.status_code == 302
    assert Source.objects.count() == 2
