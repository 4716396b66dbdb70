"""The events that change what is public, each scheduling a refresh of the municipality's register.

* the minutes of a meeting are posted: its decisions, and the delegated decisions reported to
  it, become public (a meeting becoming final changes nothing: posted minutes are public already);
* a decision is annulled on appeal: it leaves the register;
* a partnership's agreement starts to run (both parties signed), is renewed (a new agreement,
  term and amount), or stops running (ended, terminated).

Grants and awards need no event of their own: a committee decides them before its minutes are
posted, and a delegated decision is public once the minutes of the meeting it is reported to are
posted.  Anything else (a renamed organisation, program or committee) is carried over by the
nightly refresh.  Every refresh runs after the transaction commits, as a task.
"""

from __future__ import annotations

from django.dispatch import receiver
from django_fsm.signals import post_transition

from iop.models import Partnership
from meetings.models import Decision, Meeting
from meetings.signals import decision_annulled
from organizations.models import Committee
from workflows.queue import delay_on_commit


def register_refresh_later(*, committee_id: int) -> None:
    """Refresh the register of the committee's municipality once the transaction commits."""
    from . import tasks

    municipality_id = (
        Committee.objects.filter(pk=committee_id).values_list("municipality_id", flat=True).first()
    )
    if municipality_id is not None:
        delay_on_commit(tasks.register_refresh, municipality_id)


@receiver(post_transition, sender=Meeting, dispatch_uid="insight.register.minutes_posted")
def minutes_posted(sender, instance, name, source, target, **kwargs):
    if target == Meeting.State.POSTED and "exception" not in kwargs:
        register_refresh_later(committee_id=instance.committee_id)


@receiver(decision_annulled, sender=Decision, dispatch_uid="insight.register.decision_annulled")
def decision_annulled_on_appeal(sender, decision, **kwargs):
    register_refresh_later(committee_id=decision.committee_id)


@receiver(post_transition, sender=Partnership, dispatch_uid="insight.register.partnership")
def partnership_runs_or_stops(sender, instance, name, source, target, **kwargs):
    if "exception" in kwargs:
        return
    running = Partnership.RUNNING
    if (source in running) != (target in running) or name == "renew":
        register_refresh_later(committee_id=instance.committee_id)
