"""Trigram indexes for the organisation search ("name contains", "organisation number starts with").

Without them the search reads every organisation in the installation; with
them it reads the few that match.  PostgreSQL only (pg_trgm is a trusted
extension, so the database owner may create it); nothing happens on SQLite.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS organisation_name_trgm "
    "ON organizations_organisation USING gin (UPPER(name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS organisation_org_number_trgm "
    "ON organizations_organisation USING gin (org_number gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS organisation_org_number_trgm",
    "DROP INDEX IF EXISTS organisation_name_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
