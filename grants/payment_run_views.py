"""Pages of a payment run: export it once (payment file or CSV), cancel it, download its payment file.

Thin edges: the run is found among the user's municipality's runs (404 otherwise), the action is
refused without the payment permission (403), one service does the work.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows.services import TransitionRefused

from . import services
from .models import PaymentBatch
from .selectors import payment_batches
from .views import _refusal


def _run(request, pk, perm: str = "grants.view_payment_run") -> PaymentBatch:
    if not request.user.has_perm("grants.use_payments"):
        raise PermissionDenied
    run = get_object_or_404(payment_batches(user=request.user).select_related("municipality"), pk=pk)
    if not request.user.has_perm(perm, run):
        raise PermissionDenied
    return run


@login_required
@require_POST
def payment_run_export(request, pk):
    run = _run(request, pk, "grants.manage_payment_run")
    file_format = request.POST.get("file_format", PaymentBatch.Format.PAIN001)
    try:
        run = services.payment_run_export(run=run, by=request.user, file_format=file_format)
    except (ValidationError, TransitionRefused) as exc:
        _refusal(request, exc)
    else:
        if run.file_format == PaymentBatch.Format.PAIN001:
            messages.success(request, _("The payment file is made. Download it and send it to the bank."))
        else:
            messages.success(
                request, _("The payments are exported. Download the CSV file for the finance system.")
            )
    return redirect("grants:payment_batch", pk=run.pk)


@login_required
@require_POST
def payment_run_cancel(request, pk):
    run = _run(request, pk, "grants.manage_payment_run")
    try:
        services.payment_run_cancel(run=run, by=request.user, reason=request.POST.get("reason", ""))
    except (ValidationError, TransitionRefused) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("The payment run is cancelled. Its payments can go in a new run."))
    return redirect("grants:payment_batch", pk=run.pk)


@login_required
def payment_run_file(request, pk):
    """The run's payment file as it was made, with its own message id: never made anew."""
    run = _run(request, pk)
    if run.state != PaymentBatch.State.EXPORTED or not run.payment_file:
        raise Http404
    response = HttpResponse(run.payment_file.encode("utf-8"), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="betalningsfil-{run.pk}.xml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
