"""Failures half-way leave nothing half-done; a retried or doubled task does its work once."""

import threading

import pytest
from django.db import OperationalError, connection
from django_fsm_log.models import StateLog

from organizations.models import OrganisationRole
from organizations.services import role_decide, role_request
from workflows import tasks
from workflows.models import OutboxMessage
from workflows.services import outbox_enqueue, outbox_send

from ..conftest import is_postgres
from ..factories import UserFactory


@pytest.fixture
def request_to_join(world):
    return role_request(organisation=world.organisation, by=UserFactory(email="joiner@example.se"))


def _nothing_changed(role):
    role.refresh_from_db()
    assert role.state == OrganisationRole.State.REQUESTED
    assert not StateLog.objects.filter(object_id=role.pk, transition="approve").exists()
    assert not OutboxMessage.objects.filter(key__startswith=f"role-decided:{role.pk}").exists()


@pytest.mark.django_db
def test_the_connection_dropping_while_saving_a_transition_leaves_no_log_row(
    request_to_join, world, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    def dropped(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(OrganisationRole, "save", dropped)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(OperationalError):
        role_decide(role=request_to_join, by=world.users["applicant"], approve=True)
    monkeypatch.undo()
    _nothing_changed(request_to_join)
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_failing_log_write_leaves_the_state_unchanged(request_to_join, world, monkeypatch):
    def broken(self, *args, **kwargs):
        raise OperationalError("disk full")

    monkeypatch.setattr(StateLog, "save", broken)
    with pytest.raises(OperationalError):
        role_decide(role=request_to_join, by=world.users["applicant"], approve=True)
    monkeypatch.undo()
    _nothing_changed(request_to_join)


@pytest.mark.django_db
def test_a_crash_after_the_transition_rolls_it_back(request_to_join, world, monkeypatch):
    """An error while queueing the e-mail (after the state change, same transaction) undoes everything."""
    import organizations.services.people as services

    def crash(**kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(services, "outbox_enqueue", crash)
    with pytest.raises(RuntimeError):
        role_decide(role=request_to_join, by=world.users["applicant"], approve=True)
    _nothing_changed(request_to_join)


def _message():
    return outbox_enqueue(
        key="once",
        to="sokande@example.se",
        subject="Beslut",
        template="accounts/email/otp_device_added.txt",
        context={"user": {"full_name": "Siv"}},
    )


@pytest.mark.django_db
def test_the_send_task_run_twice_sends_one_email(mailoutbox):
    message = _message()
    assert tasks.outbox_send.apply(args=[message.pk]).get() is True
    assert tasks.outbox_send.apply(args=[message.pk]).get() is False  # redelivered after a lost ack
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_send_that_crashed_is_retried_and_then_sent_once(mailoutbox, monkeypatch):
    from django.core import mail

    message = _message()
    original = mail.EmailMessage.send
    monkeypatch.setattr(
        mail.EmailMessage, "send", lambda self, *a, **k: (_ for _ in ()).throw(OSError("SMTP down"))
    )
    assert outbox_send(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.sent_at is None and message.attempts == 1 and "SMTP down" in message.last_error
    monkeypatch.setattr(mail.EmailMessage, "send", original)
    assert tasks.outbox_send_pending.apply().get() == 1
    assert tasks.outbox_send_pending.apply().get() == 0
    assert len(mailoutbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_message_at_once_send_it_once(mailoutbox):
    if not is_postgres():
        pytest.skip("Concurrent row locks need PostgreSQL (set DATABASE_URL to run this test).")
    message = OutboxMessage.objects.create(key="once", to="sokande@example.se", subject="Beslut", body="Text")
    barrier = threading.Barrier(4)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(outbox_send(message_id=message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == [False, False, False, True]
    assert len(mailoutbox) == 1
