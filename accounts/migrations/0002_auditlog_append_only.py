"""PostgreSQL refuses UPDATE and DELETE on the audit log, whoever the client is."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION meldroute_refuse_log_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER auditlogentry_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditlogentry
    FOR EACH ROW EXECUTE FUNCTION meldroute_refuse_log_change();
"""
DROP = """
DROP TRIGGER IF EXISTS auditlogentry_append_only ON accounts_auditlogentry;
DROP FUNCTION IF EXISTS meldroute_refuse_log_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)
        schema_editor.execute(TRIGGER, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
