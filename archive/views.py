"""The e-archive page: start exporting a committee's year, follow it, download the packages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows.services import TransitionRefused
from workflows.shortcuts import get_permitted_or_404
from workflows.storage import file_download

from . import services
from .forms import ExportForm
from .models import ArchivedCase, ExportJob
from .selectors import committees_for_archivist, export_jobs


def _committees(request):
    if not request.user.has_perm("archive.view_archive"):
        raise PermissionDenied
    return committees_for_archivist(user=request.user)


@login_required
def index(request):
    """The exports of the user's committees, with the progress of the latest (polled by htmx)."""
    committees = _committees(request)
    jobs = list(export_jobs(committees=committees)[:20])
    context = {
        "form": ExportForm(committees=committees),
        "jobs": jobs,
        "running": any(not j.finished for j in jobs),
    }
    if request.htmx:
        return render(request, "archive/_jobs.html", context)
    return render(request, "archive/index.html", context)


@login_required
@require_POST
def export_start(request):
    committees = _committees(request)
    form = ExportForm(request.POST, committees=committees)
    if form.is_valid():
        try:
            services.export_job_start(
                committee=form.cleaned_data["committee"], year=form.cleaned_data["year"], by=request.user
            )
        except TransitionRefused as exc:
            for reason in exc.reasons:
                messages.error(request, reason)
        else:
            messages.success(request, _("The cases are being exported. Follow the progress below."))
            return redirect("archive:index")
    # refused or invalid: the page again with the committee and year that were asked for
    jobs = list(export_jobs(committees=committees)[:20])
    context = {"form": form, "jobs": jobs, "running": any(not j.finished for j in jobs)}
    return render(request, "archive/index.html", context, status=400 if form.errors else 200)


@login_required
def job_download(request, pk):
    job = get_permitted_or_404(
        ExportJob.objects.select_related("committee"), "archive.view_export_job", request.user, pk=pk
    )
    if not job.file:
        raise PermissionDenied
    return file_download(
        job.file,
        filename=f"arkiv-{job.committee.code}-{job.year}-{job.pk}.zip",
        content_type="application/zip",
    )


@login_required
def package_download(request, pk):
    archived = get_permitted_or_404(
        ArchivedCase.objects.select_related("job__committee"),
        "archive.view_archived_case",
        request.user,
        pk=pk,
    )
    return file_download(
        archived.package, filename=f"{archived.package_id}.zip", content_type="application/zip"
    )
