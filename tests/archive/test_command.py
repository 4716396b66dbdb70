"""The operator exports a committee's year from the command line."""

import hashlib

import pytest
from django.core.management import call_command

from archive.models import ArchivedCase

from .helpers import check_package

pytestmark = pytest.mark.django_db


def test_archive_export_writes_one_valid_package_per_closed_case(world, dismissed, tmp_path, capsys):
    out = tmp_path / "leverans"
    call_command(
        "archive_export",
        "--committee",
        str(world.committee.pk),
        "--year",
        str(dismissed.submitted_at.year),
        "--out",
        str(out),
    )
    archived = ArchivedCase.objects.get()
    written = out / f"{archived.package_id}.zip"
    data = written.read_bytes()
    assert hashlib.sha256(data).hexdigest() == archived.sha256
    check_package(data)
    assert "exported: 1, failed: 0" in capsys.readouterr().out
    assert archived.exported_by.is_system

    call_command(
        "archive_export", "--committee", str(world.committee.pk), "--year", str(dismissed.submitted_at.year)
    )
    assert ArchivedCase.objects.count() == 1  # nothing is exported twice
