"""The decision letters of a meeting are one job: a worker that dies in the middle, or a job started
twice, leaves no duplicate letter or e-mail, and running it again completes what is missing."""

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from grants import services
from grants.models import Application, DecisionLetter, LetterJob, ProgramBudget
from meetings import services as meetings
from workflows.models import OutboxMessage, StoredDocument

from ..conftest import build_world, wait_for
from ..pdf import pdf_text, pdfa_conformance
from .decisions import held_meeting, members, organisation_with_user, proposed_application
from .factories import open_round

COUNT = 20


def decided_round(world, count: int):
    """``count`` applications granted at a meeting whose minutes are approved and posted."""
    open_round(world)
    ProgramBudget.objects.update(amount=2000000)
    applications = []
    for index in range(1, count + 1):
        organisation, user = organisation_with_user(world, f"Förening nr {index} i Ödeshög", index=index)
        applications.append(
            proposed_application(world, organisation=organisation, user=user, requested=20000, proposed=20000)
        )
    secretary = world.users["secretary"]
    meeting = held_meeting(
        world, starts_at=timezone.now() - dt.timedelta(days=2), cases=applications, adjusters=members(world)
    )
    meetings.decisions_record(meeting=meeting, group_no=1, by=secretary)
    for attendance in meeting.attendances.filter(adjuster=True):
        meetings.minutes_approve(meeting=meeting, by=attendance.user)
    meetings.meeting_post(meeting=meeting, posted_on=timezone.localdate(), by=secretary)
    return meeting, applications


def letters_per_application() -> Counter:
    return Counter(DecisionLetter.objects.values_list("application_id", flat=True))


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_the_letters_leaves_no_duplicates_and_a_rerun_completes_them(
    letter_worker,
):
    world = build_world()
    meeting, applications = decided_round(world, COUNT)
    secretary = world.users["secretary"]

    first = services.letter_job_start(meeting=meeting, by=secretary)
    wait_for(lambda: DecisionLetter.objects.count() >= 4, timeout=120, explain=letter_worker.explain)
    letter_worker.kill()
    made_before = DecisionLetter.objects.count()
    assert 4 <= made_before < COUNT
    first.refresh_from_db()
    assert first.state == LetterJob.State.RUNNING  # it never finished: the worker died

    # A fresh worker; the secretary starts the job again at once: the killed run holds no lock,
    # so it is taken over without waiting for its heartbeat to go stale.  The same job is also
    # delivered twice, so two processes work on it at once.
    letter_worker.start()
    second = services.letter_job_start(meeting=meeting, by=secretary)
    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.state == LetterJob.State.FAILED
    from grants.tasks import letters_generate

    letters_generate.delay(second.pk)
    wait_for(
        lambda: LetterJob.objects.filter(pk=second.pk, finished_at__isnull=False).exists(),
        timeout=180,
        explain=letter_worker.explain,
    )
    second.refresh_from_db()
    assert (second.total, second.done, second.failed) == (COUNT, COUNT, 0)

    # Exactly one letter (one stored PDF, version 1) and one e-mail per applicant.
    assert letters_per_application() == Counter({a.pk: 1 for a in applications})
    documents = StoredDocument.objects.filter(kind=services.LETTER_KIND)
    assert documents.count() == COUNT and set(documents.values_list("version", flat=True)) == {1}
    messages = OutboxMessage.objects.filter(key__startswith="decision-letter:")
    assert sorted(messages.values_list("to", flat=True)) == sorted(
        a.organisation.email for a in Application.objects.filter(pk__in=[a.pk for a in applications])
    )

    # Messages whose send task died with the first worker are sent by the periodic retry; each once.
    from workflows.tasks import outbox_send_pending

    outbox_send_pending.delay()
    wait_for(lambda: not messages.filter(sent_at=None).exists(), timeout=60, explain=letter_worker.explain)
    assert set(messages.values_list("attempts", flat=True)) == {1}

    letter = DecisionLetter.objects.select_related("document", "application__organisation").first()
    data = letter.document.file.read()
    assert pdfa_conformance(data) == "3B"
    assert "Ödeshög" in pdf_text(data)


@pytest.mark.django_db
def test_running_the_letter_job_twice_makes_one_letter_and_one_email_each(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    meeting, applications = decided_round(world, 3)
    secretary = world.users["secretary"]
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.letter_job_start(meeting=meeting, by=secretary)
        job.refresh_from_db()
        assert (job.state, job.done, job.total) == (LetterJob.State.DONE, 3, 3)
    # and once more, the task itself, as a redelivered message would
    services.letter_job_run(
        job_id=LetterJob.objects.create(meeting=meeting, total=3, started_by=secretary).pk
    )
    assert letters_per_application() == Counter({a.pk: 1 for a in applications})
    assert OutboxMessage.objects.filter(key__startswith="decision-letter:").count() == 3
    assert len(mailoutbox) == 3
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects[0].startswith(
        "Beslut om Verksamhetsstöd till sociala föreningar: Förening nr 1 i Ödeshög beviljas"
    )
