"""On PostgreSQL a statement a connection runs again is prepared, so PostgreSQL plans it once: the
application's page, read twice, is planned once."""

import pytest
from django.db import connection

from grants.views import _APPLICATION

from .grants.factories import draft_application

pytestmark = pytest.mark.django_db


def _page_reads():
    """The prepared statements of this connection that read an application with its round."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [
            sql
            for (sql,) in cursor.fetchall()
            if 'FROM "grants_application"' in sql and '"grants_round"' in sql
        ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_statement_run_again_is_prepared(world):
    draft = draft_application(world)
    assert not _page_reads()
    for _ in range(3):
        assert _APPLICATION.get(draft.pk).organisation == world.organisation
    prepared = _page_reads()
    assert len(prepared) == 1 and "$1" in prepared[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg is PostgreSQL's driver")
def test_a_submissions_statements_are_converted_once(world, client, monkeypatch):
    """psycopg rewrites ``%s`` as ``$n`` once per statement and keeps it, also for the one that
    writes a submission's new rows (more parameters than psycopg keeps by default)."""
    from psycopg import _queries

    from .grants.test_submission_statements import _draft, _submit

    _submit(client, *_draft(world, 0))  # the committee's first case of the year: its sequence
    _submit(client, *_draft(world, 1))
    converted_again = []
    uncached = _queries._query2pg_nocache  # what psycopg calls for a statement it does not keep

    def counting(query, encoding):
        converted_again.append(query)
        return uncached(query, encoding)

    monkeypatch.setattr(_queries, "_query2pg_nocache", counting)
    statements = _submit(client, *_draft(world, 2))
    assert any(sql.startswith("WITH") for sql in statements)  # the new rows, together
    assert converted_again == []
