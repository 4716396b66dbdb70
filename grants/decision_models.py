"""After the decision: letter templates, decision letters and the job that makes them, payments.

The decision itself is the meeting engine's ``workflows.Decision`` (amount,
conditions, grant period, report due date, reasons, finality); an application
points at the one that stands (``Application.decision``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from workflows.models import StatefulModel


class LetterTemplate(models.Model):
    """A program's text for one kind of decision letter, with ``{placeholder}`` fields.

    Only the placeholders in ``grants.letters.PLACEHOLDERS`` are allowed; the
    facts of the decision and the appeal instructions are always added by the
    letter itself, so an edited text cannot leave them out.
    """

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("granted")
        PARTLY_GRANTED = "partly_granted", _("partly granted")
        REJECTED = "rejected", _("rejected")

    program = models.ForeignKey("grants.Program", on_delete=models.CASCADE, related_name="letter_templates")
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text of the letter"))
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["program", "outcome"]
        constraints = [
            models.UniqueConstraint(fields=["program", "outcome"], name="grants_letter_template_unique")
        ]

    def __str__(self):
        return f"{self.program}: {self.get_outcome_display()}"


class LetterJob(StatefulModel):
    """One run of making the decision letters of a meeting, with its progress for the page.

    Its state changes only by its transitions (each with its log row): a worker starts it and
    finishes it; a job whose workers all stopped is stopped by the click that takes it over.
    Progress (``done``, ``failed``, ``heartbeat_at``) is counted without a transition."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("done with errors")

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="+")
    state = FSMField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED, protected=True)
    total = models.PositiveIntegerField(_("letters to make"), default=0)
    done = models.PositiveIntegerField(_("letters ready"), default=0)
    failed = models.PositiveIntegerField(_("letters that failed"), default=0)
    errors = models.TextField(blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("letter job")
        verbose_name_plural = _("letter jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.meeting_id}: {self.done}/{self.total}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        return int(100 * (self.done + self.failed) / self.total) if self.total else 100

    @transition(field=state, source=State.QUEUED, target=State.RUNNING, custom={"label": _("Start")})
    def start(self) -> None:
        self.heartbeat_at = timezone.now()

    @transition(field=state, source=State.RUNNING, target=State.DONE, custom={"label": _("Finish")})
    def finish(self) -> None:
        self.finished_at = self.heartbeat_at = timezone.now()

    @transition(
        field=state, source=State.RUNNING, target=State.FAILED, custom={"label": _("Finish with errors")}
    )
    def finish_with_errors(self) -> None:
        self.finished_at = self.heartbeat_at = timezone.now()

    @transition(
        field=state, source=[State.QUEUED, State.RUNNING], target=State.FAILED, custom={"label": _("Stop")}
    )
    def stop(self, *, note: str = "") -> None:
        """Its workers stopped before it was finished (a worker killed): a new job makes the rest."""
        self.errors = f"{self.errors}\n{note}".strip()
        self.finished_at = timezone.now()


class DecisionLetter(models.Model):
    """A decision letter sent to the applicant: one stored PDF/A version of it."""

    application = models.ForeignKey(
        "grants.Application", on_delete=models.PROTECT, related_name="decision_letters"
    )
    decision = models.ForeignKey("meetings.Decision", on_delete=models.PROTECT, related_name="+")
    document = models.OneToOneField("workflows.StoredDocument", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("subject"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    @property
    def version(self) -> int:
        return self.document.version


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

    view_permission = "grants.view_payment_run"

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
                name="grants_payment_run_message_id_unique",
            )
        ]

    def __str__(self):
        return f"{self.pk} {self.created_at:%Y-%m-%d}"

    @transition(
        field=state,
        source=State.PREPARED,
        target=State.EXPORTED,
        permission="grants.manage_payment_run",
        custom={"label": _("Export the payment run"), "hidden": True},
    )
    def export(self):
        pass

    @transition(
        field=state,
        source=State.PREPARED,
        target=State.CANCELLED,
        permission="grants.manage_payment_run",
        custom={"label": _("Cancel the payment run"), "danger": True, "hidden": True},
    )
    def cancel(self):
        pass


class Payment(StatefulModel):
    """One payment (utbetalning) of a granted amount, to the organisation's registered account.

    The account is copied onto the payment when it is planned, so a later
    change of the register never redirects money already on its way.
    """

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        EXPORTED = "exported", _("sent to the finance system")
        PAID = "paid", _("paid")
        CANCELLED = "cancelled", _("cancelled")

    view_permission = "grants.view_payment"

    application = models.ForeignKey("grants.Application", on_delete=models.PROTECT, related_name="payments")
    decision = models.ForeignKey("meetings.Decision", on_delete=models.PROTECT, related_name="+")
    #: the application's municipality (of its program), kept on the payment so a municipality's
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
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["due_on", "pk"]
        constraints = [
            # Planning twice (the periodic task and the approval at once) plans each part once.
            models.UniqueConstraint(fields=["decision", "instalment"], name="grants_payment_once"),
        ]
        indexes = [
            models.Index(fields=["state", "due_on"]),
            # the staff start page's count and the export: a municipality's payments due by a date
            models.Index(fields=["municipality", "state", "due_on"], name="grants_payment_due"),
        ]

    def __str__(self):
        return f"{self.reference} {self.amount} kr"

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
        permission="grants.manage_payment",
        custom={"label": _("Export to the finance system"), "hidden": True},
    )
    def export(self):
        pass

    @transition(
        field=state,
        source=State.EXPORTED,
        target=State.PAID,
        permission="grants.manage_payment",
        custom={"label": _("Mark as paid")},
    )
    def mark_paid(self):
        pass

    @transition(
        field=state,
        source=[State.PLANNED, State.EXPORTED],
        target=State.CANCELLED,
        permission="grants.manage_payment",
        custom={"label": _("Cancel the payment"), "danger": True},
    )
    def cancel(self):
        pass
