"""A letter job's state changes by its transitions, each with a log row naming who and why:
started and finished for the secretary who started it, stopped by the click that took it over."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django_fsm_log.models import StateLog

from grants import services
from grants.models import LetterJob

from .test_letters_worker import decided_round

pytestmark = pytest.mark.django_db


def _logs(job):
    return list(
        StateLog.objects.filter(content_type=ContentType.objects.get_for_model(LetterJob), object_id=job.pk)
        .order_by("timestamp", "pk")
        .values_list("source_state", "state", "by", "description")
    )


def test_a_job_that_makes_every_letter_logs_its_start_and_its_end_for_the_secretary(
    world, django_capture_on_commit_callbacks
):
    meeting, _applications = decided_round(world, 2)
    secretary = world.users["secretary"]
    with django_capture_on_commit_callbacks(execute=True):
        job = services.letter_job_start(meeting=meeting, by=secretary)
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (LetterJob.State.DONE, 2, 2) and job.finished_at
    assert _logs(job) == [
        ("queued", "running", secretary.pk, "En bakgrundsprocess började skriva breven."),
        ("running", "done", secretary.pk, "Alla brev är skrivna."),
    ]


def test_a_job_whose_worker_was_killed_is_stopped_by_the_click_that_takes_it_over_and_the_log_says_so(
    world, django_capture_on_commit_callbacks
):
    meeting, applications = decided_round(world, 2)
    secretary = world.users["secretary"]
    crashed = LetterJob.objects.create(
        meeting=meeting, total=len(applications), started_by=secretary, state=LetterJob.State.RUNNING
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = services.letter_job_start(meeting=meeting, by=secretary)
    assert job.pk != crashed.pk
    crashed.refresh_from_db()
    assert crashed.state == LetterJob.State.FAILED and crashed.finished_at is not None
    ((source, state, by, why),) = _logs(crashed)
    assert (source, state, by) == ("running", "failed", secretary.pk)
    assert "avbröts" in why.lower()
