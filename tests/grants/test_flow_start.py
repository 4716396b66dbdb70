"""The application's flow, started by its submission with viewflow's own start from code."""

import pytest
from django.db import transaction
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task

from grants import flows, services

from ..factories import OrganisationFactory, UserFactory, active_role
from .factories import draft_application

pytestmark = pytest.mark.django_db

#: written at the moment of writing, or the row's own and its process's ids
MOMENT_OR_ID = {
    "id",
    "created",
    "started",
    "finished",
    "process",
    "artifact_object_id",
    "owner_permission_obj_pk",
}


def _draft(world, n):
    organisation = OrganisationFactory(name=f"Förening {n}", active_in=[world.municipality])
    user = UserFactory(email=f"start{n}@example.se")
    active_role(user, organisation)
    return draft_application(world, organisation=organisation, user=user), user


def _rows(application):
    process = flows.processes_of(application).get()
    tasks = list(Task.objects.filter(process=process).order_by("pk"))

    def values(obj):
        return {
            f.name: f.value_from_object(obj) for f in obj._meta.concrete_fields if f.name not in MOMENT_OR_ID
        }

    return process, values(process), tasks, [values(t) for t in tasks]


def _viewflow_start(application):
    """The same flow started from code on its own, outside any submission."""
    with transaction.atomic():
        flows.ApplicationFlow.start.run(application=application)


def test_a_submission_starts_the_flow_with_the_rows_viewflow_writes(world):
    draft, applicant = _draft(world, 1)
    submitted = services.application_submit(application=draft, by=applicant)
    other, _ = _draft(world, 2)
    _viewflow_start(other)

    process, process_values, tasks, task_values = _rows(submitted)
    _, expected_process, expected_tasks, expected_values = _rows(other)
    assert process_values == expected_process
    assert task_values == expected_values
    start, screen = tasks
    assert (start.status, screen.status) == (STATUS.DONE, STATUS.NEW)
    assert start.started and start.finished and not screen.finished
    assert process.artifact == submitted
    assert screen.owner_permission == "grants.handle_application"
    assert screen.owner_permission_obj_pk == str(submitted.pk)
    assert list(screen.previous.all()) == [start]
    assert [list(t.previous.all()) for t in expected_tasks] == [[], [expected_tasks[0]]]
    # the caseworker's inbox finds the task to screen the application
    assert list(flows.open_tasks(submitted)) == [screen]


@pytest.mark.django_db(transaction=True)
def test_the_flow_does_not_start_outside_a_transaction(world):
    draft, _ = _draft(world, 4)
    with pytest.raises(RuntimeError):
        flows.flow_start(application=draft)
    assert not flows.processes_of(draft).exists()
