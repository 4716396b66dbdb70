"""The register kept current: documents and staff search (the payment account: test_payment_account.py)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organizations.models import OrganisationDocument
from organizations.selectors import document_status

from ..factories import OrganisationDocumentFactory, OrganisationFactory
from ..pdf import tiny_pdf

pytestmark = pytest.mark.django_db

PDF = tiny_pdf()


def _upload(client, organisation, content, name="stadgar.pdf", doc_type="statutes", year=2026):
    return client.post(
        reverse("organizations:documents", kwargs={"pk": organisation.pk}),
        {"doc_type": doc_type, "year": year, "file": SimpleUploadedFile(name, content)},
    )


def test_an_applicant_uploads_a_pdf_and_downloads_it_as_an_attachment(client, world):
    client.force_login(world.users["applicant"])
    response = _upload(client, world.organisation, PDF)
    assert response.status_code == 302
    document = OrganisationDocument.objects.get()
    assert document.content_type == "application/pdf"
    assert "stadgar" not in document.file.name  # stored under a random name
    response = client.get(reverse("organizations:document_download", kwargs={"pk": document.pk}))
    assert response["Content-Disposition"].startswith('attachment; filename="stadgar.pdf"')
    assert b"".join(response.streaming_content) == PDF


def test_a_file_that_only_pretends_to_be_a_pdf_is_refused(client, world):
    client.force_login(world.users["applicant"])
    response = _upload(client, world.organisation, b"MZ\x90\x00 this is a program", name="stadgar.pdf")
    assert "Filtypen är inte tillåten" in response.content.decode()
    assert OrganisationDocument.objects.count() == 0


def test_an_office_document_is_recognised_by_its_content(client, world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    client.force_login(world.users["applicant"])
    _upload(client, world.organisation, buffer.getvalue(), name="budget.docx", doc_type="budget")
    assert OrganisationDocument.objects.get().content_type.endswith("wordprocessingml.document")


def test_a_file_over_the_size_limit_is_refused(client, world, settings):
    settings.UPLOAD_MAX_BYTES = 100
    client.force_login(world.users["applicant"])
    response = _upload(client, world.organisation, PDF + b"0" * 200)
    assert "Filen är för stor" in response.content.decode()
    assert OrganisationDocument.objects.count() == 0


def test_another_organisation_cannot_download_or_upload(client, world):
    document = OrganisationDocumentFactory(organisation=world.organisation)
    client.force_login(world.users["other_applicant"])
    assert (
        client.get(reverse("organizations:document_download", kwargs={"pk": document.pk})).status_code == 404
    )
    assert _upload(client, world.organisation, PDF).status_code == 404


def test_document_status_shows_what_is_missing_or_out_of_date():
    organisation = OrganisationFactory()
    OrganisationDocumentFactory(organisation=organisation, doc_type="statutes", year=2015)
    OrganisationDocumentFactory(organisation=organisation, doc_type="annual_report", year=2024)
    OrganisationDocumentFactory(organisation=organisation, doc_type="budget", year=2026)
    status = {s.doc_type: s.state for s in document_status(organisation=organisation, year=2026)}
    assert status["statutes"] == "current"  # valid until replaced
    assert status["annual_report"] == "outdated"  # 2025 is needed in 2026
    assert status["budget"] == "current"
    assert status["accounts"] == "missing"


def test_staff_search_finds_only_their_municipality_s_organisations(client, world):
    client.force_login(world.users["caseworker"])
    body = client.get(reverse("organizations:search"), {"q": "Grannby"}).content.decode()
    assert "Ingen organisation matchar" in body
    body = client.get(
        reverse("organizations:search"), {"q": world.organisation.org_number[:6]}
    ).content.decode()
    assert world.organisation.name in body
