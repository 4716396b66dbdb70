"""Payments of every case type: payment runs (``PaymentBatch``) and payments (``Payment``).

A payment is for one case (a granted application, a partnership), found by its content type and
id; what a payment needs to know of its case comes from the case app's adapter
(``payments.adapters``).  The payee's account is copied onto the payment when it is planned.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from workflows.models import StatefulModel

from . import conditions as c


class PaymentBatch(StatefulModel):
    """A payment run: the planned payments due by a date, exported together once.

    Prepared first (the payments are gathered, those without a verified account left out with
    the reason); then exported once, as an ISO 20022 payment file (pain.001) for the bank, or as
    the CSV fallback for a finance system that takes no payment file; or cancelled before that.
    The payment file is kept as it was made: a download gives the same file with the same
    message id, never a new one.
    """

    class State(models.TextChoices):
        PREPARED = "prepared", _("prepared")
        EXPORTED = "exported", _("exported")
        CANCELLED = "cancelled", _("cancelled")

    class Format(models.TextChoices):
        PAIN001 = "pain001", _("payment file (ISO 20022 pain.001)")
        CSV = "csv", _("CSV file")

    view_permission = "payments.view_payment_run"

    municipality = models.ForeignKey("organizations.Municipality", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = FSMField(_("state"), default=State.PREPARED, choices=State.choices, protected=True)
    due_until = models.DateField(_("due by"), null=True, blank=True)
    count = models.PositiveIntegerField(_("payments"), default=0)
    total = models.DecimalField(_("total (kr)"), max_digits=14, decimal_places=0, default=0)
    #: the payments left out of the run and why: [{"payment": pk, "case_number", "organisation", "reason"}]
    left_out = models.JSONField(default=list, blank=True)
    file_format = models.CharField(_("file format"), max_length=10, choices=Format.choices, blank=True)
    #: the payment file's own message id (GrpHdr/MsgId), unique for every file ever made
    message_id = models.CharField(_("message id"), max_length=35, blank=True)
    payment_file = models.TextField(blank=True, editable=False)
    exported_at = models.DateTimeField(_("exported"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment run")
        verbose_name_plural = _("payment runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["message_id"],
                condition=~models.Q(message_id=""),
                name="payments_run_message_id_unique",
            )
        ]

    def __str__(self):
        return f"{self.pk} {self.created_at:%Y-%m-%d}"

    @transition(
        field=state,
        source=State.PREPARED,
        target=State.EXPORTED,
        permission="payments.manage_payment_run",
        custom={"label": _("Export the payment run"), "hidden": True},
    )
    def export(self):
        pass

    @transition(
        field=state,
        source=State.PREPARED,
        target=State.CANCELLED,
        permission="payments.manage_payment_run",
        custom={"label": _("Cancel the payment run"), "danger": True, "hidden": True},
    )
    def cancel(self):
        pass


class Payment(StatefulModel):
    """One payment (utbetalning) for a case: a part of a granted amount, or a partnership's
    contribution for a period, to the organisation's registered account.

    The account is copied onto the payment when it is planned, so a later
    change of the register never redirects money already on its way.
    """

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        EXPORTED = "exported", _("sent to the finance system")
        PAID = "paid", _("paid")
        CANCELLED = "cancelled", _("cancelled")

    view_permission = "payments.view_payment"

    #: the case paid out for (a grants.Application, an iop.Partnership)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    #: the decision paid out (a grant's); a partnership's contribution has none
    decision = models.ForeignKey(
        "meetings.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: the period a partnership's contribution is for ("2026", "2026 H1"); empty for a grant
    period = models.CharField(_("period"), max_length=60, blank=True)
    #: the case's municipality, kept on the payment so a municipality's
    #: payments are found by an index, not by joining every payment of the country to its program
    municipality = models.ForeignKey("organizations.Municipality", on_delete=models.PROTECT, related_name="+")
    instalment = models.PositiveSmallIntegerField(_("part"), default=1)
    instalments = models.PositiveSmallIntegerField(_("of parts"), default=1)
    amount = models.DecimalField(_("amount (kr)"), max_digits=12, decimal_places=0)
    due_on = models.DateField(_("due date"))
    state = FSMField(_("state"), default=State.PLANNED, choices=State.choices, protected=True, db_index=True)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    org_number = models.CharField(_("organisation number"), max_length=10)
    account_type = models.CharField(_("account type"), max_length=10)
    account_number = models.CharField(_("account number"), max_length=12)
    reference = models.CharField(_("reference"), max_length=60)
    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["due_on", "pk"]
        constraints = [
            # Planning twice (the periodic task and the approval at once) plans each part once.
            models.UniqueConstraint(fields=["decision", "instalment"], name="payments_payment_once"),
            # A partnership's contribution is planned once for each period.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "period"],
                condition=~models.Q(period=""),
                name="payments_payment_period_once",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0) | models.Q(period=""), name="payments_contribution_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_on"]),
            models.Index(fields=["content_type", "object_id"]),
            # the staff start page's count and the export: a municipality's payments due by a date
            models.Index(fields=["municipality", "state", "due_on"], name="payments_payment_due"),
        ]

    def __str__(self):
        return f"{self.reference} {self.amount} kr"

    @property
    def adapter(self):
        from .adapters import adapter_for

        return adapter_for(self)

    @property
    def case_type(self) -> str:
        return self.adapter.case_type

    @property
    def case_number(self) -> str:
        return self.adapter.case_number(self.case)

    @property
    def case_url(self) -> str:
        return self.adapter.url(self.case)

    @property
    def account_display(self) -> str:
        from organizations.models import Organisation

        return Organisation(
            account_type=self.account_type, account_number=self.account_number
        ).account_display

    @transition(
        field=state,
        source=State.PLANNED,
        target=State.EXPORTED,
        permission="payments.manage_payment",
        custom={"label": _("Export to the finance system"), "hidden": True},
    )
    def export(self):
        pass

    @transition(
        field=state,
        source=State.EXPORTED,
        target=State.PAID,
        permission="payments.manage_payment",
        custom={"label": _("Mark as paid")},
    )
    def mark_paid(self):
        pass

    @transition(
        field=state,
        source=State.PLANNED,
        target=State.PAID,
        conditions=[c.paid_without_run, c.case_may_be_paid, c.payment_account_registered],
        permission="payments.manage_payment",
        custom={"label": _("Mark as paid")},
    )
    def pay(self):
        """Paid without a payment run (a partnership's contribution paid by the caseworker)."""

    @transition(
        field=state,
        source=[State.PLANNED, State.EXPORTED],
        target=State.CANCELLED,
        permission="payments.manage_payment",
        custom={"label": _("Cancel the payment"), "danger": True},
    )
    def cancel(self):
        pass
