from django.db import migrations

from ruiraq.search.sql import PostgreSQLOnly, title_start_index_sql


class Migration(migrations.Migration):
    """An index of the start of an actor's search title (PostgreSQL): search's first
    candidate tier, the actors whose name begins with the query ("iraq" → Iraq)."""

    dependencies = [("actors", "0010_search_title_vector")]

    operations = [PostgreSQLOnly(*title_start_index_sql("actors_actor"))]
