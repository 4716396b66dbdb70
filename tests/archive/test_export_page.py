"""The program administrator exports a committee's year from the e-archive page and downloads it."""

import io
import zipfile

import pytest
from django.urls import reverse

from archive.models import ArchivedCase, ExportJob

from ..grants.factories import application_in
from .helpers import check_package

pytestmark = pytest.mark.django_db


def test_the_page_starts_a_job_that_exports_the_closed_cases_and_offers_them_as_a_zip(
    client, world, dismissed, django_capture_on_commit_callbacks
):
    client.force_login(world.users["program_admin"])
    page = client.get(reverse("archive:index"))
    assert "Leverera avslutade ärenden till e-arkivet" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("archive:export_start"),
            {"committee": world.committee.pk, "year": dismissed.submitted_at.year},
            follow=True,
        )
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.DONE and (job.done, job.total, job.failed) == (1, 1, 0)
    assert "Ärendena exporteras" in response.content.decode()
    text = client.get(reverse("archive:index")).content.decode()
    assert "Klar: 1 av 1 ärenden exporterade" in text
    assert "Ladda ned paketen" in text

    download = client.get(reverse("archive:job_download", args=[job.pk]))
    assert download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as outer:
        (name,) = outer.namelist()
        package = check_package(outer.read(name))
    assert package.package_id == ArchivedCase.objects.get().package_id


def test_a_second_export_of_the_year_finds_nothing_left_and_says_so(
    client, world, dismissed, django_capture_on_commit_callbacks
):
    client.force_login(world.users["program_admin"])
    year = dismissed.submitted_at.year
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("archive:export_start"), {"committee": world.committee.pk, "year": year})
    response = client.post(
        reverse("archive:export_start"), {"committee": world.committee.pk, "year": year}, follow=True
    )
    assert f"Nämnden har inga avslutade ärenden från {year} kvar att arkivera." in response.content.decode()
    assert ExportJob.objects.count() == 1 and ArchivedCase.objects.count() == 1


def test_open_cases_are_left_for_later(client, world, django_capture_on_commit_callbacks):
    application = application_in(world, "in_assessment")
    client.force_login(world.users["program_admin"])
    response = client.post(
        reverse("archive:export_start"),
        {"committee": world.committee.pk, "year": application.submitted_at.year},
        follow=True,
    )
    text = response.content.decode()
    assert "inga avslutade ärenden" in text
    assert f"{application.case_number} är inte avslutat (status: ”under bedömning”)" in text
    assert not ArchivedCase.objects.exists()
    # the year asked for stays in the form, to be asked again once the case is closed
    assert f'value="{application.submitted_at.year}"' in text


def test_another_municipalitys_committee_cannot_be_chosen(client, world):
    client.force_login(world.users["program_admin"])
    response = client.post(
        reverse("archive:export_start"), {"committee": world.other_committee.pk, "year": 2026}
    )
    assert response.status_code == 400
    assert not ExportJob.objects.exists()
