"""The steps of an award candidate that its page or the API may ask for by name (see
``workflows.registry``); the committee's decision is recorded through its meeting."""

from django.urls import reverse
from django.utils.translation import gettext as _

from workflows import registry
from workflows.shortcuts import get_permitted_or_404

from . import selectors, services
from .models import Candidate

registry.case(
    Candidate,
    get=lambda request, pk: get_permitted_or_404(
        selectors.candidate_detail_queryset(), "grants.view_award_candidate", request.user, pk=pk
    ),
    page=lambda candidate, **kw: reverse("awards:candidate_detail", kwargs={"pk": candidate.pk}),
    done=lambda candidate, name: _("Done."),
    refused_status=409,
)
for _name, _service in (
    ("mark_eligible", services.candidate_screen),  # either name screens against the rules
    ("mark_ineligible", services.candidate_screen),
    ("shortlist", services.candidate_shortlist),
    ("unshortlist", services.candidate_unshortlist),
    ("announce", services.candidate_announce),
):
    registry.step(
        Candidate, _name, lambda c, by, data, s=_service: s(candidate=c, by=by, reason=data["reason"])
    )
