"""Messages are records of the case: in its timeline, its archive package, the writer's personal
data and the archive's culling."""

import hashlib

import pytest
from django.urls import reverse

from accounts.personal_data import personal_data_export
from archive.services import archived_case_cull, archived_case_export
from correspondence.models import Message, MessageAttachment
from correspondence.services import message_send

from ..archive.conftest import dismissed_application
from ..archive.helpers import check_package
from ..grants.factories import application_in, pdf_upload

pytestmark = pytest.mark.django_db


def test_messages_are_in_the_timeline_and_notes_only_for_staff(client, world):
    application = application_in(world, "submitted", key="app-submitted")
    message_send(case=application, by=world.users["applicant"], body="Fråga om budgeten.")
    message_send(case=application, by=world.users["caseworker"], body="Notering.", internal=True)
    page = reverse("grants:application_detail", kwargs={"pk": application.pk})
    client.force_login(world.users["applicant"])
    timeline = client.get(page).content.decode().split('class="timeline"')[1]
    assert "Meddelande från organisationen" in timeline
    assert "Intern anteckning" not in timeline
    client.force_login(world.users["caseworker"])
    timeline = client.get(page).content.decode().split('class="timeline"')[1]
    assert "Meddelande från organisationen" in timeline and "Intern anteckning" in timeline


def test_the_archive_package_holds_the_thread_and_its_files_and_culling_removes_the_files(world):
    application = application_in(world, "in_assessment")
    message_send(
        case=application,
        by=world.users["applicant"],
        body="Här är protokollet.",
        files=[pdf_upload("protokoll.pdf")],
    )
    message_send(case=application, by=world.users["caseworker"], body="Kontrollera stadgarna.", internal=True)
    dismissed = dismissed_application(world)
    archived = archived_case_export(case=dismissed, by=world.users["program_admin"])
    with archived.package.open("rb") as handle:
        package = check_package(handle.read())
    thread = next(data for name, data in package.names.items() if name.endswith("/messages.txt")).decode()
    assert "Här är protokollet." in thread and "Kontrollera stadgarna." in thread
    attachment = MessageAttachment.objects.get()
    assert any(
        name.endswith(f"message-attachment-{attachment.pk}.pdf")
        and hashlib.sha256(data).hexdigest() == attachment.sha256
        for name, data in package.names.items()
    )
    archived_case_cull(archived=archived, by=world.users["program_admin"])
    assert not MessageAttachment.objects.exists()
    assert Message.objects.count() == 2  # the text stays with the case


def test_the_personal_data_export_has_the_persons_messages(world):
    application = application_in(world, "submitted", key="app-submitted")
    message_send(
        case=application, by=world.users["applicant"], body="Min fråga.", files=[pdf_upload("a.pdf")]
    )
    data = personal_data_export(email=world.users["applicant"].email, by=world.users["municipality_admin"])
    assert data["case_messages"] == [
        {
            "case": application.case_number,
            "organisation": world.organisation.name,
            "written_at": Message.objects.get().created_at.isoformat(),
            "internal_note": False,
            "text": "Min fråga.",
            "files": ["a.pdf"],
        }
    ]


def test_the_history_page_has_the_messages_but_never_a_note(client, world):
    application = application_in(world, "submitted", key="app-submitted")
    message_send(case=application, by=world.users["caseworker"], body="Fråga.")
    message_send(case=application, by=world.users["caseworker"], body="Notering.", internal=True)
    client.force_login(world.users["applicant"])
    page = client.get(application.history_url).content.decode()
    assert "Meddelande till organisationen" in page
    assert "Intern anteckning" not in page
