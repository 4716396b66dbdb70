"""An active partnership: steering-group meetings, follow-ups, evaluations, payments, and what
the periodic task advances and reminds.

Each record is made by a permitted user in one transaction; the periodic task changes state only
through logged transitions, performed by the system user, and sends each reminder once.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.models import JointFollowUp
from reporting.services import IndicatorOutcome, joint_follow_up_record
from workflows.services import (
    TransitionRefused,
    outbox_enqueue,
    perform_transition,
    require,
    system_user,
    transition_check,
)

from .. import conditions
from ..models import (
    Evaluation,
    Partnership,
    SteeringMeeting,
)
from .partnerships import _fresh, _link, _locked, _org_emails

# -- while active ------------------------------------------------------------------------------------------


def steering_meeting_record(
    *, partnership: Partnership, held_on: date, attendees: str, notes: str, by
) -> SteeringMeeting:
    partnership = _fresh(partnership)
    require(by, "iop.record_follow_up", partnership)
    if partnership.state not in Partnership.RUNNING:
        raise TransitionRefused([_("Steering group meetings are recorded while the partnership runs.")])
    return SteeringMeeting.objects.create(
        partnership=partnership, held_on=held_on, attendees=attendees, notes=notes, recorded_by=by
    )


def follow_up_record(
    *,
    partnership: Partnership,
    year: int,
    contributions_made: str,
    joint_assessment: str,
    results: dict[int, tuple[Decimal, str]],
    by,
) -> JointFollowUp:
    """Record the yearly follow-up: indicators planned vs achieved, contributions made, a joint assessment.

    The follow-up is ``reporting``'s (``joint_follow_up_record``); the partnership moves on here, in the
    same transaction, once the follow-up that was due is made."""
    partnership = _fresh(partnership)
    require(by, "iop.record_follow_up", partnership)
    if partnership.state not in Partnership.RUNNING or partnership.state == Partnership.State.SIGNED:
        raise TransitionRefused([_("The yearly follow-up is made while the partnership is active.")])
    if year not in partnership.term_years():
        raise ValidationError(_("Year %(year)s is not a year of the term.") % {"year": year})
    with transaction.atomic():
        partnership = _locked(partnership)
        indicators = {i.pk: i for i in partnership.approved_version.indicators.all()}
        follow_up = joint_follow_up_record(
            case=partnership,
            year=year,
            term_start=partnership.term_start,
            due_on=partnership.follow_up_due_on(year),
            contributions_made=contributions_made,
            joint_assessment=joint_assessment,
            results=[
                IndicatorOutcome(
                    key=pk,
                    name=indicators[pk].name,
                    planned=indicators[pk].target,
                    achieved=achieved,
                    comment=comment,
                )
                for pk, (achieved, comment) in results.items()
                if pk in indicators
            ],
            by=by,
        )
        # Nothing needs a person once the follow-up that was due is made: the partnership runs on.
        system = system_user()
        if (
            partnership.state == Partnership.State.FOLLOW_UP_DUE
            and transition_check(partnership, "complete_follow_up", by=system).allowed
        ):
            perform_transition(
                partnership,
                "complete_follow_up",
                by=system,
                reason=_("Follow-up of year %(year)s recorded by %(name)s")
                % {"year": year, "name": by.full_name or by.email},
            )
    return follow_up


def evaluation_record(
    *, partnership: Partnership, summary: str, lessons: str, proposal: str, by
) -> Evaluation:
    partnership = _fresh(partnership)
    require(by, "iop.record_follow_up", partnership)
    if partnership.state != Partnership.State.EVALUATION:
        raise TransitionRefused([_("The evaluation is recorded in the final year, once it has started.")])
    evaluation, _created = Evaluation.objects.update_or_create(
        partnership=partnership,
        term_end=partnership.term_end,
        defaults={"summary": summary, "lessons": lessons, "proposal": proposal, "recorded_by": by},
    )
    return evaluation


def payment_plan(*, partnership: Partnership, period: str, amount: Decimal, by):
    """Plan a payment (``payments.Payment``) of the municipality's money contribution for one period.

    Due at once: the caseworker marks it paid once the agreement is signed by both parties, or it
    goes in the next payment run with the grants."""
    from payments.services import payment_create

    with transaction.atomic():
        partnership = _fresh(partnership)
        require(by, "iop.pay_partnership", partnership)
        if partnership.state not in (Partnership.State.APPROVED, *Partnership.RUNNING):
            raise TransitionRefused(
                [_("Payments are planned once the committee has approved the agreement.")]
            )
        if amount is None or amount <= 0:
            raise ValidationError(_("The amount must be more than 0 kr."))
        if partnership.payments.filter(period=period).exists():
            raise ValidationError(_("A payment for %(period)s is already planned.") % {"period": period})
        return payment_create(
            case=partnership,
            period=period,
            amount=amount,
            due_on=timezone.localdate(),
            reference=f"{partnership.case_number} {period}",
            by=by,
        )


def payment_pay(*, payment, by, paid_on: date | None = None):
    """Mark paid: only to the organisation's registered account, only once the agreement is signed."""
    from payments.services import payment_pay as pay

    return pay(payment=payment, by=by, paid_on=paid_on)


# -- what the periodic task does ---------------------------------------------------------------------------


def partnerships_advance(*, today: date | None = None) -> dict:
    """Start partnerships whose term has begun, mark follow-ups due and remind once of each.

    Safe to run any number of times: transitions only happen from the state
    they start in, and each reminder's outbox key is the partnership, the year and the kind.
    """
    today = today or timezone.localdate()
    system = system_user()
    done = {"activated": 0, "follow_up_due": 0, "reminders": 0}
    running = Partnership.objects.filter(state__in=Partnership.RUNNING).select_related(
        "organisation", "committee", "approved_version", "initiated_by"
    )
    for partnership in running:
        with transaction.atomic():
            if partnership.state in (
                Partnership.State.SIGNED,
                Partnership.State.RENEWED,
            ) and conditions.term_started(partnership):
                perform_transition(partnership, "activate", by=system, reason=_("The term has started"))
                done["activated"] += 1
            if partnership.state == Partnership.State.ACTIVE and conditions.follow_up_outstanding(
                partnership
            ):
                perform_transition(
                    partnership, "require_follow_up", by=system, reason=_("The yearly follow-up is due")
                )
                done["follow_up_due"] += 1
            for year in conditions.outstanding_years(partnership, today):
                due_on = partnership.follow_up_due_on(year)
                kind = "overdue" if due_on < today else "due"
                for_kind = follow_up_reminder(partnership=partnership, year=year, kind=kind, due_on=due_on)
                done["reminders"] += int(for_kind)
    return done


def follow_up_reminder(*, partnership: Partnership, year: int, kind: str, due_on: date) -> bool:
    """One reminder per partnership, term year and kind ("due" or "overdue"); True when written now."""
    from workflows.models import OutboxMessage

    key = f"iop:follow-up:{partnership.pk}:{year}:{kind}"
    if OutboxMessage.objects.filter(key=key).exists():
        return False
    recipients = _org_emails(partnership.organisation)
    to = partnership.organisation.email or (recipients[0] if recipients else "")
    message = outbox_enqueue(
        key=key,
        to=to,
        subject=(
            _("Reminder: the yearly follow-up of %(title)s is due on %(date)s")
            if kind == "due"
            else _("The yearly follow-up of %(title)s was due on %(date)s")
        )
        % {"title": partnership.title, "date": due_on.isoformat()},
        template="iop/email/follow_up_reminder.txt",
        context={
            "partnership": partnership,
            "year": year,
            "due_on": due_on,
            "overdue": kind == "overdue",
            "link": _link("iop:follow_up", pk=partnership.pk, year=year),
        },
    )
    return message is not None
