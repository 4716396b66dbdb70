"""The steps of a payment that a page or the API may ask for by name (see ``workflows.registry``):
marked paid after its run, paid without a run (a partnership's contribution), or cancelled."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows import registry
from workflows.shortcuts import get_permitted_or_404

from . import services
from .models import Payment
from .selectors import with_cases

PaidInput = registry.inputs(
    "PaidInput",
    paid_on=forms.DateField(label=gettext_lazy("Paid on"), required=False),  # blank: today
)


def _payment(request, pk):
    payment = get_permitted_or_404(
        with_cases(Payment.objects.all()), "payments.view_payment", request.user, pk=pk
    )
    if not request.user.has_perm("payments.manage_payment", payment):
        raise PermissionDenied
    return payment


registry.case(
    Payment,
    get=_payment,
    page=lambda payment, **kw: payment.case_url,
    done=lambda payment, name: _("The payment is now “%(state)s”.") % {"state": payment.get_state_display()},
)
registry.step(
    Payment,
    "mark_paid",
    lambda p, by, data: services.payment_mark_paid(payment=p, by=by, paid_on=data["paid_on"]),
    form=PaidInput,
)
registry.step(
    Payment, "pay", lambda p, by, data: services.payment_pay(payment=p, by=by), form=registry.NOTHING
)
registry.step(
    Payment, "cancel", lambda p, by, data: services.payment_cancel(payment=p, by=by, reason=data["reason"])
)
