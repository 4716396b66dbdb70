"""The transition log is append-only: on PostgreSQL a trigger refuses UPDATE and DELETE.

Nothing in the application can change or remove a log row; a correction is a new
row.  (TRUNCATE, used only by operators and test runs, is not affected.)
On other databases this migration does nothing.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION bidra_statelog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The transition log (django_fsm_log_statelog) is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS bidra_statelog_append_only ON django_fsm_log_statelog;
CREATE TRIGGER bidra_statelog_append_only
    BEFORE UPDATE OR DELETE ON django_fsm_log_statelog
    FOR EACH ROW EXECUTE FUNCTION bidra_statelog_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS bidra_statelog_append_only ON django_fsm_log_statelog;
DROP FUNCTION IF EXISTS bidra_statelog_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("django_fsm_log", "0004_auto_20190131_0341")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
