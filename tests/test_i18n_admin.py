"""The editorial admin in Russian (/ru/admin/) and Arabic (/ar/admin/, right to left)."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils import translation

from articles.models import Event
from tests import factories
from tests.admin_forms import form_data
from tests.test_i18n_site import english_left_in

pytestmark = pytest.mark.django_db

PREFIX = {"en": "", "ru": "/ru", "ar": "/ar"}


def _records():
    """One record of each registered model, with the rows its change page shows."""
    actor = factories.actor(name="Sergey Lavrov", name_ru="Сергей Лавров")
    factories.alias(actor, "Sergei Lavrov")
    event = factories.event(start_date=dt.date(2019, 1, 29), end_date=dt.date(2019, 1, 30))
    agreement = factories.agreement(value_amount=100, value_currency="USD")
    tie = factories.tie(subject=actor)
    factories.participant(event, actor)
    factories.party(agreement, actor)
    citation = factories.citation(event)
    return [event, actor, agreement, tie, citation, citation.source, factories.topic()]


def _admin_urls(record):
    opts = record._meta
    base = f"/admin/{opts.app_label}/{opts.model_name}/"
    return [base, f"{base}add/", f"{base}{record.pk}/change/", f"{base}{record.pk}/history/"]


@pytest.mark.parametrize(
    ("language", "direction", "labels"),
    [
        ("ru", "ltr", ["Источники, события и соглашения", "Действующие лица", "Редактура"]),
        ("ar", "rtl", ["المصادر والأحداث والاتفاقيات", "الجهات الفاعلة", "التحرير والتنسيق"]),
    ],
)
def test_every_admin_page_opens_translated_in_russian_and_arabic(
    admin_client, language, direction, labels
):
    """Index, changelists, add, change and history pages of every model: in the language of
    the prefix, right to left in Arabic, with none of ruiraq's own strings left in English."""
    records = _records()
    index = admin_client.get(f"/{language}/admin/")
    html = index.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert all(label in html for label in labels)
    if direction == "rtl":
        assert "admin/css/rtl.css" in html
    for record in records:
        for url in _admin_urls(record):
            response = admin_client.get(PREFIX[language] + url)
            assert response.status_code == 200, url
            # Django's own changelist search box has alt="Search" written in English.
            assert english_left_in(response.content.decode(), allowed={"Search"}) == [], url


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", ["Название:", "Тип:", "Дата начала:", "Редакционный статус:", "черновик"]),
        ("ar", ["العنوان:", "النوع:", "تاريخ البداية:", "حالة التحرير:", "مسودة"]),
    ],
)
def test_event_form_has_translated_labels_choices_and_help(admin_client, language, expected):
    event = factories.event(start_date=dt.date(2019, 3, 1), start_precision="month")
    html = admin_client.get(f"/{language}/admin/articles/event/{event.pk}/change/").content.decode()
    assert all(text in html for text in expected), [t for t in expected if t not in html]
    with translation.override(language):
        march = event.span.start.display()
        help_text = translation.gettext(
            "As precisely as the source gives it: a year (2014), a month (March 2019 or "
            "2019-03) or a day (29 January 2019 or 2019-01-29). The precision follows from "
            "what you type."
        )
    assert f'value="{march}"' in html  # "март 2019 г.", "آذار 2019"
    assert help_text in html


@pytest.mark.parametrize("language", ["ru", "ar"])
def test_a_record_saved_unchanged_in_the_translated_admin_keeps_its_dates(admin_client, language):
    """The date inputs show "29 января 2019 г." or "29 كانون الثاني 2019": saving the form
    reads them back to the same dates and precisions."""
    event = factories.event(
        start_date=dt.date(2019, 1, 29), end_date=dt.date(2019, 3, 1), end_precision="month"
    )
    factories.citation(event)
    url = f"/{language}/admin/articles/event/{event.pk}/change/"
    data = form_data(admin_client.get(url), "event_form")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    event.refresh_from_db()
    assert (event.start_date, event.start_precision) == (dt.date(2019, 1, 29), "day")
    assert (event.end_date, event.end_precision) == (dt.date(2019, 3, 1), "month")


@pytest.mark.parametrize(
    ("typed", "date", "precision"),
    [
        ("март 2019 г.", dt.date(2019, 3, 1), "month"),
        ("29 января 2019", dt.date(2019, 1, 29), "day"),
        ("2014 г.", dt.date(2014, 1, 1), "year"),
        ("29 كانون الثاني 2019", dt.date(2019, 1, 29), "day"),
        ("ايار 2018", dt.date(2018, 5, 1), "month"),
        ("5 يناير 2020", dt.date(2020, 1, 5), "day"),
    ],
)
def test_editors_may_type_dates_in_russian_or_arabic(admin_client, typed, date, precision):
    event = factories.event()
    factories.citation(event)
    url = f"/ar/admin/articles/event/{event.pk}/change/"
    data = form_data(admin_client.get(url), "event_form")
    data["start_date"] = typed
    assert admin_client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert (event.start_date, event.start_precision) == (date, precision)


def test_a_date_the_admin_cannot_read_is_refused_in_the_editors_language(admin_client):
    event = factories.event()
    url = f"/ru/admin/articles/event/{event.pk}/change/"
    data = form_data(admin_client.get(url), "event_form")
    data["start_date"] = "вчера"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Не удалось прочитать «вчера» как дату" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "count", "message"),
    [
        ("ru", 1, "Отправлено на проверку записей: 1 (события)."),
        ("ru", 3, "Отправлено на проверку записей: 3 (события)."),
        ("ar", 1, "أُرسل سجل واحد إلى المراجعة (الأحداث)."),
        ("ar", 3, "أُرسلت 3 سجلات إلى المراجعة (الأحداث)."),
        ("en", 3, "3 events sent to review."),
    ],
)
def test_action_messages_agree_with_the_number_in_each_language(
    admin_client, language, count, message
):
    events = [factories.event(status="draft") for _ in range(count)]
    response = admin_client.post(
        f"{PREFIX[language]}/admin/articles/event/",
        {"action": "send_to_review", ACTION_CHECKBOX_NAME: [e.pk for e in events]},
        follow=True,
    )
    assert message in response.content.decode()
    assert Event.objects.filter(status="in_review").count() == count


def test_admin_links_to_itself_in_each_language(admin_client):
    event = factories.event()
    html = admin_client.get(f"/ru/admin/articles/event/{event.pk}/change/?x=1").content.decode()
    nav = html.split('class="admin-languages"', 1)[1].split("</nav>", 1)[0]
    assert f'href="/admin/articles/event/{event.pk}/change/?x=1" hreflang="en"' in nav
    assert f'href="/ar/admin/articles/event/{event.pk}/change/?x=1" hreflang="ar"' in nav
    assert 'hreflang="ru" lang="ru" aria-current="true"' in nav
    # "View on site" opens the public page in the admin's language.
    assert f'href="/ru/events/{event.slug}/"' in html


def test_admin_login_works_under_a_language_prefix(client, superuser):
    response = client.get("/ar/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/ar/admin/login/")
    response = client.post(
        "/ar/admin/login/?next=/ar/admin/",
        {"username": "root", "password": "pw-root-1234"},
    )
    assert response.status_code == 302 and response["Location"] == "/ar/admin/"


def test_topics_are_found_by_their_name_in_any_language(admin_client):
    factories.topic(name="Energy", name_ru="Энергетика", name_ar="الطاقة")
    for term in ("Energy", "Энергетика", "الطاقة"):
        response = admin_client.get(
            "/ru/admin/autocomplete/",
            {"term": term, "app_label": "articles", "model_name": "event", "field_name": "topics"},
        )
        assert [r["text"] for r in response.json()["results"]] == ["Энергетика"], term
