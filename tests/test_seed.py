"""The seed dataset: curated from the corpus, verbatim, published, loadable twice."""

import json

import pytest
from django.core.management import CommandError, call_command

from actors.models import Actor, ActorAlias, Tie
from articles.models import Agreement, AgreementParty, Citation, Event, EventParticipant, Source
from ruiraq.models import EditorialStatus
from ruiraq.seed.loader import SEED_PATH

pytestmark = pytest.mark.django_db

CURATED = [Actor, Tie, Event, Agreement]
ALL = [Actor, ActorAlias, Tie, Event, EventParticipant, Agreement, AgreementParty, Citation, Source]


def _counts():
    counts = {m: m.objects.count() for m in ALL}
    counts.update({f"history {m.__name__}": m.history.count() for m in ALL})
    return counts


def test_seed_meets_the_counts(seeded):
    assert Actor.objects.public().count() >= 30
    assert Event.objects.public().count() >= 12
    assert Agreement.objects.public().count() >= 10
    assert Tie.objects.public().count() >= 10


def test_loading_twice_changes_nothing(seeded):
    before = _counts()
    call_command("load_seed", stdout=open("/dev/null", "w"))
    assert _counts() == before


def test_sources_and_republication_link(seeded):
    riac = Source.objects.get(slug="riac-mamedov-russia-iraq-2018")
    report = Source.objects.get(slug="al-monitor-hakim-moscow-2019")
    assert riac.authors == "Ruslan Mamedov"
    assert riac.republishes.outlet == "Al-Monitor"
    assert riac.published.display() == "May 2018"
    assert report.outlet == "Al-Monitor"


@pytest.mark.parametrize("model", CURATED)
def test_every_record_is_published_with_a_supporting_citation(seeded, model):
    for record in model.objects.all():
        assert record.status == EditorialStatus.PUBLISHED, record
        assert record.has_supporting_citation(), record


def test_denied_claim_carries_both_stances(seeded):
    s400 = Agreement.objects.get(slug="s400-purchase-iraq")
    assert s400.agreement_status == "denied"
    assert set(s400.citations.values_list("stance", flat=True)) == {"supports", "disputes"}


def test_visit_renders_at_day_precision(seeded):
    assert Event.objects.get(slug="hakim-visit-moscow-2019").when == "29–30 January 2019"


def test_energy_investment_value(seeded):
    investment = Agreement.objects.get(value_amount__isnull=False, value_currency="USD")
    assert investment.value_display == "more than 10,000,000,000 USD"


def test_every_quote_stands_verbatim_in_its_corpus_text(corpus_dir):
    corpus = corpus_dir
    data = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    texts = {
        s["slug"]: (corpus / s["corpus_file"]).read_text(encoding="utf-8")
        for s in data["sources"]
        if s.get("corpus_file")
    }
    quotes = [
        (c["source"], c["quote"])
        for section in ("actors", "ties", "events", "agreements")
        for record in data[section]
        for c in record["citations"]
    ]
    assert len(quotes) > 50
    missing = [(src, q) for src, q in quotes if src not in texts or q not in texts[src]]
    assert missing == []


def test_bad_seed_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "seed.json"
    bad.write_text(
        json.dumps(
            {"topics": [], "sources": [], "actors": [], "agreements": [], "events": [{"slug": "x"}]}
        )
    )
    with pytest.raises(CommandError, match="missing the key"):
        call_command("load_seed", path=str(bad))
    assert Event.objects.count() == 0
    bad.write_text("{not json")
    with pytest.raises(CommandError):
        call_command("load_seed", path=str(bad))
    with pytest.raises(CommandError):
        call_command("load_seed", path=str(tmp_path / "absent.json"))


def test_unknown_reference_is_refused_and_nothing_is_saved(tmp_path):
    data = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    data["events"][-1]["participants"].append({"actor": "nobody-at-all", "role": "host"})
    bad = tmp_path / "seed.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="nobody-at-all"):
        call_command("load_seed", path=str(bad))
    assert Actor.objects.count() == 0
