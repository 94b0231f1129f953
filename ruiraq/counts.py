"""
How many records of each kind are published, kept by the database rather than counted.

The public lists head their results with the number of public records ("95,008 events")
and page-number pagination needs it for the last page, so every unfiltered list page and
API list counted them: an index-only scan of every published row, 6-12 ms of PostgreSQL at
100,000 events and ten times that at 1,000,000, on every page read. Here each kind keeps its
count in one row of ``ruiraq_published_count``, changed in the same transaction as the rows
themselves by database triggers, so no path that changes a record's status (the admin, a
queryset's ``update()``, a bulk insert, raw SQL, a restore) can miss it:

- PostgreSQL: statement-level triggers with transition tables (one update of the count per
  statement, however many rows it changes: a bulk insert of 2,000 events is one), and a
  TRUNCATE trigger that resets it.
- SQLite: row-level triggers (it has no other kind).

A transaction that changes a kind's count holds that count's row until it ends, so another
one changing the same kind's count waits for it: an editor publishing an event during an
import of events waits for the import (seconds), or during ``generate_synthetic`` for the
whole run. Changes that leave the count as it was (an edit, a draft saved) update nothing.

The triggers and the counts are (re)installed after every ``migrate`` (``install``, wired in
``ruiraq.apps``): SQLite drops a table's triggers when a migration rebuilds the table, and
a new model gets its count without a migration of its own. The table is not a Django model,
so a test database's flush leaves it to the triggers (PostgreSQL's TRUNCATE, SQLite's
DELETE) rather than emptying it behind their back.

Only the kinds whose ``public()`` is the editorial status alone are kept
(ruiraq.models.kept_count_models): a tie is public when its actors are too, which a count
of its own rows cannot know. ``EditorialQuerySet.count()`` reads the count for a queryset of
every public record (``published``) and counts anything narrower as before.
"""

from django.db import connections, router, transaction

TABLE = "ruiraq_published_count"
#: The status counted: EditorialStatus.PUBLISHED (not imported: ruiraq.models imports this;
#: a test holds them equal).
PUBLISHED = "published"


def published(model, using):
    """The number of ``model``'s published records on database ``using``, or None when no
    count is kept for it there (a model ``install`` was not given). The table itself is made
    by ``migrate``, which every deployment runs."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT published FROM {TABLE} WHERE label = %s", [model._meta.label])
        row = cursor.fetchone()
    return None if row is None else row[0]


def install(models, using="default"):
    """Create the count table, the triggers of each of ``models`` (whose published records
    are their public ones: ruiraq.models.kept_count_models), and its count from its rows.
    Idempotent; one COUNT per kind."""
    connection = connections[using]
    if connection.vendor not in _TRIGGERS:
        return
    models = [model for model in models if router.allow_migrate_model(using, model)]
    # One transaction: creating a trigger locks its table against writes until the count
    # below is committed, so a row written meanwhile is counted once, by the count or by
    # the trigger.
    with transaction.atomic(using), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} "
            "(label varchar(100) NOT NULL PRIMARY KEY, published bigint NOT NULL)"
        )
        for statement in _FUNCTIONS.get(connection.vendor, ()):
            cursor.execute(statement)
        for model in models:
            table = model._meta.db_table
            for statement in _TRIGGERS[connection.vendor](table, model._meta.label):
                cursor.execute(statement)
            cursor.execute(
                f"INSERT INTO {TABLE} (label, published) "
                f"SELECT %s, COUNT(*) FROM {connection.ops.quote_name(table)} WHERE status = %s "
                "ON CONFLICT (label) DO UPDATE SET published = excluded.published",
                [model._meta.label, PUBLISHED],
            )


# --- PostgreSQL --------------------------------------------------------------------------

_POSTGRESQL_FUNCTIONS = [
    # TG_ARGV[0] is the model's label. Transition tables are named alike in every trigger.
    f"""
    CREATE OR REPLACE FUNCTION ruiraq_count_published() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        delta bigint := 0;
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            UPDATE {TABLE} SET published = 0 WHERE label = TG_ARGV[0];
            RETURN NULL;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            delta := delta + (SELECT count(*) FROM new_rows WHERE status = '{PUBLISHED}');
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            delta := delta - (SELECT count(*) FROM old_rows WHERE status = '{PUBLISHED}');
        END IF;
        IF delta <> 0 THEN
            UPDATE {TABLE} SET published = published + delta WHERE label = TG_ARGV[0];
        END IF;
        RETURN NULL;
    END
    $$
    """,
]


def _postgresql_triggers(table, label):
    label = label.replace("'", "''")
    quoted = f'"{table}"'
    events = {
        "insert": f"AFTER INSERT ON {quoted} REFERENCING NEW TABLE AS new_rows",
        "update": (
            f"AFTER UPDATE ON {quoted} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
        ),
        "delete": f"AFTER DELETE ON {quoted} REFERENCING OLD TABLE AS old_rows",
        "truncate": f"AFTER TRUNCATE ON {quoted}",
    }
    return [
        f'CREATE OR REPLACE TRIGGER "{table}_published_{name}" {when} '
        f"FOR EACH STATEMENT EXECUTE FUNCTION ruiraq_count_published('{label}')"
        for name, when in events.items()
    ]


# --- SQLite ------------------------------------------------------------------------------


def _sqlite_triggers(table, label):
    label = label.replace("'", "''")
    change = f"UPDATE {TABLE} SET published = published + ({{delta}}) WHERE label = '{label}'"
    is_published = "{row}.status = '" + PUBLISHED + "'"
    new, old = is_published.format(row="NEW"), is_published.format(row="OLD")
    triggers = {
        "insert": (f'AFTER INSERT ON "{table}" WHEN {new}', "1"),
        "delete": (f'AFTER DELETE ON "{table}" WHEN {old}', "-1"),
        "update": (
            f'AFTER UPDATE OF status ON "{table}" WHEN ({old}) <> ({new})',
            f"CASE WHEN {new} THEN 1 ELSE -1 END",
        ),
    }
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{table}_published_{name}" {when} '
        f"BEGIN {change.format(delta=delta)}; END"
        for name, (when, delta) in triggers.items()
    ]


_FUNCTIONS = {"postgresql": _POSTGRESQL_FUNCTIONS}
_TRIGGERS = {"postgresql": _postgresql_triggers, "sqlite": _sqlite_triggers}
