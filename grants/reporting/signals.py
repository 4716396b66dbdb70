"""A grant decision becomes executable: the grant's follow-up report is created with its due date.

Delegated decisions may be executed at once (after the application's grant transition);
committee decisions when the minutes are approved.  The periodic task catches anything missed.
"""

from django.db import transaction
from django.dispatch import receiver
from django_fsm.signals import post_transition

from workflows.meetings.signals import minutes_approved

from ..models import Application


@receiver(post_transition, sender=Application, dispatch_uid="grants.reporting.granted")
def application_granted(sender, instance, name, target, **kwargs):
    if target not in Application.GRANTED_STATES:
        return
    decision = instance.decision  # set by ``application_decide`` before the transition
    if decision is None or not decision.delegated:
        # A committee decision may be executed once the minutes are approved: its report is made
        # then (``meeting_minutes_approved``), not looked up for each of the meeting's grants now.
        return
    application_id = instance.pk

    def create():
        from workflows.services import system_user

        from .services import report_create

        report_create(application=Application(pk=application_id), by=system_user())

    transaction.on_commit(create, robust=True)


@receiver(minutes_approved, dispatch_uid="grants.reporting.minutes_approved")
def meeting_minutes_approved(sender, meeting, by, **kwargs):
    from workflows.queue import delay_on_commit

    from . import tasks

    delay_on_commit(tasks.reports_create_due)
