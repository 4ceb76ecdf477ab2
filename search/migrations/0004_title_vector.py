"""PostgreSQL: a small title vector beside the full one, to rank many matches cheaply.

Rows indexed before this rank by their full vector only once rebuilt (run the search
rebuild command).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE search_pg_vector ADD COLUMN title_vector tsvector NOT NULL DEFAULT ''"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_pg_vector DROP COLUMN title_vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_fulltext_filter_columns")]

    operations = [migrations.RunPython(forwards, backwards)]
