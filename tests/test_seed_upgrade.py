"""A database that loaded the first seed (tests/data/seed-v1.json, as of commit 54fc392) is
brought to the current one by load_seed: removed and recast records included, nothing
duplicated, and a further load writes nothing."""

from pathlib import Path

import pytest

from actors.models import Actor, ActorAlias, Tie
from articles.models import Agreement, AgreementParty, Citation, Event, EventParticipant, Source
from ruiraq.seed.loader import load_seed

pytestmark = pytest.mark.django_db

SEED_V1 = Path(__file__).resolve().parent / "data" / "seed-v1.json"
ALL = [Actor, ActorAlias, Tie, Event, EventParticipant, Agreement, AgreementParty, Citation, Source]


def _snapshot():
    """Every seeded row by its natural key, with the fields the seed sets."""
    return {
        "actors": set(Actor.objects.values_list("slug", "kind", "name", "name_ru", "name_ar")),
        "aliases": set(ActorAlias.objects.values_list("actor__slug", "name", "language", "kind")),
        "ties": set(
            Tie.objects.values_list(
                "subject__slug", "object__slug", "kind", "title", "as_of_date", "as_of_precision"
            )
        ),
        "events": set(Event.objects.values_list("slug", "kind", "title", "start_date", "summary")),
        "participants": set(
            EventParticipant.objects.values_list("event__slug", "actor__slug", "role", "note")
        ),
        "agreements": set(
            Agreement.objects.values_list("slug", "kind", "agreement_status", "summary")
        ),
        "parties": set(
            AgreementParty.objects.values_list("agreement__slug", "actor__slug", "role", "note")
        ),
        "citations": set(
            Citation.objects.values_list(
                "source__slug",
                "actor__slug",
                "tie__title",
                "event__slug",
                "agreement__slug",
                "quote",
                "locator",
                "stance",
            )
        ),
        "event agreements": set(Event.objects.values_list("slug", "agreements__slug")),
        "event topics": set(Event.objects.values_list("slug", "topics__slug")),
    }


def _counts():
    counts = {m.__name__: m.objects.count() for m in ALL}
    counts.update({f"history {m.__name__}": m.history.count() for m in ALL})
    return counts


def _wipe():
    for model in (Citation, EventParticipant, AgreementParty, Tie, ActorAlias, Event, Agreement):
        model.objects.all().delete()
    Actor.objects.all().delete()
    Source.objects.all().delete()


def test_loading_the_new_seed_over_the_old_one_equals_a_fresh_load():
    load_seed(SEED_V1)
    assert Agreement.objects.filter(slug="russian-arms-supplies-2014").exists()

    counts = load_seed()

    assert counts["agreement deleted"] == 1
    assert counts["tie deleted"] == 1
    upgraded = _snapshot()
    _wipe()
    load_seed()
    assert upgraded == _snapshot()


def test_the_upgrade_removes_and_recasts_what_the_audit_corrected():
    load_seed(SEED_V1)
    load_seed()

    assert not Agreement.objects.filter(slug="russian-arms-supplies-2014").exists()
    assert not Tie.objects.filter(subject__slug="yuri-borisov", title__startswith="Co-chair")
    assert not AgreementParty.objects.filter(
        agreement__slug="rosneft-krg-kirkuk-contracts", actor__slug="iraqi-oil-ministry"
    )
    assert set(
        AgreementParty.objects.filter(
            agreement__slug="russian-energy-investments-iraq"
        ).values_list("actor__slug", flat=True)
    ) == {"russia", "iraq"}
    subsidiary = Actor.objects.get(slug="gazprom-neft-middle-east")
    assert not subsidiary.aliases.filter(name__in=["Gazprom Neft", "Gazpromneft"])
    assert not subsidiary.citations.filter(quote__contains="Gazpromneft")
    assert Actor.objects.get(slug="gazprom-neft").aliases.filter(name="Gazpromneft").exists()
    assert ActorAlias.objects.get(name="al-Hikma").language == "en"
    assert not EventParticipant.objects.filter(event__slug="high-level-meeting-moscow-2019")
    deliveries = Event.objects.get(slug="russian-arms-deliveries-2014")
    assert not deliveries.agreements.exists()
    assert not deliveries.citations.filter(quote__contains="MI-35M").exists()


def test_after_the_upgrade_a_further_load_writes_nothing_history_included():
    load_seed(SEED_V1)
    load_seed()
    before = _counts()
    assert load_seed() == {}
    assert _counts() == before
