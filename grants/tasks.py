"""Background work of grants.  Each task loads ids, calls a service and is safe to run twice."""

from celery import shared_task


@shared_task
def application_submitted(application_id: int, user_id: int, receipt_id: int | None = None) -> int:
    """A submission's work after commit, one message on the queue: the receipt is sent, then the
    application is rendered as PDF (the same content is kept once).

    A receipt that cannot be sent now stays in the outbox, which sends it within a minute
    (``workflows.tasks.outbox_send_pending``); the PDF is made all the same."""
    from django.contrib.auth import get_user_model

    from workflows.services import outbox_send

    from .models import Application
    from .services import application_document as render

    if receipt_id is not None:
        outbox_send(message_id=receipt_id)
    application = Application.objects.select_related("round__program", "organisation").get(pk=application_id)
    return render(application=application, by=get_user_model().objects.get(pk=user_id)).pk


@shared_task
def rounds_take_due_snapshots() -> int:
    from .services import rounds_take_due_snapshots as take

    return take()


@shared_task
def decision_letter_make(application_id: int, user_id: int) -> int | None:
    """Make and e-mail the decision letter of one application (a delegated decision)."""
    from django.contrib.auth import get_user_model

    from .models import Application
    from .services import decision_letter_make as make

    letter = make(application=Application(pk=application_id), by=get_user_model().objects.get(pk=user_id))
    return letter.pk if letter else None


@shared_task(acks_late=True)
def letters_generate(job_id: int) -> int:
    """Make the decision letters of a meeting (one job); safe to run again or twice at once.

    ``BIDRA_LETTER_TEST_DELAY`` (seconds, tests only) slows each letter down so that a test
    can stop the worker in the middle of a job.
    """
    from workflows.queue import delay

    from .services import letter_runners

    runners = letter_runners()
    for runner in range(1, runners):  # the other worker processes each take their share
        delay(letters_generate_share, job_id, runner, runners)  # without them this one makes them all
    return _run_share(job_id, 0, runners)


@shared_task(acks_late=True)
def letters_generate_share(job_id: int, runner: int, runners: int) -> int:
    """One more process making a meeting's letters next to ``letters_generate`` (its share first)."""
    return _run_share(job_id, runner, runners)


def _run_share(job_id: int, runner: int, runners: int) -> int:
    import os

    from .services import letter_job_run

    pause = float(os.environ.get("BIDRA_LETTER_TEST_DELAY", "0") or 0)
    return letter_job_run(job_id=job_id, pause=pause, runner=runner, runners=runners).done


@shared_task
def payments_create_due() -> dict:
    """Plan the payments of granted applications whose decisions may now be executed."""
    from .services import payments_create_due as create

    return create()


@shared_task
def decision_requests_remind() -> int:
    """Remind the caseworkers, once, a week before a request for a decision is due (FL 12 §)."""
    from .services import decision_requests_remind as remind

    return remind()
