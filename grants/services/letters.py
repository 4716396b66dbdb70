"""Decision letters and the background job that makes a meeting's letters.

A letter is a stored PDF/A document made once per decision (after the minutes are posted, so it
carries the last day to appeal) and never regenerated silently.  A meeting has at most one
running letter job; a job whose worker stopped is taken over, and each letter is still made once.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.appeals import appeal_terms
from workflows import locks
from workflows.queue import delay_on_commit
from workflows.services import (
    TransitionRefused,
    document_store,
    outbox_enqueue,
    perform_transition,
    require,
)

from ..models import (
    Application,
    Program,
)
from .decisions import decision_state
from .submission import _link

# ---- decision letters ----

LETTER_KIND = "decision_letter"
#: the decision letter's styles, parsed once per process (its template has only the page footer)
LETTER_CSS = Path(__file__).parent.parent / "templates" / "documents" / "grant_decision_letter.css"


def letter_template_save(*, program: Program, outcome: str, subject: str, body: str, by):
    """Save a program's letter text; only the listed placeholders are allowed."""
    from ..letters import check_placeholders
    from ..models import LetterTemplate

    require(by, "grants.manage_letter_templates", program)
    if outcome not in LetterTemplate.Outcome.values:
        raise ValidationError(_("Choose which decision the letter is for."))
    errors = []
    if not subject.strip():
        errors.append(_("Write the subject of the letter."))
    if not body.strip():
        errors.append(_("Write the text of the letter."))
    for text in (subject, body):
        try:
            check_placeholders(text)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    template, _created = LetterTemplate.objects.update_or_create(
        program=program,
        outcome=outcome,
        defaults={
            "subject": subject.strip()[:200],
            "body": body.strip(),
            "updated_by": by,
            "updated_at": timezone.now(),
        },
    )
    return template


def letter_context(*, application: Application, decision) -> dict:
    """Everything the decision letter shows; the same decision always gives the same letter."""
    from ..letters import letter_text, placeholder_values, program_letter_contact, template_for

    program = application.round.program
    contact = program_letter_contact(program=program, case=application, decision=decision)
    values = placeholder_values(application, decision, contact=contact)
    text = letter_text(template_for(program, decision.outcome), values)
    state = decision_state(decision)
    decided_on = timezone.localtime(decision.decided_at).date()
    return {
        "application": application,
        "organisation": application.organisation,
        "program": program,
        "committee": decision.committee,
        "municipality": decision.committee.municipality,
        "decision": decision,
        "decided_on": decided_on,
        "subject": text.subject,
        "paragraphs": text.paragraphs,
        "meeting": state["meeting"],
        "item": state["item"],
        # a delegated decision's item is its report to the committee: the meeting whose posted
        # minutes start a review of legality; its letter is made again then (``_make_letters``)
        "appeal": appeal_terms(
            kind=program.appeal_kind,
            court=program.appeal_court,
            committee=decision.committee,
            case_number=application.case_number,
            decided_on=decided_on,
            delegated=decision.delegated,
            meeting=state["meeting"],
            reported=decision.delegated,
            new_letter_at_posting=True,
        ),
        "granted": decision.outcome in Application.GRANTED_STATES,
        "instalments": program.instalments,
        "contact": contact,
    }


def decision_letter_make(*, application: Application, by, missing_only: bool = False):
    """Make (or find) the decision letter of the application's decision and e-mail it once.

    Safe to run any number of times and at the same time: the application row is locked,
    the same content is the same stored version, and the e-mail's key is the application and
    the letter's version.  With ``missing_only`` (the meeting's letter job) an application
    another process is making the letter of right now is skipped, and one whose decision has
    its letter already is left as it is (None is returned for both).
    """
    from django.utils import translation

    from meetings.models import Decision

    from ..models import DecisionLetter

    with transaction.atomic():
        # Two joins of six and seven tables, not one of thirteen: PostgreSQL took longer to plan
        # that than to run it, for each of a meeting's thousand letters.
        application = (
            Application.objects.select_for_update(of=("self",), skip_locked=missing_only)
            .select_related("round__program__committee__municipality", "organisation", "created_by")
            # the form and its answers are not in the letter: a thousand letters need not read them
            .defer("answers", "snapshot", "eligibility", "round__snapshot")
            .filter(pk=application.pk)
            .first()
        )
        if application is None:
            if missing_only:
                return None
            raise Application.DoesNotExist
        if application.decision_id is None:
            return None
        decision = application.decision = Decision.objects.select_related(
            "committee__municipality", "decided_by", "item__meeting"
        ).get(pk=application.decision_id)
        if decision.annulled:
            return None
        if (
            missing_only
            and _current_letters(
                DecisionLetter.objects.filter(application=application, decision=decision)
            ).exists()
        ):
            return None
        with translation.override("sv"):
            context = letter_context(application=application, decision=decision)
            document = document_store(
                subject=application,
                kind=LETTER_KIND,
                title=context["subject"],
                template="documents/grant_decision_letter.html",
                context=context,
                by=by,
                stylesheets=(LETTER_CSS,),
            )
            letter, created = DecisionLetter.objects.get_or_create(
                document=document,
                defaults={
                    "application": application,
                    "decision": decision,
                    "subject": context["subject"][:300],
                },
            )
            if not created and not _current_letters(DecisionLetter.objects.filter(pk=letter.pk)).exists():
                # the same letter as before the posting (its text does not name the posting day):
                # it is issued again now
                letter.created_at = timezone.now()
                letter.save(update_fields=["created_at"])
            recipient = application.organisation.email or application.created_by.email
            outbox_enqueue(
                key=f"decision-letter:{application.pk}:v{document.version}",
                to=recipient,
                subject=context["subject"],
                template="grants/email/decision_letter.txt",
                context={
                    "application": application,
                    "letter": letter,
                    "subject": context["subject"],
                    "link": _link(application),
                },
            )
    return letter


def reported_decision_letters_remake(*, meeting, by) -> int:
    """The minutes of a meeting that delegated grant decisions were reported to are posted: the
    letter of each is made (and e-mailed) again, now with the last day to appeal, where the
    decision is reviewed for legality (that period counts from this posting).  An administrative
    appeal counts from the first letter's receipt, so those letters stay as they are."""
    from django.contrib.contenttypes.models import ContentType

    from meetings.models import AgendaItem, Decision

    from .. import tasks

    ids = list(
        Decision.objects.filter(
            item__meeting=meeting,
            item__kind=AgendaItem.Kind.INFORMATION,
            delegation__isnull=False,
            annulled=False,
            content_type=ContentType.objects.get_for_model(Application),
        ).values_list("object_id", flat=True)
    )
    ids = list(
        Application.objects.filter(pk__in=ids, decision__item__meeting=meeting)
        .exclude(round__program__appeal_kind="administrative")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for application_id in ids:
        delay_on_commit(tasks.decision_letter_make, application_id, by.pk)
    return len(ids)


def meeting_grant_items(meeting):
    """The decided grant applications of a meeting's agenda (not those reported for information)."""
    from django.contrib.contenttypes.models import ContentType

    from meetings.models import AgendaItem

    return AgendaItem.objects.filter(
        meeting=meeting,
        kind=AgendaItem.Kind.DECISION,
        content_type=ContentType.objects.get_for_model(Application),
        decision__isnull=False,
    ).order_by("order", "pk")


def letters_ready_count(meeting) -> int:
    """How many of the meeting's decided applications have a letter of their decision at it."""
    return len(_letters_made(meeting, list(meeting_grant_items(meeting).values_list("object_id", flat=True))))


#: how long a job may wait in the queue for a worker before a new click starts another
LETTER_JOB_STALE_SECONDS = 120

#: the lock the processes making a job's letters hold while they run (``workflows.locks``)
LETTER_JOB_LOCK = "grants-letter-job"


def letter_job_start(*, meeting, by):
    """The secretary starts making the meeting's decision letters: one background job.

    A second click while a job is running shows that job instead of starting another.  A job
    marked running whose processes all stopped (a worker killed, a machine lost) holds no lock:
    it is marked stopped and a new job makes the rest at once; each letter is still made once.
    A job still waiting for a worker is given ``GRANTS_LETTER_JOB_STALE_SECONDS`` to start.
    """
    from datetime import timedelta

    from meetings.models import Meeting

    from .. import tasks
    from ..models import LetterJob

    require(by, "meetings.manage_meeting", meeting)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.posted_on is None:
            raise TransitionRefused(
                [
                    _(
                        "Decision letters are made once the minutes are posted: each letter states the last day to appeal."
                    )
                ]
            )
        total = meeting_grant_items(meeting).count()
        if not total:
            raise TransitionRefused([_("The meeting decided no grant applications.")])
        stale = getattr(settings, "GRANTS_LETTER_JOB_STALE_SECONDS", LETTER_JOB_STALE_SECONDS)
        waited_too_long = timezone.now() - timedelta(seconds=stale)
        for running in (
            LetterJob.objects.select_for_update()
            .filter(meeting=meeting, state__in=[LetterJob.State.QUEUED, LetterJob.State.RUNNING])
            .order_by("-created_at", "-pk")
        ):
            alive = None  # a job still in the queue has no process yet: its age tells
            if running.state == LetterJob.State.RUNNING:
                alive = locks.is_running(LETTER_JOB_LOCK, running.pk)
            if alive is None:
                alive = running.heartbeat_at >= waited_too_long
            if alive:
                return running
            stopped = _("Stopped before it was finished; a new run makes the rest.")
            perform_transition(
                running, "stop", by=by, reason=stopped, save_fields=["errors", "finished_at"], note=stopped
            )
        job = LetterJob.objects.create(
            meeting=meeting, total=total, done=letters_ready_count(meeting), started_by=by
        )
        delay_on_commit(tasks.letters_generate, job.pk)
    return job


#: how many worker processes make a meeting's letters side by side (each its share of them)
LETTER_RUNNERS = 2


def letter_runners() -> int:
    return max(1, int(getattr(settings, "GRANTS_LETTER_RUNNERS", LETTER_RUNNERS)))


#: how many letters a process makes before it reads again which the others have made
LETTER_JOB_RECHECK = 25


def _current_letters(letters):
    """Of ``letters``, those made after their meeting's minutes were posted: a letter made before
    has no appeal deadline, and is made again."""
    from django.db.models import F, Q

    return letters.filter(
        Q(decision__item__isnull=True)
        | Q(decision__item__meeting__posted_at__isnull=True)
        | Q(created_at__gte=F("decision__item__meeting__posted_at"))
    )


def _letters_made(meeting, ids: list[int]) -> set[int]:
    """The applications of ``ids`` whose decision at ``meeting`` has its letter (since the posting)."""
    from ..models import DecisionLetter

    letters = DecisionLetter.objects.filter(application_id__in=ids, decision__item__meeting=meeting)
    if meeting.posted_at is not None:
        letters = letters.filter(created_at__gte=meeting.posted_at)
    return set(letters.values_list("application_id", flat=True))


def letter_job_run(*, job_id: int, pause: float = 0.0, runner: int = 0, runners: int = 1):
    """Make every letter of the job's meeting that is missing, reporting progress as it goes.

    ``runners`` processes may run the same job at once (``runner`` is this one's number): each
    starts at its own share of the list and goes round it, skipping letters another process is
    making or has made, so together they make each letter once.  The process that sees every
    letter made (or failed) marks the job finished.  Each holds the job's lock while it runs:
    a job marked running whose lock nobody holds has stopped (see ``letter_job_start``).
    """
    with locks.held_while_running(LETTER_JOB_LOCK, job_id):
        return _letter_job_run(job_id, pause=pause, runner=runner, runners=runners)


def _letter_job_run(job_id: int, *, pause: float, runner: int, runners: int):
    import time

    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from ..models import LetterJob

    with transaction.atomic():
        job = (
            LetterJob.objects.select_for_update(of=("self",))
            .select_related("meeting", "started_by")
            .get(pk=job_id)
        )
        if job.finished:
            return job
        if job.state == LetterJob.State.QUEUED:  # the first of its processes starts it
            perform_transition(
                job,
                "start",
                by=job.started_by,
                reason=_("A worker started making the letters."),
                save_fields=["heartbeat_at"],
            )
        else:
            LetterJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    meeting = job.meeting
    ids = list(meeting_grant_items(meeting).values_list("object_id", flat=True))
    start = len(ids) * (runner % runners) // runners
    failed = 0
    made: set[int] = set()
    for n, application_id in enumerate(ids[start:] + ids[:start]):
        if n % LETTER_JOB_RECHECK == 0:
            # Which letters the other processes have made meanwhile, read at once: going round
            # the list, a process would otherwise lock and look at each of them in turn.
            made = _letters_made(meeting, ids)
        if application_id in made:
            continue
        if pause:
            time.sleep(pause)
        try:
            letter = decision_letter_make(
                application=Application(pk=application_id), by=job.started_by, missing_only=True
            )
        except Exception as exc:  # noqa: BLE001 - one failing letter must not stop the others
            failed += 1
            LetterJob.objects.filter(pk=job.pk).update(
                failed=F("failed") + 1,
                errors=Concat(F("errors"), Value(f"{application_id}: {exc}"[:300] + "\n")),
                heartbeat_at=timezone.now(),
            )
            continue
        if letter is not None:
            LetterJob.objects.filter(pk=job.pk).update(done=F("done") + 1, heartbeat_at=timezone.now())
    done = letters_ready_count(meeting)
    with transaction.atomic():
        job = (
            LetterJob.objects.select_for_update(of=("self",))
            .select_related("meeting", "started_by")
            .get(pk=job_id)
        )
        if done + job.failed >= job.total and job.state == LetterJob.State.RUNNING:
            job.done = done
            job.errors = job.errors.strip()
            if job.failed:
                name, reason = "finish_with_errors", _("Every letter was tried; some failed.")
            else:
                name, reason = "finish", _("Every letter is made.")
            perform_transition(
                job,
                name,
                by=job.started_by,
                reason=reason,
                save_fields=["done", "errors", "finished_at", "heartbeat_at"],
            )
    return job
