"""The database itself refuses bad rows, whatever path they come by."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, transaction

from actors.models import Actor, Tie
from articles.models import Agreement, Citation, Event, Source
from tests import factories

pytestmark = pytest.mark.django_db


def refused(make):
    # IntegrityError for a failed constraint; DataError where PostgreSQL refuses a too-long
    # value before any constraint is checked (SQLite does not enforce lengths).
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        make()


def test_duplicate_slug_is_refused():
    factories.event(slug="visit")
    refused(lambda: Event.objects.create(slug="visit", title="Other", kind="visit"))


def test_duplicate_source_url_is_refused_but_empty_urls_are_many():
    factories.source(url="https://example.org/a")
    refused(lambda: Source.objects.create(title="Copy", slug="copy", url="https://example.org/a"))
    Source.objects.create(title="No URL 1", url="")
    Source.objects.create(title="No URL 2", url="")


@pytest.mark.parametrize("model", [Event, Agreement])
def test_end_before_start_is_refused(model):
    kind = "visit" if model is Event else "treaty"
    refused(
        lambda: model.objects.create(
            title="Backwards",
            kind=kind,
            start_date=dt.date(2019, 1, 30),
            end_date=dt.date(2019, 1, 29),
        )
    )


def test_tie_end_before_start_and_tie_to_itself_are_refused():
    person, state = factories.actor(), factories.actor(kind="state")
    refused(
        lambda: Tie.objects.create(
            subject=person,
            object=state,
            kind="position",
            start_date=dt.date(2019, 1, 1),
            end_date=dt.date(2018, 1, 1),
        )
    )
    refused(lambda: Tie.objects.create(subject=person, object=person, kind="membership"))


def test_negative_amount_is_refused():
    refused(lambda: factories.agreement(value_amount=Decimal("-1"), value_currency="USD"))


@pytest.mark.parametrize("currency", ["usd", "US", "USDX", "U$D"])
def test_bad_currency_code_is_refused(currency):
    refused(lambda: factories.agreement(value_amount=Decimal("5"), value_currency=currency))


def test_amount_without_currency_is_refused():
    refused(lambda: factories.agreement(value_amount=Decimal("5"), value_currency=""))


@pytest.mark.parametrize("wikidata_id", ["159", "Q", "q159", "Q0159", "Q12a", "P31"])
def test_bad_wikidata_id_is_refused(wikidata_id):
    refused(lambda: factories.actor(wikidata_id=wikidata_id))


def test_good_wikidata_id_is_accepted_once():
    factories.actor(wikidata_id="Q159")
    refused(lambda: factories.actor(wikidata_id="Q159"))


def test_bad_country_code_is_refused():
    # The model field (django-countries) already turns "rus" into "RU" on assignment; the
    # database refuses what reaches it some other way.
    actor = factories.actor(country="rus")
    assert Actor.objects.get(pk=actor.pk).country.code == "RU"
    refused(lambda: Actor.objects.filter(pk=actor.pk).update(country="rus"))
    refused(lambda: Actor.objects.filter(pk=actor.pk).update(country="Iraq"))


def test_citation_must_cite_exactly_one_record():
    source, event, actor = factories.source(), factories.event(), factories.actor()
    refused(lambda: Citation.objects.create(source=source, quote="q"))
    refused(lambda: Citation.objects.create(source=source, quote="q", event=event, actor=actor))
    refused(lambda: Citation.objects.create(source=source, quote="", event=event))


def test_cited_source_cannot_be_deleted():
    from django.db.models import ProtectedError

    citation = factories.citation(factories.event())
    with pytest.raises(ProtectedError):
        citation.source.delete()


def test_actor_in_an_event_cannot_be_deleted():
    from django.db.models import ProtectedError

    actor = factories.actor()
    factories.participant(factories.event(), actor)
    with pytest.raises(ProtectedError):
        Actor.objects.filter(pk=actor.pk).delete()
