"""A backup of the seed dataset, history included, restores completely into an empty database."""

import sqlite3
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from actors.models import Actor, Tie
from articles.models import Agreement, Citation, Event, Source
from ruiraq.seed.loader import load_seed

MODELS = [Actor, Tie, Event, Agreement, Source, Citation]


def _expected_counts():
    counts = {m._meta.db_table: m.objects.count() for m in MODELS}
    counts.update({m.history.model._meta.db_table: m.history.count() for m in MODELS})
    return counts


def _count_rows(cursor, tables):
    result = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # table names are our own
        result[table] = cursor.fetchone()[0]
    return result


@pytest.fixture
def seeded_committed(transactional_db):
    """The seed, committed: pg_dump reads from another connection."""
    load_seed()
    Event.objects.filter(slug="hakim-visit-moscow-2019").update(title="Edited title")
    event = Event.objects.get(slug="hakim-visit-moscow-2019")
    event.title = "Edited again"
    event.save()  # a second history row for one record
    return _expected_counts()


def test_backup_and_restore_into_an_empty_database(seeded_committed, tmp_path):
    expected = seeded_committed
    assert all(expected.values())
    backup_file = tmp_path / "backup.bin"
    call_command("backup", output=str(backup_file), stdout=open("/dev/null", "w"))
    assert backup_file.stat().st_size > 0

    if connection.vendor == "sqlite":
        target = tmp_path / "restored.sqlite3"
        call_command(
            "restore",
            str(backup_file),
            database_url=f"sqlite:///{target}",
            yes=True,
            stdout=open("/dev/null", "w"),
        )
        with sqlite3.connect(target) as restored:
            assert _count_rows(restored.cursor(), expected) == expected
    else:
        import psycopg

        settings_dict = connection.settings_dict
        name = f"ruiraq_restore_{uuid.uuid4().hex[:8]}"
        admin_dsn = (
            f"host={settings_dict['HOST'] or 'localhost'} "
            f"port={settings_dict['PORT'] or 5432} user={settings_dict['USER']} "
            "dbname=postgres"
        )
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            url = (
                f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or 'localhost'}:"
                f"{settings_dict['PORT'] or 5432}/{name}"
            )
            call_command(
                "restore",
                str(backup_file),
                database_url=url,
                yes=True,
                stdout=open("/dev/null", "w"),
            )
            with psycopg.connect(admin_dsn.replace("dbname=postgres", f"dbname={name}")) as db:
                assert _count_rows(db.cursor(), expected) == expected
        finally:
            with psycopg.connect(admin_dsn, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_restore_needs_confirmation_and_a_real_backup(db, tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "missing"), yes=True)
    junk = tmp_path / "junk"
    junk.write_bytes(b"this is not a backup")
    with pytest.raises(CommandError):
        call_command(
            "restore",
            str(junk),
            yes=True,
            database_url=f"sqlite:///{tmp_path / 'target.sqlite3'}"
            if connection.vendor == "sqlite"
            else None,
        )
    assert Event.objects.count() == 0


def test_a_restore_replaces_the_public_cache_content_version(db, tmp_path, monkeypatch):
    """Pages cached before a restore (in Redis, or under a restored token) are never served
    after it (issue 19, item 1)."""
    from django.core.management import call_command

    from ruiraq import cache
    from ruiraq.management.commands import restore

    monkeypatch.setattr(restore, "restore", lambda path, database_url: None)
    before = cache.content_version()
    call_command("restore", str(tmp_path / "any.sqlite3"), yes=True)
    assert cache.content_version() != before


def test_restore_into_the_running_database_brings_back_what_changed(seeded_committed, tmp_path):
    """`make restore` as an operator runs it: no target named, so the configured database,
    the one the site is using, is replaced by the backup."""
    expected = seeded_committed
    backup_file = tmp_path / "backup.bin"
    call_command("backup", output=str(backup_file), stdout=open("/dev/null", "w"))
    Event.objects.filter(slug="hakim-visit-moscow-2019").update(title="Vandalised")
    Citation.objects.filter(event__slug="hakim-visit-moscow-2019").delete()
    Event.objects.exclude(slug="hakim-visit-moscow-2019").filter(citations=None).delete()
    assert Event.objects.get(slug="hakim-visit-moscow-2019").title == "Vandalised"

    call_command("restore", str(backup_file), yes=True, stdout=open("/dev/null", "w"))

    assert Event.objects.get(slug="hakim-visit-moscow-2019").title == "Edited again"
    with connection.cursor() as cursor:
        assert _count_rows(cursor, expected) == expected
    # The kept number of published events (ruiraq.counts) is the restored one.
    assert Event.objects.public().count() == len(Event.objects.public().values_list("pk"))


def test_a_backup_failing_its_integrity_check_is_refused(db, tmp_path):
    """A SQLite file that opens but whose index no longer matches its table (a torn copy, a
    bad disk) is refused before anything is overwritten."""
    broken = tmp_path / "broken.sqlite3"
    with sqlite3.connect(broken) as made:
        made.execute("CREATE TABLE t (a INTEGER, b INTEGER)")
        made.execute("CREATE INDEX t_a ON t (a)")
        made.executemany("INSERT INTO t VALUES (?, ?)", [(i, 1000 - i) for i in range(200)])
        # The index now claims to be over b: its entries no longer match the rows.
        made.execute("PRAGMA writable_schema = ON")
        made.execute(
            "UPDATE sqlite_master SET sql = 'CREATE INDEX t_a ON t (b)' WHERE name = 't_a'"
        )
    made.close()
    target = tmp_path / "target.sqlite3"
    with sqlite3.connect(target) as untouched:
        untouched.execute("CREATE TABLE kept (x)")
    untouched.close()

    with pytest.raises(CommandError, match="is not a sound SQLite database"):
        call_command("restore", str(broken), yes=True, database_url=f"sqlite:///{target}")

    with sqlite3.connect(target) as after:
        tables = [row[0] for row in after.execute("SELECT name FROM sqlite_master")]
    assert tables == ["kept"]
