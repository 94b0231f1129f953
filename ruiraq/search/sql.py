"""
PostgreSQL-only SQL of search: the generated ``search_vector`` and ``search_title_vector``
columns and their GIN indexes, the trigram indexes on names, and the migration operation that
runs SQL on PostgreSQL only.
"""

from django.db import connections, migrations
from django.db.models.expressions import Col, Expression

#: The text search configuration the search_vector column and the queries use (made by the
#: actors app's search migration).
TEXT_SEARCH_CONFIG = "ruiraq"

#: How much of a document's title the index of its start holds (``title_start_index_sql``):
#: enough for the first line, a record's own name or English title.
TITLE_START_LENGTH = 200


def is_postgresql(queryset):
    """Whether ``queryset`` runs on PostgreSQL (full-text and trigram search) or not."""
    return connections[queryset.db].vendor == "postgresql"


class TableSQL(Expression):
    """PostgreSQL-only SQL over the queried model's table, written as a template that names
    the table ``{t}``: ``TableSQL('{t}."search_vector" @@ to_tsquery(%s)', [text],
    BooleanField())`` filters, a ``FloatField`` one annotates.

    Search's conditions and rank are written as SQL (``matching``): built as Django
    expression trees, resolving and compiling the four ranked queries of one search took
    longer in Python (about 9 ms at 100,000 events) than PostgreSQL took to run them.

    ``{t}`` is the alias of the table's primary key column, a ``Col`` (Django's own column
    reference, undocumented: no public expression serves here) taken when the expression is
    resolved: Django relabels it with the query when the query becomes a subquery
    (``pk__in=...`` aliases the inner table U0), where a ``RawSQL`` naming the table would
    stay on the outer one and silently correlate. tests/test_search_postgres.py covers both
    shapes. The template's own ``%`` (the trigram operator) is written ``%%``.
    """

    def __init__(self, template, params=(), output_field=None):
        super().__init__(output_field=output_field)
        self.template = template
        self.params = tuple(params)
        self.table = None

    @property
    def identity(self):
        return (type(self), self.template, self.params, self.table)

    def get_source_expressions(self):
        return [] if self.table is None else [self.table]

    def set_source_expressions(self, exprs):
        (self.table,) = exprs or (None,)

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        if self.table is not None:  # resolved once, on its own query
            return self
        resolved = self.copy()
        resolved.table = Col(query.get_initial_alias(), query.model._meta.pk)
        return resolved

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.table.alias)
        return f"({self.template.format(t=table)})", list(self.params)


# --- migrations -------------------------------------------------------------------------------


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL and does nothing elsewhere (SQLite has no GIN, no
    pg_trgm, no text search configurations)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def vector_column_sql(table):
    """SQL adding the generated, GIN-indexed ``search_vector`` column to ``table`` (and back)."""
    forward = f"""
        ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, search_title), 'A')
            || setweight(to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, search_text), 'B')
        ) STORED;
        CREATE INDEX {table}_search_idx ON {table} USING gin (search_vector);
    """
    backward = f"ALTER TABLE {table} DROP COLUMN search_vector;"
    return forward, backward


def title_vector_column_sql(table):
    """SQL adding the generated, GIN-indexed ``search_title_vector`` column to ``table``: the
    title part of the document alone (names, aliases, titles in every script).

    ``search_vector`` holds the same words at weight A, but a query for "title words only"
    against it (``'maliki':*A``) reads the whole document's index and its row estimate is
    the whole document's: PostgreSQL then scanned every source for a name (45 ms at 20,000
    sources) where this column's own index and statistics take under 1 ms.
    """
    forward = f"""
        ALTER TABLE {table} ADD COLUMN search_title_vector tsvector GENERATED ALWAYS AS (
            to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, search_title)
        ) STORED;
        CREATE INDEX {table}_title_search_idx ON {table} USING gin (search_title_vector);
    """
    backward = f"ALTER TABLE {table} DROP COLUMN search_title_vector;"
    return forward, backward


def trigram_index_sql(table, column):
    """A trigram GIN index on ``UPPER(column)``: serves trigram matching on names (``%``) and
    Django's ``icontains`` (``UPPER(col) LIKE UPPER(…)``), e.g. the admin's search box."""
    name = f"{table}_{column}_trgm_idx"
    return (
        f"CREATE INDEX {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops);",
        f"DROP INDEX IF EXISTS {name};",
    )


def title_start_index_sql(table):
    """A btree index of the first TITLE_START_LENGTH characters of ``search_title``: serves
    "the name or title begins with" (``LIKE ' iraq%'``), search's first candidate tier,
    whatever the number of records that merely mention the words. ``text_pattern_ops``, so
    a LIKE prefix can use it under any collation."""
    name = f"{table}_title_start_idx"
    return (
        f"CREATE INDEX {name} ON {table} "
        f"(LEFT(search_title, {TITLE_START_LENGTH}) text_pattern_ops);",
        f"DROP INDEX IF EXISTS {name};",
    )
