"""A committee's grant decisions become executable when the minutes are approved: the periodic
task that creates the follow-up reports runs after commit (and catches anything missed).

A delegated decision's report is created by ``grants.services.application_decide``, in the
transaction of the decision.
"""

from django.dispatch import receiver

from meetings.signals import minutes_approved


@receiver(minutes_approved, dispatch_uid="reporting.minutes_approved")
def meeting_minutes_approved(sender, meeting, by, **kwargs):
    from workflows.queue import delay_on_commit

    from . import tasks

    delay_on_commit(tasks.reports_create_due)
