"""The organisation and the municipality write to each other on the case page."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_fsm_log.models import StateLog

from correspondence.models import Message, MessageRead
from correspondence.selectors import unread_cases
from correspondence.services import message_send, messages_mark_read
from workflows.models import OutboxMessage

from ..grants.factories import application_in, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(world):
    return application_in(world, "submitted", key="app-submitted")


def _send_url(application):
    return reverse(
        "correspondence:message_send",
        kwargs={
            "content_type_id": ContentType.objects.get_for_model(type(application)).pk,
            "object_id": application.pk,
        },
    )


def _page(application):
    return reverse("grants:application_detail", kwargs={"pk": application.pk})


def test_the_applicant_writes_on_the_case_page_and_the_caseworker_reads_it(client, world, application):
    client.force_login(world.users["applicant"])
    response = client.post(_send_url(application), {"body": "Kan vi flytta starten till maj?"})
    assert response.status_code == 302
    assert response["Location"] == _page(application) + "#meddelanden"
    message = Message.objects.get()
    assert message.side == "organisation" and message.organisation == world.organisation
    assert StateLog.objects.filter(object_id=application.pk, transition="message").exists()

    client.force_login(world.users["caseworker"])
    page = client.get(_page(application)).content.decode()
    assert "Meddelanden" in page
    assert "Kan vi flytta starten till maj?" in page
    assert "Nytt" in page or "Ny" in page
    assert MessageRead.objects.filter(message=message, user=world.users["caseworker"]).exists()


def test_the_caseworker_writes_and_the_organisation_is_told_by_a_link_not_the_text(world, application):
    OutboxMessage.objects.all().delete()
    message_send(case=application, by=world.users["caseworker"], body="Hemlig detalj om budgeten.")
    mails = OutboxMessage.objects.filter(key__startswith="case-message:")
    assert {m.to for m in mails} >= {world.users["applicant"].email}
    for mail in mails:
        assert "Hemlig detalj" not in mail.body
        assert f"/ansokningar/{application.pk}/" in mail.body or _page(application) in mail.body
        assert application.case_number in mail.subject


def test_the_organisation_writing_tells_the_caseworkers_not_other_municipalities(world, application):
    OutboxMessage.objects.all().delete()
    message_send(case=application, by=world.users["applicant"], body="En fråga.")
    recipients = {m.to for m in OutboxMessage.objects.filter(key__startswith="case-message:")}
    assert world.users["caseworker"].email in recipients
    assert world.users["other_caseworker"].email not in recipients
    assert world.users["applicant"].email not in recipients


def test_an_internal_note_is_hidden_from_the_organisation_on_the_page_and_as_a_file(
    client, world, application
):
    OutboxMessage.objects.all().delete()
    note = message_send(
        case=application,
        by=world.users["caseworker"],
        body="Ring ordföranden först.",
        files=[pdf_upload("anteckning.pdf")],
        internal=True,
    )
    assert not OutboxMessage.objects.filter(key__startswith="case-message:").exists()
    client.force_login(world.users["applicant"])
    page = client.get(_page(application)).content.decode()
    assert "Ring ordföranden" not in page
    assert "Intern anteckning" not in page
    download = reverse("correspondence:attachment_download", kwargs={"pk": note.attachments.get().pk})
    assert client.get(download).status_code == 404

    client.force_login(world.users["caseworker"])
    page = client.get(_page(application)).content.decode()
    assert "Ring ordföranden" in page and "Intern anteckning" in page
    assert client.get(download).status_code == 200


def test_the_organisation_cannot_write_an_internal_note(world, application):
    with pytest.raises(PermissionDenied):
        message_send(case=application, by=world.users["applicant"], body="x", internal=True)


def test_a_stranger_organisation_and_another_municipality_are_refused(client, world, application):
    message = message_send(
        case=application, by=world.users["caseworker"], body="Se filen.", files=[pdf_upload()]
    )
    download = reverse("correspondence:attachment_download", kwargs={"pk": message.attachments.get().pk})
    for role in ("other_applicant", "other_caseworker"):
        client.force_login(world.users[role])
        assert client.post(_send_url(application), {"body": "Hej"}).status_code in (403, 404)
        assert client.get(download).status_code in (403, 404)
    assert Message.objects.count() == 1
    with pytest.raises(PermissionDenied):
        message_send(case=application, by=world.users["other_applicant"], body="Hej")


def test_an_empty_message_is_refused_in_swedish_and_the_text_is_kept(client, world, application):
    client.force_login(world.users["applicant"])
    response = client.post(_send_url(application), {"body": "   "}, follow=True)
    page = response.content.decode()
    assert "Skriv ett meddelande." in page
    assert not Message.objects.exists()

    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    response = client.post(_send_url(application), {"body": "Här är filen", "files": [bad]}, follow=True)
    page = response.content.decode()
    assert "virus.exe" in page and "Filtypen är inte tillåten" in page
    assert "Här är filen</textarea>" in page
    assert not Message.objects.exists()


def test_read_receipts_and_unread_counts(client, world, application):
    caseworker, applicant = world.users["caseworker"], world.users["applicant"]
    message = message_send(case=application, by=caseworker, body="Vi behöver ert budgetutfall.")
    assert unread_cases(user=applicant)[0]["count"] == 1
    assert unread_cases(user=caseworker) == []

    client.force_login(caseworker)
    assert "Läst" not in client.get(_page(application)).content.decode()

    assert messages_mark_read(case=application, by=applicant) == 1
    assert unread_cases(user=applicant) == []
    read = MessageRead.objects.get(message=message, user=applicant)
    page = client.get(_page(application)).content.decode()
    assert f"Läst {read.read_at.astimezone().strftime('%Y-%m-%d')}" in page

    client.force_login(applicant)
    assert "Läst" not in client.get(_page(application)).content.decode()


def test_the_thread_is_empty_until_someone_writes(client, world, application):
    client.force_login(world.users["applicant"])
    page = client.get(_page(application)).content.decode()
    assert 'id="meddelanden"' in page
    assert "Inga meddelanden ännu" in page
    assert "Intern anteckning" not in page
    client.force_login(world.users["caseworker"])
    assert "Intern anteckning – syns inte för föreningen" in client.get(_page(application)).content.decode()


def test_a_message_with_files_lets_both_sides_download_them(client, world, application):
    message_send(
        case=application, by=world.users["applicant"], body="Bifogar.", files=[pdf_upload("protokoll.pdf")]
    )
    attachment = Message.objects.get().attachments.get()
    assert attachment.sha256 and attachment.content_type == "application/pdf"
    for role in ("applicant", "caseworker"):
        client.force_login(world.users[role])
        assert (
            client.get(
                reverse("correspondence:attachment_download", kwargs={"pk": attachment.pk})
            ).status_code
            == 200
        )


def test_too_many_files_are_refused(world, application):
    with pytest.raises(ValidationError, match="Högst 5 filer"):
        message_send(
            case=application,
            by=world.users["applicant"],
            body="Många",
            files=[pdf_upload(f"f{i}.pdf") for i in range(6)],
        )


def test_unread_messages_are_counted_on_the_start_page_and_in_the_inbox(client, world, application):
    message_send(case=application, by=world.users["caseworker"], body="Fråga ett.")
    message_send(case=application, by=world.users["caseworker"], body="Fråga två.")
    client.force_login(world.users["applicant"])
    start = client.get(reverse("home")).content.decode()
    assert "2 olästa meddelanden" in start
    assert _page(application) + "#meddelanden" in start
    client.get(_page(application))
    assert "olästa meddelanden" not in client.get(reverse("home")).content.decode()

    message_send(case=application, by=world.users["applicant"], body="Svar.")
    client.force_login(world.users["caseworker"])
    inbox = client.get(reverse("grants:inbox")).content.decode()
    assert "1 oläst meddelande" in inbox and application.case_number in inbox
    client.force_login(world.users["other_caseworker"])
    assert "oläst" not in client.get(reverse("home")).content.decode()


def test_a_completion_request_and_its_answer_are_on_the_thread(client, world):
    from grants import services
    from grants.models import Application

    application = application_in(world, "completion_requested", key="app-completion")
    assert application.state == Application.State.COMPLETION_REQUESTED
    request = Message.objects.get(object_id=application.pk, kind="completion_request")
    assert request.body == "Skicka verksamhetsberättelsen."
    assert request.due_date == application.completion_deadline
    assert request.side == "staff" and not request.internal

    client.force_login(world.users["applicant"])
    page = client.get(_page(application)).content.decode()
    thread = page[page.index('id="meddelanden"') :]
    assert "Begäran om komplettering" in thread
    assert f"Svara senast {application.completion_deadline:%Y-%m-%d}" in thread

    OutboxMessage.objects.all().delete()
    services.application_answer_completion(
        application=application, by=world.users["applicant"], answer="Bifogad i registret nu."
    )
    answer = Message.objects.get(object_id=application.pk, kind="completion_answer")
    assert answer.side == "organisation" and answer.body == "Bifogad i registret nu."
    assert world.users["caseworker"].email in {
        m.to for m in OutboxMessage.objects.filter(key__startswith="case-message:")
    }


def test_a_draft_has_no_thread_and_refuses_messages(client, world):
    draft = application_in(world, "draft", key="draft")
    client.force_login(world.users["applicant"])
    assert 'id="meddelanden"' not in client.get(_page(draft)).content.decode()
    with pytest.raises(ValidationError, match="registrerats"):
        message_send(case=draft, by=world.users["applicant"], body="Hej")
