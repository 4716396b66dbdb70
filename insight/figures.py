"""Figures for the staff dashboards of one municipality and year.

Each section is a ``Table`` (caption, column headings, rows) with the chart drawn from it;
the page shows the chart with the table behind it, and the same table is exported as CSV
or XLSX.  Every section costs a fixed number of queries, whatever the number of grants.
"""

from __future__ import annotations

import statistics as pystats
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import ExtractYear
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from awards.models import Candidate
from grants.models import Application, FormField, Program, ProgramBudget
from iop.models import Contribution, Partnership, Party
from organizations.models import Municipality, Organisation
from payments.models import Payment

from . import charts

TARGET_GROUP_WORDS = ("målgrupp", "target group")


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    #: indexes of columns holding amounts in kronor
    money: tuple[int, ...] = ()
    #: indexes of numeric columns (right-aligned)
    numeric: tuple[int, ...] = ()
    chart: SafeString | str = ""
    note: str = ""
    available: bool = True


def _programs(municipality: Municipality) -> list[Program]:
    return list(
        Program.objects.filter(municipality=municipality).select_related("committee").order_by("name", "pk")
    )


def _d(value) -> Decimal:
    return value if value is not None else Decimal(0)


# -- the follow-up reports (built in reporting) ---------------------------------------------


def reporting_statistics(*, program_ids: list[int], year: int) -> dict[int, dict] | None:
    """Follow-up figures per program, or None when follow-up reporting is not available."""
    try:
        from reporting.selectors import program_year_statistics
    except ImportError:
        return None
    return program_year_statistics(program_ids=program_ids, year=year)


# -- sections ---------------------------------------------------------------------------------------


def budget_table(municipality: Municipality, year: int, *, programs=None, reporting=None) -> Table:
    programs = programs if programs is not None else _programs(municipality)
    ids = [p.pk for p in programs]
    budgets = dict(
        ProgramBudget.objects.filter(program_id__in=ids, year=year).values_list("program_id", "amount")
    )
    granted = dict(
        Application.objects.filter(
            round__program_id__in=ids, round__year=year, state__in=Application.GRANTED_STATES
        )
        .order_by()
        .values("round__program_id")
        .annotate(s=Sum("granted_amount"))
        .values_list("round__program_id", "s")
    )
    awarded = dict(
        Candidate.objects.filter(
            round__program_id__in=ids, round__year=year, state__in=Candidate.AWARDED_STATES
        )
        .order_by()
        .values("round__program_id")
        .annotate(s=Sum("awarded_amount"))
        .values_list("round__program_id", "s")
    )
    paid = dict(
        Payment.objects.filter(
            application__round__program_id__in=ids, application__round__year=year, state=Payment.State.PAID
        )
        .order_by()
        .values("application__round__program_id")
        .annotate(s=Sum("amount"))
        .values_list("application__round__program_id", "s")
    )
    if reporting is None:
        reporting = reporting_statistics(program_ids=ids, year=year)
    table = Table(
        key="budget",
        title=_("Budget, granted, paid and reclaimed per program %(year)s") % {"year": year},
        columns=[_("Program"), _("Budget"), _("Granted"), _("Paid"), _("Reclaimed")],
        money=(1, 2, 3, 4),
        numeric=(1, 2, 3, 4),
    )
    for program in programs:
        reclaimed = reporting.get(program.pk, {}).get("reclaimed_amount") if reporting is not None else None
        table.rows.append(
            [
                program.name,
                _d(budgets.get(program.pk)),
                _d(granted.get(program.pk)) + _d(awarded.get(program.pk)),
                _d(paid.get(program.pk)),
                _d(reclaimed) if reporting is not None else None,
            ]
        )
    if reporting is None:
        table.note = _("Reclaims are not available: follow-up reporting is not in use.")
    series = [(_("Budget"), [r[1] for r in table.rows]), (_("Granted"), [r[2] for r in table.rows])]
    series.append((_("Paid"), [r[3] for r in table.rows]))
    table.chart = charts.grouped_bars(
        title=table.title, labels=[r[0] for r in table.rows], series=series, money=True
    )
    return table


def states_table(municipality: Municipality, year: int, **_kw) -> Table:
    counts = (
        Application.objects.filter(round__program__municipality=municipality, round__year=year)
        .exclude(state=Application.State.DRAFT)
        .order_by()
        .values("round_id", "round__name", "round__program__name", "state")
        .annotate(n=Count("pk"))
    )
    states = [s for s in Application.State if s != Application.State.DRAFT]
    by_round: dict[int, dict] = {}
    for row in counts:
        entry = by_round.setdefault(
            row["round_id"],
            {"label": f"{row['round__program__name']}: {row['round__name']}", "counts": defaultdict(int)},
        )
        entry["counts"][row["state"]] += row["n"]
    used = [s for s in states if any(e["counts"][s] for e in by_round.values())]
    table = Table(
        key="states",
        title=_("Applications by state and round %(year)s") % {"year": year},
        columns=[_("Round"), *[str(s.label) for s in used], _("Total")],
        numeric=tuple(range(1, len(used) + 2)),
    )
    for _round_id, entry in sorted(by_round.items(), key=lambda kv: kv[1]["label"]):
        values = [entry["counts"][s] for s in used]
        table.rows.append([entry["label"], *values, sum(values)])
    table.chart = charts.stacked_bars(
        title=table.title,
        labels=[r[0] for r in table.rows],
        series=[(str(s.label), [r[i + 1] for r in table.rows]) for i, s in enumerate(used)],
    )
    return table


def decision_time_table(municipality: Municipality, year: int, *, programs=None, **_kw) -> Table:
    programs = programs if programs is not None else _programs(municipality)
    rows = Application.objects.filter(
        round__program__municipality=municipality,
        round__year=year,
        state__in=Application.DECIDED_STATES,
        submitted_at__isnull=False,
        decision__isnull=False,
    ).values_list("round__program_id", "submitted_at", "decision__decided_at")
    days: dict[int, list[int]] = defaultdict(list)
    for program_id, submitted, decided in rows:
        days[program_id].append(max(0, (decided - submitted).days))
    table = Table(
        key="decision_time",
        title=_("Days from submission to decision %(year)s") % {"year": year},
        columns=[_("Program"), _("Decisions"), _("Median (days)"), _("Shortest"), _("Longest")],
        numeric=(1, 2, 3, 4),
    )
    for program in programs:
        values = days.get(program.pk)
        if not values:
            continue
        table.rows.append(
            [program.name, len(values), round(pystats.median(values)), min(values), max(values)]
        )
    table.chart = charts.bars(
        title=table.title, labels=[r[0] for r in table.rows], values=[r[2] for r in table.rows]
    )
    return table


def compliance_table(municipality: Municipality, year: int, *, programs=None, reporting=None, **_kw) -> Table:
    programs = programs if programs is not None else _programs(municipality)
    if reporting is None:
        reporting = reporting_statistics(program_ids=[p.pk for p in programs], year=year)
    table = Table(
        key="reporting",
        title=_("Follow-up reports %(year)s") % {"year": year},
        columns=[
            _("Program"),
            _("Reports due"),
            _("On time"),
            _("Late"),
            _("Missing"),
            _("Approved"),
            _("Not approved"),
            _("Reclaimed"),
            _("Reclaims paid back"),
        ],
        numeric=(1, 2, 3, 4, 5, 6, 7, 8),
        money=(7, 8),
    )
    if reporting is None:
        table.available = False
        table.note = _("Not available: follow-up reporting is not in use.")
        return table
    for program in programs:
        s = reporting.get(program.pk)
        if not s or not s.get("total"):
            continue
        table.rows.append(
            [
                program.name,
                s.get("total", 0),
                s.get("on_time", 0),
                s.get("late", 0),
                s.get("missing", 0),
                s.get("approved", 0),
                s.get("not_approved", 0),
                _d(s.get("reclaimed_amount")),
                _d(s.get("reclaim_paid_amount")),
            ]
        )
    table.chart = charts.stacked_bars(
        title=table.title,
        labels=[r[0] for r in table.rows],
        series=[(table.columns[i], [r[i] for r in table.rows]) for i in (2, 3, 4)],
    )
    return table


def organisation_kind_table(municipality: Municipality, year: int, **_kw) -> Table:
    rows = (
        Application.objects.filter(
            round__program__municipality=municipality, round__year=year, state__in=Application.GRANTED_STATES
        )
        .order_by()
        .values("organisation__kind")
        .annotate(n=Count("pk"), s=Sum("granted_amount"))
    )
    labels = dict(Organisation.Kind.choices)
    table = Table(
        key="organisation_kind",
        title=_("Granted by kind of organisation %(year)s") % {"year": year},
        columns=[_("Kind of organisation"), _("Grants"), _("Granted")],
        numeric=(1, 2),
        money=(2,),
    )
    for row in sorted(rows, key=lambda r: -_d(r["s"])):
        kind = row["organisation__kind"]
        table.rows.append([str(labels.get(kind, kind)), row["n"], _d(row["s"])])
    table.chart = charts.bars(
        title=table.title, labels=[r[0] for r in table.rows], values=[r[2] for r in table.rows], money=True
    )
    return table


def target_group_table(municipality: Municipality, year: int, **_kw) -> Table:
    """Granted per target group: the answer to each program's choice question about its target group."""
    q = Q()
    for word in TARGET_GROUP_WORDS:
        q |= Q(label__icontains=word)
    fields = list(
        FormField.objects.filter(
            q,
            program__municipality=municipality,
            kind__in=[FormField.Kind.CHOICE, FormField.Kind.MULTIPLE_CHOICE],
        )
        .order_by("program_id", "order", "pk")
        .values_list("program_id", "pk")
    )
    keys: dict[int, str] = {}
    for program_id, pk in fields:
        keys.setdefault(program_id, f"field:{pk}")
    table = Table(
        key="target_group",
        title=_("Granted by target group %(year)s") % {"year": year},
        columns=[_("Target group"), _("Grants"), _("Granted")],
        numeric=(1, 2),
        money=(2,),
    )
    if keys:
        from django.db.models import Case, CharField, When

        answer = Case(
            *[
                When(round__program_id=pid, then=KeyTextTransform(key, "answers"))
                for pid, key in keys.items()
            ],
            default=None,
            output_field=CharField(),
        )
        rows = (
            Application.objects.filter(
                round__program_id__in=list(keys),
                round__year=year,
                state__in=Application.GRANTED_STATES,
            )
            .annotate(target=answer)
            .order_by()
            .values("target")
            .annotate(n=Count("pk"), s=Sum("granted_amount"))
        )
        for row in sorted(rows, key=lambda r: -_d(r["s"])):
            table.rows.append([row["target"] or _("Not stated"), row["n"], _d(row["s"])])
    else:
        table.note = _("No program asks for a target group.")
    table.chart = charts.bars(
        title=table.title, labels=[r[0] for r in table.rows], values=[r[2] for r in table.rows], money=True
    )
    return table


def partnership_table(municipality: Municipality, year: int, **_kw) -> Table:
    """What each party puts into the running partnerships in ``year``, by kind of contribution."""
    rows = (
        Contribution.objects.filter(
            version__partnership__committee__municipality=municipality,
            version__partnership__state__in=Partnership.RUNNING,
            version__partnership__approved_version=F("version"),
        )
        .annotate(calendar_year=ExtractYear("version__start_date") + F("year") - 1)
        .filter(calendar_year=year)
        .order_by()
        .values("party", "kind")
        .annotate(s=Sum("value"))
    )
    kinds = list(Contribution.Kind)
    parties = list(Party)
    values = {(r["party"], r["kind"]): _d(r["s"]) for r in rows}
    table = Table(
        key="partnerships",
        title=_("Contributions to partnerships by party %(year)s") % {"year": year},
        columns=[_("Party"), *[str(k.label) for k in kinds], _("Total")],
        numeric=tuple(range(1, len(kinds) + 2)),
        money=tuple(range(1, len(kinds) + 2)),
    )
    for party in parties:
        amounts = [values.get((party.value, k.value), Decimal(0)) for k in kinds]
        table.rows.append([str(party.label), *amounts, sum(amounts, Decimal(0))])
    table.chart = charts.stacked_bars(
        title=table.title,
        labels=[r[0] for r in table.rows],
        series=[(str(k.label), [r[i + 1] for r in table.rows]) for i, k in enumerate(kinds)],
        money=True,
    )
    return table


def trend_table(municipality: Municipality, year: int, **_kw) -> Table:
    first = year - 4
    rows = dict(
        Application.objects.filter(
            round__program__municipality=municipality,
            round__year__gte=first,
            round__year__lte=year,
            state__in=Application.GRANTED_STATES,
        )
        .order_by()
        .values("round__year")
        .annotate(s=Sum("granted_amount"))
        .values_list("round__year", "s")
    )
    table = Table(
        key="trend",
        title=_("Granted per year %(first)s–%(last)s") % {"first": first, "last": year},
        columns=[_("Year"), _("Granted")],
        numeric=(1,),
        money=(1,),
    )
    for y in range(first, year + 1):
        table.rows.append([str(y), _d(rows.get(y))])
    table.chart = charts.line(
        title=table.title, labels=[r[0] for r in table.rows], values=[r[1] for r in table.rows], money=True
    )
    return table


SECTIONS: dict[str, Callable[..., Table]] = {
    "budget": budget_table,
    "trend": trend_table,
    "states": states_table,
    "decision_time": decision_time_table,
    "reporting": compliance_table,
    "organisation_kind": organisation_kind_table,
    "target_group": target_group_table,
    "partnerships": partnership_table,
}


#: how long the dashboard's figures are reused before they are counted again (seconds)
DASHBOARD_CACHE_SECONDS = 300


def dashboard_cached(*, municipality: Municipality, year: int) -> tuple[list[Table], datetime]:
    """The dashboard's tables and when they were counted: counted at most every few minutes.

    Every section aggregates the whole year of the municipality (about twenty queries over the
    year's applications, payments and reports); staff reloading the page, or several staff of
    the same municipality, read the same figures for ``DASHBOARD_CACHE_SECONDS``.  The key holds
    the language, since the tables' headings are translated when they are made.
    """
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import timezone
    from django.utils.translation import get_language

    seconds = getattr(settings, "INSIGHT_DASHBOARD_CACHE_SECONDS", DASHBOARD_CACHE_SECONDS)
    key = f"insight:dashboard:v1:{municipality.pk}:{year}:{get_language()}"
    cached = cache.get(key) if seconds else None
    if cached is not None:
        return cached
    result = (dashboard(municipality=municipality, year=year), timezone.now())
    if seconds:
        cache.set(key, result, seconds)
    return result


def dashboard(*, municipality: Municipality, year: int) -> list[Table]:
    programs = _programs(municipality)
    reporting = reporting_statistics(program_ids=[p.pk for p in programs], year=year)
    kw = {"programs": programs, "reporting": reporting}
    return [section(municipality, year, **kw) for section in SECTIONS.values()]


def section(*, municipality: Municipality, year: int, key: str) -> Table | None:
    make = SECTIONS.get(key)
    return make(municipality, year) if make else None


def committee_year_summary(*, committee, year: int) -> dict:
    """The committee's year for its annual report: what was granted, to how many, how follow-up went."""
    programs = list(Program.objects.filter(committee=committee).order_by("name", "pk"))
    ids = [p.pk for p in programs]
    reporting = reporting_statistics(program_ids=ids, year=year)
    granted = {
        row["round__program_id"]: row
        for row in Application.objects.filter(
            round__program_id__in=ids, round__year=year, state__in=Application.GRANTED_STATES
        )
        .order_by()
        .values("round__program_id")
        .annotate(n=Count("pk"), s=Sum("granted_amount"), orgs=Count("organisation_id", distinct=True))
    }
    decided = dict(
        Application.objects.filter(
            round__program_id__in=ids, round__year=year, state__in=Application.DECIDED_STATES
        )
        .order_by()
        .values("round__program_id")
        .annotate(n=Count("pk"))
        .values_list("round__program_id", "n")
    )
    awards = {
        row["round__program_id"]: row
        for row in Candidate.objects.filter(
            round__program_id__in=ids, round__year=year, state__in=Candidate.AWARDED_STATES
        )
        .order_by()
        .values("round__program_id")
        .annotate(n=Count("pk"), s=Sum("awarded_amount"))
    }
    budgets = dict(
        ProgramBudget.objects.filter(program_id__in=ids, year=year).values_list("program_id", "amount")
    )
    organisations = (
        Application.objects.filter(
            round__program_id__in=ids, round__year=year, state__in=Application.GRANTED_STATES
        )
        .values("organisation_id")
        .distinct()
        .count()
    )
    rows = []
    for program in programs:
        g = granted.get(program.pk, {})
        a = awards.get(program.pk, {})
        rows.append(
            {
                "program": program,
                "budget": budgets.get(program.pk),
                "decided": decided.get(program.pk, 0),
                "granted_count": (g.get("n") or 0) + (a.get("n") or 0),
                "granted": _d(g.get("s")) + _d(a.get("s")),
                "organisations": g.get("orgs") or 0,
                "reporting": (reporting or {}).get(program.pk),
            }
        )
    partnerships = Partnership.objects.filter(
        committee=committee,
        state__in=Partnership.RUNNING,
        approved_version__start_date__year__lte=year,
        approved_version__end_date__year__gte=year,
    ).count()
    return {
        "committee": committee,
        "municipality": committee.municipality,
        "year": year,
        "rows": rows,
        "total_granted": sum((r["granted"] for r in rows), Decimal(0)),
        "total_count": sum(r["granted_count"] for r in rows),
        "total_decided": sum(r["decided"] for r in rows),
        "organisations": organisations,
        "partnerships": partnerships,
        "reporting_available": reporting is not None,
        "reporting_totals": _sum_reporting(reporting, ids) if reporting is not None else None,
    }


def _sum_reporting(reporting: dict, ids: list[int]) -> dict:
    keys = (
        "total",
        "on_time",
        "late",
        "missing",
        "approved",
        "not_approved",
        "reclaimed_amount",
        "reclaim_paid_amount",
    )
    totals = {k: 0 for k in keys}
    for pid in ids:
        for k in keys:
            totals[k] += (reporting.get(pid) or {}).get(k) or 0
    return totals
