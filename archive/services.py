"""Handing closed cases to the e-archive: one case, or a committee's year as a background job."""

from __future__ import annotations

import io
import logging
import zipfile

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workflows.queue import delay_on_commit
from workflows.services import TransitionRefused, perform_transition, require

from .adapters import archive_adapter_for
from .models import ArchivedCase, ExportJob
from .package import package_build
from .selectors import cases_to_archive, open_cases

logger = logging.getLogger(__name__)


class CaseNotClosed(TransitionRefused):
    """The case is still open: the archive takes closed cases only."""


#: how many open cases a refused export names (the rest are counted)
OPEN_CASES_NAMED = 5


def _not_closed(case) -> str:
    return _("%(case)s is not closed (it is “%(state)s”): only closed cases are handed to the e-archive.") % {
        "case": getattr(case, "case_number", "") or str(case),
        "state": case.get_state_display(),
    }


def archived_case_export(*, case, by, job: ExportJob | None = None) -> ArchivedCase:
    """Export ``case`` as an E-ARK SIP, keep the package and mark the case as archived (logged).

    Refused, with the reason in Swedish, when the case is not closed or was exported already."""
    adapter = archive_adapter_for(case)
    if adapter is None:
        raise TransitionRefused([_("Cases of this kind are not archived.")])
    committee = adapter.committee(case)
    require(by, "archive.export", committee)
    if not adapter.is_closed(case):
        raise CaseNotClosed([_not_closed(case)])
    content_type = ContentType.objects.get_for_model(case)
    if ArchivedCase.objects.filter(content_type=content_type, object_id=case.pk).exists():
        raise TransitionRefused(
            [_("%(case)s is already archived.") % {"case": getattr(case, "case_number", "") or str(case)}]
        )
    package = package_build(case=case, adapter=adapter)
    description = adapter.describe(case)
    with transaction.atomic():
        archived = ArchivedCase(
            content_type=content_type,
            object_id=case.pk,
            committee=committee,
            case_number=description.case_number,
            title=description.title[:300],
            package_id=package.package_id,
            sha256=package.sha256,
            size=len(package.data),
            job=job,
            exported_by=by,
        )
        archived.package.save(f"{package.package_id}.zip", ContentFile(package.data), save=False)
        archived.save()
        perform_transition(
            archived,
            "export",
            by=by,
            reason=_("Package %(id)s, SHA-256 %(sha)s") % {"id": package.package_id, "sha": package.sha256},
        )
    return archived


def export_job_start(*, committee, year: int, by) -> ExportJob:
    """Start exporting the committee's closed cases of ``year``; a job already running is shown."""
    from . import tasks

    require(by, "archive.export", committee)
    with transaction.atomic():
        running = (
            ExportJob.objects.select_for_update()
            .filter(
                committee=committee, year=year, state__in=[ExportJob.State.QUEUED, ExportJob.State.RUNNING]
            )
            .first()
        )
        if running is not None:
            return running
        total = len(cases_to_archive(committee=committee, year=year))
        if not total:
            reasons = [_("The committee has no closed cases of %(year)s left to archive.") % {"year": year}]
            still_open = open_cases(committee=committee, year=year)
            reasons += [_not_closed(case) for case in still_open[:OPEN_CASES_NAMED]]
            if len(still_open) > OPEN_CASES_NAMED:
                rest = len(still_open) - OPEN_CASES_NAMED
                reasons.append(
                    ngettext(
                        "%(count)s more case of %(year)s is not closed either.",
                        "%(count)s more cases of %(year)s are not closed either.",
                        rest,
                    )
                    % {"count": rest, "year": year}
                )
            raise (CaseNotClosed if still_open else TransitionRefused)(reasons)
        job = ExportJob.objects.create(committee=committee, year=year, total=total, started_by=by)
        delay_on_commit(tasks.archive_export_run, job.pk)
    return job


def export_job_run(*, job_id: int) -> ExportJob:
    """Export every case of the job that is not exported yet; safe to run twice."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("committee", "started_by").get(pk=job_id)
        if job.finished:
            return job
        if job.state == ExportJob.State.QUEUED:
            perform_transition(job, "start", by=job.started_by)
    for case in cases_to_archive(committee=job.committee, year=job.year):
        try:
            archived_case_export(case=case, by=job.started_by, job=job)
        except Exception as exc:  # one case that cannot be packed must not stop the others
            logger.exception("Archiving %s failed", case)
            message = "; ".join(str(m) for m in getattr(exc, "reasons", [])) or str(exc)
            ExportJob.objects.filter(pk=job.pk).update(
                failed=F("failed") + 1, errors=F("errors") + f"{case}: {message}\n"
            )
        else:
            ExportJob.objects.filter(pk=job.pk).update(done=F("done") + 1)
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job.pk)
        job.file.save(
            f"arkiv-{job.committee_id}-{job.year}-{job.pk}.zip", ContentFile(job_zip(job)), save=False
        )
        name = "finish_with_errors" if job.failed else "finish"
        perform_transition(job, name, by=job.started_by, save_fields=["file", "finished_at"])
    return job


def job_zip(job: ExportJob) -> bytes:
    """One zip holding every package the job made (each itself a zip, as the archive takes it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for archived in job.cases.order_by("pk"):
            with archived.package.open("rb") as handle:
                archive.writestr(f"{archived.package_id}.zip", handle.read())
    return buffer.getvalue()


def archived_case_cull(*, archived: ArchivedCase, by) -> int:
    """Gallring: remove from Bidra what the e-archive now holds of the case (logged)."""
    adapter = archive_adapter_for(archived.content_type.model_class())
    with transaction.atomic():
        archived = ArchivedCase.objects.select_for_update().get(pk=archived.pk)
        case = archived.content_type.get_object_for_this_type(pk=archived.object_id)
        count = adapter.cull(case) if adapter else 0
        perform_transition(
            archived,
            "cull",
            by=by,
            reason=_("%(count)s records removed; the e-archive holds package %(id)s")
            % {"count": count, "id": archived.package_id},
        )
    return count


def archived_cases_cull_due(*, now=None, by) -> int:
    """Cull every case exported longer ago than ``ARCHIVE_CULL_AFTER_DAYS`` (retention rule)."""
    from datetime import timedelta

    from django.conf import settings

    now = now or timezone.now()
    cutoff = now - timedelta(days=getattr(settings, "ARCHIVE_CULL_AFTER_DAYS", 90))
    count = 0
    for archived in ArchivedCase.objects.filter(state=ArchivedCase.State.EXPORTED, exported_at__lt=cutoff):
        count += archived_case_cull(archived=archived, by=by)
    return count
