"""What the message thread needs to know of a follow-up report and a reclaim (registered in
``reporting/setup.py``)."""

from __future__ import annotations

from django.urls import reverse

from correspondence.adapters import CorrespondenceAdapter

from .models import Reclaim


class _ReportingCorrespondenceAdapter(CorrespondenceAdapter):
    handle_permission = ""

    def queryset(self, model):
        return model.objects.select_related("organisation", "program", "application__created_by")

    def title(self, case) -> str:
        return case.application.title

    def creator(self, case):
        return case.application.created_by

    def municipality_id(self, case) -> int:
        return case.program.municipality_id

    def committee_id(self, case) -> int | None:
        return case.program.committee_id

    def may_handle(self, user, case) -> bool:
        return user.has_perm(self.handle_permission, case)


class ReportCorrespondenceAdapter(_ReportingCorrespondenceAdapter):
    """The grantee writes with the caseworkers who review its follow-up report."""

    handle_permission = "grants.handle_report"

    def url(self, case) -> str:
        return reverse("reporting:report_detail", kwargs={"pk": case.pk})


class ReclaimCorrespondenceAdapter(_ReportingCorrespondenceAdapter):
    """The organisation writes on a reclaim once it is decided; a proposal is the staff's own."""

    handle_permission = "grants.handle_reclaim"

    def url(self, case) -> str:
        return reverse("reporting:reclaim_detail", kwargs={"pk": case.pk})

    def visible_to_organisation(self, case) -> bool:
        return case.state != Reclaim.State.PROPOSED
