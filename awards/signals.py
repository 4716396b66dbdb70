"""Awards follow a posting of minutes, after the transaction commits: the award candidates
decided at the meeting get their letters, with the appeal period that the posting starts.

(An application submitted in an award round becomes a candidate in the submission's own
transaction: ``grants.services.application_submit``.)
"""

import logging

from django.dispatch import receiver

from meetings.models import Meeting
from meetings.signals import minutes_posted

logger = logging.getLogger(__name__)


@receiver(minutes_posted, sender=Meeting, dispatch_uid="awards.minutes_posted")
def letters_when_minutes_posted(sender, meeting, by, **kwargs):
    """The minutes are posted (the posting date and the last day to appeal are saved): the award
    candidates the meeting decided get their letters.  A failing letter must not fail the posting:
    it is logged, and ``award_letters_make`` makes what is missing whenever it runs again."""
    from workflows.queue import delay

    from . import tasks

    try:
        delay(tasks.award_letters, meeting.pk, by.pk)  # a broker that is down is logged there
    except Exception:  # noqa: BLE001 - the minutes are posted whatever happens to a letter
        logger.exception("The award letters of meeting %s could not be made.", meeting.pk)
