"""What ``payments`` needs to know of a partnership: registered in ``IopConfig.ready()``."""

from __future__ import annotations

from django.urls import reverse

from payments.adapters import PaymentAdapter

from .models import Partnership


class PartnershipPaymentAdapter(PaymentAdapter):
    """The municipality's money contribution for a period: paid by the caseworker once the agreement
    is signed by both parties (or in a payment run with the grants)."""

    case_type = "partnership"
    paid_without_run = True

    def queryset(self):
        return Partnership.objects.select_related("organisation", "committee")

    def municipality_id(self, case) -> int:
        return case.committee.municipality_id

    def url(self, case) -> str:
        return reverse("iop:payments", kwargs={"pk": case.pk})

    def may_view(self, user, case) -> bool:
        return user.has_perm("iop.view_partnership", case)

    def may_handle(self, user, case) -> bool:
        return user.has_perm("iop.pay_partnership", case)

    def may_be_paid(self, case) -> bool:
        return case.state in Partnership.RUNNING and case.signed_by_both

    def visible(self, *, user):
        from .selectors import visible_partnerships

        return visible_partnerships(user=user)

    def of_committees(self, committee_ids):
        return Partnership.objects.filter(committee_id__in=committee_ids)
