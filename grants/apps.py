from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self):
        from correspondence.adapters import register as register_correspondence_adapter
        from meetings.agenda import register_agenda_adapter
        from meetings.signals import decision_annulled, minutes_approved, minutes_posted
        from payments.adapters import register as register_payment_adapter

        from . import attention, permissions, transitions  # noqa: F401 - rules, panels, steps by name
        from .agenda import ApplicationAgendaAdapter
        from .correspondence_adapter import ApplicationCorrespondenceAdapter
        from .models import Application
        from .payment_adapter import ApplicationPaymentAdapter

        register_agenda_adapter(ApplicationAgendaAdapter())
        register_payment_adapter(Application, ApplicationPaymentAdapter())
        register_correspondence_adapter(Application, ApplicationCorrespondenceAdapter())
        minutes_approved.connect(_plan_payments, dispatch_uid="grants-plan-payments")
        minutes_posted.connect(_make_letters, dispatch_uid="grants-make-letters")
        decision_annulled.connect(_cancel_payments, dispatch_uid="grants-cancel-payments")


def _plan_payments(sender, meeting, by, **kwargs):
    """The minutes are approved: the meeting's grants may be paid out (the periodic task
    catches anything missed, e.g. an organisation that registers its account later)."""
    from workflows.queue import delay_on_commit

    from . import tasks

    delay_on_commit(tasks.payments_create_due)


def _make_letters(sender, meeting, by, **kwargs):
    """The minutes are posted: the meeting's decision letters are made (again), with the last day
    to appeal.  The secretary follows the job on the meeting's letters page.  The delegated
    decisions reported to the meeting get their letters again, now with that day too."""
    import contextlib

    from workflows.services import TransitionRefused

    from .services import letter_job_start, reported_decision_letters_remake

    with contextlib.suppress(TransitionRefused):  # the meeting decided no grant applications
        letter_job_start(meeting=meeting, by=by)
    reported_decision_letters_remake(meeting=meeting, by=by)


def _cancel_payments(sender, decision, by, **kwargs):
    """A court annulled the decision: what is not paid yet is not paid (in the same transaction)."""
    from .services import payments_cancel_for_annulled_decision

    payments_cancel_for_annulled_decision(decision=decision, by=by)
