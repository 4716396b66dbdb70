"""After a submission commits, a real Celery worker on Redis sends the receipt and stores the
application as PDF, from one message on the queue."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from grants.models import Application
from workflows.models import OutboxMessage, StoredDocument

from ..conftest import build_world, wait_for
from ..factories import OrganisationFactory, UserFactory, active_role
from ..pdf import pdf_text
from .factories import draft_application

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_sends_the_receipt_and_stores_the_pdf_from_one_task(celery_worker, client, settings):
    # the files the worker stores, read from where it stores them
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT = (
        Path(celery_worker["env"]["BIDRA_VAR_DIR"]) / "private"
    )
    world = build_world()
    organisation = OrganisationFactory(name="Ödeshögs seniorer", active_in=[world.municipality])
    user = UserFactory(email="kassor@seniorer.example")
    active_role(user, organisation)
    application = draft_application(world, organisation=organisation, user=user)
    client.force_login(user)
    log = celery_worker["log"]
    before = len(log.read_text())
    response = client.post(
        reverse("grants:application_edit", args=[application.pk]),
        {
            "title": application.title,
            "requested_amount": "40000",
            "democracy_declaration": "on",
            "submit": "1",
            **{f"f{key.split(':')[1]}": value for key, value in application.answers.items()},
        },
    )
    assert response.status_code == 302
    application = Application.objects.get(pk=application.pk)
    assert application.state == Application.State.SUBMITTED

    receipt = wait_for(
        lambda: OutboxMessage.objects.filter(
            key=f"grant-receipt:{application.pk}", sent_at__isnull=False
        ).first(),
        explain=lambda: log.read_text()[-3000:],
    )
    assert application.case_number in receipt.subject
    assert receipt.attempts == 1
    document = wait_for(
        lambda: StoredDocument.objects.filter(kind="grant_application", object_id=application.pk).first(),
        explain=lambda: log.read_text()[-3000:],
    )
    assert application.case_number in pdf_text(document.file.read())
    # one task for both: the receipt is not queued on its own
    received = re.findall(r"Task ([\w.]+)\[[^\]]+\] received", log.read_text()[before:])
    assert received.count("grants.tasks.application_submitted") == 1
    assert "workflows.tasks.outbox_send" not in received
