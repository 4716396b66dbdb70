"""Background work of the engine.  Each task loads ids, calls a service and is safe to run twice."""

from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def outbox_send(self, message_id: int) -> bool:
    from .services import outbox_send as send

    return send(message_id=message_id)


@shared_task
def outbox_send_pending() -> int:
    """Send what is still unsent (a failed SMTP call, a worker that died)."""
    from .models import OutboxMessage
    from .services import outbox_send as send

    sent = 0
    for message_id in OutboxMessage.objects.filter(sent_at=None, attempts__lt=10).values_list(
        "pk", flat=True
    )[:500]:
        sent += bool(send(message_id=message_id))
    return sent


@shared_task
def timers_fire_due() -> None:
    """Fire viewflow's due timers: deadlines of every case type."""
    from viewflow.workflow.timers import fire_due_timers

    fire_due_timers()
