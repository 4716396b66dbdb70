"""Reclaims: proposed, decided by the committee, invoiced, paid or written off."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.models import Application
from meetings.appeals import appeal_terms
from workflows.deadlines import next_working_day
from workflows.services import (
    case_number_register,
    document_store,
    outbox_enqueue,
    perform_transition,
)
from workflows.templatetags.bidra import kr

from ..models import (
    FollowUpReport,
    Reclaim,
)
from .review import _grantee_email

RC = Reclaim.State


# ---- reclaims ----


def reclaim_propose(
    *,
    application: Application,
    by,
    amount,
    grounds: str,
    motivation: str,
    report: FollowUpReport | None = None,
) -> Reclaim:
    """The caseworker proposes to reclaim (part of) a grant; the committee or a delegate decides."""
    application = Application.objects.select_related("round__program__committee__municipality").get(
        pk=application.pk
    )
    program = application.round.program
    reclaim_probe = Reclaim(program=program, organisation_id=application.organisation_id)
    if not by.has_perm("grants.propose_reclaim", reclaim_probe):
        raise PermissionDenied(_("You do not have permission to do this."))
    errors = []
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, TypeError):
        errors.append(_("Amount: enter a number."))
        amount = None
    if grounds not in Reclaim.Grounds.values:
        errors.append(_("Choose the grounds for the reclaim."))
    if not (motivation or "").strip():
        errors.append(_("Give the motivation for the reclaim."))
    if application.state not in Application.GRANTED_STATES or not application.granted_amount:
        errors.append(_("Only a granted application can be reclaimed."))
    elif amount is not None and not (0 < amount <= application.granted_amount):
        errors.append(
            _("The amount must be above 0 kr and at most the granted %(amount)s.")
            % {"amount": kr(application.granted_amount)}
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Application.objects.select_for_update().get(pk=application.pk)
        if Reclaim.objects.filter(application=application, state=RC.PROPOSED).exists():
            raise ValidationError(_("A reclaim of this grant is already proposed."))
        reclaim = Reclaim.objects.create(
            application=application,
            report=report,
            organisation_id=application.organisation_id,
            program=program,
            grounds=grounds,
            motivation=motivation.strip(),
            amount=amount,
            proposed_by=by,
        )
        case_number_register(
            committee=program.committee,
            title=_("Reclaim: %(organisation)s, %(case)s")
            % {"organisation": application.organisation.name, "case": application.case_number},
            case=reclaim,
            by=by,
        )
    return reclaim


def reclaim_decide(*, reclaim: Reclaim, decision, by) -> Reclaim:
    """Called by the meeting engine (committee or delegated decision) inside its transaction."""
    reclaim = Reclaim.objects.select_for_update(of=("self",)).select_related("application").get(pk=reclaim.pk)
    if decision.outcome in ("granted", "partly_granted"):
        if not decision.amount or decision.amount > (reclaim.application.granted_amount or 0):
            raise ValidationError(_("A reclaim cannot be more than the grant."))
        name = "decide"
        reclaim.decided_amount = decision.amount
    else:
        name = "drop"
    perform_transition(reclaim, name, by=by, reason=(decision.reasons or "")[:500])
    reclaim.decision = decision
    reclaim.save(update_fields=["decided_amount", "decision"])
    if name == "decide" and reclaim.report_id:
        # The reclaim settles the report the grantee still owes: it no longer blocks, the reclaim does.
        report = FollowUpReport.objects.select_for_update().get(pk=reclaim.report_id)
        if report.state in FollowUpReport.OWED_STATES:
            reason = _("Not approved: the grant is reclaimed (%(case)s).") % {"case": reclaim.case_number}
            perform_transition(report, "close_by_reclaim", by=by, reason=reason)
            report.outcome_reasons = reason
            report.save(update_fields=["outcome_reasons", "updated_at"])
    return reclaim


PAY_WITHIN_DAYS = 30
LETTER_KIND = "reclaim_letter"


def reclaim_letter_context(reclaim: Reclaim) -> dict:
    from grants.letters import program_letter_contact

    decision = reclaim.decision
    meeting = decision.item.meeting if decision and decision.item_id else None
    program = reclaim.program
    decided_on = timezone.localtime(decision.decided_at).date() if decision else None
    return {
        "reclaim": reclaim,
        "application": reclaim.application,
        "organisation": reclaim.organisation,
        "program": program,
        "committee": program.committee,
        "municipality": program.municipality,
        "decision": decision,
        "meeting": meeting,
        "decided_on": decided_on,
        "posted_on": meeting.posted_on if meeting else None,
        "appeal_ends_on": meeting.appeal_ends_on if meeting else None,
        # a delegated reclaim's item is its report to the committee, whose posted minutes count
        "appeal": appeal_terms(
            kind=program.appeal_kind,
            court=program.appeal_court,
            committee=program.committee,
            case_number=reclaim.case_number,
            decided_on=decided_on,
            delegated=bool(decision and decision.delegated),
            meeting=meeting,
            reported=bool(decision and decision.delegated),
        ),
        "made_on": timezone.localdate(),
        # the grant's program names the contact; else the delegate, else the caseworker who proposed it
        "contact": program_letter_contact(
            program=program, case=reclaim, decision=decision, prepared_by=reclaim.proposed_by
        ),
    }


def reclaim_invoice(*, reclaim: Reclaim, by) -> Reclaim:
    """Send the reclaim letter (PDF/A) with the amount, the date to pay by and how to appeal."""
    with transaction.atomic():
        reclaim = (
            Reclaim.objects.select_for_update(of=("self",))
            .select_related(
                "program__committee__municipality",
                "organisation",
                "application__created_by",
                "decision__item",
            )
            .get(pk=reclaim.pk)
        )
        perform_transition(reclaim, "invoice", by=by, reason="")
        reclaim.invoiced_at = timezone.now()
        reclaim.pay_by = next_working_day(timezone.localdate() + dt.timedelta(days=PAY_WITHIN_DAYS))
        reclaim.save(update_fields=["invoiced_at", "pay_by"])
        document = document_store(
            subject=reclaim,
            kind=LETTER_KIND,
            title=_("Reclaim letter %(case)s") % {"case": reclaim.case_number},
            template="documents/reclaim_letter.html",
            context=reclaim_letter_context(reclaim),
            by=by,
        )
        outbox_enqueue(
            key=f"reclaim-letter:{reclaim.pk}:{document.version}",
            to=_grantee_email(reclaim),
            subject=_("Reclaim of a grant: %(case)s") % {"case": reclaim.case_number},
            template="reporting/email/reclaim_letter.txt",
            context={
                "reclaim": reclaim,
                "link": settings.SITE_URL + reverse("reporting:reclaim_detail", kwargs={"pk": reclaim.pk}),
            },
        )
    return reclaim


def reclaim_mark_paid(*, reclaim: Reclaim, by, paid_on: dt.date | None = None) -> Reclaim:
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        raise ValidationError(_("The payment date cannot be in the future."))
    with transaction.atomic():
        reclaim = Reclaim.objects.select_for_update().get(pk=reclaim.pk)
        perform_transition(reclaim, "mark_paid", by=by, reason=_("Paid on %(date)s") % {"date": paid_on})
        reclaim.paid_on = paid_on
        reclaim.save(update_fields=["paid_on"])
    return reclaim


def reclaim_write_off(*, reclaim: Reclaim, by, reason: str) -> Reclaim:
    if not reason.strip():
        raise ValidationError(_("Give the reason for writing the reclaim off."))
    with transaction.atomic():
        reclaim = Reclaim.objects.select_for_update().get(pk=reclaim.pk)
        perform_transition(reclaim, "write_off", by=by, reason=reason[:500])
        reclaim.write_off_reason = reason.strip()
        reclaim.save(update_fields=["write_off_reason"])
    return reclaim
