import datetime as dt

import pytest
from django.template import Context, Template

from ruiraq.dates import FuzzyDate, FuzzySpan, normalise
from tests import factories

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((D(2014, 6, 5), "year"), None, "2014"),
        ((D(2019, 3, 17), "month"), None, "March 2019"),
        ((D(2019, 1, 29), "day"), None, "29 January 2019"),
        ((D(2019, 1, 29), "day"), (D(2019, 1, 30), "day"), "29–30 January 2019"),
        ((D(2019, 1, 30), "day"), (D(2019, 2, 2), "day"), "30 January – 2 February 2019"),
        ((D(2018, 12, 30), "day"), (D(2019, 1, 2), "day"), "30 December 2018 – 2 January 2019"),
        ((D(2018, 5, 1), "month"), (D(2019, 3, 1), "month"), "May 2018 – March 2019"),
        ((D(2019, 1, 1), "month"), (D(2019, 3, 1), "month"), "January – March 2019"),
        ((D(2014, 1, 1), "year"), (D(2015, 1, 1), "year"), "2014–2015"),
        ((D(2014, 1, 1), "year"), (D(2019, 3, 1), "month"), "2014 – March 2019"),
        ((D(2019, 1, 29), "day"), (D(2019, 1, 29), "day"), "29 January 2019"),
    ],
)
def test_span_renders_at_its_precision(start, end, expected):
    span = FuzzySpan(FuzzyDate(*start), FuzzyDate(*end) if end else None)
    assert span.display() == expected


def test_empty_span_renders_the_words_for_an_unknown_date():
    assert FuzzySpan(None).display() == "Date not known"
    assert not FuzzySpan(None)


def test_normalise_never_invents_a_day():
    assert normalise(D(2019, 3, 17), "month") == D(2019, 3, 1)
    assert normalise(D(2014, 6, 5), "year") == D(2014, 1, 1)
    assert normalise(D(2014, 6, 5), "day") == D(2014, 6, 5)
    assert FuzzyDate(D(2019, 3, 17), "month").date == D(2019, 3, 1)


def test_unknown_precision_is_refused():
    with pytest.raises(ValueError):
        FuzzyDate(D(2019, 1, 1), "week")


def test_as_dict_is_the_api_shape():
    assert FuzzyDate(D(2019, 3, 5), "month").as_dict() == {
        "date": "2019-03-01",
        "precision": "month",
        "display": "March 2019",
    }


@pytest.mark.django_db
def test_model_save_normalises_and_template_filter_renders():
    event = factories.event(start_date=D(2019, 1, 29), end_date=D(2019, 1, 30))
    agreement = factories.agreement(start_date=D(2017, 8, 9), start_precision="year")
    source = factories.source(published_date=D(2018, 5, 7), published_precision="month")
    agreement.refresh_from_db()
    assert agreement.start_date == D(2017, 1, 1)
    template = Template("{% load fuzzy_dates %}{{ e|fuzzy }}|{{ a|fuzzy }}|{{ s|fuzzy }}")
    rendered = template.render(Context({"e": event, "a": agreement, "s": source}))
    assert rendered == "29–30 January 2019|2017|May 2018"


@pytest.mark.parametrize(
    ("start", "end", "language", "expected"),
    [
        # Russian: a no-break space (\u00a0) before "г." and after a day, an em dash between.
        ((D(2014, 1, 1), "year"), None, "ru", "2014\u00a0г."),
        ((D(2019, 3, 1), "month"), None, "ru", "март 2019\u00a0г."),
        ((D(2019, 1, 29), "day"), None, "ru", "29\u00a0января 2019\u00a0г."),
        ((D(2019, 1, 29), "day"), (D(2019, 1, 30), "day"), "ru", "29–30\u00a0января 2019\u00a0г."),
        (
            (D(2019, 1, 30), "day"),
            (D(2019, 2, 2), "day"),
            "ru",
            "30\u00a0января\u00a0— 2\u00a0февраля 2019\u00a0г.",
        ),
        (
            (D(2018, 5, 1), "month"),
            (D(2019, 3, 1), "month"),
            "ru",
            "май 2018\u00a0г.\u00a0— март 2019\u00a0г.",
        ),
        ((D(2014, 1, 1), "year"), (D(2015, 1, 1), "year"), "ru", "2014–2015\u00a0гг."),
        ((D(2019, 1, 29), "day"), (D(2019, 1, 30), "day"), "en", "29–30 January 2019"),
        ((D(2018, 5, 1), "month"), (D(2019, 3, 1), "month"), "en", "May 2018 – March 2019"),
        ((D(2014, 1, 1), "year"), None, "ar", "2014"),
        ((D(2019, 3, 1), "month"), None, "ar", "آذار 2019"),
        ((D(2019, 1, 29), "day"), (D(2019, 1, 30), "day"), "ar", "29–30 كانون الثاني 2019"),
        ((D(2018, 5, 1), "month"), (D(2019, 3, 1), "month"), "ar", "أيار 2018 – آذار 2019"),
        ((D(2019, 12, 5), "day"), None, "ar", "5 كانون الأول 2019"),
    ],
)
def test_span_renders_in_the_readers_language(start, end, language, expected):
    span = FuzzySpan(FuzzyDate(*start), FuzzyDate(*end) if end else None)
    assert span.display(language) == expected


def test_active_language_is_used_and_api_shape_stays_english():
    from django.utils import translation

    date = FuzzyDate(D(2019, 3, 1), "month")
    with translation.override("ru"):
        assert date.display() == "март 2019\u00a0г."
        assert date.as_dict()["display"] == "March 2019"
    with translation.override("ar"):
        assert str(date) == "آذار 2019"
    assert FuzzySpan(date).as_dict() == {
        "start": {"date": "2019-03-01", "precision": "month", "display": "March 2019"},
        "end": None,
        "display": "March 2019",
    }


@pytest.mark.parametrize("language", ["en", "ru", "ar"])
def test_every_date_as_displayed_reads_back_in_the_admin(language):
    """The admin's date inputs show display() in the editor's language; parse_fuzzy reads
    every month at every precision back to the same fuzzy date."""
    from django.utils import translation

    from ruiraq.dates import parse_fuzzy

    with translation.override(language):
        for month in range(1, 13):
            for date, precision in ((D(2019, month, 28), "day"), (D(2019, month, 1), "month")):
                shown = FuzzyDate(date, precision)
                assert parse_fuzzy(shown.display()) == shown, shown.display()
        assert parse_fuzzy(FuzzyDate(D(2014, 1, 1), "year").display()).precision == "year"


# --- parsing what an editor types, form by form ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("2014", D(2014, 1, 1), "year"),
        ("  2014 ", D(2014, 1, 1), "year"),
        ("2019-03", D(2019, 3, 1), "month"),
        ("03/2019", D(2019, 3, 1), "month"),
        ("3.2019", D(2019, 3, 1), "month"),
        ("March 2019", D(2019, 3, 1), "month"),
        ("Mar 2019", D(2019, 3, 1), "month"),
        ("mar. 2019", D(2019, 3, 1), "month"),
        ("Sept 2019", D(2019, 9, 1), "month"),
        ("2019 December", D(2019, 12, 1), "month"),
        ("2019-01-29", D(2019, 1, 29), "day"),
        ("2019.01.29", D(2019, 1, 29), "day"),
        ("29.01.2019", D(2019, 1, 29), "day"),
        ("29-01-2019", D(2019, 1, 29), "day"),
        ("29 January 2019", D(2019, 1, 29), "day"),
        ("January 29, 2019", D(2019, 1, 29), "day"),
        ("2019 Jan 5", D(2019, 1, 5), "day"),
        # Russian and Arabic, with the year marks and the Arabic comma.
        ("март 2019 г.", D(2019, 3, 1), "month"),
        ("29 января 2019 года", D(2019, 1, 29), "day"),
        ("5 сент. 2019 г", D(2019, 9, 5), "day"),
        ("1 февр 2019 год", D(2019, 2, 1), "day"),
        ("2014 г.", D(2014, 1, 1), "year"),
        ("29 كانون الثاني، 2019", D(2019, 1, 29), "day"),
        ("أيار 2018", D(2018, 5, 1), "month"),
        ("5 يونيه 2018", D(2018, 6, 5), "day"),
        ("مارس 2019", D(2019, 3, 1), "month"),
    ],
)
def test_parse_reads_each_form_at_its_precision(text, date, precision):
    from ruiraq.dates import parse_fuzzy

    assert parse_fuzzy(text) == FuzzyDate(date, precision)
    assert parse_fuzzy(text).precision == precision


@pytest.mark.parametrize("text", ["", "   ", None])
def test_parse_of_nothing_is_none(text):
    from ruiraq.dates import parse_fuzzy

    assert parse_fuzzy(text) is None


UNREADABLE = (
    "Could not read “{}” as a date: type a year (2014), a month (March 2019) or a day "
    "(29 January 2019)."
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("soon", UNREADABLE.format("soon")),
        ("201", UNREADABLE.format("201")),
        ("20144", UNREADABLE.format("20144")),
        ("2019-xx", UNREADABLE.format("2019-xx")),
        ("1-2-3-4", UNREADABLE.format("1-2-3-4")),
        ("March April 2019", UNREADABLE.format("march april 2019")),
        ("March 2019 2020", UNREADABLE.format("march 2019 2020")),
        ("March 5 6 2019", UNREADABLE.format("march 5 6 2019")),
        ("March 19", UNREADABLE.format("march 19")),
        ("March 123 2019", UNREADABLE.format("march 123 2019")),
        ("March 2019 extra", UNREADABLE.format("march 2019 extra")),
        (
            "01/02/2019",
            "Write the month as a word or as 2019-01-29: 01/02/2019 is 1 February in Europe "
            "and 2 January in the United States.",
        ),
        ("31 February 2019", "“31 february 2019” is not a date that exists."),
        ("2019-13", "“2019-13” is not a date that exists."),
        ("30.02.2019", "“30.02.2019” is not a date that exists."),
    ],
)
def test_parse_refuses_what_is_no_date_with_a_message(text, message):
    from ruiraq.dates import parse_fuzzy

    with pytest.raises(ValueError) as refused:
        parse_fuzzy(text)
    assert str(refused.value) == message


def test_the_last_day_of_each_precision():
    assert FuzzyDate(D(2019, 2, 10), "month").last_day == D(2019, 2, 28)
    assert FuzzyDate(D(2020, 2, 10), "month").last_day == D(2020, 2, 29)
    assert FuzzyDate(D(2019, 12, 10), "month").last_day == D(2019, 12, 31)
    assert FuzzyDate(D(2019, 5, 10), "year").last_day == D(2019, 12, 31)
    assert FuzzyDate(D(2019, 5, 10), "day").last_day == D(2019, 5, 10)


def test_month_names_in_each_language():
    from django.utils import translation

    from ruiraq.dates import month_names

    assert month_names("en")[::11] == ["January", "December"]
    assert month_names("ru")[::11] == ["январь", "декабрь"]
    with translation.override("ar"):
        assert month_names()[::11] == ["كانون الثاني", "كانون الأول"]
        assert month_names("ru-RU")[0] == "январь"


def test_iso_at_each_precision():
    assert FuzzyDate(D(2014, 6, 5), "year").iso() == "2014"
    assert FuzzyDate(D(2019, 3, 9), "month").iso() == "2019-03"
    assert FuzzyDate(D(2019, 1, 29), "day").iso() == "2019-01-29"
    assert FuzzyDate(D(987, 1, 1), "year").iso() == "0987"


def test_a_span_from_its_fields():
    assert FuzzySpan.from_fields(None, "day") == FuzzySpan(None, None)
    assert FuzzySpan.from_fields(D(2014, 5, 5), "year", D(2015, 5, 5), "year") == FuzzySpan(
        FuzzyDate(D(2014, 1, 1), "year"), FuzzyDate(D(2015, 1, 1), "year")
    )
    span = FuzzySpan.from_fields(D(2019, 3, 9), "month", D(2019, 4, 2))
    assert span == FuzzySpan(FuzzyDate(D(2019, 3, 1), "month"), FuzzyDate(D(2019, 4, 2), "day"))


def test_the_bounds_a_span_covers():
    assert FuzzySpan(None, FuzzyDate(D(2019, 1, 1))).bounds() is None
    month = FuzzyDate(D(2019, 3, 1), "month")
    assert FuzzySpan(month).bounds() == (D(2019, 3, 1), D(2019, 3, 31))
    assert FuzzySpan(month, FuzzyDate(D(2019, 5, 2))).bounds() == (D(2019, 3, 1), D(2019, 5, 2))
    # An end written less precisely inside the start's period still covers the whole start.
    year = FuzzyDate(D(2019, 1, 1), "year")
    assert FuzzySpan(year, FuzzyDate(D(2019, 2, 3))).bounds() == (D(2019, 1, 1), D(2019, 12, 31))


def test_a_span_with_only_an_end_starts_with_the_dash():
    end = FuzzyDate(D(2019, 3, 1), "month")
    assert FuzzySpan(None, end).display() == "\u2013 March 2019"
    assert FuzzySpan(None, end).display("ru") == "\u2014 март 2019\u00a0г."


def test_a_language_without_its_own_forms_is_shown_in_english():
    assert FuzzyDate(D(2019, 1, 29)).display("de") == "29 January 2019"


def test_an_unknown_precision_is_refused():
    with pytest.raises(ValueError, match="unknown precision 'week'"):
        FuzzyDate(D(2019, 1, 29), "week")


def test_an_unknown_span_says_so_in_the_language_asked_for():
    assert FuzzySpan(None).display("ru") == "Дата неизвестна"
    assert FuzzySpan(None).display() == "Date not known"


def test_dates_as_data_are_english_in_every_language():
    from django.utils import translation

    with translation.override("ru"):
        assert FuzzyDate(D(2019, 3, 1), "month").as_dict()["display"] == "March 2019"
        span = FuzzySpan(FuzzyDate(D(2014, 1, 1), "year"), FuzzyDate(D(2015, 1, 1), "year"))
        assert span.as_dict()["display"] == "2014–2015"


def test_dates_as_data():
    assert FuzzyDate(D(2019, 3, 9), "month").as_dict() == {
        "date": "2019-03-01",
        "precision": "month",
        "display": "March 2019",
    }
    span = FuzzySpan(FuzzyDate(D(2019, 1, 29)), FuzzyDate(D(2019, 1, 30)))
    assert span.as_dict() == {
        "start": {"date": "2019-01-29", "precision": "day", "display": "29 January 2019"},
        "end": {"date": "2019-01-30", "precision": "day", "display": "30 January 2019"},
        "display": "29–30 January 2019",
    }
    assert FuzzySpan(None).as_dict() == {"start": None, "end": None, "display": "Date not known"}


def test_a_span_is_true_when_either_end_is_known():
    assert not FuzzySpan(None, None)
    assert FuzzySpan(FuzzyDate(D(2019, 1, 1)))
    assert FuzzySpan(None, FuzzyDate(D(2019, 1, 1)))
