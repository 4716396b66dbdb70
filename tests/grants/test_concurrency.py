"""Two people at once: one wins, the other is told, nothing is lost (PostgreSQL row locks)."""

import threading

import pytest
from django.db import close_old_connections
from viewflow.workflow.models import Task

from grants import services
from grants.models import Application
from workflows.models import DiariumEntry
from workflows.services import TransitionRefused

from ..conftest import build_world, is_postgres
from ..factories import StaffRoleFactory, UserFactory
from .factories import application_in, draft_application

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not is_postgres(), reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]


def _race(*calls):
    """Run the calls at the same moment in threads; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        close_old_connections()
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            results[index] = ("error", exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_a_double_submit_creates_one_application_and_one_case_number():
    world = build_world()
    application = draft_application(world)
    user = world.users["applicant"]
    results = _race(
        lambda: services.application_submit(application=application, by=user),
        lambda: services.application_submit(application=application, by=user),
    )
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["error", "ok"], results
    error = next(r[1] for r in results if r[0] == "error")
    assert isinstance(error, TransitionRefused)
    assert Application.objects.count() == 1
    assert DiariumEntry.objects.count() == 1
    assert Application.objects.get().state == "submitted"


def _second_caseworker(world):
    from organizations.models import StaffRole

    other = UserFactory(email="kollega@exemplo.se", full_name="Karin Kollega")
    StaffRoleFactory(user=other, municipality=world.municipality, role=StaffRole.Role.CASEWORKER)
    return other


def test_two_caseworkers_claiming_the_same_task_one_wins_the_other_is_told():
    world = build_world()
    application_in(world, "submitted")
    first, second = world.users["caseworker"], _second_caseworker(world)
    task = Task.objects.get(flow_task_type="HUMAN", status="NEW")
    results = _race(
        lambda: services.task_claim(task=Task.objects.get(pk=task.pk), by=first),
        lambda: services.task_claim(task=Task.objects.get(pk=task.pk), by=second),
    )
    assert sorted(r[0] for r in results) == ["error", "ok"], results
    error = next(r[1] for r in results if r[0] == "error")
    assert "tog uppgiften" in str(error)
    assert Task.objects.get(pk=task.pk).owner in (first, second)


def test_two_caseworkers_assessing_at_once_keep_both_assessments_and_one_finishes():
    world = build_world()
    application = application_in(world, "in_assessment")
    first, second = world.users["caseworker"], _second_caseworker(world)
    criteria = world.objects["config"]["criteria"]
    scores = {str(criteria["reach"].pk): {"score": 3}, str(criteria["quality"].pk): {"score": 4}}
    results = _race(
        lambda: services.assessment_save(application=application, by=first, scores=scores, complete=True),
        lambda: services.assessment_save(application=application, by=second, scores=scores, complete=True),
    )
    assert [r[0] for r in results] == ["ok", "ok"], results
    assert application.assessments.count() == 2
    results = _race(
        lambda: services.application_finish_assessment(application=application, by=first),
        lambda: services.application_finish_assessment(application=application, by=second),
    )
    assert sorted(r[0] for r in results) == ["error", "ok"], results
    assert isinstance(next(r[1] for r in results if r[0] == "error"), TransitionRefused)
    from django_fsm_log.models import StateLog

    assert StateLog.objects.filter(object_id=application.pk, state="assessed").count() == 1
