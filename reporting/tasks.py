"""Background work of follow-up reports: create due reports, run the timer, send reminders."""

from celery import shared_task


@shared_task
def reports_create_due() -> int:
    from .services import reports_create_due

    return reports_create_due()


@shared_task
def reports_run_due() -> dict:
    """Periodic: create reports of newly executable decisions, move reports to due or overdue,
    then send the day's reminders (each once)."""
    from .services import reminders_send_due, reports_advance, reports_create_due

    created = reports_create_due()
    result = reports_advance()
    result["created"] = created
    result["reminders"] = reminders_send_due()
    return result
