"""What ``reporting`` needs to know of a partnership for its yearly follow-up: registered in
``IopConfig.ready()``."""

from __future__ import annotations

from django.urls import reverse

from reporting.adapters import FollowUpAdapter


class PartnershipFollowUpAdapter(FollowUpAdapter):
    """The yearly follow-up of a partnership, made by the caseworker together with the organisation."""

    case_type = "partnership"

    def municipality_id(self, case) -> int:
        return case.committee.municipality_id

    def url(self, case) -> str:
        return reverse("iop:detail", kwargs={"pk": case.pk})

    def may_view(self, user, case) -> bool:
        return user.has_perm("iop.view_partnership", case)

    def may_record(self, user, case) -> bool:
        return user.has_perm("iop.record_follow_up", case)
