"""Approval and posting of the minutes, appeals, and when a decision may be executed or is final.

A decision may be executed once its minutes are approved, and is final three weeks after
they are posted unless appealed (rule 4); each meeting's step is a logged transition.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import appeals
from meetings.models import AgendaItem, Appeal, Decision, Meeting, all_items_decided
from organizations.models import User
from workflows.checks import refusal
from workflows.queue import delay_on_commit
from workflows.services import TransitionRefused, perform_transition, require, system_user
from workflows.services import transition_check as _transition_check
from workflows.statelog import state_logs_batched

from .notices import minutes_notice_create

# -- approval, posting, finality ------------------------------------------------------------------


def minutes_approve(*, meeting: Meeting, by: User) -> Meeting:
    """An adjuster approves the minutes; when both have, the minutes are approved (justerat)."""
    from meetings import tasks

    require(by, "meetings.approve_minutes", meeting)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.state != Meeting.State.HELD:
            raise TransitionRefused([_("Only the minutes of a held meeting can be approved.")])
        if not all_items_decided(meeting):
            raise TransitionRefused([refusal(all_items_decided)])
        attendance = meeting.attendances.select_for_update().get(user=by, adjuster=True)
        if attendance.approved_at is not None:
            raise TransitionRefused([_("You have approved these minutes already.")])
        attendance.approved_at = timezone.now()
        attendance.save(update_fields=["approved_at"])
        if _transition_check(meeting, "approve_minutes", by=by).allowed:
            perform_transition(meeting, "approve_minutes", by=by, reason=_("Both adjusters have approved."))
            delay_on_commit(tasks.meeting_documents_make, meeting.pk, by.pk, ["minutes", "extracts"])
            from ..signals import minutes_approved

            approved = meeting
            transaction.on_commit(lambda: minutes_approved.send(sender=Meeting, meeting=approved, by=by))
    return meeting


def meeting_post(*, meeting: Meeting, posted_on: dt.date, by: User, kept_at: str = "") -> Meeting:
    """Post the approved minutes (anslag); the appeal period of three weeks starts.

    Their notice goes up on the municipality's notice board in the same transaction.

    The minutes are made again with their posting certificate (anslagsbevis), and the case apps
    make the letters of the meeting's decisions now that they can state the last day to appeal.
    """
    from meetings import tasks

    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if posted_on > timezone.localdate():
            raise ValidationError(_("The minutes cannot be posted on a future date."))
        if posted_on < timezone.localtime(meeting.starts_at).date():
            raise ValidationError(_("The minutes cannot be posted before the meeting."))
        perform_transition(meeting, "post", by=by, reason=_("Posted on %(date)s") % {"date": posted_on})
        meeting.posted_on = posted_on
        meeting.posted_at = timezone.now()
        meeting.appeal_ends_on = appeal_period_end(posted_on)
        meeting.minutes_kept_at = kept_at.strip()[:200] or minutes_kept_at_default(meeting)
        meeting.save(update_fields=["posted_on", "posted_at", "appeal_ends_on", "minutes_kept_at"])
        minutes_notice_create(meeting=meeting, by=by)
        delay_on_commit(tasks.meeting_documents_make, meeting.pk, by.pk, ["minutes"])
        from ..signals import minutes_posted

        posted = meeting
        transaction.on_commit(lambda: minutes_posted.send(sender=Meeting, meeting=posted, by=by))
    return meeting


def minutes_kept_at_default(meeting: Meeting) -> str:
    """Where the minutes are kept unless the secretary says otherwise: the committee's office."""
    return _("The office of %(committee)s, %(municipality)s") % {
        "committee": meeting.committee.name,
        "municipality": meeting.committee.municipality.name,
    }


def appeal_period_end(posted_on: dt.date) -> dt.date:
    """The last day to appeal: three weeks after posting, moved off a weekend or holiday."""
    return appeals.appeal_period_end(posted_on)


def meeting_make_final(*, meeting: Meeting, by: User) -> Meeting:
    """The appeal period has passed: every decision not under appeal becomes final (laga kraft)."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        perform_transition(meeting, "make_final", by=by, reason=_("The appeal period has passed."))
        due = (
            Decision.objects.select_for_update(of=("self",))
            .filter(item__meeting=meeting, state=Decision.State.STANDING)
            .exclude(appeals__outcome=Appeal.Outcome.PENDING)
        )
        with state_logs_batched():
            for decision in due:
                perform_transition(
                    decision,
                    "make_final",
                    by=by,
                    reason=_("The appeal period has passed."),
                    save_fields=["final_at"],
                )
    return meeting


def meetings_finalise_due(*, today: dt.date | None = None) -> int:
    """The periodic check: make final every posted meeting whose appeal period has passed."""
    today = today or timezone.localdate()
    by = system_user()
    count = 0
    for meeting in Meeting.objects.filter(state=Meeting.State.POSTED, appeal_ends_on__lt=today):
        try:
            meeting_make_final(meeting=meeting, by=by)
        except TransitionRefused:
            continue
        count += 1
    return count


def appeal_register(
    *, item: AgendaItem, appellant: str, lodged_on: dt.date, by: User, kind: str = Appeal.Kind.LEGALITY
) -> Appeal:
    """Register an appeal against an item's decision: it is not final until the appeal is resolved."""
    require(by, "meetings.register_appeal", item)
    with transaction.atomic():
        meeting = Meeting.objects.get(pk=item.meeting_id)
        decision = Decision.objects.select_for_update().filter(item=item).first()
        if decision is None:
            raise TransitionRefused([_("There is no decision to appeal yet.")])
        if meeting.posted_on is None:
            raise TransitionRefused([_("An appeal can be registered once the minutes are posted.")])
        if lodged_on > timezone.localdate():
            raise ValidationError(_("The appeal cannot be lodged on a future date."))
        if lodged_on > meeting.appeal_ends_on:
            raise ValidationError(
                _("The appeal period ended on %(date)s; this appeal came in too late.")
                % {"date": meeting.appeal_ends_on}
            )
        appeal = Appeal.objects.create(
            decision=decision, kind=kind, appellant=appellant, lodged_on=lodged_on, registered_by=by
        )
        if decision.state == Decision.State.FINAL:
            perform_transition(
                decision,
                "appeal",
                by=by,
                reason=_("Appealed by %(appellant)s on %(date)s.")
                % {"appellant": appellant, "date": lodged_on},
            )
    return appeal


def appeal_resolve(*, appeal: Appeal, outcome: str, resolved_on: dt.date, note: str = "", by: User) -> Appeal:
    """Record how an appeal ended.  Annulled: the decision is void.  Otherwise it stands, and is
    final once the appeal period has passed and no other appeal is pending."""
    item = appeal.decision.item
    require(by, "meetings.register_appeal", item)
    if outcome == Appeal.Outcome.PENDING or outcome not in Appeal.Outcome.values:
        raise ValidationError(_("Choose how the appeal ended."))
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("decision__item__meeting")
            .get(pk=appeal.pk)
        )
        if not appeal.pending:
            raise TransitionRefused([_("This appeal is resolved already.")])
        if resolved_on < appeal.lodged_on:
            raise ValidationError(_("An appeal cannot be resolved before it was lodged."))
        appeal.resolved_on = resolved_on
        appeal.note = note
        label = Appeal.Outcome(outcome).label
        perform_transition(
            appeal,
            Appeal.RESOLUTIONS[outcome],
            by=by,
            reason=(note or str(label))[:500],
            save_fields=["resolved_on", "note"],
        )
        decision = Decision.objects.select_for_update().get(pk=appeal.decision_id)
        appeal.decision = decision
        if outcome == Appeal.Outcome.ANNULLED:
            perform_transition(
                decision,
                "annul",
                by=by,
                reason=(note or str(label))[:500],
                save_fields=["annulled", "final_at"],
            )
            from ..signals import decision_annulled

            decision_annulled.send(sender=Decision, decision=decision, by=by)
        elif (
            item.meeting.state == Meeting.State.FINAL
            and decision.state == Decision.State.STANDING
            and not decision.appeals.filter(outcome=Appeal.Outcome.PENDING).exists()
        ):
            perform_transition(
                decision,
                "make_final",
                by=by,
                reason=_("The appeal ended and the decision stands."),
                save_fields=["final_at"],
            )
    return appeal


def case_decision(case) -> Decision | None:
    """The decision that stands for ``case`` (the latest one not annulled), committee or delegated."""
    return (
        Decision.objects.filter(
            content_type=ContentType.objects.get_for_model(case), object_id=case.pk, annulled=False
        )
        .select_related("item__meeting")
        .order_by("-decided_at", "-pk")
        .first()
    )


def decision_may_be_executed(item_or_decision) -> bool:
    """Whether a decision may be executed (e.g. paid out): once the minutes are approved.

    A delegated decision may be executed at once; an annulled one never.
    """
    if isinstance(item_or_decision, AgendaItem):
        decision = Decision.objects.filter(item=item_or_decision).select_related("item__meeting").first()
    else:
        decision = item_or_decision
    if decision is None or decision.annulled:
        return False
    if decision.delegated:
        return True
    return decision.item is not None and decision.item.meeting.minutes_approved


def decision_is_final(item_or_decision) -> bool:
    decision = (
        Decision.objects.filter(item=item_or_decision).first()
        if isinstance(item_or_decision, AgendaItem)
        else item_or_decision
    )
    return bool(decision and decision.final_at and not decision.annulled)
