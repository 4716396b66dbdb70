"""Awards follow events of other cases, after the transaction commits.

A self-application: an application submitted in an award round becomes a candidate.  A posting of
minutes: the award candidates decided at the meeting get their letters, with the appeal period
that the posting starts.
"""

import logging

from django.db import transaction
from django.dispatch import receiver
from django_fsm.signals import post_transition
from django_fsm_log.helpers import FSMLogDescriptor

from workflows.meetings.signals import minutes_posted
from workflows.meetings_models import Meeting

from ..models import Application

logger = logging.getLogger(__name__)


@receiver(post_transition, sender=Application, dispatch_uid="grants.awards.self_application")
def application_submitted(sender, instance, name, **kwargs):
    if name != "submit" or instance.round.program.kind != "award":
        return
    try:
        by = FSMLogDescriptor(instance, "by").get()
    except AttributeError:
        by = instance.created_by
    application_id, user_id = instance.pk, by.pk

    def make_candidate():
        from django.contrib.auth import get_user_model

        from .services import candidate_from_application

        application = Application.objects.select_related("round__program", "organisation").get(
            pk=application_id
        )
        candidate_from_application(application=application, by=get_user_model().objects.get(pk=user_id))

    # robust: a failure here must not undo the applicant's submission; the candidates page repairs it
    transaction.on_commit(make_candidate, robust=True)


@receiver(minutes_posted, sender=Meeting, dispatch_uid="grants.awards.minutes_posted")
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
