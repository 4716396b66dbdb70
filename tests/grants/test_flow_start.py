"""The application's flow, started by its submission: the rows viewflow's own start writes, in one
statement on PostgreSQL."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task
from viewflow.workflow.nodes.start import StartHandleActivation

from grants import flows, services
from grants.models import Application
from workflows.db import insert_together

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
    """viewflow's own start of the same flow: its savepoints, lock and one INSERT per row."""
    with transaction.atomic():
        activation = StartHandleActivation.create(flows.ApplicationFlow.start, None, None)
        activation.process.artifact = application
        activation.execute()


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


def test_the_flow_starts_in_one_statement_on_postgresql(world):
    draft, _ = _draft(world, 3)
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        flows.flow_start(application=draft)
    written = [q["sql"] for q in ctx.captured_queries if "INSERT" in q["sql"]]
    assert len(written) == (1 if connection.vendor == "postgresql" else 4)
    assert flows.processes_of(draft).get().task_set.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_flow_does_not_start_outside_a_transaction(world):
    draft, _ = _draft(world, 4)
    with pytest.raises(RuntimeError):
        flows.flow_start(application=draft)
    assert not flows.processes_of(draft).exists()


def test_rows_written_together_refer_only_to_rows_before_them(world):
    application = Application.objects.first()
    process = flows.ApplicationFlow.process_class(flow_class=flows.ApplicationFlow, artifact=application)
    task = Task(flow_task=flows.ApplicationFlow.start, flow_task_type="HUMAN")
    with pytest.raises(ValueError, match="not inserted before it"):
        insert_together([(task, {"process_id": process}), (process, {})])
    insert_together([(process, {}), (task, {"process_id": process})])
    assert Task.objects.get(pk=task.pk).process_id == process.pk
    with pytest.raises(ValueError, match="not a new row"):
        insert_together([(process, {})])
