"""Database connections as the environment sets them: persistent and health-checked by default,
and on PostgreSQL prepared statements only when asked for (psycopg's ``prepare_threshold``), since
a pooler in transaction mode does not keep them."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_VARIABLES = (
    "DATABASE_URL",
    "CONN_MAX_AGE",
    "CONN_HEALTH_CHECKS",
    "POSTGRES_PREPARED_STATEMENTS",
    "POSTGRES_NO_JIT",
)


def _python(code: str, **environment) -> object:
    """Run ``code`` in a fresh interpreter with only these of the settings' variables set; its
    last line of output, read as JSON."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(environment)
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _database(**environment) -> dict:
    return _python(
        "import json; from config.settings import DATABASES; d = DATABASES['default'];"
        "print(json.dumps({k: d.get(k) for k in ('CONN_MAX_AGE', 'CONN_HEALTH_CHECKS', 'OPTIONS')}))",
        **environment,
    )


def test_connections_are_kept_and_checked_by_default():
    database = _database()
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_the_environment_sets_how_long_a_connection_is_kept():
    database = _database(CONN_MAX_AGE="0", CONN_HEALTH_CHECKS="false")
    assert database["CONN_MAX_AGE"] == 0
    assert database["CONN_HEALTH_CHECKS"] is False
    # the database's address may say it itself
    assert _database(DATABASE_URL="postgres://bidra@db.example/bidra?conn_max_age=30")["CONN_MAX_AGE"] == 30


def test_postgresql_prepares_no_statement_unless_asked():
    options = _database(DATABASE_URL="postgres://bidra@db.example/bidra")["OPTIONS"]
    assert "prepare_threshold" not in options and "server_side_binding" not in options
    options = _database(
        DATABASE_URL="postgres://bidra@db.example/bidra", POSTGRES_PREPARED_STATEMENTS="true"
    )["OPTIONS"]
    assert options["prepare_threshold"] == 2 and options["server_side_binding"] is True


READ_TWICE = """
import json, django
django.setup()
from django.db import connection
from grants.models import Application
for _ in range(3):
    list(Application.objects.select_related("round__program").filter(pk=0))
with connection.cursor() as cursor:
    cursor.execute("SELECT statement FROM pg_prepared_statements")
    print(json.dumps([sql for (sql,) in cursor.fetchall() if '"grants_round"' in sql]))
"""


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
@pytest.mark.parametrize("asked", [False, True])
def test_a_statement_run_again_is_prepared_only_when_asked(asked):
    db = connection.settings_dict
    url = "postgres://{user}:{password}@{host}:{port}/{name}".format(
        user=quote(db["USER"] or ""),
        password=quote(db["PASSWORD"] or ""),
        host=db["HOST"] or "localhost",
        port=db["PORT"] or 5432,
        name=db["NAME"],
    )
    prepared = _python(
        READ_TWICE,
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=url,
        POSTGRES_PREPARED_STATEMENTS="true" if asked else "false",
    )
    if asked:
        assert len(prepared) == 1 and "$1" in prepared[0]
    else:
        assert prepared == []
