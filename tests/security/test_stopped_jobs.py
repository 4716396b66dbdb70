"""A letter job whose worker was killed is taken over by the next run at once, and each letter is
still made once; a job whose worker is alive is shown instead of starting another.

Whether the worker is alive is its lock (``workflows.locks``): held by the running process, lost
with it.  Here a crash is a job marked running whose lock nobody holds; a live worker is another
connection (PostgreSQL) or file handle (SQLite) holding it.  The real thing, a Celery worker
killed with SIGKILL in the middle of a job, is in ``tests/grants/test_letters_worker.py``.
"""

import threading
from collections import Counter

import pytest
from django.db import connection

from grants import services
from grants.models import DecisionLetter, LetterJob
from workflows import locks, tasks
from workflows.models import OutboxMessage

from ..grants.test_letters_worker import decided_round

pytestmark = pytest.mark.django_db


def _crashed_job(meeting, applications, secretary) -> LetterJob:
    """A run that made the first letter and was killed: still marked running, reporting a moment ago."""
    services.decision_letter_make(application=applications[0], by=secretary, missing_only=True)
    return LetterJob.objects.create(
        meeting=meeting, total=len(applications), done=1, started_by=secretary, state=LetterJob.State.RUNNING
    )


def test_a_job_whose_worker_was_killed_is_taken_over_at_once_and_each_letter_is_made_once(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    meeting, applications = decided_round(world, 3)
    secretary = world.users["secretary"]
    crashed = _crashed_job(meeting, applications, secretary)

    with django_capture_on_commit_callbacks(execute=True):
        job = services.letter_job_start(meeting=meeting, by=secretary)

    assert job.pk != crashed.pk
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.failed) == (LetterJob.State.DONE, 3, 3, 0)
    crashed.refresh_from_db()
    assert crashed.state == LetterJob.State.FAILED and crashed.finished_at is not None
    assert "avbröts" in crashed.errors.lower()
    letters = Counter(DecisionLetter.objects.values_list("application_id", flat=True))
    assert letters == Counter({a.pk: 1 for a in applications})
    assert OutboxMessage.objects.filter(key__startswith="decision-letter:").count() == 3
    # the killed run's e-mail waits in the outbox for the periodic task; one e-mail each in all
    tasks.outbox_send_pending.apply()
    letters_sent = [m.to[0] for m in mailoutbox if m.subject.startswith("Beslut om")]
    assert sorted(letters_sent) == sorted(a.organisation.email for a in applications)


class _LiveWorker:
    """Another process's hold of the job's lock, from a thread with its own connection."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.holding, self.done = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._run)

    def _run(self):
        try:
            with locks.held_while_running(services.LETTER_JOB_LOCK, self.job_id):
                self.holding.set()
                self.done.wait(30)
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.holding.wait(30)
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join(30)


def test_a_job_whose_worker_is_alive_is_shown_instead_of_starting_another(
    world, settings, django_capture_on_commit_callbacks
):
    settings.GRANTS_LETTER_JOB_STALE_SECONDS = 0  # no heartbeat is fresh: the lock alone tells
    meeting, applications = decided_round(world, 2)
    secretary = world.users["secretary"]
    running = _crashed_job(meeting, applications, secretary)

    with _LiveWorker(running.pk):
        assert locks.is_running(services.LETTER_JOB_LOCK, running.pk) is True
        again = services.letter_job_start(meeting=meeting, by=secretary)
        assert again.pk == running.pk
        assert LetterJob.objects.filter(meeting=meeting).count() == 1

    # the worker is gone: the next click takes over
    with django_capture_on_commit_callbacks(execute=True):
        taken_over = services.letter_job_start(meeting=meeting, by=secretary)
    assert taken_over.pk != running.pk
    taken_over.refresh_from_db()
    assert taken_over.state == LetterJob.State.DONE
    assert Counter(DecisionLetter.objects.values_list("application_id", flat=True)) == Counter(
        {a.pk: 1 for a in applications}
    )


def test_a_job_waiting_in_the_queue_is_shown_until_it_has_waited_too_long(world, settings):
    meeting, applications = decided_round(world, 1)
    secretary = world.users["secretary"]
    queued = LetterJob.objects.create(meeting=meeting, total=1, started_by=secretary)
    assert services.letter_job_start(meeting=meeting, by=secretary).pk == queued.pk
    settings.GRANTS_LETTER_JOB_STALE_SECONDS = 0
    assert services.letter_job_start(meeting=meeting, by=secretary).pk != queued.pk
