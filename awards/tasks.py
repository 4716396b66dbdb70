"""Background work of awards.  Each task loads ids, calls a service and is safe to run twice."""

from celery import shared_task


@shared_task
def award_letters(meeting_id: int, user_id: int) -> int:
    """The minutes are posted: make the letters (and diplomas) of the award candidates the meeting decided."""
    from django.contrib.auth import get_user_model

    from meetings.models import Meeting

    from .services import award_letters_make

    return award_letters_make(
        meeting=Meeting.objects.get(pk=meeting_id), by=get_user_model().objects.get(pk=user_id)
    )
