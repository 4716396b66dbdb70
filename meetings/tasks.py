"""Background work of committee meetings.  Each task loads ids, calls a service and is safe to run twice."""

from celery import shared_task


@shared_task
def meeting_documents_make(meeting_id: int, user_id: int, kinds: list[str]) -> int:
    """Make a meeting's documents (agenda, officer's reports, minutes, extracts); unchanged ones are kept."""
    from django.contrib.auth import get_user_model

    from meetings.documents import meeting_documents_make as make
    from meetings.models import Meeting

    meeting = Meeting.objects.select_related("committee__municipality").get(pk=meeting_id)
    return len(make(meeting=meeting, kinds=kinds, by=get_user_model().objects.get(pk=user_id)))


@shared_task
def meetings_finalise_due() -> int:
    """Decisions become final when the appeal period after posting has passed without an appeal."""
    from meetings.services import meetings_finalise_due as finalise

    return finalise()
