"""``manage.py loadtest --cold-path``: which addresses the long-tail benchmark rotates over.
The runs themselves need gunicorn and wrk and are exercised by ``make smoke``; here, the
paths it would load (``--list-paths``) must be many different, existing, public pages."""

import datetime as dt
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command

from ruiraq.models import EditorialStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def _paths(capsys, *args):
    call_command("loadtest", "--cold-path", "--list-paths", *args)
    by_case = defaultdict(list)
    for line in capsys.readouterr().out.splitlines():
        case, path = line.split("\t")
        by_case[case].append(path)
    return by_case


@pytest.fixture
def events():
    topic = f.topic(name="Energy", slug="energy")
    made = []
    for i in range(30):
        event = f.event(title=f"Visit {i}", start_date=dt.date(2010 + i % 3, 1, 1))
        event.topics.set([topic])
        f.citation(event, stance="supports")
        made.append(event)
    f.event(title="Hidden draft", status=EditorialStatus.DRAFT)
    return made


def test_cold_path_rotates_over_different_published_records(capsys, events, client):
    by_case = _paths(capsys, "--rotate", "10")
    assert by_case["floor"] == ["/healthz"]
    assert len(set(by_case["event-page"])) == 10
    assert len(set(by_case["api-event"])) == 10
    # Spread over the whole table, not its first rows.
    assert by_case["event-page"][-1] != events[9].get_absolute_url()
    assert all("hidden-draft" not in path for path in by_case["event-page"])
    assert "/events/?topic=energy" in by_case["event-list"]
    assert "/events/?year_from=2011&year_to=2011" in by_case["event-list"]
    # Every address answers: the run would count anything else as an error.
    for case in ("event-page", "api-event", "event-list", "api-list"):
        for path in by_case[case][:5]:
            assert client.get(path).status_code == 200, path


def test_cold_path_takes_every_record_when_there_are_fewer(capsys, events):
    by_case = _paths(capsys)
    assert len(by_case["event-page"]) == 30


def test_cold_path_reaches_the_last_page_of_the_list(capsys, events, client):
    # 30 published events, 20 a page: the list has two pages, and the rotation takes both.
    pages = [p for p in _paths(capsys)["event-list"] if p.startswith("/events/?page=")]
    assert pages == ["/events/?page=1", "/events/?page=2"]
    last = client.get("/events/?page=2")
    assert last.status_code == 200
    assert len(last.context["page_obj"].object_list) == 10


@pytest.mark.parametrize(
    "args, message",
    [
        (["--rotate", "0"], "--rotate"),
        (["--scenarios", "event-page,nonsense"], "unknown scenarios: nonsense"),
    ],
)
def test_cold_path_refuses_bad_options(events, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("loadtest", "--cold-path", "--list-paths", *args)


def test_cold_path_without_published_events_is_an_error():
    with pytest.raises(CommandError, match="No published events"):
        call_command("loadtest", "--cold-path", "--list-paths")
