"""Gallring: once the e-archive holds a case, Bidra removes what it no longer needs to keep."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone
from django_fsm_log.models import StateLog

from accounts.retention import retention_apply
from archive.models import ArchivedCase
from archive.services import archived_case_export
from grants.models import ApplicationAttachment

from ..grants.factories import application_in

pytestmark = pytest.mark.django_db


def test_the_attachments_of_an_exported_case_are_culled_after_the_waiting_time_and_logged(world, dismissed):
    open_case = application_in(world, "in_assessment", key="open")
    assert open_case.files.exists()
    archived = archived_case_export(case=dismissed, by=world.users["program_admin"])
    assert dismissed.files.exclude(file="").count() == 1

    assert retention_apply(only=["archive.archived_cases"]) == {"archive.archived_cases": 0}
    assert dismissed.files.exists(), "nothing is culled before the archive had time to confirm"

    later = timezone.now() + dt.timedelta(days=91)
    assert retention_apply(now=later, only=["archive.archived_cases"]) == {"archive.archived_cases": 1}
    assert not ApplicationAttachment.objects.filter(application=dismissed).exclude(file="").exists()
    assert open_case.files.exists(), "a case not exported keeps everything"
    archived.refresh_from_db()
    assert archived.state == ArchivedCase.State.CULLED
    log = StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(ArchivedCase), object_id=archived.pk
    ).latest("timestamp")
    assert log.transition == "cull" and archived.package_id in log.description


def test_apply_retention_lists_the_archive_rule(capsys):
    call_command("apply_retention", "--list")
    assert "archive.archived_cases" in capsys.readouterr().out
