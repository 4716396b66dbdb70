"""Periodic work of partnerships and the compact.  Each task calls a service and is safe to run twice."""

from celery import shared_task


@shared_task
def iop_run_due() -> dict:
    """Start partnerships whose term began, mark yearly follow-ups due, send reminders once, renew compacts."""
    from .services import compacts_renew_due, partnerships_advance

    result = partnerships_advance()
    result["compacts"] = len(compacts_renew_due())
    return result
