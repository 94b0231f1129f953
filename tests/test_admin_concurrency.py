"""No lost updates: when two editors open the same record and both save, the second save is
refused with a message naming the conflict and a link to reload; the first one's work stays.
Holds for the inline rows too."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_editor(editor):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("second", "second@example.org", "pw-staff-1234")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    return client


def _url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def _open(client, record):
    """What the editor's browser holds after opening the change page."""
    return form_data(client.get(_url(record)), f"{record._meta.model_name}_form")


def _page_errors(response):
    context = response.context
    errors = [str(e) for e in context["errors"]]
    for inline in context.get("inline_admin_formsets", []):
        errors += [str(e) for e in inline.formset.non_form_errors()]
    return " ".join(errors)


def test_second_save_of_the_record_is_refused_and_the_first_survives(editor_client, second_editor):
    event = factories.event(title="Talks", place="Moscow", status="draft")
    first, second = _open(editor_client, event), _open(second_editor, event)

    first["title"] = "Talks in Moscow"
    assert editor_client.post(_url(event), first).status_code == 302

    second["place"] = "Baghdad"
    response = second_editor.post(_url(event), second)
    assert response.status_code == 200
    message = _page_errors(response)
    assert "Edit conflict" in message
    assert "saved by editor" in message  # names who saved it
    assert f'href="{_url(event)}"' in message  # and how to reload
    event.refresh_from_db()
    assert (event.title, event.place) == ("Talks in Moscow", "Moscow")

    # Reloading gives the current version, which saves.
    reloaded = _open(second_editor, event)
    reloaded["place"] = "Baghdad"
    assert second_editor.post(_url(event), reloaded).status_code == 302
    event.refresh_from_db()
    assert (event.title, event.place) == ("Talks in Moscow", "Baghdad")


def test_second_save_of_an_inline_row_is_refused(editor_client, second_editor):
    event = factories.event(status="draft")
    participant = factories.participant(event, factories.actor(), role="host")
    first, second = _open(editor_client, event), _open(second_editor, event)
    assert first["participants-0-id"] == str(participant.pk)

    first["participants-0-note"] = "head of delegation"
    assert editor_client.post(_url(event), first).status_code == 302

    second["participants-0-role"] = "guest"
    response = second_editor.post(_url(event), second)
    assert response.status_code == 200
    assert "Edit conflict" in _page_errors(response)
    participant.refresh_from_db()
    assert (participant.role, participant.note) == ("host", "head of delegation")


def test_an_inline_row_changed_on_its_own_page_is_not_overwritten(editor_client, second_editor):
    """The citation is edited on the citation page while the event page is open."""
    event = factories.event(status="draft")
    citation = factories.citation(event, quote="First quote.")
    on_event_page = _open(editor_client, event)

    on_citation_page = _open(second_editor, citation)
    on_citation_page["locator"] = "paragraph 4"
    assert second_editor.post(_url(citation), on_citation_page).status_code == 302

    on_event_page["citations-0-quote"] = "Overwritten quote."
    response = editor_client.post(_url(event), on_event_page)
    assert response.status_code == 200
    assert "Edit conflict" in _page_errors(response)
    assert "citation" in _page_errors(response)
    citation.refresh_from_db()
    assert (citation.quote, citation.locator) == ("First quote.", "paragraph 4")


def test_second_save_on_the_citation_page_itself_is_refused(editor_client, second_editor):
    """The citation page's own version check, not the record page's inline one."""
    event = factories.event(title="Talks", status="draft")
    citation = factories.citation(event, quote="First quote.", locator="paragraph 1")
    first, second = _open(editor_client, citation), _open(second_editor, citation)

    first["locator"] = "paragraph 4"
    assert editor_client.post(_url(citation), first).status_code == 302

    second["quote"] = "Overwritten quote."
    response = second_editor.post(_url(citation), second)
    assert response.status_code == 200
    message = _page_errors(response)
    assert "Edit conflict" in message and "saved by editor" in message
    assert f'href="{_url(citation)}"' in message
    citation.refresh_from_db()
    assert (citation.quote, citation.locator) == ("First quote.", "paragraph 4")

    reloaded = _open(second_editor, citation)
    reloaded["quote"] = "Second quote."
    assert second_editor.post(_url(citation), reloaded).status_code == 302
    citation.refresh_from_db()
    assert (citation.quote, citation.locator) == ("Second quote.", "paragraph 4")


def test_adding_rows_while_someone_saved_the_record_is_refused(editor_client, second_editor):
    """A parent-level check: the record's version changes with every save of its page."""
    actor = factories.actor(name="Sergey Lavrov", status="draft")
    first, second = _open(editor_client, actor), _open(second_editor, actor)
    first["description"] = "Foreign minister"
    assert editor_client.post(_url(actor), first).status_code == 302
    second["aliases-0-name"] = "Sergei Lavrov"
    response = second_editor.post(_url(actor), second)
    assert "Edit conflict" in _page_errors(response)
    assert not actor.aliases.exists()


def test_a_tampered_version_is_refused_not_a_server_error(editor_client):
    event = factories.event(title="Talks", status="draft")
    data = _open(editor_client, event)
    data["title"] = "Changed"
    for version in ("", "12", "not-a-version"):
        data["version"] = version
        response = editor_client.post(_url(event), data)
        assert response.status_code == 200
    event.refresh_from_db()
    assert event.title == "Talks"


def test_seed_loading_saves_what_it_just_read(seeded):
    """The loader fetches then saves; versions do not get in its way (see test_seed)."""
    from ruiraq.seed.loader import load_seed

    # A second load reads every record and finds nothing to change: no conflict, no save.
    assert load_seed() == {}


def test_a_save_racing_past_the_form_check_is_refused_by_the_database(
    editor_client, second_editor, monkeypatch
):
    """Both check the version before saving; the UPDATE … WHERE version is the last guard."""
    from ruiraq.forms import EditorialForm

    event = factories.event(title="Talks", status="draft")
    stale_version = event.version
    first, second = _open(editor_client, event), _open(second_editor, event)
    first["title"] = "Talks in Moscow"
    assert editor_client.post(_url(event), first).status_code == 302
    # The second save passes the form's check as if it had run just before the first save.
    monkeypatch.setattr(
        EditorialForm, "_stored", property(lambda self: (self.instance.status, stale_version))
    )
    second["place"] = "Baghdad"
    second["participants-0-actor"] = str(factories.actor().pk)
    response = second_editor.post(_url(event), second, follow=True)
    assert "Edit conflict" in response.content.decode()
    event.refresh_from_db()
    assert (event.title, event.place, event.participants.count()) == ("Talks in Moscow", "", 0)


# --- SQLite with several writers --------------------------------------------------------------

_sqlite_only = pytest.mark.skipif(
    "sqlite" not in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
    reason="SQLite's locking",
)


def _sqlite_connection(path):
    """A connection configured as the site's (settings OPTIONS) to the file ``path``."""
    from django.db import connections
    from django.db.backends.sqlite3.base import DatabaseWrapper

    return DatabaseWrapper({**connections.settings["default"], "NAME": str(path)}, alias="other")


@_sqlite_only
def test_sqlite_is_set_up_for_concurrent_writers(tmp_path):
    connection = _sqlite_connection(tmp_path / "site.sqlite3")
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 10_000
    assert connection.transaction_mode == "IMMEDIATE"
    connection.close()


@_sqlite_only
def test_two_sqlite_saves_at_once_wait_for_each_other_instead_of_failing(tmp_path):
    """Each reads then writes, as a form save does. In SQLite's default (deferred)
    transactions the second writer's read lock cannot become a write lock while the first
    holds one, and it failed at once with "database is locked"."""
    import threading

    path = tmp_path / "site.sqlite3"
    setup = _sqlite_connection(path)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE record (id INTEGER PRIMARY KEY, n INTEGER)")
        cursor.execute("INSERT INTO record VALUES (1, 0)")
    setup.close()

    first_has_read, errors = threading.Event(), []

    def save(wait_for_other):
        connection = _sqlite_connection(path)
        try:
            with _atomic(connection):
                with connection.cursor() as cursor:
                    n = cursor.execute("SELECT n FROM record WHERE id = 1").fetchone()[0]
                    first_has_read.set()
                    if wait_for_other:
                        threading.Event().wait(0.3)
                    cursor.execute("UPDATE record SET n = %s WHERE id = 1", [n + 1])
        except Exception as exc:  # recorded: the assertion below names it
            errors.append(exc)
        finally:
            connection.close()

    slow = threading.Thread(target=save, args=(True,))
    slow.start()
    first_has_read.wait(5)
    save(False)
    slow.join(10)
    assert errors == []
    check = _sqlite_connection(path)
    with check.cursor() as cursor:
        # Neither increment was lost: the second writer waited and read the first one's.
        assert cursor.execute("SELECT n FROM record").fetchone() == (2,)
    check.close()


def _atomic(connection):
    """A transaction on ``connection`` begun as transaction.atomic() begins one (SQLite: BEGIN
    in the configured transaction mode)."""
    import contextlib

    @contextlib.contextmanager
    def block():
        connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        try:
            yield
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            connection.set_autocommit(True)

    return block()


def test_a_save_that_outlasts_the_lock_timeout_is_an_edit_conflict(editor_client, monkeypatch):
    from django.db import OperationalError

    from articles.models import Event

    event = factories.event(title="Talks", status="draft")
    data = _open(editor_client, event)
    data["title"] = "Talks in Moscow"

    def locked(self, *args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(Event, "save", locked)
    response = editor_client.post(_url(event), data, follow=True)
    assert response.status_code == 200
    assert "Edit conflict" in response.content.decode()
    monkeypatch.undo()
    event.refresh_from_db()
    assert event.title == "Talks"


# --- one link, two pages: an event's agreements and an agreement's related events --------------


def test_a_link_added_on_the_agreements_page_is_not_undone_by_a_stale_event_form(
    editor_client, second_editor
):
    event = factories.event(title="Talks", status="draft")
    agreement = factories.agreement(title="Arms deal", status="draft")
    stale_event_form = _open(editor_client, event)

    # A colleague links the event from the agreement's page ("related events").
    data = _open(second_editor, agreement)
    prefix = "Event_agreements"
    data[f"{prefix}-TOTAL_FORMS"] = "1"
    data[f"{prefix}-0-event"] = str(event.pk)
    assert second_editor.post(_url(agreement), data).status_code == 302
    assert list(event.agreements.all()) == [agreement]

    stale_event_form["place"] = "Baghdad"
    response = editor_client.post(_url(event), stale_event_form)
    assert response.status_code == 200
    assert "Edit conflict" in _page_errors(response)
    assert list(event.agreements.all()) == [agreement]


def test_a_link_removed_from_the_agreement_side_also_versions_the_event():
    event = factories.event(title="Talks", status="draft")
    agreement = factories.agreement(title="Arms deal", status="draft")
    agreement.events.add(event)
    added = type(event).objects.get(pk=event.pk).version
    assert added > event.version
    agreement.events.clear()
    assert type(event).objects.get(pk=event.pk).version > added


def test_the_event_form_still_saves_its_own_agreements(editor_client):
    event = factories.event(title="Talks", status="draft")
    agreement = factories.agreement(title="Arms deal", status="draft")
    data = _open(editor_client, event)
    data["agreements"] = [str(agreement.pk)]
    assert editor_client.post(_url(event), data).status_code == 302
    assert list(event.agreements.all()) == [agreement]
    data = _open(editor_client, event)  # no conflict with itself on the next save
    data["place"] = "Moscow"
    assert editor_client.post(_url(event), data).status_code == 302
