"""A submission writes its rows with the ORM's own saves: whoever listens to ``post_save`` hears
the application and every case row it creates (diarium entry, log row, the flow's process and
tasks), as for any other change in Bidra.  The receipt is the outbox's one INSERT that a key
written before skips (``workflows.services.outbox_enqueue``)."""

import pytest
from django.db.models.signals import post_save
from django_fsm_log.models import StateLog
from viewflow.workflow.models import Process, Task

from grants import services
from grants.models import Application
from workflows.models import DiariumEntry, OutboxMessage

from ..factories import OrganisationFactory, UserFactory, active_role
from .factories import draft_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved():
    """(model, created, pk) of every post_save of the models a submission writes."""
    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((sender, created, instance.pk))

    models = (Application, DiariumEntry, StateLog, Process, Task)
    for model in models:
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"test-{model.__name__}")
    yield heard
    for model in models:
        post_save.disconnect(sender=model, dispatch_uid=f"test-{model.__name__}")


def test_a_receiver_of_post_save_hears_the_submission_and_every_row_it_creates(world, saved):
    organisation = OrganisationFactory(name="Förening Lyssnaren", active_in=[world.municipality])
    user = UserFactory(email="lyssnaren@example.se")
    active_role(user, organisation)
    draft = draft_application(world, organisation=organisation, user=user)
    saved.clear()

    submitted = services.application_submit(application=draft, by=user)

    assert (Application, False, submitted.pk) in saved
    entry = DiariumEntry.objects.get(object_id=submitted.pk, case_number=submitted.case_number)
    assert (DiariumEntry, True, entry.pk) in saved
    log = StateLog.objects.get(object_id=submitted.pk, transition="submit")
    assert (StateLog, True, log.pk) in saved
    receipt = OutboxMessage.objects.get(key=f"grant-receipt:{submitted.pk}")
    assert receipt.to == user.email
    process = Process.objects.get(artifact_object_id=submitted.pk)
    assert (Process, True, process.pk) in saved
    assert {pk for model, created, pk in saved if model is Task and created} == set(
        process.task_set.values_list("pk", flat=True)
    )
