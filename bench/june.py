"""The June meeting: a committee decides a round of 1 000 applications at once, then its letters are made.

``build`` adds a municipality of its own to the generated data (so the page measurements of the
largest municipality are not changed by it): one committee with its secretary and members, one
program with a budget that holds the proposals, a closed round of ``size`` applications walked to
"proposed" (case numbers, transition log), and a meeting that is held, with every application on
its agenda as one group.  ``record_decisions`` then runs the real service
(``meetings.services.decisions_record``: one transaction, the budget check, each
application's transition and log row), and ``make_letters`` posts the minutes and lets two real
Celery worker processes on Redis make and store the 1 000 decision letters (PDF/A) through the
secretary's letter job, as in production.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def signatory_organisations(*, municipality, town: str, tag: str, count: int, password: str, series: int):
    """``count`` associations active in ``municipality``, each with a signatory who may apply for it.

    ``tag`` makes the e-mail addresses unique, ``series`` (a digit) the organisation and account
    numbers: one series per kind of municipality the benchmark adds for a run.
    Returns (organisations, signatories, roles), in the same order.
    """
    from django.db.models import Max
    from django.utils import timezone

    from bench.generate import _org_number
    from organizations.models import Organisation, OrganisationActivity, OrganisationRole, User

    now = timezone.now()
    first = (Organisation.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Föreningen {k} i {town}",
            org_number=_org_number(f"80{series}{first + k:06d}"),
            kind=Organisation.Kind.NONPROFIT,
            city=town,
            email=f"styrelsen@{tag}-{k}.bench.se",
            account_type=Organisation.AccountType.BANKGIRO,
            account_number=_org_number(f"{series + 2}{first + k:06d}"),
        )
        for k in range(count)
    )
    OrganisationActivity.objects.bulk_create(
        OrganisationActivity(organisation=o, municipality=municipality) for o in organisations
    )
    users = User.objects.bulk_create(
        User(
            email=f"kassor@{tag}-{k}.bench.se",
            full_name=f"Kassör {k}",
            password=password,
            email_verified_at=now,
        )
        for k in range(count)
    )
    roles = OrganisationRole.objects.bulk_create(
        OrganisationRole(
            user=u, organisation=o, kind=OrganisationRole.Kind.SIGNATORY, state=OrganisationRole.State.ACTIVE
        )
        for u, o in zip(users, organisations, strict=True)
    )
    return organisations, users, roles


def build(size: int = 1000, seed: int = 2026) -> dict:
    """A held meeting with ``size`` proposed applications on its agenda (committed)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone
    from django_fsm_log.models import StateLog

    from bench.generate import PASSWORD, _org_number
    from grants.models import Application, Program, ProgramBudget, Round
    from grants.services import program_snapshot
    from meetings.models import AgendaItem, Attendance, Meeting
    from organizations.models import (
        Committee,
        Municipality,
        StaffRole,
        User,
    )
    from workflows.models import CaseNumberSequence, DiariumEntry

    rng = random.Random(seed)
    now = timezone.now()
    year = timezone.localdate().year
    S = Application.State
    with transaction.atomic():
        n = (Municipality.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        town = f"Junistad {n}"
        municipality = Municipality.objects.create(
            name=f"{town} kommun", slug=f"junistad-{n}", org_number=_org_number(f"2129{n:05d}")
        )
        committee = Committee.objects.create(municipality=municipality, name="Socialnämnden", code="SN")
        password = make_password(PASSWORD)

        def user(email, name):
            return User.objects.create(email=email, full_name=name, password=password, email_verified_at=now)

        secretary = user(f"sekreterare@junistad{n}.bench.se", "Sara Sekreterare")
        StaffRole.objects.create(
            user=secretary, municipality=municipality, committee=committee, role=StaffRole.Role.SECRETARY
        )
        caseworker = user(f"handlaggare@junistad{n}.bench.se", "Hans Handläggare")
        StaffRole.objects.create(user=caseworker, municipality=municipality, role=StaffRole.Role.CASEWORKER)
        members = []
        for k in range(7):
            member = user(f"ledamot{k}@junistad{n}.bench.se", f"Ledamot {k}")
            StaffRole.objects.create(
                user=member, municipality=municipality, committee=committee, role=StaffRole.Role.MEMBER
            )
            members.append(member)
        program = Program.objects.create(
            municipality=municipality,
            committee=committee,
            kind=Program.Kind.OPERATING,
            name="Verksamhetsstöd till sociala föreningar",
            rules_reference=f"SN {year - 3}:12",
            description="Stöd till föreningar i kommunen.",
        )
        opens = now - timedelta(days=200)
        round = Round.objects.create(
            program=program,
            name=f"Verksamhetsstöd {year}",
            year=year,
            opens_at=opens,
            closes_at=opens + timedelta(days=45),
            decision_date=timezone.localdate(),
            snapshot=program_snapshot(program),
            snapshot_taken_at=opens,
        )
        organisations, applicants, _roles = signatory_organisations(
            municipality=municipality, town=town, tag=f"juni{n}", count=size, password=password, series=4
        )
        applications = []
        for k, (organisation, applicant) in enumerate(zip(organisations, applicants, strict=True)):
            requested = Decimal(rng.randrange(10, 200) * 1000)
            share = rng.choice([Decimal("1"), Decimal("1"), Decimal("0.8"), Decimal("0.5"), Decimal("0")])
            submitted = opens + timedelta(days=rng.randint(0, 44))
            applications.append(
                Application(
                    round=round,
                    organisation=organisation,
                    state=S.PROPOSED,
                    title=round.name,
                    requested_amount=requested,
                    snapshot=round.snapshot,
                    democracy_declaration=True,
                    created_by=applicant,
                    submitted_at=submitted,
                    registered_at=submitted,
                    case_number=f"SN {year}/{k + 1}",
                    proposed_amount=(requested * share).quantize(Decimal("1000")),
                    proposal_motivation="Verksamheten når målgruppen och är väl förankrad.",
                )
            )
        applications = Application.objects.bulk_create(applications)
        ct = ContentType.objects.get_for_model(Application)
        CaseNumberSequence.objects.create(committee=committee, year=year, last_number=size)
        DiariumEntry.objects.bulk_create(
            DiariumEntry(
                committee=committee,
                year=year,
                number=k + 1,
                case_number=a.case_number,
                title=f"{program.name}: {a.organisation.name}",
                content_type=ct,
                object_id=a.pk,
                registered_by=a.created_by,
            )
            for k, a in enumerate(applications)
        )
        logs = []
        for a in applications:
            for source, target, name in (
                (S.DRAFT, S.SUBMITTED, "submit"),
                (S.SUBMITTED, S.IN_ASSESSMENT, "accept"),
                (S.IN_ASSESSMENT, S.ASSESSED, "finish_assessment"),
                (S.ASSESSED, S.PROPOSED, "propose"),
            ):
                logs.append(
                    StateLog(
                        timestamp=a.submitted_at,
                        by=caseworker if name != "submit" else a.created_by,
                        source_state=source,
                        state=target,
                        transition=name,
                        content_type=ct,
                        object_id=a.pk,
                    )
                )
        StateLog.objects.bulk_create(logs)
        total = sum((a.proposed_amount for a in applications), Decimal(0))
        ProgramBudget.objects.create(program=program, year=year, amount=total + Decimal(500_000))
        meeting = Meeting.objects.create(
            committee=committee,
            starts_at=now - timedelta(hours=4),
            place="Sammanträdesrummet, kommunhuset",
            state=Meeting.State.HELD,
            created_by=secretary,
        )
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, user=m, role=Attendance.Role.MEMBER, present=True, adjuster=k < 2)
            for k, m in enumerate(members)
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                kind=AgendaItem.Kind.DECISION,
                content_type=ct,
                object_id=a.pk,
                group=round.name,
                group_no=1,
                order=k + 1,
                title=f"{a.organisation.name} – {a.title}"[:300],
                case_number=a.case_number,
                organisation=a.organisation,
                requested_amount=a.requested_amount,
                proposed_amount=a.proposed_amount,
                proposed_outcome="granted" if a.proposed_amount else "rejected",
                proposal_text=a.proposal_motivation,
                case_url=f"/ansokningar/{a.pk}/",
                added_by=secretary,
            )
            for k, a in enumerate(applications)
        )
    return {"meeting": meeting, "secretary": secretary, "size": size, "total_proposed": total}


def record_decisions(june: dict) -> dict:
    """The secretary records the committee's decisions of the whole group at once (as proposed)."""
    from django.db import connection

    from grants.models import Application
    from meetings.services import decisions_record

    meeting, secretary = june["meeting"], june["secretary"]
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        decisions = decisions_record(meeting=meeting, group_no=1, by=secretary)
        seconds = time.perf_counter() - started
    ids = list(meeting.items.values_list("object_id", flat=True))
    states = Application.objects.filter(pk__in=ids).values_list("state", flat=True)
    return {
        "decisions": len(decisions),
        "seconds": round(seconds, 2),
        "queries": len(statements),
        "decided_applications": sum(1 for s in states if s != Application.State.PROPOSED),
    }


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def make_letters(
    june: dict, *, database_url: str, broker: str, queue: str, workers: int = 2, timeout: float = 900
) -> dict:
    """Post the minutes and let ``workers`` Celery processes make every decision letter."""
    from django.db.models import Max, Min
    from django.utils import timezone

    from grants import services
    from grants.models import DecisionLetter, LetterJob
    from meetings.models import Meeting
    from meetings.services import appeal_period_end

    meeting, secretary = june["meeting"], june["secretary"]
    # The adjusters' approval and the posting are not what is measured: the minutes are marked
    # posted directly, with the posting date and last day to appeal that each letter states.
    posted_on = timezone.localtime(meeting.starts_at).date()
    Meeting.objects.filter(pk=meeting.pk).update(
        state=Meeting.State.POSTED,
        posted_on=posted_on,
        posted_at=timezone.now(),
        appeal_ends_on=appeal_period_end(posted_on),
    )
    meeting.refresh_from_db()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "ERROR",
    }
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    logs = [tempfile.TemporaryFile() for _ in range(workers)]  # noqa: SIM115 - closed with the workers
    processes = [
        subprocess.Popen(
            [
                celery,
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "-Q",
                queue,
                "-n",
                f"bench{k}@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=logs[k],
            start_new_session=True,
        )  # fmt: skip
        for k in range(workers)
    ]
    try:
        time.sleep(5)  # the workers start (Django, the flows, WeasyPrint's fonts on the first letter)
        started = time.perf_counter()
        job = services.letter_job_start(meeting=meeting, by=secretary)
        deadline = time.monotonic() + timeout
        peaks = {}
        while True:
            job.refresh_from_db()
            for p in processes:
                peak = _peak_rss_mb(p.pid)
                if peak:
                    peaks[p.pid] = max(peaks.get(p.pid, 0), peak)
            if job.finished or time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                break
            time.sleep(0.5)
        seconds = time.perf_counter() - started
    finally:
        for p in processes:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in processes:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
    letters = DecisionLetter.objects.filter(decision__item__meeting=meeting)
    times = sorted(letters.values_list("created_at", flat=True))
    span = letters.aggregate(first=Min("created_at"), last=Max("created_at"))
    # Each worker makes its letters one after the other: with ``workers`` of them, a letter takes
    # about ``workers`` times the mean gap between consecutive letters overall.
    gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]
    per_letter = statistics.median(gaps) * workers if gaps else None
    errors = ""
    if not job.finished:
        for log in logs:
            log.seek(0)
            errors += log.read().decode(errors="replace")[-500:] + "; "
    return {
        "letters": letters.count(),
        "job_state": job.state,
        "job_done": job.done,
        "job_failed": job.failed,
        "seconds": round(seconds, 1),
        "first_to_last_s": round((span["last"] - span["first"]).total_seconds(), 1)
        if span["first"]
        else None,
        "median_per_letter_s": round(per_letter, 3) if per_letter else None,
        "workers": workers,
        "worker_peak_rss_mb": sorted(peaks.values()),
        "errors": errors[:1000] or job.errors[:500],
        "letters_per_job": LetterJob.objects.filter(meeting=meeting).count(),
    }
