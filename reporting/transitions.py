"""The steps of a follow-up report and of a reclaim that their pages or the API may ask for by
name (see ``workflows.registry``).  The timer opens and flags reports; the committee decides a
reclaim through its meeting."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows import registry
from workflows.shortcuts import get_permitted_or_404

from . import selectors, services
from .models import FollowUpReport, Reclaim

registry.case(
    FollowUpReport,
    get=lambda request, pk: get_permitted_or_404(
        selectors.report_detail_queryset(), "grants.view_report", request.user, pk=pk
    ),
    page=lambda report, **kw: reverse("reporting:report_detail", kwargs={"pk": report.pk}),
    done=lambda report, name: _("Done."),
    refused_status=409,
)
for _name in ("submit", "resubmit"):
    registry.step(
        FollowUpReport,
        _name,
        lambda r, by, data: services.report_submit(report=r, by=by),
        form=registry.NOTHING,
    )
registry.step(
    FollowUpReport,
    "approve",
    lambda r, by, data: services.report_approve(report=r, by=by, reason=data["reason"]),
)
registry.step(
    FollowUpReport,
    "request_completion",
    lambda r, by, data: services.report_request_completion(report=r, by=by, message=data["reason"]),
)
registry.step(
    FollowUpReport,
    "reject",
    lambda r, by, data: services.report_reject(report=r, by=by, reason=data["reason"]),
)

registry.case(
    Reclaim,
    get=lambda request, pk: get_permitted_or_404(
        selectors.reclaim_detail_queryset(), "grants.view_reclaim", request.user, pk=pk
    ),
    page=lambda reclaim, **kw: reverse("reporting:reclaim_detail", kwargs={"pk": reclaim.pk}),
    done=lambda reclaim, name: _("Done."),
    refused_status=409,
)
registry.step(
    Reclaim,
    "invoice",
    lambda r, by, data: services.reclaim_invoice(reclaim=r, by=by),
    form=registry.NOTHING,
)
registry.step(
    Reclaim,
    "mark_paid",
    lambda r, by, data: services.reclaim_mark_paid(reclaim=r, by=by, paid_on=data["paid_on"]),
    form=registry.inputs(
        "ReclaimPaidInput",
        paid_on=forms.DateField(
            label=gettext_lazy("Paid on"),
            required=False,  # blank: today
            error_messages={"invalid": gettext_lazy("Enter the date of the payment, like 2026-06-15.")},
        ),
    ),
)
registry.step(
    Reclaim,
    "write_off",
    lambda r, by, data: services.reclaim_write_off(reclaim=r, by=by, reason=data["reason"]),
)
