import hashlib

import pytest
from django.contrib.contenttypes.models import ContentType

from workflows.models import OutboxMessage, StoredDocument
from workflows.services import document_store, outbox_enqueue, outbox_send

from ..factories import OrganisationFactory, UserFactory
from ..pdf import pdf_text, pdfa_conformance

pytestmark = pytest.mark.django_db


def test_a_message_is_written_once_per_key_and_sent_once(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        written = [
            outbox_enqueue(
                key="receipt:1",
                to=to,
                subject="Kvitto",
                template="organizations/email/role_decided.txt",
                context={"role": None, "approved": True},
            )
            for to in ("a@example.se", "b@example.se")
        ]
    assert OutboxMessage.objects.count() == 1
    message = OutboxMessage.objects.get()
    assert [m.pk for m in written] == [message.pk, message.pk]
    assert (message.to, message.subject, message.attempts) == ("a@example.se", "Kvitto", 1)
    assert message.body.strip() and message.sent_at is not None
    assert outbox_send(message_id=message.pk) is False  # already sent after commit
    assert [m.to for m in mailoutbox] == [["a@example.se"]]


def test_a_failed_send_is_kept_for_the_retry_task(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.workflows.test_outbox_and_documents.BrokenBackend"
    message = OutboxMessage.objects.create(key="k", to="a@example.se", subject="S", body="B")
    assert outbox_send(message_id=message.pk) is False
    message.refresh_from_db()
    assert (message.sent_at, message.attempts, message.last_error) == (None, 1, "SMTP nere")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from workflows.tasks import outbox_send_pending

    assert outbox_send_pending() == 1
    assert len(mailoutbox) == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("SMTP nere")


def test_a_document_is_pdfa_with_swedish_text_and_a_changed_one_is_a_new_version(tmp_path):
    organisation = OrganisationFactory(name="Föreningen Åäö")
    user = UserFactory()
    kwargs = {
        "subject": organisation,
        "kind": "test",
        "title": "Test",
        "template": "workflows/documents/test_document.html",
        "by": user,
    }
    first = document_store(context={"text": "Beslut om bidrag till Föreningen Åäö"}, **kwargs)
    again = document_store(context={"text": "Beslut om bidrag till Föreningen Åäö"}, **kwargs)
    changed = document_store(context={"text": "Ändrat beslut"}, **kwargs)
    assert first.pk == again.pk
    assert (first.version, changed.version) == (1, 2)
    data = first.file.open("rb").read()
    assert data.startswith(b"%PDF-")
    assert pdfa_conformance(data) == "3B"
    assert hashlib.sha256(data).hexdigest() == first.sha256
    assert "Beslut om bidrag till Föreningen Åäö" in pdf_text(data)
    assert (
        StoredDocument.objects.filter(content_type=ContentType.objects.get_for_model(organisation)).count()
        == 2
    )
