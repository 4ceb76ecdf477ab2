"""Full-text tables for the ranking rules of issue 17 (search/ranking.py).

SQLite: FTS5 over the segmented text with columns but no positions (detail=column: the index
answers which clauses a document matches, the ranking reads the stored text), character
columns for lone one-character queries, and a small filter table (kind, date, topics, body
length) read instead of the full-text rows. PostgreSQL: lexeme-only vectors (no positions
or weights) with marked characters, and the body length.

The index is emptied: run `manage.py rebuild_search_index --backend embedded` afterwards
(the reconcile task refills it within SEARCH_RECONCILE_SECONDS otherwise).
"""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, pinyin, title_bigrams, body_bigrams, title_chars, body_chars, "
    "tokenize = 'unicode61 remove_diacritics 0', detail = column)",
    "CREATE TABLE search_doc_filter (id integer PRIMARY KEY, kind varchar(20) NOT NULL,"
    " date real, topics text NOT NULL DEFAULT '', length integer NOT NULL DEFAULT 0)",
]
SQLITE_OLD = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, pinyin, title_bigrams, body_bigrams, "
    "kind UNINDEXED, date UNINDEXED, topics UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 0')"
)
POSTGRES_CREATE = [
    "CREATE TABLE search_pg_vector (document_id bigint PRIMARY KEY, vector tsvector NOT NULL,"
    " title_vector tsvector NOT NULL DEFAULT '', kind varchar(20) NOT NULL DEFAULT '',"
    " date double precision, topics text NOT NULL DEFAULT '', length integer NOT NULL DEFAULT 0)",
    "CREATE INDEX search_pg_vector_gin ON search_pg_vector USING gin (vector)",
]
POSTGRES_OLD = [
    "CREATE TABLE search_pg_vector (document_id bigint PRIMARY KEY, vector tsvector NOT NULL,"
    " kind varchar(20) NOT NULL DEFAULT '', date double precision,"
    " topics text NOT NULL DEFAULT '', title_vector tsvector NOT NULL DEFAULT '')",
    "CREATE INDEX search_pg_vector_gin ON search_pg_vector USING gin (vector)",
]


def _empty(schema_editor):
    schema_editor.execute("DELETE FROM search_suggestinput")
    schema_editor.execute("DELETE FROM search_indexeddocument")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _empty(schema_editor)
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        _empty(schema_editor)
        schema_editor.execute("DROP TABLE IF EXISTS search_pg_vector")
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _empty(schema_editor)
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute("DROP TABLE IF EXISTS search_doc_filter")
        schema_editor.execute(SQLITE_OLD)
    elif vendor == "postgresql":
        _empty(schema_editor)
        schema_editor.execute("DROP TABLE IF EXISTS search_pg_vector")
        for statement in POSTGRES_OLD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0007_stop_words_suggested_terms_clicks")]

    operations = [migrations.RunPython(forwards, backwards)]
