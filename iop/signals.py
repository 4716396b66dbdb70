"""What partnerships do when a meeting's minutes are posted: their decision letters get the appeal deadline."""

from django.dispatch import receiver
from django_fsm.signals import post_transition

from meetings.models import Meeting
from workflows.queue import delay_on_commit

from . import tasks


@receiver(post_transition, sender=Meeting, dispatch_uid="iop.decision_letters.minutes_posted")
def minutes_posted(sender, instance, name, source, target, **kwargs):
    if target == Meeting.State.POSTED and "exception" not in kwargs:
        delay_on_commit(tasks.decision_letters_make, instance.pk)
