"""The dataset in bulk: the prepared dump (manage.py build_dump, /api/v1/export/dump/), the
export that redirects to it or streams a filtered subset, and cursor pagination for clients
walking every page of a list."""

import datetime as dt
import gzip
import hashlib
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Event
from ruiraq.models import EditorialStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

DRAFT = EditorialStatus.DRAFT


@pytest.fixture
def dump_dir(settings, tmp_path):
    settings.DUMP_DIR = tmp_path / "dumps"
    return settings.DUMP_DIR


@pytest.fixture
def dataset():
    """A small published world with a draft in each place a leak could hide."""
    energy = f.topic(name="Energy", slug="energy")
    russia = f.actor(name="Russia", slug="russia", kind="state")
    iraq = f.actor(name="Iraq", slug="iraq", kind="state")
    hidden = f.actor(name="Unpublished envoy", slug="unpublished-envoy", status=DRAFT)
    report = f.source(title="Kommersant report", slug="kommersant-report")
    draft_source = f.source(title="Draft source", slug="draft-source", status=DRAFT)
    visit = f.event(title="Visit to Moscow", slug="visit-to-moscow")
    visit.topics.add(energy)
    f.participant(visit, russia, role="host")
    f.participant(visit, hidden)
    deal = f.agreement(title="Oil deal", slug="oil-deal")
    f.party(deal, iraq, role="buyer")
    secret = f.agreement(title="Secret deal", slug="secret-deal", status=DRAFT)
    visit.agreements.add(deal, secret)
    f.event(title="Planned talks", slug="planned-talks", status=DRAFT)
    f.tie(russia, iraq, title="Partner")
    f.tie(hidden, iraq, title="Envoy to Iraq")  # a draft actor: the tie is not public
    f.citation(visit, report, quote="The minister arrived in Moscow.")
    f.citation(deal, report, quote="The contract was signed.")
    f.citation(visit, draft_source, quote="Not yet checked.")
    return {"visit": visit, "deal": deal, "russia": russia, "report": report}


def _lines(data):
    return [json.loads(line) for line in data.decode().splitlines()]


def _by_type(records):
    found = {}
    for record in records:
        found.setdefault(record["type"], []).append(record)
    return found


def _build():
    out = StringIO()
    call_command("build_dump", stdout=out)
    return out.getvalue()


def _manifest(dump_dir):
    return json.loads((dump_dir / "manifest.json").read_text())


# --- the prepared dump ------------------------------------------------------------------------


def test_build_dump_writes_every_published_record_once_linked_by_id(dump_dir, dataset):
    message = _build()
    manifest = _manifest(dump_dir)
    path = dump_dir / manifest["build"] / "ruiraq.jsonl.gz"
    raw = path.read_bytes()
    assert manifest["file"]["bytes"] == len(raw)
    assert manifest["file"]["sha256"] == hashlib.sha256(raw).hexdigest()
    assert manifest["licence"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert manifest["counts"] == {
        "topic": 1,
        "source": 1,
        "actor": 2,
        "tie": 1,
        "event": 1,
        "agreement": 1,
        "citation": 2,
    }
    assert "Wrote 9 records" in message
    records = _lines(gzip.decompress(raw))
    assert manifest["file"]["uncompressed_bytes"] == len(gzip.decompress(raw))
    # In dependency order: what a citation links to comes before it.
    assert [r["type"] for r in records] == [
        "topic",
        "source",
        "actor",
        "actor",
        "tie",
        "event",
        "agreement",
        "citation",
        "citation",
    ]
    by_type = _by_type(records)
    (event,) = by_type["event"]
    assert event["slug"] == "visit-to-moscow"
    assert [p["actor"]["slug"] for p in event["participants"]] == ["russia"]
    assert event["agreements"] == [dataset["deal"].pk]  # the draft one is not named
    assert set(event["participants"][0]["actor"]) == {
        "id",
        "slug",
        "name",
        "kind",
        "url",
        "page_url",
    }
    (agreement,) = by_type["agreement"]
    assert agreement["events"] == [dataset["visit"].pk]
    assert {r["slug"] for r in by_type["actor"]} == {"russia", "iraq"}
    (tie,) = by_type["tie"]
    assert tie["subject"] == {"id": dataset["russia"].pk, "slug": "russia"}
    quotes = {c["quote"]: c for c in by_type["citation"]}
    assert set(quotes) == {"The minister arrived in Moscow.", "The contract was signed."}
    assert quotes["The contract was signed."]["record"] == {
        "type": "agreement",
        "id": dataset["deal"].pk,
    }
    assert quotes["The contract was signed."]["source"] == dataset["report"].pk
    assert "Unpublished" not in gzip.decompress(raw).decode()


def test_a_new_build_replaces_the_manifest_and_keeps_only_the_previous_build(dump_dir, dataset):
    _build()
    first = _manifest(dump_dir)["build"]
    f.event(title="Another visit")
    _build()
    second = _manifest(dump_dir)
    assert second["counts"]["event"] == 2
    assert sorted(p.name for p in dump_dir.iterdir() if p.is_dir()) == [first, second["build"]]
    _build()
    third = _manifest(dump_dir)["build"]
    assert sorted(p.name for p in dump_dir.iterdir()) == sorted(
        [second["build"], third, "manifest.json"]
    )


def test_build_dump_refuses_a_bad_compression_level(dump_dir):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("build_dump", "--compresslevel", "12")


def test_build_dump_says_so_when_it_cannot_write(settings, tmp_path):
    from django.core.management.base import CommandError

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.DUMP_DIR = blocker / "dumps"
    with pytest.raises(CommandError, match="Could not write the dump"):
        call_command("build_dump")


# --- serving it ---------------------------------------------------------------------------------


def test_the_unfiltered_export_redirects_to_the_prepared_dump(client, dump_dir, dataset):
    _build()
    manifest = _manifest(dump_dir)
    response = client.get("/api/v1/export/")
    assert response.status_code == 302
    expected = f"http://testserver/api/v1/export/dump/{manifest['build']}/ruiraq.jsonl.gz"
    assert response["Location"] == expected
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'

    download = client.get(response["Location"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/gzip"
    assert "immutable" in download["Cache-Control"]
    assert "ruiraq-" in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == manifest["file"]["sha256"]


def test_the_dump_manifest_names_its_file(client, dump_dir, dataset):
    _build()
    data = client.get("/api/v1/export/dump/").json()
    assert data["counts"]["citation"] == 2
    assert data["url"].endswith(f"/api/v1/export/dump/{data['build']}/ruiraq.jsonl.gz")
    assert "path" not in data


def test_without_a_dump_the_manifest_is_a_404_and_the_export_streams(client, dump_dir, dataset):
    missing = client.get("/api/v1/export/dump/")
    assert missing.status_code == 404
    assert "build_dump" in missing.json()["detail"]
    response = client.get("/api/v1/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    records = _lines(b"".join(response.streaming_content))
    assert len(records) == 9


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/export/dump/20991231T000000000000Z/ruiraq.jsonl.gz",  # no such build
        "/api/v1/export/dump/{build}/manifest.json",  # not the dump's file
        "/api/v1/export/dump/latest/ruiraq.jsonl.gz",
    ],
)
def test_no_other_file_is_served(client, dump_dir, dataset, path):
    _build()
    response = client.get(path.format(build=_manifest(dump_dir)["build"]))
    assert response.status_code == 404


# --- the filtered, streamed export ------------------------------------------------------------


def test_a_filtered_export_streams_only_the_types_asked(client, dump_dir, dataset):
    _build()  # a dump exists, but a filtered export is not the dump
    response = client.get("/api/v1/export/", {"type": ["event", "citation"]})
    assert response.status_code == 200
    records = _lines(b"".join(response.streaming_content))
    assert [r["type"] for r in records] == ["event", "citation", "citation"]


def test_updated_since_keeps_the_records_changed_since_and_their_citations(client, dataset):
    cutoff = timezone.now() + dt.timedelta(minutes=5)
    Event.objects.filter(pk=dataset["visit"].pk).update(updated_at=cutoff)
    response = client.get("/api/v1/export/", {"updated_since": cutoff.isoformat()})
    records = _lines(b"".join(response.streaming_content))
    assert [(r["type"], r.get("slug") or r.get("quote")) for r in records] == [
        ("topic", "energy"),  # topics have no date: they come whole
        ("event", "visit-to-moscow"),
        ("citation", "The minister arrived in Moscow."),
    ]


def test_a_selection_too_large_to_stream_points_at_the_dump(client, settings, dataset):
    settings.EXPORT_STREAM_LIMIT = 2
    response = client.get("/api/v1/export/", {"type": "citation"})
    assert response.status_code == 200  # two citations: within the limit
    response = client.get("/api/v1/export/", {"type": ["event", "citation"]})
    assert response.status_code == 400
    (message,) = response.json()["type"]
    assert "3 records" in message and "http://testserver/api/v1/export/dump/" in message


@pytest.mark.parametrize(
    "query, parameter",
    [
        ({"type": "person"}, "type"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"updated_since": "2019-13-45T00:00:00Z"}, "updated_since"),
    ],
)
def test_bad_export_parameters_are_a_400_naming_them(client, query, parameter):
    response = client.get("/api/v1/export/", query)
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_the_streamed_export_reads_a_fixed_number_of_queries(
    client, dataset, django_assert_num_queries
):
    for n in range(30):
        event = f.event(title=f"Meeting {n}")
        f.participant(event, dataset["russia"])
    # The count (one), then the events (one chunk: the rows, their topics, their participants
    # with actors, their agreements) and the end of the chunks (one query finding nothing).
    with django_assert_num_queries(6):
        response = client.get("/api/v1/export/", {"type": "event"})
        records = _lines(b"".join(response.streaming_content))
    assert len(records) == 31


# --- cursor pagination --------------------------------------------------------------------------


def _walk(client, url, insert_after_first_page=()):
    seen = []
    first = True
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        data = response.json()
        assert "count" not in data
        seen += [row["id"] for row in data["results"]]
        if first:
            for title in insert_after_first_page:
                f.event(title=title)
            first = False
        url = data["next"]
    return seen


def test_a_cursor_walk_sees_every_record_exactly_once_with_rows_added_midway(client):
    before = [f.event(title=f"Talks {n}").pk for n in range(23)]
    seen = _walk(
        client,
        "/api/v1/events/?pagination=cursor&page_size=5",
        insert_after_first_page=["Added while walking 1", "Added while walking 2"],
    )
    added = list(Event.objects.filter(title__startswith="Added").values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 25
    assert set(seen) == set(before) | set(added)


def test_a_cursor_walk_keeps_its_filters_and_sends_a_link_header(client):
    for n in range(4):
        f.event(title=f"Iraq {n}", country="IQ")
    f.event(title="Elsewhere", country="RU")
    response = client.get(
        "/api/v1/events/", {"pagination": "cursor", "page_size": 3, "country": "IQ"}
    )
    data = response.json()
    assert len(data["results"]) == 3 and data["previous"] is None
    assert "country=IQ" in data["next"] and "cursor=" in data["next"]
    assert response["Link"] == (
        f'<{data["next"]}>; rel="next", '
        '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    )
    following = client.get(data["next"]).json()
    assert [row["title"] for row in following["results"]] == ["Iraq 3"]
    assert following["next"] is None and following["previous"]


def test_a_cursor_page_reads_no_count(client, django_assert_num_queries):
    for n in range(30):
        f.participant(f.event(title=f"Talks {n}"), f.actor())
    # The page of events, their topics, their participants with actors: no COUNT(*).
    with django_assert_num_queries(3):
        response = client.get("/api/v1/events/", {"pagination": "cursor", "page_size": 20})
    assert len(response.json()["results"]) == 20


def test_a_cursor_walk_works_for_csv_too(client):
    for n in range(3):
        f.event(title=f"Talks {n}")
    response = client.get(
        "/api/v1/events/", {"pagination": "cursor", "page_size": 2, "format": "csv"}
    )
    assert response.status_code == 200
    assert len(response.content.decode().strip().splitlines()) == 3  # a header and two rows
    assert 'rel="next"' in response["Link"]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"pagination": "cursor", "page": "2"}, "page"),
        ({"pagination": "offset"}, "pagination"),
        ({"pagination": "page", "cursor": "cD01"}, "cursor"),
        ({"pagination": "cursor", "page_size": "500"}, "page_size"),
    ],
)
def test_bad_cursor_parameters_are_a_400_naming_them(client, query, parameter):
    response = client.get("/api/v1/events/", query)
    assert response.status_code == 400
    assert parameter in response.json()
