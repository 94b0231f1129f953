from django.db import migrations

from ruiraq.search.sql import PostgreSQLOnly, title_start_index_sql


class Migration(migrations.Migration):
    """Indexes of the start of events', agreements' and sources' search titles (PostgreSQL):
    search's first candidate tier, the records whose title begins with the query, found
    however many records mention its words."""

    dependencies = [("articles", "0016_public_event_filter_indexes")]

    operations = [
        PostgreSQLOnly(*title_start_index_sql("articles_event")),
        PostgreSQLOnly(*title_start_index_sql("articles_agreement")),
        PostgreSQLOnly(*title_start_index_sql("articles_source")),
    ]
