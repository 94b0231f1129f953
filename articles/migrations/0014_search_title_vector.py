from django.db import migrations

from ruiraq.search.sql import PostgreSQLOnly, title_vector_column_sql


class Migration(migrations.Migration):
    """The title part of events', agreements' and sources' search documents as a vector of
    its own (PostgreSQL): search's first candidate tier (titles and names) reads its own
    index and statistics instead of the whole document's."""

    dependencies = [("articles", "0013_network_covering_indexes")]

    operations = [
        PostgreSQLOnly(*title_vector_column_sql("articles_event")),
        PostgreSQLOnly(*title_vector_column_sql("articles_agreement")),
        PostgreSQLOnly(*title_vector_column_sql("articles_source")),
    ]
