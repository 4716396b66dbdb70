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
