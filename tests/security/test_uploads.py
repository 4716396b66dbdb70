"""Uploads are told apart by their content within fixed bounds: no archive is unpacked to do it.

The same check guards organisation documents, application attachments (page and API), report
files and compact evaluations (``organizations.services.document_check_upload``).
"""

import gzip
import io
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from organizations.models import OrganisationDocument
from organizations.services import document_check_upload
from organizations.uploads import ODS, ODT, XLSX

from ..grants.factories import draft_application
from ..pdf import tiny_pdf
from ..reporting.factories import report_in

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
PACKED = "Packade filer som ZIP tas inte emot"
NOT_A_PDF = "ser ut som en PDF men går inte att öppna"


def zip_bomb(megabytes: int = 256) -> bytes:
    """A small ZIP whose first entry, ``mimetype``, unpacks to ``megabytes`` MB of zeros."""
    buffer = io.BytesIO()
    chunk = bytes(MB)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("mimetype", "w") as entry,
    ):
        for _ in range(megabytes):
            entry.write(chunk)
    return buffer.getvalue()


def zip_saying_pdf() -> bytes:
    """A ZIP whose first entry says ``application/pdf``, with a program inside."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/pdf")
        archive.writestr("faktura.exe", b"MZ\x90\x00" + bytes(400), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def open_document(mime: str, *, mimetype_compressed: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype",
            mime,
            compress_type=zipfile.ZIP_DEFLATED if mimetype_compressed else zipfile.ZIP_STORED,
        )
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue()


def _document(client, world, content, name="stadgar.pdf"):
    client.force_login(world.users["applicant"])
    return client.post(
        reverse("organizations:documents", kwargs={"pk": world.organisation.pk}),
        {"doc_type": "statutes", "year": 2026, "file": SimpleUploadedFile(name, content)},
    )


def _budget_key(world) -> str:
    return f"attachment:{world.objects['config']['attachments']['budget'].pk}"


def _check(content: bytes, name: str = "fil") -> str:
    return document_check_upload(SimpleUploadedFile(name, content))


# ---- a zip bomb ----


def test_a_zip_bomb_is_refused_without_unpacking_it(client, world):
    bomb = zip_bomb(256)
    assert len(bomb) < MB  # 256 MB of zeros packs into about 250 kB
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        start, _ = tracemalloc.get_traced_memory()
        response = _document(client, world, bomb, name="stadgar.odt")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - start < 50 * MB, f"the check took {(peak - start) / MB:.0f} MB"
    assert PACKED in response.content.decode()
    assert not OrganisationDocument.objects.exists()


# ---- a ZIP in disguise ----


def test_a_zip_that_says_it_is_a_pdf_is_refused_as_an_organisation_document(client, world):
    response = _document(client, world, zip_saying_pdf(), name="stadgar.pdf")
    assert PACKED in response.content.decode()
    assert not OrganisationDocument.objects.exists()


def test_a_zip_that_says_it_is_a_pdf_is_refused_as_an_application_attachment(client, world):
    application = draft_application(world)
    before = application.files.count()
    client.force_login(world.users["applicant"])
    page = client.post(
        reverse("grants:attachment_upload", args=[application.pk]),
        {"key": _budget_key(world), "file": SimpleUploadedFile("budget.pdf", zip_saying_pdf())},
        follow=True,
    )
    assert PACKED in page.content.decode()
    api = client.post(
        f"/api/v1/applications/{application.pk}/attachments/",
        {"key": _budget_key(world), "file": SimpleUploadedFile("budget.pdf", zip_saying_pdf())},
    )
    assert api.status_code == 400
    assert PACKED in api.json()["detail"][0]
    assert application.files.count() == before


def test_a_real_pdf_is_accepted_as_document_and_attachment_with_its_type(client, world):
    pdf = tiny_pdf(pages=2)
    assert _document(client, world, pdf).status_code == 302
    assert OrganisationDocument.objects.get().content_type == "application/pdf"
    application = draft_application(world)
    response = client.post(
        f"/api/v1/applications/{application.pk}/attachments/",
        {"key": _budget_key(world), "file": SimpleUploadedFile("budget.pdf", pdf)},
    )
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "application/pdf"


def test_a_file_that_only_starts_and_ends_like_a_pdf_is_refused():
    for content in (
        b"%PDF-1.7\n" + b"MZ\x90\x00 this is a program" * 40,
        b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n",
    ):
        with pytest.raises(ValidationError, match=NOT_A_PDF):
            _check(content, "budget.pdf")


def test_a_pdf_with_a_zip_archive_at_its_end_is_refused():
    appended = io.BytesIO()
    with zipfile.ZipFile(appended, "w") as archive:
        archive.writestr("faktura.exe", b"MZ\x90\x00" + bytes(400))
    with pytest.raises(ValidationError, match=PACKED):
        _check(tiny_pdf() + appended.getvalue(), "budget.pdf")


def test_a_pdf_protected_with_a_password_is_refused_but_one_only_locked_for_editing_is_not():
    def encrypted(user_password):
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.encrypt(user_password=user_password, owner_password="ägare", algorithm="AES-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    with pytest.raises(ValidationError, match="skyddad med lösenord"):
        _check(encrypted("hemligt"), "bokslut.pdf")
    assert _check(encrypted(""), "bokslut.pdf") == "application/pdf"


# ---- archives and office files ----


def test_archives_are_refused_with_a_message_saying_so():
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("budget.pdf", tiny_pdf())
    for name, content in (("bilagor.zip", plain.getvalue()), ("budget.pdf.gz", gzip.compress(tiny_pdf()))):
        with pytest.raises(ValidationError, match=PACKED):
            _check(content, name)


def test_opendocument_and_excel_files_are_recognised_from_their_first_bytes():
    workbook = io.BytesIO()
    openpyxl.Workbook().save(workbook)
    assert _check(workbook.getvalue(), "budget.xlsx") == XLSX
    assert _check(open_document(ODT), "verksamhetsplan.odt") == ODT
    assert _check(open_document(ODS), "budget.ods") == ODS


def test_an_opendocument_whose_mimetype_entry_is_compressed_is_refused():
    """The specification stores it uncompressed; reading a compressed one would mean unpacking."""
    with pytest.raises(ValidationError, match=PACKED):
        _check(open_document(ODT, mimetype_compressed=True), "verksamhetsplan.odt")


# ---- the size limit, on the API too ----


def test_a_file_over_the_size_limit_is_refused_through_the_api(client, world, settings):
    application = draft_application(world)
    before = application.files.count()
    settings.UPLOAD_MAX_BYTES = 1 * MB
    client.force_login(world.users["applicant"])
    response = client.post(
        f"/api/v1/applications/{application.pk}/attachments/",
        {"key": _budget_key(world), "file": SimpleUploadedFile("budget.pdf", tiny_pdf() + bytes(MB))},
    )
    assert response.status_code == 400
    assert "Filen är för stor (1,0 MB). Gränsen är 1 MB." in response.json()["detail"][0]
    assert application.files.count() == before


# ---- downloads ----


def test_a_file_sent_with_a_report_downloads_as_an_attachment_not_shown_in_the_browser(client, world):
    report = report_in(world, "submitted")
    client.force_login(world.users["caseworker"])
    response = client.get(reverse("reporting:report_file", args=[report.pk, report.files.get().pk]))
    assert response["Content-Disposition"] == 'attachment; filename="resultat.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
