"""Open data: the public register of one municipality and year as CSV and as 360Giving JSON.

The 360Giving package follows the 360Giving Data Standard: every grant has id, title,
description, currency, amountAwarded, awardDate, fundingOrganization and
recipientOrganization.  Organisations are identified by org-id.guide's ``SE-ON`` list of
Swedish organisation numbers (the municipality as funder, the organisation as recipient);
grant ids are ``360G-bidra-<municipality slug>-<case number>``, stable as long as the case
number is.  Only what the public register shows is exported: no person's data.
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.models import Municipality

from .selectors import (
    RegisterFilter,
    grant_id,
    org_id,
    org_number_display,
    recipient_id,
    register_entries,
    row_dict,
)

#: open data is always in Swedish, whatever language the visitor uses
DATA_LANGUAGE = "sv"

CSV_COLUMNS = [
    ("id", gettext_lazy("Identifier")),
    ("kind", gettext_lazy("Kind")),
    ("recipient", gettext_lazy("Organisation")),
    ("org_number", gettext_lazy("Organisation number")),
    ("committee", gettext_lazy("Committee")),
    ("program", gettext_lazy("Program")),
    ("year", gettext_lazy("Year")),
    ("title", gettext_lazy("Purpose")),
    ("amount", gettext_lazy("Amount (SEK)")),
    ("decided_on", gettext_lazy("Decision date")),
    ("case_number", gettext_lazy("Case number")),
]


def year_rows(*, municipality: Municipality, year: int) -> list[dict]:
    """Every public row of ``municipality`` for ``year`` (one query)."""
    with translation.override(DATA_LANGUAGE):
        return [
            row_dict(r)
            for r in register_entries(municipality=municipality, filters=RegisterFilter(year=year))
        ]


def _description(row: dict) -> str:
    parts = [row["kind_label"]]
    if row["program"]:
        parts.append(row["program"])
    parts.append(row["committee"])
    return f"{row['title']} ({', '.join(p for p in parts if p)})"


def package_360giving(*, municipality: Municipality, year: int, url: str = "") -> dict:
    with translation.override(DATA_LANGUAGE):
        return _package(municipality=municipality, year=year, url=url)


def _package(*, municipality: Municipality, year: int, url: str) -> dict:
    funder = {"id": org_id(municipality.org_number), "name": municipality.name}
    grants = []
    seen: set[str] = set()
    for row in year_rows(municipality=municipality, year=year):
        identifier = grant_id(municipality, row)
        if identifier in seen:  # the same case twice (never expected): keep the ids unique
            identifier = f"{identifier}-{row['kind']}-{row['id']}"
        seen.add(identifier)
        grant = {
            "id": identifier,
            "title": row["title"] or row["kind_label"],
            "description": _description(row),
            "currency": "SEK",
            "amountAwarded": int(row["amount"]),
            "awardDate": row["decided_on"].isoformat() if row["decided_on"] else f"{row['year']}-01-01",
            "fundingOrganization": [{**funder, "department": row["committee"]}],
            "recipientOrganization": [{"id": recipient_id(municipality, row), "name": row["recipient"]}],
        }
        if row["program"]:
            grant["grantProgramme"] = [
                {"code": f"{municipality.slug}-{row['program_id']}", "title": row["program"]}
            ]
        if url:
            grant["dataSource"] = url
        grants.append(grant)
    package = {
        "version": "1.0",
        "title": _("Grants from %(municipality)s %(year)s")
        % {"municipality": municipality.name, "year": year},
        "issued": timezone.now().isoformat(timespec="seconds"),
        "publisher": {"identifier": funder["id"], "name": municipality.name},
        "license": "https://creativecommons.org/publicdomain/zero/1.0/",
        "grants": grants,
    }
    if url:
        package["downloadURL"] = url
    return package


def csv_text(*, municipality: Municipality, year: int) -> str:
    with translation.override(DATA_LANGUAGE):
        return _csv(municipality=municipality, year=year)


def _csv(*, municipality: Municipality, year: int) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([str(label) for _key, label in CSV_COLUMNS])
    for row in year_rows(municipality=municipality, year=year):
        values = {
            **row,
            "id": grant_id(municipality, row),
            "kind": row["kind_label"],
            "org_number": org_number_display(row["org_number"]),
            "decided_on": row["decided_on"].isoformat() if row["decided_on"] else "",
            "amount": int(row["amount"]),
        }
        writer.writerow([csv_safe(values[key]) for key, _label in CSV_COLUMNS])
    return "\ufeff" + buffer.getvalue()


def csv_safe(value) -> str:
    text = "" if value is None else str(value)
    # a cell starting with = + - @ would be a formula in a spreadsheet
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
