"""The outbox with a real Celery worker on Redis: sent once, also when the job runs twice."""

import pytest

from workflows.models import OutboxMessage
from workflows.services import outbox_enqueue
from workflows.tasks import outbox_send

from ..conftest import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_a_message_written_in_a_transaction_is_sent_by_the_worker_after_commit(celery_worker):
    from django.db import transaction

    with transaction.atomic():
        message = outbox_enqueue(
            key="worker:1",
            to="kassor@forening.example",
            subject="Kvitto",
            template="organizations/email/role_decided.txt",
            context={"role": None, "approved": True},
        )
    sent = wait_for(
        lambda: OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=False).first(),
        explain=lambda: celery_worker["log"].read_text()[-3000:],
    )
    assert sent.attempts == 1


def test_the_same_send_task_queued_three_times_sends_once(celery_worker):
    message = OutboxMessage.objects.create(key="worker:2", to="a@example.se", subject="S", body="B")
    ids = [outbox_send.delay(message.pk).id for _ in range(3)]
    log = celery_worker["log"]
    wait_for(lambda: all(f"outbox_send[{task_id}] succeeded" in log.read_text() for task_id in ids))
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts == 1
