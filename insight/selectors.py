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

Every list here is one query (plus one to count), whatever the number of grants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
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
from django.utils.translation import gettext_lazy as _

from grants.models import Application, Candidate, NomineeKind, Program
from iop.models import Contribution, Partnership, Party
from organizations.models import Municipality, Organisation
from workflows.models import Decision, Meeting

#: meeting states in which the minutes are posted: the decisions on them are public
POSTED_STATES = (Meeting.State.POSTED, Meeting.State.FINAL)
GRANTED_OUTCOMES = (Decision.Outcome.GRANTED, Decision.Outcome.PARTLY_GRANTED)


class Kind(models.TextChoices):
    GRANT = "grant", _("grant")
    AWARD = "award", _("award")
    PARTNERSHIP = "partnership", _("partnership (IOP)")


KIND_LABELS = dict(Kind.choices)

#: the columns of a register row, in order (every part of the union yields them)
COLUMNS = [
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
    "r_amount",
    "r_decided_on",
    "r_case_number",
    "r_title",
]


@dataclass
class RegisterFilter:
    committee_id: int | None = None
    program_id: int | None = None
    year: int | None = None
    kind: str = ""
    query: str = ""


def _posted_decisions(model) -> models.QuerySet:
    """Decisions (not annulled, granting) on cases of ``model`` whose minutes are posted."""
    return Decision.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=OuterRef("pk"),
        annulled=False,
        outcome__in=GRANTED_OUTCOMES,
        item__meeting__state__in=POSTED_STATES,
    )


def _grants(municipality: Municipality, f: RegisterFilter) -> models.QuerySet:
    qs = Application.objects.filter(
        round__program__municipality=municipality,
        state__in=Application.GRANTED_STATES,
        decision__annulled=False,
        decision__item__meeting__state__in=POSTED_STATES,
    ).exclude(round__program__kind=Program.Kind.AWARD)
    if f.committee_id:
        qs = qs.filter(round__program__committee_id=f.committee_id)
    if f.program_id:
        qs = qs.filter(round__program_id=f.program_id)
    if f.year:
        qs = qs.filter(round__year=f.year)
    if f.query:
        qs = qs.filter(
            Q(organisation__name__icontains=f.query)
            | Q(title__icontains=f.query)
            | Q(case_number__icontains=f.query)
            | Q(round__program__name__icontains=f.query)
        )
    return qs.values(
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
        r_amount=F("granted_amount"),
        r_decided_on=TruncDate("decision__decided_at"),
        r_case_number=F("case_number"),
        r_title=F("title"),
    )


def _awards(municipality: Municipality, f: RegisterFilter) -> models.QuerySet:
    posted = _posted_decisions(Candidate)
    qs = (
        Candidate.objects.filter(
            round__program__municipality=municipality,
            state__in=Candidate.AWARDED_STATES,
        )
        .exclude(kind=NomineeKind.PERSON)
        .filter(Exists(posted))
    )
    if f.committee_id:
        qs = qs.filter(round__program__committee_id=f.committee_id)
    if f.program_id:
        qs = qs.filter(round__program_id=f.program_id)
    if f.year:
        qs = qs.filter(round__year=f.year)
    if f.query:
        qs = qs.filter(
            Q(name__icontains=f.query)
            | Q(organisation__name__icontains=f.query)
            | Q(case_number__icontains=f.query)
            | Q(round__program__name__icontains=f.query)
        )
    return qs.values(
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


def _partnerships(municipality: Municipality, f: RegisterFilter) -> models.QuerySet:
    unposted = Decision.objects.filter(
        content_type=ContentType.objects.get_for_model(Partnership), object_id=OuterRef("pk"), annulled=False
    ).exclude(item__meeting__state__in=POSTED_STATES)
    qs = Partnership.objects.filter(
        committee__municipality=municipality,
        state__in=Partnership.RUNNING,
        decision_approved=True,
        approved_version__isnull=False,
    ).exclude(Exists(unposted))
    if f.committee_id:
        qs = qs.filter(committee_id=f.committee_id)
    if f.program_id:
        qs = qs.none()
    if f.year:
        qs = qs.filter(
            approved_version__start_date__year__lte=f.year, approved_version__end_date__year__gte=f.year
        )
    if f.query:
        qs = qs.filter(
            Q(organisation__name__icontains=f.query)
            | Q(title__icontains=f.query)
            | Q(case_number__icontains=f.query)
        )
    return qs.values(
        r_kind=Value(Kind.PARTNERSHIP.value, output_field=models.CharField()),
        r_id=F("pk"),
        r_organisation_id=F("organisation_id"),
        r_recipient=F("organisation__name"),
        r_org_number=F("organisation__org_number"),
        r_program_id=Value(None, output_field=IntegerField()),
        r_program=Value("", output_field=models.CharField()),
        r_committee_id=F("committee_id"),
        r_committee=F("committee__name"),
        r_year=ExtractYear("approved_version__start_date"),
        r_amount=Coalesce(_partnership_money(), Value(Decimal(0)), output_field=DecimalField()),
        r_decided_on=F("decided_on"),
        r_case_number=F("case_number"),
        r_title=F("title"),
    )


def register_rows(*, municipality: Municipality, filters: RegisterFilter | None = None) -> models.QuerySet:
    """The public register of ``municipality``: one union query, newest decision first."""
    f = filters or RegisterFilter()
    parts = []
    if f.kind in ("", Kind.GRANT):
        parts.append(_grants(municipality, f))
    if f.kind in ("", Kind.AWARD):
        parts.append(_awards(municipality, f))
    if f.kind in ("", Kind.PARTNERSHIP):
        parts.append(_partnerships(municipality, f))
    if not parts:
        return _grants(municipality, f).none()
    first, *rest = (part.order_by() for part in parts)
    qs = first.union(*rest, all=True) if rest else first
    return qs.order_by("-r_decided_on", "r_kind", "-r_id")


def register_years(*, municipality: Municipality) -> list[int]:
    """The years for which the register has rows (the open-data files on offer), newest first."""
    grant_years = set(
        _grants(municipality, RegisterFilter()).order_by().values_list("r_year", flat=True).distinct()
    )
    award_years = set(
        _awards(municipality, RegisterFilter()).order_by().values_list("r_year", flat=True).distinct()
    )
    terms = (
        _partnerships(municipality, RegisterFilter())
        .order_by()
        .values_list("approved_version__start_date", "approved_version__end_date")
    )
    years = grant_years | award_years
    for start, end in terms:
        if start and end:
            years.update(range(start.year, end.year + 1))
    return sorted((y for y in years if y), reverse=True)


def filter_choices(*, municipality: Municipality) -> dict:
    """Committees and programs offered as filters (two queries)."""
    return {
        "committees": list(municipality.committees.order_by("name").values_list("pk", "name")),
        "programs": list(
            Program.objects.filter(municipality=municipality).order_by("name").values_list("pk", "name")
        ),
    }


def row_dict(row: dict) -> dict:
    """A register row with plain keys, as templates and exports read it."""
    return {
        "kind": row["r_kind"],
        "kind_label": str(KIND_LABELS.get(row["r_kind"], row["r_kind"])),
        "id": row["r_id"],
        "organisation_id": row["r_organisation_id"],
        "recipient": row["r_recipient"] or "",
        "org_number": row["r_org_number"] or "",
        "program_id": row["r_program_id"],
        "program": row["r_program"] or "",
        "committee_id": row["r_committee_id"],
        "committee": row["r_committee"] or "",
        "year": row["r_year"],
        "amount": row["r_amount"] if row["r_amount"] is not None else Decimal(0),
        "decided_on": row["r_decided_on"],
        "case_number": row["r_case_number"] or "",
        "title": row["r_title"] or "",
    }


def received_by_organisation(
    organisation: Organisation, *, municipality: Municipality | None = None
) -> list[dict]:
    """What ``organisation`` received, as the public register shows it (newest first).

    Keys: kind, program, year, amount, decided_on, case_number (and municipality, title).
    One query per municipality the organisation received anything in.
    """
    municipalities = (
        [municipality]
        if municipality is not None
        else list(
            Municipality.objects.filter(
                Q(programs__rounds__applications__organisation=organisation)
                | Q(programs__rounds__award_candidates__organisation=organisation)
                | Q(committees__in=Partnership.objects.filter(organisation=organisation).values("committee"))
            ).distinct()
        )
    )
    result = []
    for m in municipalities:
        parts = [
            _grants(m, RegisterFilter()).filter(organisation=organisation),
            _awards(m, RegisterFilter()).filter(organisation=organisation),
            _partnerships(m, RegisterFilter()).filter(organisation=organisation),
        ]
        first, *rest = (part.order_by() for part in parts)
        for row in first.union(*rest, all=True).order_by("-r_decided_on", "r_kind", "-r_id"):
            d = row_dict(row)
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
                    "municipality": m.slug,
                }
            )
    result.sort(key=lambda r: r["decided_on"] or date.min, reverse=True)
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
