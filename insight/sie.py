"""The bookkeeping file for the municipality's ledger: SIE 4, type 4I (verifications to import).

One verification for each event of a period: a grant decided (program account against the
liability for decided grants), a grant paid (liability against the bank), a reclaim decided
(receivable against the program account), a reclaim paid back (bank against the receivable) and a
partnership contribution paid (partnership account against the bank).  A program's own account,
cost centre (dimension 1) and project (dimension 6) are set on the program; the other accounts come
from the ``SIE_ACCOUNTS`` setting.  The file is written in PC8 (code page 437), as SIE requires.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings

#: the dimensions Bidra books on, numbered as SIE reserves them
DIMENSIONS = {"1": "Kostnadsställe", "6": "Projekt"}

ACCOUNT_NAMES = {
    "bank": "Bank",
    "liability": "Beslutade bidrag, ej utbetalda",
    "receivable": "Återkrav av bidrag",
    "grants": "Lämnade bidrag till föreningar",
    "partnerships": "Bidrag inom idéburet offentligt partnerskap",
}


@dataclass(frozen=True)
class Transaction:
    account: str
    amount: Decimal
    cost_centre: str = ""
    project: str = ""


@dataclass
class Verification:
    on: date
    text: str
    transactions: list[Transaction] = field(default_factory=list)


@dataclass
class Ledger:
    """What the file says: who it is for, the accounts and objects it uses, its verifications."""

    company: str
    org_number: str
    generated_on: date
    generated_by: str
    series: str = "B"
    #: the chart of accounts (#KPTYP), e.g. BAS2014; empty: not said
    chart: str = ""
    accounts: dict[str, str] = field(default_factory=dict)
    #: (dimension, object) -> name
    objects: dict[tuple[str, str], str] = field(default_factory=dict)
    verifications: list[Verification] = field(default_factory=list)


def quoted(value: str) -> str:
    """A SIE string: in quotes, one line, a quote inside written as \\"."""
    text = " ".join(str(value).split()).replace("\\", "/").replace('"', '\\"')
    return f'"{text}"'


def amount(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def object_list(transaction: Transaction) -> str:
    parts = []
    if transaction.cost_centre:
        parts.append(f"1 {quoted(transaction.cost_centre)}")
    if transaction.project:
        parts.append(f"6 {quoted(transaction.project)}")
    return "{" + " ".join(parts) + "}"


def lines(ledger: Ledger, *, program: str = "Bidra", version: str = "1.0") -> list[str]:
    # in the order the specification gives: identification, then the chart of accounts, then verifications
    out = [
        "#FLAGGA 0",
        f"#PROGRAM {quoted(program)} {quoted(version)}",
        "#FORMAT PC8",
        f"#GEN {_day(ledger.generated_on)} {quoted(ledger.generated_by)}",
        "#SIETYP 4",
        f"#ORGNR {ledger.org_number}",
        f"#FNAMN {quoted(ledger.company)}",
    ]
    if ledger.chart:
        out.append(f"#KPTYP {ledger.chart}")
    out += [f"#KONTO {number} {quoted(name)}" for number, name in sorted(ledger.accounts.items())]
    out += [f"#DIM {number} {quoted(name)}" for number, name in DIMENSIONS.items()]
    out += [
        f"#OBJEKT {dim} {quoted(obj)} {quoted(name)}" for (dim, obj), name in sorted(ledger.objects.items())
    ]
    for verification in ledger.verifications:
        out.append(f'#VER {quoted(ledger.series)} "" {_day(verification.on)} {quoted(verification.text)}')
        out.append("{")
        out += [
            f"   #TRANS {t.account} {object_list(t)} {amount(t.amount)}" for t in verification.transactions
        ]
        out.append("}")
    return out


def content(ledger: Ledger) -> bytes:
    """The file's bytes: PC8 (code page 437), lines ending in CR LF; a character PC8 lacks becomes ?."""
    return ("\r\n".join(lines(ledger)) + "\r\n").encode("cp437", errors="replace")


# ---- the period's events, from grants, reclaims and partnerships ----


def _in_period(value, start: date, end: date) -> bool:
    if isinstance(value, datetime):
        from django.utils import timezone

        value = timezone.localdate(value)
    return value is not None and start <= value <= end


def ledger_for_period(
    *, municipality, start: date, end: date, by, committees: Iterable[int] | None = None
) -> Ledger:
    """The municipality's decided and paid grants, reclaims and partnership contributions in
    ``start``–``end`` (both days included), oldest first.  ``committees``: only these (None: all)."""
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.contenttypes.prefetch import GenericPrefetch
    from django.utils import timezone

    from grants.models import Application
    from iop.models import Partnership
    from organizations.validators import org_number_format
    from payments.models import Payment
    from reporting.models import Reclaim

    names = getattr(settings, "SIE_ACCOUNTS", {})
    ledger = Ledger(
        company=municipality.name,
        org_number=org_number_format(municipality.org_number),
        generated_on=timezone.localdate(),
        generated_by=by.get_full_name() or by.email,
        series=getattr(settings, "SIE_SERIES", "B"),
        chart=getattr(settings, "SIE_CHART", ""),
    )
    used = set()

    def program_side(program, value: Decimal) -> Transaction:
        account = program.ledger_account or names["grants"]
        used.add(account)
        if account != names["grants"]:
            ledger.accounts.setdefault(account, program.name)
        if program.cost_centre:
            ledger.objects.setdefault(("1", program.cost_centre), program.name)
        if program.ledger_project:
            ledger.objects.setdefault(("6", program.ledger_project), program.name)
        return Transaction(account, value, program.cost_centre, program.ledger_project)

    def other(key: str, value: Decimal) -> Transaction:
        used.add(names[key])
        return Transaction(names[key], value)

    events = []
    decided = Application.objects.filter(
        round__program__municipality=municipality,
        decision__isnull=False,
        decision__annulled=False,
        decision__amount__gt=0,
        decision__decided_at__date__gte=start,
        decision__decided_at__date__lte=end,
    ).select_related("decision", "organisation", "round__program")
    if committees is not None:
        decided = decided.filter(round__program__committee_id__in=committees)
    for application in decided:
        value = application.decision.amount
        when = timezone.localdate(application.decision.decided_at)
        if not _in_period(when, start, end):
            continue
        events.append(
            Verification(
                when,
                f"Beviljat bidrag {application.case_number} {application.organisation.name}",
                [program_side(application.round.program, value), other("liability", -value)],
            )
        )
    paid_in_period = Payment.objects.filter(
        municipality=municipality, state=Payment.State.PAID, paid_on__gte=start, paid_on__lte=end
    )
    paid = paid_in_period.filter(content_type=ContentType.objects.get_for_model(Application))
    if committees is not None:
        paid = paid.filter(
            object_id__in=Application.objects.filter(round__program__committee_id__in=committees).values("pk")
        )
    for payment in paid:
        events.append(
            Verification(
                payment.paid_on,
                f"Utbetalt bidrag {payment.reference} {payment.organisation_name}",
                [other("liability", payment.amount), other("bank", -payment.amount)],
            )
        )
    reclaims = Reclaim.objects.filter(
        program__municipality=municipality,
        decision__isnull=False,
        decided_amount__gt=0,
        state__in=[
            Reclaim.State.DECIDED,
            Reclaim.State.INVOICED,
            Reclaim.State.PAID,
            Reclaim.State.WRITTEN_OFF,
        ],
    ).select_related("decision", "program", "organisation")
    if committees is not None:
        reclaims = reclaims.filter(program__committee_id__in=committees)
    for reclaim in reclaims:
        value = reclaim.decided_amount
        when = timezone.localdate(reclaim.decision.decided_at)
        if _in_period(when, start, end):
            events.append(
                Verification(
                    when,
                    f"Återkrav {reclaim.case_number} {reclaim.organisation.name}",
                    [other("receivable", value), program_side(reclaim.program, -value)],
                )
            )
        if reclaim.state == Reclaim.State.PAID and _in_period(reclaim.paid_on, start, end):
            events.append(
                Verification(
                    reclaim.paid_on,
                    f"Återbetalt återkrav {reclaim.case_number} {reclaim.organisation.name}",
                    [other("bank", value), other("receivable", -value)],
                )
            )
    contributions = paid_in_period.filter(
        content_type=ContentType.objects.get_for_model(Partnership)
    ).prefetch_related(GenericPrefetch("case", [Partnership.objects.select_related("organisation")]))
    if committees is not None:
        contributions = contributions.filter(
            object_id__in=Partnership.objects.filter(committee_id__in=committees).values("pk")
        )
    for contribution in contributions:
        partnership = contribution.case
        events.append(
            Verification(
                contribution.paid_on,
                f"IOP-bidrag {partnership.case_number} {partnership.organisation.name} {contribution.period}",
                [other("partnerships", contribution.amount), other("bank", -contribution.amount)],
            )
        )
    for key in ("bank", "liability", "receivable", "grants", "partnerships"):
        if names[key] in used:
            ledger.accounts.setdefault(names[key], ACCOUNT_NAMES[key])
    ledger.accounts = {k: v for k, v in ledger.accounts.items() if k in used}
    ledger.verifications = sorted(events, key=lambda v: v.on)
    return ledger
