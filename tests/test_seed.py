"""The seed dataset: curated from the corpus, verbatim, published, loadable twice."""

import json
import re

import pytest
from django.core.management import CommandError, call_command

from actors.models import Actor, ActorAlias, Tie
from articles.models import Agreement, AgreementParty, Citation, Event, EventParticipant, Source
from ruiraq.models import EditorialStatus
from ruiraq.seed.loader import SEED_PATH

# The seed is loaded once for the module; each test reads it in a savepoint of its own.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_module")]

CURATED = [Actor, Tie, Event, Agreement]
ALL = [Actor, ActorAlias, Tie, Event, EventParticipant, Agreement, AgreementParty, Citation, Source]


def _counts():
    counts = {m: m.objects.count() for m in ALL}
    counts.update({f"history {m.__name__}": m.history.count() for m in ALL})
    return counts


def test_seed_meets_the_counts():
    assert Actor.objects.public().count() >= 30
    assert Event.objects.public().count() >= 12
    assert Agreement.objects.public().count() >= 10
    assert Tie.objects.public().count() >= 10


def test_loading_twice_changes_nothing():
    before = _counts()
    call_command("load_seed", stdout=open("/dev/null", "w"))
    assert _counts() == before


def test_sources_and_republication_link():
    riac = Source.objects.get(slug="riac-mamedov-russia-iraq-2018")
    report = Source.objects.get(slug="al-monitor-hakim-moscow-2019")
    assert riac.authors == "Ruslan Mamedov"
    assert riac.republishes.outlet == "Al-Monitor"
    assert riac.published.display() == "May 2018"
    assert report.outlet == "Al-Monitor"


@pytest.mark.parametrize("model", CURATED)
def test_every_record_is_published_with_a_supporting_citation(model):
    for record in model.objects.all():
        assert record.status == EditorialStatus.PUBLISHED, record
        assert record.has_supporting_citation(), record


def test_denied_claim_carries_both_stances():
    s400 = Agreement.objects.get(slug="s400-purchase-iraq")
    assert s400.agreement_status == "denied"
    assert set(s400.citations.values_list("stance", flat=True)) == {"supports", "disputes"}


def test_visit_renders_at_day_precision():
    assert Event.objects.get(slug="hakim-visit-moscow-2019").when == "29–30 January 2019"


def test_energy_investment_value():
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
    before = _counts()
    with pytest.raises(CommandError, match="missing the key"):
        call_command("load_seed", path=str(bad))
    assert _counts() == before
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
    before = _counts()
    with pytest.raises(CommandError, match="nobody-at-all"):
        call_command("load_seed", path=str(bad))
    assert _counts() == before


_CYRILLIC = re.compile(r"^[\u0400-\u04ff0-9 «»„“\"().,-]+$")
_ARABIC = re.compile(r"^[\u0600-\u06ff0-9 «»().,-]+$")


def test_every_actor_has_both_native_script_names_in_their_own_script():
    data = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    wrong = [
        (a["slug"], field, a.get(field, ""))
        for a in data["actors"]
        for field, script in (("name_ru", _CYRILLIC), ("name_ar", _ARABIC))
        if not script.match(a.get(field, ""))
    ]
    assert wrong == []


def test_aliases_tagged_russian_or_arabic_are_written_in_that_script():
    """A Latin-script transliteration ("al-Hikma", "Daesh") is not an Arabic-script name."""
    data = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    scripts = {"ru": _CYRILLIC, "ar": _ARABIC}
    wrong = [
        (a["slug"], alias["name"], alias["language"])
        for a in data["actors"]
        for alias in a.get("aliases", [])
        if alias["language"] in scripts and not scripts[alias["language"]].match(alias["name"])
    ]
    assert wrong == []
    latin = [
        (a["slug"], alias["name"])
        for a in data["actors"]
        for alias in a.get("aliases", [])
        if alias["language"] == "en" and re.search(r"[\u0400-\u06ff]", alias["name"])
    ]
    assert latin == []


def _paragraphs(corpus):
    """{(source slug, locator): text}, paragraphs numbered as the source notes say: the
    RIAC body from its second "Moscow’s interest" (the first is a teaser) to "First
    published", Al-Monitor's from the "MOSCOW —" dateline to the subscription blurb."""
    riac = (corpus / "riac-mamedov-russia-iraq-2018.txt").read_text(encoding="utf-8")
    lines = riac.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("Moscow’s interest")]
    end = next(i for i, line in enumerate(lines) if line.startswith("First published"))
    out = {("riac-mamedov-russia-iraq-2018", "byline"): lines[starts[0] - 2]}
    body = [line for line in lines[starts[1] : end] if line.strip()]
    out.update(
        {("riac-mamedov-russia-iraq-2018", f"paragraph {n}"): t for n, t in enumerate(body, 1)}
    )
    report = (corpus / "al-monitor-hakim-moscow-2019.txt").read_text(encoding="utf-8")
    lines = report.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("MOSCOW"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Join hundreds"))
    out[("al-monitor-hakim-moscow-2019", "standfirst")] = lines[start - 2]
    body = [line for line in lines[start:end] if line.strip()]
    out.update(
        {("al-monitor-hakim-moscow-2019", f"paragraph {n}"): t for n, t in enumerate(body, 1)}
    )
    return out


def test_every_quote_stands_in_the_paragraph_its_locator_names(corpus_dir):
    paragraphs = _paragraphs(corpus_dir)
    data = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    misplaced = [
        (c["source"], c["locator"], c["quote"][:60])
        for section in ("actors", "ties", "events", "agreements")
        for record in data[section]
        for c in record["citations"]
        if c["quote"] not in paragraphs.get((c["source"], c["locator"]), "")
    ]
    assert misplaced == []


def test_gazprom_neft_and_its_subsidiary_are_two_actors_joined_by_ownership():
    parent = Actor.objects.get(slug="gazprom-neft")
    subsidiary = Actor.objects.get(slug="gazprom-neft-middle-east")
    assert Tie.objects.filter(subject=parent, object=subsidiary, kind="ownership").exists()
    assert set(Actor.objects.similar_to("Gazpromneft")) == {parent}
    assert set(Actor.objects.similar_to("Gazprom Neft Middle East")) == {subsidiary}


def test_the_oil_ministry_renounced_the_rosneft_krg_contracts_it_did_not_sign():
    contracts = Agreement.objects.get(slug="rosneft-krg-kirkuk-contracts")
    assert set(contracts.parties.values_list("actor__slug", flat=True)) == {
        "rosneft",
        "kurdistan-regional-government",
    }
    renunciation = Event.objects.get(slug="oil-ministry-renounces-rosneft-kirkuk-contracts")
    assert renunciation.participants.filter(actor__slug="iraqi-oil-ministry").exists()
    assert contracts in renunciation.agreements.all()


def test_the_2014_supplies_are_deliveries_not_a_completed_arms_contract():
    assert not Agreement.objects.filter(slug="russian-arms-supplies-2014").exists()
    deliveries = Event.objects.get(slug="russian-arms-deliveries-2014")
    assert deliveries.kind == "delivery"
    assert not deliveries.agreements.exists()
    # Maximov's list of what was "already provided" belongs to his interview, not to 2014.
    assert not deliveries.citations.filter(quote__contains="MI-35M").exists()
    interview = Event.objects.get(slug="maximov-interfax-interview-2018")
    assert interview.citations.filter(quote__contains="MI-35M").exists()


def test_ties_carry_the_date_a_source_attests_them():
    ambassador = Tie.objects.get(subject__slug="maxim-maximov", title__startswith="Ambassador")
    assert ambassador.as_of.display() == "February 2018"
    assert ambassador.start_date is None
    minister = Tie.objects.get(subject__slug="mohammed-ali-al-hakim")
    assert minister.as_of.display() == "29 January 2019"
    assert Tie.objects.get(subject__slug="saddam-hussein").as_of is None


def test_related_visits_share_their_anchor_and_precision():
    whens = {
        Event.objects.get(slug=slug).when
        for slug in (
            "lavrov-maghreb-tour-2019",
            "patrushev-visit-egypt-2019",
            "patrushev-visit-uae-2019",
        )
    }
    assert whens == {"January 2019"}


def test_the_likely_moscow_meeting_names_no_participants():
    assert not EventParticipant.objects.filter(event__slug="high-level-meeting-moscow-2019")


def test_the_federation_councils_arabic_name_is_not_iraqs_upper_house():
    assert Actor.objects.get(slug="federation-council").name_ar == "مجلس الاتحاد الروسي"
