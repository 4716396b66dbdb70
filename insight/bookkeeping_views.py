"""The bookkeeping file (SIE 4I) of a period, for staff who handle payments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect

from grants.permissions import CASEWORKER, PROGRAM_ADMIN
from organizations.models import Municipality
from organizations.permissions import staff_committee_ids, staff_municipality_ids
from payments.forms import BookkeepingPeriodForm

from . import sie


@login_required
def sie_export(request):
    if not request.user.has_perm("payments.use_payments"):
        raise PermissionDenied
    form = BookkeepingPeriodForm(request.GET)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("payments:payments")
    roles = (CASEWORKER, PROGRAM_ADMIN)
    municipality = Municipality.objects.get(pk=min(staff_municipality_ids(request.user, roles)))
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    ledger = sie.ledger_for_period(
        municipality=municipality,
        start=start,
        end=end,
        by=request.user,
        committees=staff_committee_ids(request.user, roles),
    )
    response = HttpResponse(sie.content(ledger), content_type="text/plain; charset=cp437")
    response["Content-Disposition"] = (
        f'attachment; filename="bokforing-{municipality.slug}-{start:%Y%m%d}-{end:%Y%m%d}.se"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
