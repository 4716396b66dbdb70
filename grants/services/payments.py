"""Payments of granted applications: plans, the periodic creation of due payments, export and marking.

Payment goes only to the organisation's verified account and only once the decision may be
executed (rule 7).  The payments themselves, their runs, files and states belong to ``payments``;
this module plans a grant's parts and cancels them when the decision is annulled.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.services import TransitionRefused

from ..models import (
    Application,
)

# ---- payments ----


def _split(amount: Decimal, parts: int) -> list[Decimal]:
    """Equal parts in whole kronor; the last part takes what is left."""
    share = (amount / parts).quantize(Decimal("1"), rounding="ROUND_DOWN")
    return [share] * (parts - 1) + [amount - share * (parts - 1)]


def _due_dates(decision, parts: int) -> list[date]:
    """The first part is due now (or when the grant period starts); the others spread over it."""
    from datetime import timedelta

    today = timezone.localdate()
    start = max(today, decision.period_start) if decision.period_start else today
    end = decision.period_end if decision.period_end and decision.period_end > start else None
    span = (end - start) if end else timedelta(days=365)
    return [start + span * i / parts for i in range(parts)]


def payments_plan(*, application: Application, by) -> list:
    """Plan the payments of a granted application, once its decision may be executed.

    Only to the organisation's account in effect, the one every municipality where it is active
    has verified (copied onto each payment; a new account still waiting for verification is never
    used); refused with a clear message when there is none.  Planning twice plans once.
    """
    from meetings.services import decision_may_be_executed
    from payments.models import Payment
    from payments.services import payment_create

    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round__program", "organisation", "decision__item__meeting")
            .get(pk=application.pk)
        )
        decision = application.decision
        if application.state not in Application.GRANTED_STATES or decision is None or not decision.amount:
            raise ValidationError(_("Only a granted application is paid out."))
        existing = list(Payment.objects.filter(decision=decision).order_by("instalment"))
        if existing:
            return existing
        if not decision_may_be_executed(decision):
            raise TransitionRefused(
                [_("The decision may not be executed yet: the minutes of the meeting are not approved.")]
            )
        organisation = application.organisation
        if not (organisation.account_type and organisation.account_number):
            raise ValidationError(
                _(
                    "%(organisation)s has no verified bankgiro or plusgiro account. "
                    "The grant is paid only to the account in the organisation register: "
                    "once the organisation's signatory has registered one and every municipality "
                    "where it is active has verified it, the payment is planned."
                )
                % {"organisation": organisation.name}
            )
        parts = application.round.program.instalments or 1
        payments = []
        for number, (amount, due) in enumerate(
            zip(_split(decision.amount, parts), _due_dates(decision, parts), strict=True), start=1
        ):
            reference = (
                f"{application.case_number} {number}/{parts}" if parts > 1 else application.case_number
            )
            payments.append(
                payment_create(
                    case=application,
                    decision=decision,
                    instalment=number,
                    instalments=parts,
                    amount=amount,
                    due_on=due,
                    reference=reference,
                )
            )
    return payments


#: how far back the hourly catch-up scans (payments, follow-up reports) look for decisions
CATCH_UP_DAYS = 400


def catch_up_since() -> datetime:
    """Decisions made since this moment are caught up by the periodic scans.

    Payments and follow-up reports are made when a decision may be executed (by the service that
    approves the minutes or makes the delegated decision); the hourly scans only catch what that
    missed, such as an organisation that registered its account later.  A decision older than
    ``GRANTS_CATCH_UP_DAYS`` (400 by default) that still has neither is a matter for the
    caseworker, not for a scan over ten years of grants, and a grant imported from before Bidra
    must not get a report that is overdue the day it is made.
    """
    from datetime import timedelta

    return timezone.now() - timedelta(days=getattr(settings, "GRANTS_CATCH_UP_DAYS", CATCH_UP_DAYS))


def grants_executable(**lookups):
    """Granted applications whose decision may be executed (made by delegation, or at a meeting whose
    minutes are approved), decided since ``catch_up_since()`` and filtered by ``lookups``: the
    candidates of the periodic scans for payments and follow-up reports."""
    from django.db.models import Q

    from meetings.models import Meeting

    approved = (Meeting.State.MINUTES_APPROVED, Meeting.State.POSTED, Meeting.State.FINAL)
    return Application.objects.filter(
        state__in=Application.GRANTED_STATES,
        decision__isnull=False,
        decision__annulled=False,
        decision__decided_at__gte=catch_up_since(),
        **lookups,
    ).filter(Q(decision__delegation__isnull=False) | Q(decision__item__meeting__state__in=approved))


def payments_create_due() -> dict:
    """Periodic (and after minutes are approved): plan the payments of every granted application
    whose decision may now be executed.  Returns how many were planned and refused."""
    from workflows.services import system_user

    candidates = grants_executable(payments__isnull=True).values_list("pk", flat=True).distinct()
    by = system_user()
    result = {"planned": 0, "refused": 0}
    for pk in list(candidates):
        try:
            payments_plan(application=Application(pk=pk), by=by)
        except (ValidationError, TransitionRefused):
            result["refused"] += 1
        else:
            result["planned"] += 1
    return result


def payments_cancel_for_annulled_decision(*, decision, by) -> list:
    """Cancel the unpaid parts of a decision annulled on appeal; paid parts stay paid (a reclaim
    is its own decision).  Runs inside the transaction that records the appeal's outcome."""
    from payments.models import Payment
    from payments.services import payment_cancel
    from workflows.services import system_user

    reason = _("The decision was annulled on appeal (recorded by %(name)s).") % {
        "name": by.get_full_name() or by.email
    }
    unpaid = Payment.objects.filter(
        decision=decision, state__in=[Payment.State.PLANNED, Payment.State.EXPORTED]
    )
    return [payment_cancel(payment=p, by=system_user(), reason=reason) for p in unpaid.order_by("instalment")]
