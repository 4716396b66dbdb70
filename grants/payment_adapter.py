"""What ``payments`` needs to know of a grant application: registered in ``GrantsConfig.ready()``."""

from __future__ import annotations

from django.urls import reverse

from payments.adapters import PaymentAdapter

from .models import Application


class ApplicationPaymentAdapter(PaymentAdapter):
    """A granted application is paid in parts through payment runs, never marked paid without one."""

    case_type = "application"
    paid_without_run = False

    def queryset(self):
        return Application.objects.select_related("organisation", "round__program")

    def municipality_id(self, case) -> int:
        return case.round.program.municipality_id

    def url(self, case) -> str:
        return reverse("grants:application_detail", kwargs={"pk": case.pk})

    def may_view(self, user, case) -> bool:
        return user.has_perm("grants.view_application", case)

    def may_handle(self, user, case) -> bool:
        return user.has_perm("grants.pay_application", case)

    def visible(self, *, user):
        from .selectors import applications_visible

        return applications_visible(user=user)

    def of_committees(self, committee_ids):
        return Application.objects.filter(round__program__committee_id__in=committee_ids)
