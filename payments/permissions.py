"""Who may see and handle payments and payment runs (rules predicates).

A payment is seen by whoever may see its case and handled by whoever handles the case's money,
as the case app's adapter answers; the payment pages and runs are for the caseworkers and
program administrators of the municipality.
"""

from __future__ import annotations

import rules

from meetings.permissions import is_system_user
from organizations.models import StaffRole
from organizations.permissions import staff_municipality_ids

CASEWORKER = StaffRole.Role.CASEWORKER
PROGRAM_ADMIN = StaffRole.Role.PROGRAM_ADMIN
#: the staff who handle payments and payment runs
PAYMENT_STAFF = (CASEWORKER, PROGRAM_ADMIN)


@rules.predicate
def case_visible(user, payment) -> bool:
    return payment is not None and payment.adapter.may_view(user, payment.case)


@rules.predicate
def case_handled(user, payment) -> bool:
    return payment is not None and payment.adapter.may_handle(user, payment.case)


@rules.predicate
def handles_payments(user) -> bool:
    return bool(staff_municipality_ids(user, PAYMENT_STAFF))


@rules.predicate
def run_of_own_municipality(user, run) -> bool:
    """A payment run is handled by the caseworkers and program administrators of its municipality."""
    return run is not None and run.municipality_id in staff_municipality_ids(user, PAYMENT_STAFF)


rules.add_perm("payments.view_payment", case_visible)
rules.add_perm("payments.manage_payment", case_handled | is_system_user)
rules.add_perm("payments.use_payments", handles_payments)
rules.add_perm("payments.view_payment_run", run_of_own_municipality)
rules.add_perm("payments.manage_payment_run", run_of_own_municipality)
