"""Record text in the reader's language (issue 14, items 1, 2 and 6): titles, summaries,
places, descriptions and topic names in Russian and Arabic beside the English, shown with a
marked English fallback on every page type, asked for in the API with ``lang``, sorted by the
reader's script, and present for every seed record."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor
from articles.models import Agreement, Event, Topic
from ruiraq.seed.loader import load_seed
from tests import factories

#: A fallback to English inside a Russian or Arabic page, as the pages must mark it.
ENGLISH_RUN = '<span lang="en" dir="ltr">{}</span>'


@pytest.fixture
def world(db):
    """One record of each kind, translated into Russian only, with evidence."""
    source = factories.source(
        title="Lavrov in Baghdad",
        summary="A report on the visit.",
        summary_ru="Репортаж о визите.",
    )
    defence = factories.topic(name="Defence", name_ru="Оборона", slug="defence")
    lavrov = factories.actor(
        name="Sergey Lavrov",
        name_ru="Сергей Лавров",
        name_ar="سيرغي لافروف",
        slug="sergey-lavrov",
        description="Foreign minister of Russia.",
        description_ru="Министр иностранных дел России.",
    )
    event = factories.event(
        title="Lavrov visits Baghdad",
        title_ru="Визит Лаврова в Багдад",
        summary="The minister met his Iraqi colleague.",
        summary_ru="Министр встретился с иракским коллегой.",
        place="Baghdad",
        place_ru="Багдад",
        slug="lavrov-visits-baghdad",
    )
    event.topics.add(defence)
    factories.participant(event, lavrov, role="guest")
    factories.citation(
        event,
        source,
        quote="Lavrov arrived in Baghdad.",
        quote_ru="Лавров прибыл в Багдад.",
    )
    agreement = factories.agreement(
        title="S-300 contract",
        title_ru="Контракт на С-300",
        summary="Air defence systems.",
        summary_ru="Зенитные ракетные системы.",
        slug="s-300-contract",
    )
    factories.party(agreement, lavrov, role="signatory")
    factories.citation(agreement, source, quote="A contract was signed.")
    factories.citation(lavrov, source, quote="Lavrov, the foreign minister.")
    return {"event": event, "agreement": agreement, "actor": lavrov, "source": source}


def _text(response):
    return unescape(response.content.decode())


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, russian",
    [
        ("/ru/events/lavrov-visits-baghdad/", ["Визит Лаврова в Багдад", "Министр встретился"]),
        ("/ru/agreements/s-300-contract/", ["Контракт на С-300", "Зенитные ракетные системы."]),
        ("/ru/actors/sergey-lavrov/", ["Министр иностранных дел России."]),
        ("/ru/events/", ["Визит Лаврова в Багдад", "Багдад"]),
        ("/ru/agreements/", ["Контракт на С-300"]),
        ("/ru/timeline/", ["Визит Лаврова в Багдад"]),
        # The matched word is highlighted (<mark>), so the title is checked around it.
        ("/ru/search/?q=Багдад", ["Визит Лаврова в <mark>Багдад</mark>"]),
    ],
)
def test_russian_pages_show_the_russian_text(client, world, path, russian):
    response = client.get(path)
    assert response.status_code == 200
    page = _text(response)
    for text in russian:
        assert text in page
    assert "Lavrov visits Baghdad</" not in page


def test_source_page_shows_its_summary_in_russian(client, world):
    page = _text(client.get(f"/ru/sources/{world['source'].slug}/"))
    assert "Репортаж о визите." in page
    assert "A report on the visit." not in page


@pytest.mark.parametrize(
    "path, english",
    [
        ("/ar/events/lavrov-visits-baghdad/", "Lavrov visits Baghdad"),
        ("/ar/agreements/s-300-contract/", "S-300 contract"),
        ("/ar/events/", "Lavrov visits Baghdad"),
        ("/ar/agreements/", "S-300 contract"),
    ],
)
def test_arabic_pages_fall_back_to_english_marked_as_such(client, world, path, english):
    response = client.get(path)
    assert response.status_code == 200
    assert ENGLISH_RUN.format(english) in response.content.decode()


def test_a_summary_without_translation_is_an_english_paragraph_on_an_arabic_page(client, world):
    page = client.get("/ar/events/lavrov-visits-baghdad/").content.decode()
    assert '<p lang="en" dir="ltr">The minister met his Iraqi colleague.</p>' in page
    assert '<span lang="en" dir="ltr">Baghdad</span>' in page


def test_english_pages_show_english_unmarked(client, world):
    page = client.get("/events/lavrov-visits-baghdad/").content.decode()
    assert '<h1 id="record-title">Lavrov visits Baghdad</h1>' in page
    assert "Визит" not in page
    assert 'lang="en" dir="ltr">Lavrov visits' not in page


def test_translated_text_is_not_marked_english(client, world):
    page = client.get("/ru/events/lavrov-visits-baghdad/").content.decode()
    assert '<h1 id="record-title">Визит Лаврова в Багдад</h1>' in page


def test_editors_translation_sits_beneath_the_quote_labelled(client, world):
    page = _text(client.get("/ru/events/lavrov-visits-baghdad/"))
    quote = page.index("Lavrov arrived in Baghdad.")
    label = page.index("Перевод редакции")
    translation = page.index("Лавров прибыл в Багдад.")
    assert quote < label < translation
    # No translation into Arabic: the Arabic page shows the quote alone.
    arabic = _text(client.get("/ar/events/lavrov-visits-baghdad/"))
    assert "Lavrov arrived in Baghdad." in arabic
    assert "ترجمة المحررين" not in arabic
    # The English page never shows an editors' translation.
    assert "Лавров прибыл" not in _text(client.get("/events/lavrov-visits-baghdad/"))


def test_feed_and_json_ld_follow_the_readers_language(client, world):
    feed = _text(client.get("/ru/feed/"))
    assert "Визит Лаврова в Багдад" in feed
    page = client.get("/ru/events/lavrov-visits-baghdad/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert '"name": "Визит Лаврова в Багдад"' in block.group(1)


@pytest.mark.parametrize("path", ["/events/", "/agreements/", "/actors/", "/sources/"])
def test_translated_lists_cost_the_queries_of_the_english_ones(client, world, path):
    for n in range(3):
        factories.event(title=f"Talks {n}", title_ru=f"Переговоры {n}")
        factories.agreement(title=f"Contract {n}")
    with CaptureQueriesContext(connection) as english:
        assert client.get(path).status_code == 200
    for prefix in ("/ru", "/ar"):
        with CaptureQueriesContext(connection) as local:
            assert client.get(prefix + path).status_code == 200
        assert len(local) == len(english), prefix


def test_russian_event_list_costs_its_queries(client, world, django_assert_num_queries):
    for n in range(3):
        factories.event(title=f"Talks {n}", title_ru=f"Переговоры {n}")
    # The count, the topic filter's choices, the page of events, participants with their
    # actors, topics, their disputing citations.
    with django_assert_num_queries(6):
        assert client.get("/ru/events/").status_code == 200


# --- sorting in the reader's script -----------------------------------------------------------


@pytest.mark.parametrize(
    "prefix, expected",
    [
        ("", ["Almaz", "Borscht", "Zebra"]),
        # Named in Cyrillic first, in Cyrillic order (Б, Ж, then Я), then the English only.
        ("/ru", ["Zebra", "Borscht", "Almaz"]),
    ],
)
def test_event_list_sorted_by_title_follows_the_readers_script(client, db, prefix, expected):
    factories.event(title="Almaz", title_ru="Ялмаз")
    factories.event(title="Borscht", title_ru="Жорщ")
    factories.event(title="Zebra", title_ru="Бебра")
    page = _text(client.get(f"{prefix}/events/?ordering=title"))
    shown = [title for title in ("Almaz", "Borscht", "Zebra", "Ялмаз", "Жорщ", "Бебра")]
    positions = {t: page.find(t) for t in shown if page.find(t) >= 0}
    english = {"Ялмаз": "Almaz", "Жорщ": "Borscht", "Бебра": "Zebra"}
    order = [english.get(t, t) for t in sorted(positions, key=positions.get)]
    assert order == expected


def test_same_titles_keep_a_stable_order_in_every_language(client, db):
    first = factories.event(title="Talks", title_ru="Переговоры", slug="talks-1")
    second = factories.event(title="Talks", title_ru="Переговоры", slug="talks-2")
    for prefix in ("", "/ru"):
        page = client.get(f"{prefix}/events/?ordering=title").content.decode()
        assert page.index(first.get_absolute_url()[1:]) < page.index(second.get_absolute_url()[1:])


def test_actor_list_in_arabic_sorts_by_arabic_name(client, db):
    factories.actor(name="Alpha", name_ar="ياسر")
    factories.actor(name="Omega", name_ar="باسم")
    page = _text(client.get("/ar/actors/"))
    assert page.index("باسم") < page.index("ياسر")


# --- the API ------------------------------------------------------------------------------------


def test_api_gives_record_text_in_the_language_asked_for(client, world):
    event = world["event"]
    body = client.get(f"/api/v1/events/{event.pk}/?lang=ru").json()
    assert body["title"] == "Визит Лаврова в Багдад"
    assert body["place"] == "Багдад"
    assert body["summary"] == "Министр встретился с иракским коллегой."
    assert body["languages"] == {"title": "ru", "place": "ru", "summary": "ru"}
    assert body["topics"][0]["name"] == "Оборона"
    assert body["citations"][0]["quote"] == "Lavrov arrived in Baghdad."
    assert body["citations"][0]["editors_translation"] == "Лавров прибыл в Багдад."


def test_api_says_which_texts_fell_back_to_english(client, world):
    event = world["event"]
    body = client.get(f"/api/v1/events/{event.pk}/?lang=ar").json()
    assert body["title"] == "Lavrov visits Baghdad"
    assert body["languages"] == {"title": "en", "place": "en", "summary": "en"}
    assert body["citations"][0]["editors_translation"] is None


def test_api_is_english_by_default(client, world):
    body = client.get("/api/v1/agreements/").json()
    row = body["results"][0]
    assert row["title"] == "S-300 contract"
    assert row["languages"] == {"title": "en", "summary": "en"}


def test_api_reads_accept_language_when_no_lang_is_given(client, world):
    actor = world["actor"]
    body = client.get(
        f"/api/v1/actors/{actor.pk}/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5"
    ).json()
    assert body["description"] == "Министр иностранных дел России."
    assert body["languages"] == {"description": "ru"}
    # lang wins over the header.
    body = client.get(f"/api/v1/actors/{actor.pk}/?lang=en", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert body["description"] == "Foreign minister of Russia."


def test_api_answers_differ_by_accept_language_and_say_so(client, world, settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    english = client.get("/api/v1/events/")
    russian = client.get("/api/v1/events/", HTTP_ACCEPT_LANGUAGE="ru")
    assert english.json()["results"][0]["title"] == "Lavrov visits Baghdad"
    assert russian.json()["results"][0]["title"] == "Визит Лаврова в Багдад"
    assert "Accept-Language" in russian["Vary"]


@pytest.mark.parametrize("value", ["de", "russian", "ru-x", "1"])
def test_api_refuses_an_unknown_lang_naming_the_parameter(client, world, value):
    response = client.get(f"/api/v1/events/?lang={value}")
    assert response.status_code == 400
    assert "lang" in response.json()
    detail = client.get(f"/api/v1/events/{world['event'].pk}/?lang={value}")
    assert detail.status_code == 400
    assert "lang" in detail.json()


def test_api_list_in_russian_costs_the_queries_of_english(client, world):
    for n in range(3):
        factories.event(title=f"Talks {n}", title_ru=f"Переговоры {n}")
    with CaptureQueriesContext(connection) as english:
        assert client.get("/api/v1/events/").status_code == 200
    with CaptureQueriesContext(connection) as russian:
        assert client.get("/api/v1/events/?lang=ru").status_code == 200
    assert len(russian) == len(english)


def test_schema_documents_lang(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    parameters = schema["paths"]["/api/v1/events/"]["get"]["parameters"]
    lang = next(p for p in parameters if p["name"] == "lang")
    assert sorted(lang["schema"]["enum"]) == ["ar", "en", "ru"]
    detail = schema["paths"]["/api/v1/events/{id}/"]["get"]
    assert any(p["name"] == "lang" for p in detail["parameters"])
    assert "400" in detail["responses"]


# --- search -------------------------------------------------------------------------------------


def test_search_finds_a_record_by_its_translated_title(client, world):
    page = _text(client.get("/search/?q=Визит"))
    assert "Lavrov visits Baghdad" in page


# --- the admin ----------------------------------------------------------------------------------


def test_admin_change_form_shows_and_saves_the_three_languages(admin_client, world):
    event = world["event"]
    url = f"/admin/articles/event/{event.pk}/change/"
    page = admin_client.get(url).content.decode()
    for name in ("title", "title_ru", "title_ar", "summary_ar", "place_ar"):
        assert f'name="{name}"' in page
    assert 'name="citations-0-quote_ar"' in page


def test_history_keeps_the_translations(world):
    event = world["event"]
    event.title_ar = "زيارة لافروف إلى بغداد"
    event.save()
    assert event.history.latest().title_ar == "زيارة لافروف إلى بغداد"
    assert event.history.earliest().title_ar == ""


# --- the seed -----------------------------------------------------------------------------------


@pytest.fixture
def seed(db):
    load_seed()


def _gaps(queryset, *fields):
    return [
        f"{record.slug}: {field}"
        for record in queryset
        for field in fields
        if getattr(record, field.removesuffix("_ru").removesuffix("_ar"))
        and not getattr(record, field).strip()
    ]


def test_every_seed_record_has_russian_and_arabic_text(seed):
    assert Event.objects.count() > 0
    gaps = [
        *_gaps(Event.objects.all(), "title_ru", "title_ar", "summary_ru", "summary_ar"),
        *_gaps(Event.objects.all(), "place_ru", "place_ar"),
        *_gaps(Agreement.objects.all(), "title_ru", "title_ar", "summary_ru", "summary_ar"),
        *_gaps(Topic.objects.all(), "name_ru", "name_ar"),
        *_gaps(Actor.objects.all(), "name_ru", "name_ar", "description_ru", "description_ar"),
    ]
    assert gaps == []


def test_seed_texts_are_in_their_script(seed):
    cyrillic, arabic = re.compile("[А-Яа-яЁё]"), re.compile("[\u0600-\u06ff]")
    wrong = []
    for model, fields in (
        (Event, ("title", "summary")),
        (Agreement, ("title", "summary")),
        (Actor, ("name", "description")),
        (Topic, ("name",)),
    ):
        for record in model.objects.all():
            for base in fields:
                if not cyrillic.search(getattr(record, f"{base}_ru")):
                    wrong.append(f"{record}: {base}_ru")
                if not arabic.search(getattr(record, f"{base}_ar")):
                    wrong.append(f"{record}: {base}_ar")
    assert wrong == []


def test_seed_load_is_idempotent_with_the_translations(seed):
    assert load_seed() == {}


def test_seeded_search_documents_hold_the_translations(seed, client):
    event = Event.objects.exclude(title_ru="").first()
    word = max(event.title_ru.split(), key=len)
    page = _text(client.get("/search/", {"q": word}))
    assert event.title in page
