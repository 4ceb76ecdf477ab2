"""Database guard for guardian consent records (DESIGN.md rule 8: an immutable record).

PostgreSQL: a trigger rejects every UPDATE, and every DELETE except for rows whose child
account is being deleted in the same transaction (`accounts.signals` announces that through
the transaction-local setting `kepu.deleting_users`). SQLite: a trigger rejects UPDATE;
deletes are guarded in the application only. A later migration that rebuilds the table on
SQLite must create the trigger again.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION accounts_guardianconsent_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'guardian consent records are immutable';
    END IF;
    IF position(
        ',' || OLD.child_id::text || ','
        IN coalesce(current_setting('kepu.deleting_users', true), '')
    ) = 0 THEN
        RAISE EXCEPTION 'guardian consent records are deleted only with the child''s account';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_guardianconsent_guard
    BEFORE UPDATE OR DELETE ON accounts_guardianconsent
    FOR EACH ROW EXECUTE FUNCTION accounts_guardianconsent_guard();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS accounts_guardianconsent_guard ON accounts_guardianconsent;
DROP FUNCTION IF EXISTS accounts_guardianconsent_guard();
"""
SQLITE_FORWARD = """
CREATE TRIGGER IF NOT EXISTS accounts_guardianconsent_no_update
BEFORE UPDATE ON accounts_guardianconsent
BEGIN
    SELECT RAISE(ABORT, 'guardian consent records are immutable');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS accounts_guardianconsent_no_update;"


def _run(schema_editor, statements: dict[str, str]) -> None:
    sql = statements.get(schema_editor.connection.vendor)
    if sql:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD})


def backward(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_profiles_and_guardian_consent")]

    operations = [migrations.RunPython(forward, backward)]
