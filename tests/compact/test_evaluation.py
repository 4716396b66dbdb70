"""The compact's evaluation in the last year of its term: a page to record it, and a reminder before it."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from compact import tasks
from workflows.deadlines import add_years
from workflows.models import OutboxMessage

from ..pdf import tiny_pdf
from .factories import compact

pytestmark = pytest.mark.django_db


def test_managers_are_reminded_once_six_weeks_before_the_evaluation_is_due(world, travel):
    c = compact(world, adopted_on=date(2026, 2, 20))
    due = c.evaluation_due_on
    assert due == date(2029, 2, 20)  # in the fourth year of a four-year term
    travel(due - timedelta(weeks=7))
    tasks.compact_run_due()
    assert not OutboxMessage.objects.filter(key__startswith="iop:compact-evaluation").exists()
    travel(due - timedelta(weeks=6))
    tasks.compact_run_due()
    tasks.compact_run_due()
    reminders = OutboxMessage.objects.filter(key__startswith="iop:compact-evaluation")
    assert sorted(m.to for m in reminders) == ["caseworker@exemplo.se", "program_admin@exemplo.se"]
    assert "2029-02-20" in reminders[0].subject


def test_the_evaluation_is_recorded_on_its_page_with_the_report(world, travel):
    c = compact(world, adopted_on=date(2026, 2, 20))
    travel(add_years(c.term_start, 3) + timedelta(days=30))
    client = Client()
    client.force_login(world.users["caseworker"])
    url = reverse("compact:compact_evaluation", kwargs={"slug": world.municipality.slug})
    response = client.post(
        url,
        {
            "evaluated_on": "2029-03-20",
            "findings": "Samverkan har blivit tätare; fler föreningar har anslutit sig.",
            "next_steps": "Förnya överenskommelsen med en ny handlingsplan.",
            "document": SimpleUploadedFile("utvardering.pdf", tiny_pdf(), "application/pdf"),
        },
    )
    assert response.status_code == 302
    evaluation = c.current_evaluation()
    assert evaluation.findings.startswith("Samverkan") and evaluation.original_name == "utvardering.pdf"
    page = client.get(
        reverse("compact:compact_manage", kwargs={"slug": world.municipality.slug})
    ).content.decode()
    assert "Förnya överenskommelsen med en ny handlingsplan." in page and "utvardering.pdf" in page
    travel(c.evaluation_due_on - timedelta(weeks=1))
    tasks.compact_run_due()
    assert not OutboxMessage.objects.filter(key__startswith="iop:compact-evaluation").exists()
