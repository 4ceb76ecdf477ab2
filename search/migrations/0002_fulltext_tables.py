"""The embedded backend's full-text table, by database vendor.

SQLite: an FTS5 virtual table over the pre-segmented text (rowid = IndexedDocument.id).
PostgreSQL: a tsvector per document with a GIN index. Neither is an ORM model; no foreign key
either, so that Django's test flush (TRUNCATE of its own tables) still works: rows whose
document is gone are never joined.
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, pinyin, title_bigrams, body_bigrams, "
    "tokenize = 'unicode61 remove_diacritics 0')"
)
POSTGRES_CREATE = [
    "CREATE TABLE search_pg_vector (document_id bigint PRIMARY KEY, vector tsvector NOT NULL)",
    "CREATE INDEX search_pg_vector_gin ON search_pg_vector USING gin (vector)",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS search_pg_vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
