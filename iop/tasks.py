"""Periodic work of partnerships.  Each task calls a service and is safe to run twice."""

from celery import shared_task


@shared_task
def iop_run_due() -> dict:
    """Start partnerships whose term began, mark yearly follow-ups due and send reminders once."""
    from .services import partnerships_advance

    return partnerships_advance()


@shared_task
def decision_letters_make(meeting_id: int) -> int:
    """The letters of a posted meeting's partnership decisions, now with the last day to appeal."""
    from meetings.models import Meeting
    from workflows.services import system_user

    from .services import decision_letters_for_meeting

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    return len(decision_letters_for_meeting(meeting=meeting, by=system_user()))


@shared_task
def decision_letter_make(decision_id: int, user_id: int) -> int | None:
    """The letter of one partnership decision, made after the decision is committed."""
    from django.contrib.auth import get_user_model

    from meetings.models import Decision

    from .models import Partnership
    from .services import decision_letter_make as make

    decision = Decision.objects.select_related("item__meeting").filter(pk=decision_id).first()
    partnership = Partnership.objects.filter(pk=decision.object_id).first() if decision else None
    if partnership is None:
        return None
    return make(partnership=partnership, decision=decision, by=get_user_model().objects.get(pk=user_id)).pk
