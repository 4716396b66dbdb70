"""What the public may read about decided grants, awards and partnerships.

The rule for what is public (stated on every public page):

* a grant or an award appears once the minutes of the meeting where it was decided have
  been posted (``Meeting.State.POSTED`` or ``FINAL``).  A delegated decision appears once
  the minutes of the meeting it was reported to (its ``AgendaItem`` for information) have
  been posted; until a delegated decision is reported, it does not appear;
* a decision annulled on appeal never appears;
* a partnership appears while its agreement runs (signed by both parties); if the
  committee's decision on it was recorded in Bidra's meetings, also only after those
  minutes are posted;
* an award to a private person never appears, and no person's name, e-mail or phone
  number is ever part of a row: only the organisation's name and organisation number.

These rules are ``register_source_rows``: a live query over the cases, their decisions and
meetings.  The pages do not run it: ``insight.services.register_refresh`` copies what it yields
into ``RegisterEntry`` when something public changes (minutes posted, a decision annulled, a
partnership signed, renewed or ended) and every night (renamed organisations and programs), and
every list here reads that table: one query (plus one to count), whatever the number of grants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import (
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear, TruncDate

from awards.models import Candidate, NomineeKind
from grants.models import Application, Program
from iop.models import Contribution, Partnership, Party
from meetings.models import Decision, Meeting
from organizations.models import Municipality, Organisation

from .models import Kind, RegisterEntry

#: meeting states in which the minutes are posted: the decisions on them are public
POSTED_STATES = (Meeting.State.POSTED, Meeting.State.FINAL)
GRANTED_OUTCOMES = (Decision.Outcome.GRANTED, Decision.Outcome.PARTLY_GRANTED)


KIND_LABELS = dict(Kind.choices)

#: the columns of a source row, in order (every part of the union yields them)
COLUMNS = [
    "r_municipality_id",
    "r_kind",
    "r_id",
    "r_organisation_id",
    "r_recipient",
    "r_org_number",
    "r_program_id",
    "r_program",
    "r_committee_id",
    "r_committee",
    "r_year",
    "r_last_year",
    "r_amount",
    "r_decided_on",
    "r_case_number",
    "r_title",
]

#: the fields of an entry a page reads, in the register's order of columns
ENTRY_FIELDS = [
    "kind",
    "object_id",
    "organisation_id",
    "recipient",
    "org_number",
    "program_id",
    "program_name",
    "committee_id",
    "committee_name",
    "year",
    "last_year",
    "amount",
    "decided_on",
    "case_number",
    "title",
]

#: the register's order: newest decision first (the index ``insight_register_newest``)
ORDER = ("-decided_on", "kind", "-object_id")


@dataclass
class RegisterFilter:
    committee_id: int | None = None
    program_id: int | None = None
    year: int | None = None
    kind: str = ""
    query: str = ""


# -- the definition of what is public (live, over the cases) ----------------------------------------


def _posted_decisions(model) -> models.QuerySet:
    """Decisions (not annulled, granting) on cases of ``model`` whose minutes are posted."""
    return Decision.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=OuterRef("pk"),
        annulled=False,
        outcome__in=GRANTED_OUTCOMES,
        item__meeting__state__in=POSTED_STATES,
    )


def _grants(municipality: Municipality | None) -> models.QuerySet:
    qs = Application.objects.filter(
        state__in=Application.GRANTED_STATES,
        decision__annulled=False,
        decision__item__meeting__state__in=POSTED_STATES,
    ).exclude(round__program__kind=Program.Kind.AWARD)
    if municipality is not None:
        qs = qs.filter(round__program__municipality=municipality)
    return qs.values(
        r_municipality_id=F("round__program__municipality_id"),
        r_kind=Value(Kind.GRANT.value, output_field=models.CharField()),
        r_id=F("pk"),
        r_organisation_id=F("organisation_id"),
        r_recipient=F("organisation__name"),
        r_org_number=F("organisation__org_number"),
        r_program_id=F("round__program_id"),
        r_program=F("round__program__name"),
        r_committee_id=F("round__program__committee_id"),
        r_committee=F("round__program__committee__name"),
        r_year=F("round__year"),
        r_last_year=F("round__year"),
        r_amount=F("granted_amount"),
        r_decided_on=TruncDate("decision__decided_at"),
        r_case_number=F("case_number"),
        r_title=F("title"),
    )


def _awards(municipality: Municipality | None) -> models.QuerySet:
    posted = _posted_decisions(Candidate)
    qs = (
        Candidate.objects.filter(state__in=Candidate.AWARDED_STATES)
        .exclude(kind=NomineeKind.PERSON)
        .filter(Exists(posted))
    )
    if municipality is not None:
        qs = qs.filter(round__program__municipality=municipality)
    return qs.values(
        r_municipality_id=F("round__program__municipality_id"),
        r_kind=Value(Kind.AWARD.value, output_field=models.CharField()),
        r_id=F("pk"),
        r_organisation_id=F("organisation_id"),
        r_recipient=Coalesce(F("organisation__name"), F("name")),
        r_org_number=Coalesce(F("organisation__org_number"), F("org_number")),
        r_program_id=F("round__program_id"),
        r_program=F("round__program__name"),
        r_committee_id=F("round__program__committee_id"),
        r_committee=F("round__program__committee__name"),
        r_year=F("round__year"),
        r_last_year=F("round__year"),
        r_amount=F("awarded_amount"),
        r_decided_on=TruncDate(Subquery(posted.order_by("-decided_at").values("decided_at")[:1])),
        r_case_number=F("case_number"),
        r_title=F("round__name"),
    )


def _partnership_money():
    return Subquery(
        Contribution.objects.filter(
            version_id=OuterRef("approved_version_id"), party=Party.MUNICIPALITY, kind=Contribution.Kind.MONEY
        )
        .order_by()
        .values("version_id")
        .annotate(s=Sum("value"))
        .values("s")[:1],
        output_field=DecimalField(max_digits=14, decimal_places=0),
    )


def _partnerships(municipality: Municipality | None) -> models.QuerySet:
    unposted = Decision.objects.filter(
        content_type=ContentType.objects.get_for_model(Partnership), object_id=OuterRef("pk"), annulled=False
    ).exclude(item__meeting__state__in=POSTED_STATES)
    qs = Partnership.objects.filter(
        state__in=Partnership.RUNNING,
        decision_approved=True,
        approved_version__isnull=False,
    ).exclude(Exists(unposted))
    if municipality is not None:
        qs = qs.filter(committee__municipality=municipality)
    start = ExtractYear("approved_version__start_date")
    return qs.values(
        r_municipality_id=F("committee__municipality_id"),
        r_kind=Value(Kind.PARTNERSHIP.value, output_field=models.CharField()),
        r_id=F("pk"),
        r_organisation_id=F("organisation_id"),
        r_recipient=F("organisation__name"),
        r_org_number=F("organisation__org_number"),
        r_program_id=Value(None, output_field=IntegerField()),
        r_program=Value("", output_field=models.CharField()),
        r_committee_id=F("committee_id"),
        r_committee=F("committee__name"),
        r_year=start,
        # a partnership is part of every year its agreement runs
        r_last_year=Coalesce(ExtractYear("approved_version__end_date"), start),
        r_amount=Coalesce(_partnership_money(), Value(Decimal(0)), output_field=DecimalField()),
        r_decided_on=F("decided_on"),
        r_case_number=F("case_number"),
        r_title=F("title"),
    )


def register_source_rows(*, municipality: Municipality | None = None) -> models.QuerySet:
    """What is public now (of ``municipality``, or of every one): one union query, unordered.

    The definition the register is copied from (``insight.services.register_refresh``); pages
    never run it.  Rows are dicts with the keys in ``COLUMNS``.
    """
    first, *rest = (
        part.order_by()
        for part in (_grants(municipality), _awards(municipality), _partnerships(municipality))
    )
    return first.union(*rest, all=True)


# -- the register, read from its table ------------------------------------------------------------


def register_entries(*, municipality: Municipality, filters: RegisterFilter | None = None) -> models.QuerySet:
    """The public register of ``municipality``, newest decision first (dicts of ``ENTRY_FIELDS``).

    One indexed query of the municipality's entries (and one to count them for the paginator).
    """
    f = filters or RegisterFilter()
    qs = RegisterEntry.objects.filter(municipality=municipality)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.committee_id:
        qs = qs.filter(committee_id=f.committee_id)
    if f.program_id:
        qs = qs.filter(program_id=f.program_id)
    if f.year:
        qs = qs.filter(year__lte=f.year, last_year__gte=f.year)
    if f.query:
        # the organisation's name, the purpose, the case number or the program (one column)
        qs = qs.filter(search__contains=f.query.lower())
    return qs.order_by(*ORDER).values(*ENTRY_FIELDS)


def register_years(*, municipality: Municipality) -> list[int]:
    """The years for which the register has rows (the open-data files on offer), newest first."""
    years: set[int] = set()
    spans = RegisterEntry.objects.filter(municipality=municipality, year__isnull=False)
    for first, last in spans.order_by().values_list("year", "last_year").distinct():
        years.update(range(first, max(first, last or first) + 1))
    return sorted(years, reverse=True)


def filter_choices(*, municipality: Municipality) -> dict:
    """Committees and programs offered as filters (two queries)."""
    return {
        "committees": list(municipality.committees.order_by("name").values_list("pk", "name")),
        "programs": list(
            Program.objects.filter(municipality=municipality).order_by("name").values_list("pk", "name")
        ),
    }


def row_dict(entry: dict) -> dict:
    """A register entry (a dict of ``ENTRY_FIELDS``) with the keys templates and exports read."""
    return {
        "kind": entry["kind"],
        "kind_label": str(KIND_LABELS.get(entry["kind"], entry["kind"])),
        "id": entry["object_id"],
        "organisation_id": entry["organisation_id"],
        "recipient": entry["recipient"],
        "org_number": entry["org_number"],
        "program_id": entry["program_id"],
        "program": entry["program_name"],
        "committee_id": entry["committee_id"],
        "committee": entry["committee_name"],
        "year": entry["year"],
        "last_year": entry["last_year"],
        "amount": entry["amount"],
        "decided_on": entry["decided_on"],
        "case_number": entry["case_number"],
        "title": entry["title"],
    }


def received_by_organisation(
    organisation: Organisation, *, municipality: Municipality | None = None
) -> list[dict]:
    """What ``organisation`` received, as the public register shows it (newest first), one query.

    Keys: kind, program, year, amount, decided_on, case_number (and municipality, title, committee).
    """
    qs = RegisterEntry.objects.filter(organisation=organisation)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    entries = qs.order_by(F("decided_on").desc(nulls_last=True), "kind", "-object_id").values(
        *ENTRY_FIELDS, municipality_slug=F("municipality__slug")
    )
    result = []
    for entry in entries:
        d = row_dict(entry)
        result.append(
            {
                "kind": d["kind"],
                "program": d["program"] or d["kind_label"],
                "year": d["year"],
                "amount": d["amount"],
                "decided_on": d["decided_on"],
                "case_number": d["case_number"],
                "title": d["title"],
                "committee": d["committee"],
                "municipality": entry["municipality_slug"],
            }
        )
    return result


def public_organisation(*, municipality: Municipality, pk: int) -> Organisation | None:
    """The organisation if it is active in or received something from ``municipality``; else None.

    Only public facts are loaded (no contact details are ever shown)."""
    return (
        Organisation.objects.filter(pk=pk)
        .filter(
            Q(activities__municipality=municipality)
            | Q(applications__round__program__municipality=municipality)
            | Q(partnerships__committee__municipality=municipality)
        )
        .only("pk", "name", "org_number", "kind", "city", "website")
        .distinct()
        .first()
    )


# -- identifiers for open data --------------------------------------------------------------------


def org_number_display(number: str) -> str:
    digits = re.sub(r"\D", "", number or "")
    return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 else digits


def org_id(number: str) -> str:
    """The org-id.guide identifier of a Swedish organisation number: SE-ON-802012-3456."""
    return f"SE-ON-{org_number_display(number)}"


def identifier_part(text: str) -> str:
    """'SN 2026/123' -> 'SN-2026-123': letters and digits, anything else one hyphen."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text or "").strip("-")


def grant_id(municipality: Municipality, row: dict) -> str:
    """Stable per installation: 360G-bidra-<municipality slug>-<case number>."""
    number = identifier_part(row["case_number"]) or f"{row['kind']}-{row['id']}"
    return f"360G-bidra-{municipality.slug}-{number}"


def recipient_id(municipality: Municipality, row: dict) -> str:
    if row["org_number"]:
        return org_id(row["org_number"])
    return f"360G-bidra-{municipality.slug}-recipient-{row['kind']}-{row['id']}"
