"""Follow-up reports (återrapportering, motprestation) and reclaims (återkrav).

A program's reporting requirement says what the report form asks, when it is
due and which commitments (motprestation) a grantee usually takes on.  When a
grant decision may be executed, the grant gets one ``FollowUpReport`` with its
due date; a timer moves it from upcoming to due to overdue, reminders go out
through the outbox (one ``ReportReminder`` row per report and kind, so never
twice), and the caseworker approves it, asks for a completion or does not
approve it.  A ``Reclaim`` asks money back: proposed by the caseworker,
decided by the committee (through the meeting engine) or by delegation,
invoiced with a letter, then paid or written off.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from grants.models import FormField  # grants.models imports this module at its end, after FormField
from workflows.models import CaseModel

from . import conditions

__all__ = [
    "CommitmentTemplate",
    "FollowUpReport",
    "JointFollowUp",
    "JointIndicatorResult",
    "Reclaim",
    "ReportAttachment",
    "ReportCommitment",
    "ReportField",
    "ReportReminder",
    "ReportingRequirement",
]


class ReportingRequirement(models.Model):
    """What a program asks of its grantees afterwards: when the report is due and the reminders."""

    class DueRule(models.TextChoices):
        FIXED_DATE = "fixed_date", _("a fixed date in the year after the grant year")
        DAYS_AFTER_PERIOD = "days_after_period", _("a number of days after the grant period ends")

    program = models.OneToOneField("grants.Program", on_delete=models.CASCADE, related_name="reporting")
    enabled = models.BooleanField(_("grantees report back"), default=True)
    instructions = models.TextField(
        _("instructions"), blank=True, help_text=_("Shown above the report form and in the decision letter.")
    )
    due_rule = models.CharField(
        _("report due"), max_length=20, choices=DueRule.choices, default=DueRule.FIXED_DATE
    )
    due_month = models.PositiveSmallIntegerField(_("month"), default=4)
    due_day = models.PositiveSmallIntegerField(_("day"), default=30)
    days_after = models.PositiveIntegerField(_("days after the grant period"), default=90)
    reminder_days = models.CharField(
        _("reminders, days before the due date"),
        max_length=60,
        default="30,7",
        help_text=_("Comma separated, e.g. 30,7. A reminder also goes out on the day and when overdue."),
    )

    class Meta:
        verbose_name = _("reporting requirement")
        verbose_name_plural = _("reporting requirements")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_month__gte=1, due_month__lte=12, due_day__gte=1, due_day__lte=31),
                name="grants_reporting_due_date_valid",
            )
        ]

    def __str__(self):
        return str(self.program)

    @property
    def reminder_offsets(self) -> list[int]:
        """The days before the due date a reminder goes out, largest first."""
        offsets = set()
        for part in (self.reminder_days or "").replace(";", ",").split(","):
            part = part.strip()
            if part.isdigit() and 0 < int(part) <= 365:
                offsets.add(int(part))
        return sorted(offsets, reverse=True)


class ReportField(models.Model):
    """One question of a program's report form (the kinds of the application form's fields)."""

    program = models.ForeignKey("grants.Program", on_delete=models.CASCADE, related_name="report_fields")
    kind = models.CharField(_("kind"), max_length=20, choices=FormField.Kind.choices)
    label = models.CharField(_("label"), max_length=300)
    help_text = models.TextField(_("help text"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    choices = models.TextField(_("choices"), blank=True, help_text=_("One per line."))

    class Meta:
        verbose_name = _("report question")
        verbose_name_plural = _("report questions")
        ordering = ["program", "order", "pk"]

    def __str__(self):
        return self.label


class CommitmentTemplate(models.Model):
    """A commitment (motprestation) the program's grantees usually take on, with its planned figure."""

    program = models.ForeignKey(
        "grants.Program", on_delete=models.CASCADE, related_name="commitment_templates"
    )
    label = models.CharField(_("commitment"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("E.g. meetings, visits."))
    planned = models.DecimalField(_("planned"), max_digits=12, decimal_places=0, default=Decimal("0"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["program", "order", "pk"]

    def __str__(self):
        return self.label


class FollowUpReport(CaseModel):
    """A grantee's report on how a grant was used: one per granted application."""

    class State(models.TextChoices):
        UPCOMING = "upcoming", _("upcoming")
        DUE = "due", _("due")
        OVERDUE = "overdue", _("overdue")
        SUBMITTED = "submitted", _("submitted")
        COMPLETION_REQUESTED = "completion_requested", _("completion requested")
        APPROVED = "approved", _("approved")
        NOT_APPROVED = "not_approved", _("not approved")

    #: states in which the grantee still owes the report
    OWED_STATES = (State.UPCOMING, State.DUE, State.OVERDUE, State.COMPLETION_REQUESTED)
    #: states in which the grantee may fill in the form
    EDITABLE_STATES = OWED_STATES

    view_permission = "grants.view_report"

    application = models.OneToOneField(
        "grants.Application", on_delete=models.PROTECT, related_name="followup_report"
    )
    organisation = models.ForeignKey(
        "organizations.Organisation", on_delete=models.PROTECT, related_name="followup_reports"
    )
    program = models.ForeignKey("grants.Program", on_delete=models.PROTECT, related_name="followup_reports")
    decision = models.ForeignKey("meetings.Decision", on_delete=models.PROTECT, related_name="+")
    state = FSMField(_("state"), default=State.UPCOMING, choices=State.choices, protected=True)
    opens_on = models.DateField(_("can be submitted from"))
    due_on = models.DateField(_("due"))
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    answers = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_notes = models.TextField(_("review notes (staff only)"), blank=True)
    completion_message = models.TextField(_("what needs to be completed"), blank=True)
    outcome_reasons = models.TextField(_("reasons"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["state", "due_on"], name="grants_report_state_due"),
            models.Index(fields=["state", "opens_on"], name="grants_report_state_opens"),
            models.Index(fields=["organisation", "state"], name="grants_report_org_state"),
            models.Index(fields=["program", "state", "due_on"], name="grants_report_program"),
        ]

    def __str__(self):
        return _("Follow-up report %(case)s") % {"case": self.case_number}

    @property
    def is_late(self) -> bool:
        """Submitted (first) after the due date, or not at all although it is due."""
        if self.first_submitted_at is not None:
            return timezone.localtime(self.first_submitted_at).date() > self.due_on
        return timezone.localdate() > self.due_on

    # ---- transitions (the state graph, read as data) ----

    @transition(
        field=state,
        source=State.UPCOMING,
        target=State.DUE,
        conditions=[conditions.report_opens_today_or_before],
        permission="grants.run_report_timers",
        custom={"label": _("Open for reporting"), "hidden": True},
    )
    def open(self):
        pass

    @transition(
        field=state,
        source=[State.UPCOMING, State.DUE],
        target=State.OVERDUE,
        conditions=[conditions.report_due_date_passed],
        permission="grants.run_report_timers",
        custom={"label": _("Mark as overdue"), "hidden": True},
    )
    def mark_overdue(self):
        pass

    @transition(
        field=state,
        source=[State.UPCOMING, State.DUE, State.OVERDUE],
        target=State.SUBMITTED,
        conditions=[conditions.report_required_answers_present],
        permission="grants.act_for_report",
        custom={"label": _("Submit the report"), "actor": "applicant"},
    )
    def submit(self):
        pass

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.COMPLETION_REQUESTED,
        permission="grants.handle_report",
        custom={"label": _("Request completion"), "actor": "caseworker", "form": "message"},
    )
    def request_completion(self):
        pass

    @transition(
        field=state,
        source=State.COMPLETION_REQUESTED,
        target=State.SUBMITTED,
        conditions=[conditions.report_required_answers_present],
        permission="grants.act_for_report",
        custom={"label": _("Send the completed report"), "actor": "applicant"},
    )
    def resubmit(self):
        pass

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.APPROVED,
        permission="grants.handle_report",
        custom={"label": _("Approve the report"), "actor": "caseworker"},
    )
    def approve(self):
        pass

    @transition(
        field=state,
        source=[State.UPCOMING, State.DUE, State.OVERDUE, State.COMPLETION_REQUESTED],
        target=State.NOT_APPROVED,
        permission="grants.decide_reclaim",
        custom={"label": _("Close: the grant is reclaimed"), "hidden": True},
    )
    def close_by_reclaim(self):
        pass

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.NOT_APPROVED,
        permission="grants.handle_report",
        custom={"label": _("Do not approve"), "actor": "caseworker", "danger": True, "form": "reason"},
    )
    def reject(self):
        pass


class ReportCommitment(models.Model):
    """One commitment (motprestation) of a grant: what was planned and what was achieved."""

    report = models.ForeignKey(FollowUpReport, on_delete=models.CASCADE, related_name="commitments")
    label = models.CharField(_("commitment"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    planned = models.DecimalField(_("planned"), max_digits=12, decimal_places=0, default=Decimal("0"))
    achieved = models.DecimalField(_("achieved"), max_digits=12, decimal_places=0, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("commitment of a grant")
        verbose_name_plural = _("commitments of a grant")
        ordering = ["report", "order", "pk"]

    def __str__(self):
        return self.label

    @property
    def met(self) -> bool | None:
        if self.achieved is None:
            return None
        return self.achieved >= self.planned


def _report_file_path(instance, filename):
    return f"reports/{uuid.uuid4().hex}"


class ReportAttachment(models.Model):
    """A file of a report (e.g. the financial statement), for a file question of the form."""

    report = models.ForeignKey(FollowUpReport, on_delete=models.CASCADE, related_name="files")
    key = models.CharField(max_length=40)
    file = models.FileField(upload_to=_report_file_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["key", "-uploaded_at"]

    def __str__(self):
        return self.original_name


class ReportReminder(models.Model):
    """A reminder that went out (or was passed over): one row per report and kind, never two."""

    report = models.ForeignKey(FollowUpReport, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, help_text="before:<days>, on_day or overdue")
    sent_on = models.DateField()
    skipped = models.BooleanField(default=False)
    message = models.ForeignKey(
        "workflows.OutboxMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="grants_report_reminder_once"),
        ]

    def __str__(self):
        return f"{self.report_id}: {self.kind}"


class Reclaim(CaseModel):
    """Money asked back from a grantee (återkrav)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        DECIDED = "decided", _("decided")
        DROPPED = "dropped", _("not reclaimed")
        INVOICED = "invoiced", _("invoiced")
        PAID = "paid", _("paid back")
        WRITTEN_OFF = "written_off", _("written off")

    class Grounds(models.TextChoices):
        NOT_USED = "not_used", _("the grant was not used")
        OTHER_PURPOSE = "other_purpose", _("the grant was used for other purposes")
        REPORT_MISSING = "report_missing", _("the report is missing or not approved")
        WRONG_INFORMATION = "wrong_information", _("the grant was given on wrong information")
        CONDITIONS_BROKEN = "conditions_broken", _("the conditions of the grant were broken")

    #: decided but not paid: the organisation may not get new grants
    UNPAID_STATES = (State.DECIDED, State.INVOICED)

    view_permission = "grants.view_reclaim"

    application = models.ForeignKey("grants.Application", on_delete=models.PROTECT, related_name="reclaims")
    report = models.ForeignKey(
        FollowUpReport, on_delete=models.PROTECT, null=True, blank=True, related_name="reclaims"
    )
    organisation = models.ForeignKey(
        "organizations.Organisation", on_delete=models.PROTECT, related_name="reclaims"
    )
    program = models.ForeignKey("grants.Program", on_delete=models.PROTECT, related_name="reclaims")
    state = FSMField(_("state"), default=State.PROPOSED, choices=State.choices, protected=True)
    grounds = models.CharField(_("grounds"), max_length=30, choices=Grounds.choices)
    motivation = models.TextField(_("motivation"))
    amount = models.DecimalField(_("proposed amount (kr)"), max_digits=12, decimal_places=0)
    decided_amount = models.DecimalField(
        _("decided amount (kr)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    decision = models.ForeignKey(
        "meetings.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invoiced_at = models.DateTimeField(_("invoiced"), null=True, blank=True)
    pay_by = models.DateField(_("to be paid by"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    write_off_reason = models.TextField(_("why written off"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reclaim")
        verbose_name_plural = _("reclaims")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "state"], name="grants_reclaim_org_state"),
            models.Index(fields=["program", "state"], name="grants_reclaim_program_state"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_reclaim_amount_positive"),
        ]

    def __str__(self):
        return _("Reclaim %(case)s") % {"case": self.case_number or self.pk}

    @property
    def outstanding(self) -> Decimal:
        if self.state not in self.UNPAID_STATES:
            return Decimal(0)
        return self.decided_amount or Decimal(0)

    # ---- transitions ----

    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.DECIDED,
        permission="grants.decide_reclaim",
        custom={"label": _("Decide the reclaim"), "hidden": True},
    )
    def decide(self):
        pass

    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.DROPPED,
        permission="grants.decide_reclaim",
        custom={"label": _("Decide not to reclaim"), "hidden": True},
    )
    def drop(self):
        pass

    @transition(
        field=state,
        source=State.DECIDED,
        target=State.INVOICED,
        conditions=[conditions.reclaim_decision_may_be_executed],
        permission="grants.handle_reclaim",
        custom={"label": _("Send the reclaim letter"), "actor": "caseworker"},
    )
    def invoice(self):
        pass

    @transition(
        field=state,
        source=State.INVOICED,
        target=State.PAID,
        permission="grants.handle_reclaim",
        custom={"label": _("Mark as paid back"), "actor": "caseworker", "form": "paid"},
    )
    def mark_paid(self):
        pass

    @transition(
        field=state,
        source=[State.DECIDED, State.INVOICED],
        target=State.WRITTEN_OFF,
        permission="grants.write_off_reclaim",
        custom={"label": _("Write off"), "actor": "caseworker", "danger": True, "form": "reason"},
    )
    def write_off(self):
        pass


class JointFollowUp(models.Model):
    """A yearly follow-up that both parties of a case make together (a partnership's, for one year
    of its term): what each party contributed, a joint assessment and the indicators' results.

    The case is any model with a registered ``FollowUpAdapter`` (``reporting/adapters.py``)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    year = models.PositiveSmallIntegerField(_("year of the term"))
    #: the start of the term the year belongs to (a renewed case starts counting again)
    term_start = models.DateField(_("term starts"))
    due_on = models.DateField(_("due on"))
    contributions_made = models.TextField(_("contributions made"))
    joint_assessment = models.TextField(_("joint assessment"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("yearly follow-up")
        verbose_name_plural = _("yearly follow-ups")
        ordering = ["content_type", "object_id", "year"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="joint_follow_up_case")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "term_start", "year"], name="joint_follow_up_per_year"
            )
        ]

    def __str__(self):
        return f"{self.case} – {self.year}"


class JointIndicatorResult(models.Model):
    """An indicator's result in a joint follow-up: the indicator is the case's own (its id and its
    name as they stood when the follow-up was recorded)."""

    follow_up = models.ForeignKey(JointFollowUp, on_delete=models.CASCADE, related_name="results")
    indicator_key = models.PositiveBigIntegerField()
    name = models.CharField(_("indicator"), max_length=300)
    planned = models.DecimalField(_("planned"), max_digits=12, decimal_places=0)
    achieved = models.DecimalField(_("achieved"), max_digits=12, decimal_places=0)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.name}: {self.achieved}/{self.planned}"
