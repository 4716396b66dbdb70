"""Periodic work of the compact.  The task calls services and is safe to run twice."""

from celery import shared_task


@shared_task
def compact_run_due() -> dict:
    """Renew (or end) compacts whose term is over and remind their managers of the evaluation once."""
    from .services import compacts_remind_evaluation, compacts_renew_due

    return {
        "compacts": len(compacts_renew_due()),
        "compact_evaluation_reminders": compacts_remind_evaluation(),
    }
