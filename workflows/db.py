"""Database helpers the ORM has no word for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import connections
from django.db.models import Model

#: a new instance, and which of its foreign-key columns (attname) take the id of an earlier
#: instance of the same list
Row = tuple[Model, Mapping[str, Model]]


def insert_together(rows: Sequence[Row], *, using: str = "default") -> None:
    """INSERT new instances in one statement, in the order given, and give them their ids.

    On PostgreSQL each row is a data-modifying CTE and a column named in the row's mapping takes
    the id of the earlier row it names, so that a process, its tasks and the link between them
    cost one round trip instead of one each.  Elsewhere (SQLite) each row is a ``bulk_create`` of
    its own.

    As with ``bulk_create``, a model's own ``save()`` and its signals are left out: whatever
    they would do, the caller does (the values written are the fields' own, ``pre_save`` and
    ``get_db_prep_save`` included)."""
    connection = connections[using]
    position = {id(obj): i for i, (obj, _) in enumerate(rows)}
    for i, (obj, refs) in enumerate(rows):
        if obj.pk is not None or not obj._state.adding:
            raise ValueError(f"{obj!r} is not a new row")
        if any(position.get(id(target), i) >= i for target in refs.values()):
            raise ValueError(f"{obj!r} refers to a row that is not inserted before it")
    if connection.vendor != "postgresql":
        for obj, refs in rows:
            for attname, target in refs.items():
                setattr(obj, attname, target.pk)
            type(obj)._base_manager.using(using).bulk_create([obj])
        return
    quote = connection.ops.quote_name
    ctes, params = [], []
    for i, (obj, refs) in enumerate(rows):
        meta = obj._meta
        columns, values = [], []
        for field in meta.concrete_fields:
            if field.primary_key or getattr(field, "generated", False):
                continue
            columns.append(quote(field.column))
            if field.attname in refs:
                j = position[id(refs[field.attname])]
                values.append(f'(SELECT {quote(rows[j][0]._meta.pk.column)} FROM "r{j}")')  # noqa: S608
            else:
                values.append("%s")
                params.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
        ctes.append(
            f'"r{i}" AS (INSERT INTO {quote(meta.db_table)} ({", ".join(columns)}) '  # noqa: S608 - model metadata
            f"VALUES ({', '.join(values)}) RETURNING {quote(meta.pk.column)})"
        )
    selects = ", ".join(
        f'(SELECT {quote(obj._meta.pk.column)} FROM "r{i}")'  # noqa: S608 - model metadata
        for i, (obj, _) in enumerate(rows)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} SELECT {selects}", params)
        ids = cursor.fetchone()
    for (obj, refs), pk in zip(rows, ids, strict=True):
        for attname, target in refs.items():
            setattr(obj, attname, ids[position[id(target)]])
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using
