"""Pages of payments: the list and its filters, payment runs (prepare, export once as a payment
file or CSV, cancel, download, mark paid).

Thin edges: the run is found among the user's municipality's runs (404 otherwise), the action is
refused without the payment permission (403), one service does the work.
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows.services import TransitionRefused
from workflows.shortcuts import paginate, query_without_page, show_refusal

from . import forms, services
from .models import Payment, PaymentBatch
from .selectors import payment_batches, payments_list, with_cases


def _must(request, perm, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@login_required
def payments(request):
    _must(request, "payments.use_payments")
    form = forms.PaymentFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = paginate(
        request,
        payments_list(user=request.user, state=data.get("state", ""), due_until=data.get("due_until")),
    )
    return render(
        request,
        "payments/payments.html",
        {
            "form": form,
            "page": page,
            "query_string": query_without_page(request),
            "export_form": forms.PaymentExportForm(initial={"due_until": timezone.localdate()}),
            "sie_form": forms.BookkeepingPeriodForm(
                initial={"start": timezone.localdate().replace(month=1, day=1), "end": timezone.localdate()}
            ),
            "batches": payment_batches(user=request.user)[:10],
        },
    )


@login_required
@require_POST
def payments_export(request):
    _must(request, "payments.use_payments")
    form = forms.PaymentExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the last due date to export, like 2026-06-15."))
        return redirect("payments:payments")
    try:
        batch = services.payment_run_create(by=request.user, due_until=form.cleaned_data["due_until"])
    except ValidationError as exc:
        show_refusal(request, exc)
        return redirect("payments:payments")
    messages.success(
        request,
        _("%(n)s payment(s) are in the run. Check it, then make the payment file.") % {"n": batch.count},
    )
    return redirect("payments:payment_batch", pk=batch.pk)


def _batch(request, pk) -> PaymentBatch:
    _must(request, "payments.use_payments")
    return get_object_or_404(payment_batches(user=request.user).select_related("municipality"), pk=pk)


@login_required
def payment_batch(request, pk):
    batch = _batch(request, pk)
    rows = list(with_cases(batch.payments.order_by("due_on", "pk")))
    return render(
        request,
        "payments/payment_batch.html",
        {
            "batch": batch,
            "payments": rows,
            "paid_form": forms.PaidForm(initial={"paid_on": timezone.localdate()}),
            "unpaid": any(p.state == Payment.State.EXPORTED for p in rows),
            "can_manage": request.user.has_perm("payments.manage_payment_run", batch),
            "debtor_missing": not (batch.municipality.payment_iban and batch.municipality.payment_bic),
        },
    )


CSV_COLUMNS = [
    "Diarienummer",
    "Organisation",
    "Organisationsnummer",
    "Kontotyp",
    "Kontonummer",
    "Belopp",
    "Förfallodag",
    "Referens",
]


ACCOUNT_TYPES = {"bankgiro": "Bankgiro", "plusgiro": "Plusgiro"}


def _csv_safe(value) -> str:
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@login_required
def payment_batch_csv(request, pk):
    """The file for the finance system: one row per payment, to the registered account only."""
    batch = _batch(request, pk)
    if batch.state != PaymentBatch.State.EXPORTED:
        raise Http404
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    for p in with_cases(batch.payments.order_by("due_on", "pk")):
        writer.writerow(
            [
                _csv_safe(v)
                for v in (
                    p.case_number,
                    p.organisation_name,
                    p.org_number,
                    ACCOUNT_TYPES.get(p.account_type, p.account_type),
                    p.account_number,
                    p.amount,
                    p.due_on.isoformat(),
                    p.reference,
                )
            ]
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="utbetalningar-{batch.pk}.csv"'
    return response


@login_required
@require_POST
def payment_batch_paid(request, pk):
    batch = _batch(request, pk)
    form = forms.PaidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date the payments were made, like 2026-06-15."))
        return redirect("payments:payment_batch", pk=batch.pk)
    try:
        count = services.payment_batch_mark_paid(
            batch=batch, by=request.user, paid_on=form.cleaned_data["paid_on"]
        )
    except (ValidationError, TransitionRefused) as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("%(n)s payment(s) are marked as paid.") % {"n": count})
    return redirect("payments:payment_batch", pk=batch.pk)


def _run(request, pk, perm: str = "payments.view_payment_run") -> PaymentBatch:
    if not request.user.has_perm("payments.use_payments"):
        raise PermissionDenied
    run = get_object_or_404(payment_batches(user=request.user).select_related("municipality"), pk=pk)
    if not request.user.has_perm(perm, run):
        raise PermissionDenied
    return run


@login_required
@require_POST
def payment_run_export(request, pk):
    run = _run(request, pk, "payments.manage_payment_run")
    file_format = request.POST.get("file_format", PaymentBatch.Format.PAIN001)
    try:
        run = services.payment_run_export(run=run, by=request.user, file_format=file_format)
    except (ValidationError, TransitionRefused) as exc:
        show_refusal(request, exc)
    else:
        if run.file_format == PaymentBatch.Format.PAIN001:
            messages.success(request, _("The payment file is made. Download it and send it to the bank."))
        else:
            messages.success(
                request, _("The payments are exported. Download the CSV file for the finance system.")
            )
    return redirect("payments:payment_batch", pk=run.pk)


@login_required
@require_POST
def payment_run_cancel(request, pk):
    run = _run(request, pk, "payments.manage_payment_run")
    try:
        services.payment_run_cancel(run=run, by=request.user, reason=request.POST.get("reason", ""))
    except (ValidationError, TransitionRefused) as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("The payment run is cancelled. Its payments can go in a new run."))
    return redirect("payments:payment_batch", pk=run.pk)


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
