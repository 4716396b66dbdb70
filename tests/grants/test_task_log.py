"""Taking a task and giving it to a colleague change viewflow's task through its own transitions,
each logged with who did it, and a task someone else took cannot be taken again."""

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog
from viewflow.workflow.models import Task

from ..conftest import build_world
from ..factories import StaffRoleFactory, UserFactory
from .factories import application_in

pytestmark = pytest.mark.django_db


def _colleague(world):
    from organizations.models import StaffRole

    other = UserFactory(email="kollega@exemplo.se", full_name="Karin Kollega")
    StaffRoleFactory(user=other, municipality=world.municipality, role=StaffRole.Role.CASEWORKER)
    return other


def _task_log(task):
    return list(
        StateLog.objects.for_(task)
        .order_by("pk")
        .values_list("transition", "source_state", "state", "by__full_name")
    )


def test_a_caseworker_takes_a_task_then_gives_it_to_a_colleague_and_both_steps_are_logged(client):
    world = build_world()
    application_in(world, "submitted")
    caseworker, colleague = world.users["caseworker"], _colleague(world)
    task = Task.objects.get(flow_task_type="HUMAN", status="NEW")
    client.force_login(caseworker)

    page = client.post(reverse("grants:task_claim", args=[task.pk]), {"next": "/handlaggning/"}, follow=True)
    assert "Uppgiften är din." in page.content.decode()
    task.refresh_from_db()
    assert (task.owner, task.status, task.assigned is not None) == (caseworker, "ASSIGNED", True)

    client.post(reverse("grants:task_assign", args=[task.pk]), {"to": colleague.pk})
    task.refresh_from_db()
    assert (task.owner, task.status) == (colleague, "ASSIGNED")
    assert _task_log(task) == [
        ("assign", "NEW", "ASSIGNED", caseworker.full_name),
        ("reassign", "ASSIGNED", "ASSIGNED", caseworker.full_name),
    ]


def test_a_task_already_taken_is_not_taken_again_and_the_page_says_by_whom(client):
    world = build_world()
    application_in(world, "submitted")
    caseworker, colleague = world.users["caseworker"], _colleague(world)
    task = Task.objects.get(flow_task_type="HUMAN", status="NEW")
    client.force_login(colleague)
    client.post(reverse("grants:task_claim", args=[task.pk]))
    client.force_login(caseworker)

    page = client.post(reverse("grants:task_claim", args=[task.pk]), follow=True).content.decode()

    assert "Karin Kollega tog uppgiften" in page
    assert Task.objects.get(pk=task.pk).owner == colleague
    assert len(_task_log(task)) == 1


def test_the_claim_goes_back_only_to_a_page_of_this_site(client):
    world = build_world()
    application_in(world, "submitted")
    task = Task.objects.get(flow_task_type="HUMAN", status="NEW")
    client.force_login(world.users["caseworker"])

    response = client.post(reverse("grants:task_claim", args=[task.pk]), {"next": "//angripare.example/"})

    assert response.status_code == 302
    assert response["Location"] == reverse("grants:inbox")
