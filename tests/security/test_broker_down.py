"""The message broker down: what has committed is confirmed, and the work waits where it is kept.

These tests send tasks to a Redis URL on a port nobody listens on (``broker_down``) and let
transactions really commit, so the after-commit dispatch runs inside the request as it does in
production.
"""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from grants.models import Application
from workflows import tasks
from workflows.models import OutboxMessage

from ..conftest import build_world
from ..grants.factories import draft_application

BASE = Path(__file__).resolve().parents[2]
S = Application.State


def _submit_form(application) -> dict:
    return {
        "title": application.title,
        "requested_amount": "40000",
        "democracy_declaration": "on",
        "submit": "1",
        **{f"f{key.split(':')[1]}": value for key, value in application.answers.items() if value is not None},
    }


@pytest.mark.django_db(transaction=True)
def test_a_submission_while_the_broker_is_down_is_confirmed_and_its_receipt_waits_in_the_outbox(
    client, broker_down, mailoutbox, caplog
):
    world = build_world()
    application = draft_application(world)
    client.force_login(world.users["applicant"])
    url = reverse("grants:application_edit", args=[application.pk])

    response = client.post(url, _submit_form(application))

    assert response.status_code == 302
    assert response["Location"] == reverse("grants:application_detail", args=[application.pk])
    application.refresh_from_db()
    assert application.state == S.SUBMITTED and application.case_number
    page = client.get(response["Location"]).content.decode()
    assert f"Ansökan är inskickad med diarienummer {application.case_number}" in page
    receipt = OutboxMessage.objects.get(key=f"grant-receipt:{application.pk}")
    assert receipt.sent_at is None  # kept for the periodic task
    assert "grants.tasks.application_submitted" in caplog.text and "was not queued" in caplog.text

    # Sent again (the person was not sure it went in): told so, in Swedish, nothing changes.
    again = client.post(url, _submit_form(application), follow=True)
    assert again.status_code == 200
    assert "Ansökan är redan inskickad." in again.content.decode()
    assert Application.objects.get(pk=application.pk).case_number == application.case_number

    # The beat's periodic task sends what is waiting, once.
    assert mailoutbox == []
    assert tasks.outbox_send_pending.apply().get() == 1
    assert tasks.outbox_send_pending.apply().get() == 0
    assert [m.subject for m in mailoutbox] == [receipt.subject]


@pytest.mark.django_db(transaction=True)
def test_a_submission_through_the_api_while_the_broker_is_down_answers_200_and_a_retry_says_so(
    client, broker_down
):
    world = build_world()
    application = draft_application(world)
    client.force_login(world.users["applicant"])
    url = f"/api/v1/applications/{application.pk}/transitions/submit/"

    response = client.post(url, {}, content_type="application/json")

    assert response.status_code == 200, response.content
    assert response.json()["state"] == S.SUBMITTED
    assert OutboxMessage.objects.get(key=f"grant-receipt:{application.pk}").sent_at is None
    retry = client.post(url, {}, content_type="application/json")
    assert retry.status_code == 409
    assert retry.json()["detail"] == "Ansökan är redan inskickad."


@pytest.mark.django_db
def test_submitting_again_from_the_case_page_says_it_is_already_submitted(client, world):
    application = draft_application(world)
    client.force_login(world.users["applicant"])
    url = reverse("grants:application_transition", args=[application.pk, "submit"])
    client.post(url)
    page = client.post(url, follow=True).content.decode()
    assert "Ansökan är redan inskickad." in page


def _calls(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            yield node.func.attr, node.lineno


def test_every_task_is_queued_through_the_one_helper_that_survives_a_broker_outage():
    """``.delay``/``.delay_on_commit``/``.apply_async`` of a task anywhere but ``workflows/queue.py``
    would answer an error page for work already committed when the broker is down."""
    queueing = {"delay", "delay_on_commit", "apply_async", "send_task"}
    found = []
    apps = [p for p in BASE.iterdir() if (p / "__init__.py").exists() and p.name not in {"tests", "bench"}]
    for path in (path for app in apps for path in app.rglob("*.py")):
        relative = path.relative_to(BASE)
        if "migrations" in relative.parts or relative == Path("workflows/queue.py"):
            continue
        found += [f"{relative}:{line} .{name}(" for name, line in _calls(path) if name in queueing]
    assert "grants" in {app.name for app in apps}
    assert found == []
