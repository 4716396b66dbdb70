"""Payments of every case type: planned by the case app, gathered in runs, exported, marked paid.

A case app (grants, iop) plans its payments with ``payment_create``; from there on a payment is
the same whatever its case: gathered in a payment run, exported, marked paid or cancelled, each
state change permission-checked and logged.

Payment runs: the planned payments due by a date, gathered, then exported once or cancelled.

A run is prepared first: every planned payment due by the date that is in no other run, except
those whose organisation has no verified account (left out, with the reason kept on the run for
its page).  Exporting it makes the payment file for the bank (ISO 20022 pain.001, checked against
its schema) or, as the fallback, marks it for the CSV file; every check runs before anything is
marked exported, so a refused export changes nothing.  A run is exported at most once; before
that it can be cancelled, which frees its payments for the next run.  Every state change of the
run and of its payments is permission-checked and logged.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.services import TransitionRefused, perform_transition, require

from . import pain001
from .models import Payment, PaymentBatch


def payment_leave_out_reason(payment) -> str:
    """Why ``payment`` cannot go in a run now (empty when it can): the organisation's verified account.

    The account copied onto the payment when it was planned must still be the organisation's
    account in effect, the one every municipality where it is active has verified.
    """
    organisation = payment.adapter.organisation(payment.case)
    if not (organisation.account_type and organisation.account_number):
        return _("%(organisation)s has no verified bankgiro or plusgiro account.") % {
            "organisation": organisation.name
        }
    if not (payment.account_type and payment.account_number):
        return _("The payment has no account to pay to.")
    if (organisation.account_type, organisation.account_number) != (
        payment.account_type,
        payment.account_number,
    ):
        return _(
            "%(organisation)s's account has changed since the payment was planned; "
            "the payment waits until the caseworker has checked it."
        ) % {"organisation": organisation.name}
    return ""


def _municipality_id(by) -> int:
    from organizations.permissions import staff_municipality_ids

    from .permissions import PAYMENT_STAFF

    return min(staff_municipality_ids(by, PAYMENT_STAFF))


def payment_run_create(*, by, due_until: date | None = None):
    """Prepare a run of the planned payments due by ``due_until`` that are in no run yet."""
    from .selectors import payments_managed, with_cases

    require(by, "payments.use_payments")
    due_until = due_until or timezone.localdate()
    municipality_id = _municipality_id(by)
    with transaction.atomic():
        payments = list(
            with_cases(payments_managed(user=by))
            .filter(
                state=Payment.State.PLANNED,
                due_on__lte=due_until,
                municipality_id=municipality_id,
                batch__isnull=True,
            )
            .select_for_update(of=("self",))
            .order_by("due_on", "pk")
        )
        payments = [p for p in payments if by.has_perm("payments.manage_payment", p)]
        if not payments:
            raise ValidationError(_("There are no planned payments due by %(date)s.") % {"date": due_until})
        included, left_out = [], []
        for payment in payments:
            reason = payment_leave_out_reason(payment)
            if reason:
                left_out.append(
                    {
                        "payment": payment.pk,
                        "case_number": payment.case_number,
                        "organisation": payment.organisation_name,
                        "amount": str(payment.amount),
                        "reason": reason,
                    }
                )
            else:
                included.append(payment)
        if not included:
            raise ValidationError(
                [_("No payment due by %(date)s can be paid:") % {"date": due_until}]
                + [f"{row['case_number']}: {row['reason']}" for row in left_out]
            )
        run = PaymentBatch.objects.create(
            municipality_id=municipality_id,
            created_by=by,
            due_until=due_until,
            left_out=left_out,
            count=len(included),
            total=sum((p.amount for p in included), Decimal(0)),
        )
        Payment.objects.filter(pk__in=[p.pk for p in included]).update(batch=run)
    return run


def _transfers(payments) -> list[pain001.Transfer]:
    return [
        pain001.Transfer(
            end_to_end_id=f"BIDRA-P{payment.pk}",
            amount=payment.amount,
            creditor_name=payment.organisation_name,
            account_type=payment.account_type,
            account_number=payment.account_number,
            remittance=payment.reference or payment.case_number,
            label=f"{payment.case_number} ({payment.organisation_name})",
        )
        for payment in payments
    ]


def payment_run_export(*, run, by, file_format: str = "pain001"):
    """Export the run once: make its payment file (or, as the fallback, the CSV) and mark its
    payments exported.  Nothing is marked when an amount, an account or the file is wrong."""
    from .selectors import with_cases

    if file_format not in PaymentBatch.Format.values:
        raise ValidationError(_("Choose the payment file or the CSV file."))
    with transaction.atomic():
        run = (
            PaymentBatch.objects.select_for_update(of=("self",)).select_related("municipality").get(pk=run.pk)
        )
        if run.state != PaymentBatch.State.PREPARED:
            raise TransitionRefused([_("This payment run is already exported or cancelled.")])
        payments = list(
            with_cases(run.payments.filter(state=Payment.State.PLANNED))
            .select_for_update(of=("self",))
            .order_by("due_on", "pk")
        )
        problems = [f"{p.case_number}: {reason}" for p in payments if (reason := payment_leave_out_reason(p))]
        if problems:
            raise ValidationError(
                [_("Cancel the run and prepare a new one: an account changed after the run was prepared.")]
                + problems
            )
        now = timezone.now()
        message_id = f"BIDRA-{run.pk}-{timezone.localtime(now):%Y%m%d%H%M%S}"
        content = ""
        if file_format == PaymentBatch.Format.PAIN001:
            municipality = run.municipality
            try:
                content = pain001.build(
                    message_id=message_id,
                    created_at=timezone.localtime(now),
                    execute_on=timezone.localdate(),
                    debtor=pain001.Debtor(
                        name=municipality.name,
                        org_number=municipality.org_number,
                        iban=municipality.payment_iban,
                        bic=municipality.payment_bic,
                    ),
                    transfers=_transfers(payments),
                ).decode("utf-8")
            except pain001.PaymentFileError as exc:
                raise ValidationError(exc.messages) from exc
        elif not payments:
            raise ValidationError(_("There is no payment to put in the file."))
        run.file_format = file_format
        run.message_id = message_id if content else ""
        run.payment_file = content
        run.exported_at = now
        run.count = len(payments)
        run.total = sum((p.amount for p in payments), Decimal(0))
        perform_transition(
            run,
            "export",
            by=by,
            reason=_("Exported as %(format)s") % {"format": run.get_file_format_display()},
            save_fields=["file_format", "message_id", "payment_file", "exported_at", "count", "total"],
        )
        for payment in payments:
            perform_transition(payment, "export", by=by, reason=_("Payment file %(no)s") % {"no": run.pk})
    return run


def payment_run_cancel(*, run, by, reason: str):
    """Cancel a run before it is exported; its payments are free for the next run."""

    if not reason.strip():
        raise ValidationError(_("Write why the payment run is cancelled."))
    with transaction.atomic():
        run = PaymentBatch.objects.select_for_update(of=("self",)).get(pk=run.pk)
        if run.state != PaymentBatch.State.PREPARED:
            raise TransitionRefused([_("Only a payment run that is not exported can be cancelled.")])
        perform_transition(run, "cancel", by=by, reason=reason.strip()[:500])
        run.payments.update(batch=None)
    return run


# ---- one payment ----


def payment_create(
    *,
    case,
    amount: Decimal,
    due_on: date,
    reference: str,
    by=None,
    decision=None,
    period: str = "",
    instalment: int = 1,
    instalments: int = 1,
) -> Payment:
    """Plan one payment for ``case`` to its organisation's account in effect (copied onto it).

    The case app checks that the case may be paid out and calls this inside its transaction.
    """
    adapter = payment_adapter(case)
    organisation = adapter.organisation(case)
    return Payment.objects.create(
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        decision=decision,
        period=period,
        municipality_id=adapter.municipality_id(case),
        instalment=instalment,
        instalments=instalments,
        amount=amount,
        due_on=due_on,
        organisation_name=organisation.name,
        org_number=organisation.org_number,
        account_type=organisation.account_type,
        account_number=organisation.account_number,
        reference=reference[:60],
        created_by=by,
    )


def payment_adapter(case):
    from .adapters import adapter_for

    return adapter_for(case)


def _locked(payment) -> Payment:
    from .selectors import with_cases

    return with_cases(Payment.objects.select_for_update(of=("self",))).get(pk=payment.pk)


def payment_mark_paid(*, payment, by, paid_on: date | None = None) -> Payment:
    """The finance system has paid an exported payment."""
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        raise ValidationError(_("A payment cannot be paid on a future date."))
    with transaction.atomic():
        payment = _locked(payment)
        perform_transition(payment, "mark_paid", by=by, reason=_("Paid on %(date)s") % {"date": paid_on})
        payment.paid_on = paid_on
        payment.save(update_fields=["paid_on"])
    return payment


def payment_pay(*, payment, by, paid_on: date | None = None) -> Payment:
    """Mark a planned payment paid without a run (a partnership's contribution): only to the
    organisation's registered account, which is copied onto the payment as it is paid."""
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        raise ValidationError(_("A payment cannot be paid on a future date."))
    with transaction.atomic():
        payment = _locked(payment)
        organisation = payment.adapter.organisation(payment.case)
        perform_transition(
            payment,
            "pay",
            by=by,
            reason=_("Paid to %(account)s") % {"account": organisation.account_display},
        )
        payment.account_type = organisation.account_type
        payment.account_number = organisation.account_number
        payment.paid_on = paid_on
        payment.save(update_fields=["account_type", "account_number", "paid_on"])
    return payment


def payment_batch_mark_paid(*, batch, by, paid_on: date | None = None) -> int:
    """The finance system has paid the whole file: every exported payment of it is paid."""
    count = 0
    with transaction.atomic():
        for payment in batch.payments.filter(state=Payment.State.EXPORTED).order_by("pk"):
            payment_mark_paid(payment=payment, by=by, paid_on=paid_on)
            count += 1
    if not count:
        raise TransitionRefused([_("Every payment of this file is already paid or cancelled.")])
    return count


def payment_cancel(*, payment, by, reason: str) -> Payment:
    if not reason.strip():
        raise ValidationError(_("Write why the payment is cancelled."))
    with transaction.atomic():
        payment = _locked(payment)
        perform_transition(payment, "cancel", by=by, reason=reason.strip()[:500])
    return payment


def payments_export(*, by, due_until: date | None = None) -> PaymentBatch:
    """Export the planned payments due by ``due_until`` as one run for the finance system's CSV file.

    The one-step fallback: a run prepared and exported at once, without a payment file.
    """
    with transaction.atomic():
        run = payment_run_create(by=by, due_until=due_until)
        return payment_run_export(run=run, by=by, file_format="csv")
