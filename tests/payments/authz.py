"""Who may use the payment pages, runs and files, and the payments API (the grants' decided world
and a partnership's contribution)."""

from ..authz import SIGNED_IN, Action, Page
from ..grants.authz import CASE_VIEWERS, _decided, _decided_setup

PAYMENT_STAFF = frozenset({"caseworker", "program_admin"})
PAYMENT_USERS = PAYMENT_STAFF | {"other_caseworker"}  # the list page: each sees their own municipality's


def _prepared_run(world):
    """A payment run of the world's municipality, prepared and not yet exported, one payment left out."""
    from payments.models import PaymentBatch

    run = PaymentBatch.objects.create(
        municipality=world.municipality,
        created_by=world.users["caseworker"],
        left_out=[
            {
                "payment": 0,
                "case_number": "SN 2026/99",
                "organisation": "Föreningen Utan Konto",
                "amount": "12000",
                "reason": "Föreningen Utan Konto har inget verifierat bankgiro- eller plusgirokonto.",
            }
        ],
    )
    return {"pk": run.pk}


URLS = [
    Page("payments:payments", PAYMENT_USERS, setup=_decided_setup),
    Page(
        "payments:payments",
        PAYMENT_USERS,
        query="?state=exported&due_until=2030-01-01",
        setup=_decided_setup,
        label="payments:payments (filtered)",
    ),
    Action("payments:payments_export", PAYMENT_USERS, data=lambda w: {"due_until": "2030-01-01"}),
    Page("payments:payment_batch", PAYMENT_STAFF, kwargs=_decided("batch")),
    Page("payments:payment_batch_csv", PAYMENT_STAFF, kwargs=_decided("batch"), html=False),
    Page("payments:payment_run_file", PAYMENT_STAFF, kwargs=_decided("batch"), html=False),
    Page(
        "payments:payment_batch",
        PAYMENT_STAFF,
        kwargs=_prepared_run,
        label="payments:payment_batch (prepared)",
    ),
    Action(
        "payments:payment_run_export",
        PAYMENT_STAFF,
        kwargs=_prepared_run,
        data=lambda w: {"file_format": "pain001"},
    ),
    Action(
        "payments:payment_run_cancel",
        PAYMENT_STAFF,
        kwargs=_prepared_run,
        data=lambda w: {"reason": "Fel datum"},
    ),
    Action(
        "payments:payment_batch_paid",
        PAYMENT_STAFF,
        kwargs=_decided("batch"),
        data=lambda w: {"paid_on": "2020-01-01"},
    ),
    Action(
        "payments:payment_transition",
        PAYMENT_STAFF,
        kwargs=lambda w: {**_decided("payment")(w), "name": "mark_paid"},
        label="payments:payment_transition (mark paid)",
    ),
]

URLS += [
    Page("api:payment-list", SIGNED_IN, setup=_decided_setup, html=False),
    Page("api:payment-detail", CASE_VIEWERS, kwargs=_decided("payment"), html=False),
]
