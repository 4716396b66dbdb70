"""What the message thread needs to know of a partnership: registered in ``IopConfig.ready()``."""

from __future__ import annotations

from django.urls import reverse

from correspondence.adapters import CorrespondenceAdapter


class PartnershipCorrespondenceAdapter(CorrespondenceAdapter):
    """The organisation writes with the caseworkers of the committee that runs the partnership."""

    def queryset(self, model):
        return model.objects.select_related("organisation", "committee", "initiated_by")

    def creator(self, case):
        return case.initiated_by

    def municipality_id(self, case) -> int:
        return case.committee.municipality_id

    def committee_id(self, case) -> int | None:
        return case.committee_id

    def url(self, case) -> str:
        return reverse("iop:detail", kwargs={"pk": case.pk})

    def may_handle(self, user, case) -> bool:
        return user.has_perm("iop.manage_partnership", case)
