"""Database helpers the ORM has no word for: new rows written together, in one statement."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from django.db import connections, transaction
from django.db.models import Model


class Insert(NamedTuple):
    """A new instance for ``insert_together``.

    ``refs``: which of its foreign-key columns (attname) take the id of an earlier instance of
    the same statement.  ``ignore_conflict``: a row that would break a unique constraint is not
    written (``ON CONFLICT DO NOTHING``) and the instance keeps no id; no other row may refer
    to it."""

    obj: Model
    refs: Mapping[str, Model] = {}
    ignore_conflict: bool = False


#: the rows ``insert_later`` keeps for the next ``insert_together`` inside ``inserts_together()``
_later: ContextVar[list[Insert] | None] = ContextVar("bidra_inserts_later", default=None)


def insert_together(rows: Iterable[Insert | tuple], *, using: str = "default") -> None:
    """INSERT new instances in one statement, in the order given, and give them their ids.

    On PostgreSQL each row is a data-modifying CTE and a column named in the row's ``refs``
    takes the id of the earlier row it names, so that a process, its tasks and the link between
    them cost one round trip instead of one each.  Elsewhere (SQLite) each row is an INSERT of
    its own.  Inside ``inserts_together()`` the rows kept by ``insert_later`` come first, in
    the same statement.

    As with ``bulk_create``, a model's own ``save()`` and its signals are left out: whatever
    they would do, the caller does (the values written are the fields' own, ``pre_save`` and
    ``get_db_prep_save`` included)."""
    rows = [Insert(*row) for row in rows]
    later = _later.get()
    if later:
        rows[:0] = later
        later.clear()
    if not rows:
        return
    connection = connections[using]
    position = {id(row.obj): i for i, row in enumerate(rows)}
    for i, (obj, refs, _) in enumerate(rows):
        if obj.pk is not None or not obj._state.adding:
            raise ValueError(f"{obj!r} is not a new row")
        for target in refs.values():
            j = position.get(id(target), i)
            if j >= i:
                raise ValueError(f"{obj!r} refers to a row that is not inserted before it")
            if rows[j].ignore_conflict:
                raise ValueError(f"{obj!r} refers to a row that may not be written")
    if connection.vendor == "postgresql":
        ids = _insert_in_one_statement(rows, position, connection)
    else:
        ids = []
        for obj, refs, ignore_conflict in rows:
            for attname, target in refs.items():
                setattr(obj, attname, target.pk)
            sql, params = _insert_sql(obj, ignore_conflict, {}, connection)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                row = cursor.fetchone()
            ids.append(row[0] if row else None)
            obj.pk = ids[-1]
    for (obj, refs, _), pk in zip(rows, ids, strict=True):
        for attname, target in refs.items():
            setattr(obj, attname, ids[position[id(target)]])
        obj.pk = pk
        if pk is not None:
            obj._state.adding = False
            obj._state.db = using


def _insert_sql(
    obj: Model, ignore_conflict: bool, refs_sql: Mapping[str, str], connection
) -> tuple[str, list]:
    """The INSERT of one instance, RETURNING its id; a column in ``refs_sql`` takes that SQL."""
    quote = connection.ops.quote_name
    meta = obj._meta
    columns, values, params = [], [], []
    for field in meta.concrete_fields:
        if field.primary_key or getattr(field, "generated", False):
            continue
        columns.append(quote(field.column))
        if field.attname in refs_sql:
            values.append(refs_sql[field.attname])
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
    conflict = " ON CONFLICT DO NOTHING" if ignore_conflict else ""
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) "  # noqa: S608 - model metadata
        f"VALUES ({', '.join(values)}){conflict} RETURNING {quote(meta.pk.column)}"
    )
    return sql, params


def _insert_in_one_statement(rows: list[Insert], position: dict, connection) -> list:
    quote = connection.ops.quote_name
    ctes, params = [], []
    for i, (obj, refs, ignore_conflict) in enumerate(rows):
        refs_sql = {}
        for attname, target in refs.items():
            j = position[id(target)]
            refs_sql[attname] = f'(SELECT {quote(rows[j].obj._meta.pk.column)} FROM "r{j}")'  # noqa: S608
        sql, row_params = _insert_sql(obj, ignore_conflict, refs_sql, connection)
        ctes.append(f'"r{i}" AS ({sql})')
        params.extend(row_params)
    selects = ", ".join(
        f'(SELECT {quote(row.obj._meta.pk.column)} FROM "r{i}")'  # noqa: S608 - model metadata
        for i, row in enumerate(rows)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} SELECT {selects}", params)
        return list(cursor.fetchone())


def insert_later(rows: Iterable[Insert | tuple]) -> None:
    """Inside ``inserts_together()``: keep the rows for the block's next ``insert_together``
    (or its end); they have no id until then.  Elsewhere: ``insert_together`` now."""
    later = _later.get()
    if later is None:
        insert_together(rows)
    else:
        later.extend(Insert(*row) for row in rows)


def inserts_pending() -> bool:
    """Whether ``insert_later`` now keeps its rows for later."""
    return _later.get() is not None


@contextmanager
def inserts_together():
    """New rows of this block written in one statement with the block's next
    ``insert_together`` (or at the end of the block).

    A service that writes several rows nobody reads back before its transaction commits (a
    submission: the diarium entry, the log row, the receipt, the flow's process and tasks) gives
    them to ``insert_later`` instead of saving them one by one.  Only inside a transaction (the
    caller's), and all or nothing: when the block raises, the rows kept are dropped and the
    caller's transaction rolls back.  Nested blocks join the outermost one."""
    if _later.get() is not None:
        yield
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("inserts_together() needs the caller's transaction.")
    later: list[Insert] = []
    token = _later.set(later)
    try:
        yield
        insert_together([])
    finally:
        _later.reset(token)


def psycopg_converts_long_statements_once(*, max_length: int = 16384, max_params: int = 200) -> None:
    """Let psycopg keep the conversion of statements up to ``max_length`` bytes and
    ``max_params`` parameters.

    psycopg turns a statement's ``%s`` into ``$1``, ``$2``… with a regular expression and keeps
    the result for the next run, but only for statements of at most 4096 bytes and 50
    parameters: a submission's new rows (83 parameters) were parsed again on every submission.
    The limits are module constants of psycopg with no public setting; without them (another
    psycopg) nothing changes but the speed."""
    try:
        from psycopg import _queries
    except ImportError:  # SQLite only
        return
    for name, value in (
        ("MAX_CACHED_STATEMENT_LENGTH", max_length),
        ("MAX_CACHED_STATEMENT_PARAMS", max_params),
    ):
        if isinstance(getattr(_queries, name, None), int):
            setattr(_queries, name, max(getattr(_queries, name), value))
