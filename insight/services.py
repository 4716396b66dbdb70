"""Keeping the public register (``RegisterEntry``) equal to what is public.

What is public is defined by ``selectors.register_source_rows`` (the rules are in that module's
docstring); the table is a copy the pages can read fast.  Only these services write it:

* ``register_refresh`` makes one municipality's entries what the definition yields now, writing
  only what differs.  It runs as a task after every event that changes what is public (see
  ``insight.signals``) and for every municipality each night (``register_refresh_all``), which
  also carries renamed organisations, programs and committees into the register;
* ``register_rebuild`` fills the whole table at once (a new data set; on PostgreSQL one statement).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction

from organizations.models import Municipality

from .models import RegisterEntry
from .selectors import COLUMNS, register_source_rows

#: the fields an entry copies from its source row, with that row's key
COPIED = [
    ("municipality_id", "r_municipality_id"),
    ("organisation_id", "r_organisation_id"),
    ("recipient", "r_recipient"),
    ("org_number", "r_org_number"),
    ("program_id", "r_program_id"),
    ("program_name", "r_program"),
    ("committee_id", "r_committee_id"),
    ("committee_name", "r_committee"),
    ("year", "r_year"),
    ("last_year", "r_last_year"),
    ("amount", "r_amount"),
    ("decided_on", "r_decided_on"),
    ("case_number", "r_case_number"),
    ("title", "r_title"),
]
#: what the search reads, in lower case and one a line (``RegisterEntry.search``)
SEARCHED = ["recipient", "title", "case_number", "program_name"]
FIELDS = [*(name for name, _key in COPIED), "search"]
#: text fields are never NULL in the table: a missing value is ""
TEXT = {"recipient", "org_number", "program_name", "committee_name", "case_number", "title"}
CHUNK = 500


def _values(row: dict) -> tuple:
    """An entry's fields, in ``FIELDS`` order, as the table holds them."""
    values = {}
    for name, key in COPIED:
        value = row[key]
        if name in TEXT:
            value = value or ""
        elif name == "amount":
            value = Decimal(value or 0)
        elif name in ("year", "last_year") and value is not None:
            value = int(value)
        values[name] = value
    values["search"] = "\n".join(values[name] for name in SEARCHED).lower()
    return tuple(values[name] for name in FIELDS)


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def register_refresh(*, municipality: Municipality) -> dict[str, int]:
    """Make ``municipality``'s register what is public now, in one transaction.

    Only what differs is written (a posted meeting adds its grants, an annulled decision removes
    one, a rename updates rows); running it again changes nothing.  Two refreshes of the same
    municipality run one after the other.
    """
    with transaction.atomic():
        # a lock on the municipality's row (not its key: rows pointing at it may still be written)
        list(Municipality.objects.select_for_update(no_key=True).filter(pk=municipality.pk).values("pk"))
        wanted = {
            (row["r_kind"], row["r_id"]): _values(row)
            for row in register_source_rows(municipality=municipality)
        }
        current = {
            (kind, object_id): (pk, tuple(values))
            for pk, kind, object_id, *values in RegisterEntry.objects.filter(
                municipality=municipality
            ).values_list("pk", "kind", "object_id", *FIELDS)
        }
        removed = [current[key][0] for key in current.keys() - wanted.keys()]
        added = [key for key in wanted.keys() - current.keys()]
        changed = [
            RegisterEntry(
                pk=current[key][0], kind=key[0], object_id=key[1], **dict(zip(FIELDS, values, strict=True))
            )
            for key, values in wanted.items()
            if key in current and current[key][1] != values
        ]
        for pks in _chunks(removed):
            RegisterEntry.objects.filter(pk__in=pks).delete()
        for kind in {k for k, _id in added}:
            # the case was public under another municipality before (its program moved)
            ids = [object_id for k, object_id in added if k == kind]
            for chunk in _chunks(ids):
                RegisterEntry.objects.filter(kind=kind, object_id__in=chunk).exclude(
                    municipality=municipality
                ).delete()
        RegisterEntry.objects.bulk_create(
            [
                RegisterEntry(
                    kind=kind,
                    object_id=object_id,
                    **dict(zip(FIELDS, wanted[(kind, object_id)], strict=True)),
                )
                for kind, object_id in added
            ],
            batch_size=CHUNK,
        )
        RegisterEntry.objects.bulk_update(changed, FIELDS, batch_size=CHUNK)
    return {"added": len(added), "changed": len(changed), "removed": len(removed)}


def register_refresh_all() -> dict[str, int]:
    """Refresh every municipality's register (the nightly run), one transaction each."""
    totals = {"municipalities": 0, "added": 0, "changed": 0, "removed": 0}
    for municipality in Municipality.objects.order_by("pk"):
        for key, count in register_refresh(municipality=municipality).items():
            totals[key] += count
        totals["municipalities"] += 1
    return totals


def register_rebuild() -> int:
    """Replace the whole register with what is public now; returns the number of entries.

    On PostgreSQL one set-based statement, for a data set written in bulk (the benchmark's),
    where refreshing municipality by municipality would read every case three hundred times.
    Elsewhere (the embedded default, a small installation) every municipality is refreshed.
    """
    if connection.vendor != "postgresql":
        register_refresh_all()
        return RegisterEntry.objects.count()
    source_sql, source_params = register_source_rows().query.sql_with_params()
    qn = connection.ops.quote_name
    table = qn(RegisterEntry._meta.db_table)
    keys = {"kind": "r_kind", "object_id": "r_id", **dict(COPIED)}
    assert set(keys.values()) == set(COLUMNS)
    select = {}
    for name, key in keys.items():
        expression = f"s.{qn(key)}"
        if name in TEXT:
            expression = f"COALESCE({expression}, '')"
        elif name == "amount":
            expression = f"COALESCE({expression}, 0)"
        select[name] = expression
    # PostgreSQL's lower() of a UTF-8 database is Python's str.lower() for every letter of a name
    select["search"] = "lower(" + " || E'\\n' || ".join(select[name] for name in SEARCHED) + ")"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - names from the model
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(qn(c) for c in select)}) "  # noqa: S608 - names from the model
            f"SELECT {', '.join(select.values())} FROM ({source_sql}) s",
            source_params,
        )
        return cursor.rowcount
