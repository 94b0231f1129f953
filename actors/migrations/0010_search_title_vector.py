from django.db import migrations

from ruiraq.search.sql import PostgreSQLOnly, title_vector_column_sql


class Migration(migrations.Migration):
    """The title part of an actor's search document as a vector of its own (PostgreSQL):
    search's first candidate tier (names and titles) reads its own index and statistics."""

    dependencies = [("actors", "0009_tie_status_as_of")]

    operations = [PostgreSQLOnly(*title_vector_column_sql("actors_actor"))]
