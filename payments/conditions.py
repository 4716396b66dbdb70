"""Conditions of a payment's transitions, answered by the adapter of its case."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workflows.checks import check


@check(_("This payment is paid through a payment run."))
def paid_without_run(payment) -> bool:
    from .adapters import adapter_for

    return adapter_for(payment).paid_without_run


@check(_("Money is paid only once the agreement is signed by both parties."))
def case_may_be_paid(payment) -> bool:
    from .adapters import adapter_for

    return adapter_for(payment).may_be_paid(payment.case)


@check(_("The organisation has no registered payment account."))
def payment_account_registered(payment) -> bool:
    from .adapters import adapter_for

    organisation = adapter_for(payment).organisation(payment.case)
    return bool(organisation.account_type and organisation.account_number)
