"""Kind, date and topics beside the full text, so a search reads one table (no join).

The full-text rows are recreated empty: run the search rebuild command afterwards.
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, pinyin, title_bigrams, body_bigrams, "
    "kind UNINDEXED, date UNINDEXED, topics UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 0')"
)
SQLITE_OLD = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, pinyin, title_bigrams, body_bigrams, "
    "tokenize = 'unicode61 remove_diacritics 0')"
)
POSTGRES_ADD = (
    "ALTER TABLE search_pg_vector ADD COLUMN kind varchar(20) NOT NULL DEFAULT '',"
    " ADD COLUMN date double precision, ADD COLUMN topics text NOT NULL DEFAULT ''"
)
POSTGRES_DROP = "ALTER TABLE search_pg_vector DROP COLUMN kind, DROP COLUMN date, DROP COLUMN topics"


def _empty(schema_editor):
    schema_editor.execute("DELETE FROM search_suggestinput")
    schema_editor.execute("DELETE FROM search_indexeddocument")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _empty(schema_editor)
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        _empty(schema_editor)
        schema_editor.execute("DELETE FROM search_pg_vector")
        schema_editor.execute(POSTGRES_ADD)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _empty(schema_editor)
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(SQLITE_OLD)
    elif vendor == "postgresql":
        _empty(schema_editor)
        schema_editor.execute("DELETE FROM search_pg_vector")
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_tables")]

    operations = [migrations.RunPython(forwards, backwards)]
