"""generate_synthetic and bench_search, run at a tiny scale so they never rot."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from actors.models import Actor, ActorAlias
from articles.models import Agreement, Citation, Event, EventParticipant, Source
from ruiraq.devtools.management.commands.bench_search import QUERIES
from ruiraq.site import search as site_search
from tests import factories

pytestmark = pytest.mark.django_db


def generate(*args):
    out = io.StringIO()
    call_command("generate_synthetic", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def snapshot():
    """Everything generated, without database ids or timestamps."""
    return {
        "actors": list(
            Actor.objects.order_by("slug").values_list(
                "slug", "kind", "name", "name_ru", "name_ar", "status", "search_title"
            )
        ),
        "aliases": sorted(ActorAlias.objects.values_list("actor__slug", "name")),
        "sources": list(
            Source.objects.order_by("url").values_list("url", "title", "language", "status")
        ),
        "events": list(
            Event.objects.order_by("slug").values_list(
                "slug", "title", "start_date", "status", "search_title", "search_text"
            )
        ),
        "agreements": list(
            Agreement.objects.order_by("slug").values_list("slug", "title", "value_amount")
        ),
        "participants": sorted(
            EventParticipant.objects.values_list("event__slug", "actor__slug", "role")
        ),
        "citations": sorted(
            Citation.objects.values_list(
                "source__url", "event__slug", "agreement__slug", "quote", "stance"
            ),
            key=repr,
        ),
    }


def test_generates_records_of_every_kind_in_proportion():
    output = generate("--events", "60", "--seed", "7")
    assert Event.objects.count() == 60
    assert Actor.objects.count() == 40
    assert Source.objects.count() == 12
    assert Agreement.objects.count() == 6
    assert Citation.objects.filter(event__isnull=False).count() >= 60
    assert "events: 60" in output
    languages = set(Source.objects.values_list("language", flat=True))
    assert languages == {"en", "ru", "ar"}


def test_most_records_are_published_but_not_all():
    generate("--events", "400", "--seed", "7")
    statuses = list(Event.objects.values_list("status", flat=True))
    published = statuses.count("published")
    assert 0.85 * len(statuses) < published < len(statuses)


def test_same_seed_gives_the_same_data_and_another_seed_other_data():
    generate("--events", "50", "--seed", "11")
    first = snapshot()
    generate("--events", "50", "--seed", "11", "--replace")
    assert snapshot() == first
    generate("--events", "50", "--seed", "12", "--replace")
    assert snapshot() != first


def test_generated_search_documents_are_what_save_would_derive():
    generate("--events", "80", "--seed", "5")
    for model in (Actor, Event, Agreement, Source):
        pks = list(model.objects.values_list("pk", flat=True))
        assert model.refresh_search_documents(pks) == 0, model


def test_generated_records_are_found_in_every_script():
    generate("--events", "200", "--seed", "5")
    person = Actor.objects.public().filter(kind="person").exclude(name_ru="").first()
    for query in (person.name, person.name_ru):
        assert person in site_search.search(query, ["actor"])["actor"], query
    assert site_search.search("Rosneft")["actor"].exists()
    assert site_search.search("Роснефть")["actor"].exists()


def test_refuses_to_add_to_an_existing_synthetic_dataset():
    generate("--events", "20")
    with pytest.raises(CommandError, match="--replace"):
        generate("--events", "20")


@pytest.mark.parametrize("args", [["--events", "0"], ["--events", "-5"], ["--batch-size", "0"]])
def test_refuses_nonsense_sizes(args):
    with pytest.raises(CommandError):
        generate(*args)


def test_replace_keeps_records_that_are_not_synthetic():
    mine = factories.event(title="Curated event")
    generate("--events", "20")
    generate("--events", "20", "--replace")
    assert Event.objects.filter(pk=mine.pk).exists()
    assert Event.objects.count() == 21


def test_bench_prints_a_table_and_writes_json(tmp_path):
    generate("--events", "60", "--seed", "2")
    out = io.StringIO()
    target = tmp_path / "bench.json"
    call_command(
        "bench_search", "--repeat", "1", "--output", str(target), stdout=out, stderr=io.StringIO()
    )
    table = out.getvalue()
    assert "median" in table and "p95" in table
    assert "Лавров" in table and "لافروف" in table
    result = json.loads(target.read_text())
    assert result["records"]["events"] == 60
    assert len(result["queries"]) == len(QUERIES)
    assert result["median_ms"] > 0 and result["p95_ms"] >= result["median_ms"]
    assert set(result["queries"][0]["matches"]) == set(site_search.KINDS)


def test_bench_refuses_nonsense_repeats():
    with pytest.raises(CommandError):
        call_command("bench_search", "--repeat", "0", "--output", "-", stdout=io.StringIO())


def test_refresh_search_rebuilds_documents_changed_behind_the_models_back():
    event = factories.event(title="Talks in Kirkuk")
    factories.source(title="Untouched")
    Event.objects.filter(pk=event.pk).update(title="Talks in Mosul")  # no save(): stale
    assert not site_search.search("Mosul")["event"].exists()
    out = io.StringIO()
    call_command("refresh_search", stdout=out)
    assert [e.title for e in site_search.search("Mosul")["event"]] == ["Talks in Mosul"]
    assert "events: 1 of 1 rebuilt" in out.getvalue()
    assert "sources: 0 of 1 rebuilt" in out.getvalue()
