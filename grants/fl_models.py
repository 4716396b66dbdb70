"""Förvaltningslagen 11 § and 12 §: the applicant is told when a case is delayed, and may ask for
a decision once six months have passed.

A ``DelayNotice`` records one notice of delay (11 §): why, and when a decision can be expected.
A ``DecisionRequest`` is the applicant's written request that the case be decided (12 §): the
committee decides the case within four weeks or refuses the request by a decision of its own,
which can be appealed on its own.  Its outcome changes only by its transitions, each logged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from workflows.models import StatefulModel

__all__ = ["DecisionRequest", "DelayNotice"]


class DelayNotice(models.Model):
    """The applicant was told that the decision is significantly delayed (förvaltningslagen 11 §)."""

    application = models.ForeignKey(
        "grants.Application", on_delete=models.CASCADE, related_name="delay_notices"
    )
    reason = models.TextField(_("why the case is delayed"))
    expected_by = models.DateField(_("a decision can be expected by"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("delay notice")
        verbose_name_plural = _("delay notices")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["application", "expected_by"])]

    def __str__(self):
        return f"{self.application_id}: {self.expected_by}"


class DecisionRequest(StatefulModel):
    """The applicant asks that the case be decided (förvaltningslagen 12 §)."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("waiting")
        DECIDED = "decided", _("the case was decided")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("the application was withdrawn")

    view_permission = ""

    application = models.ForeignKey(
        "grants.Application", on_delete=models.CASCADE, related_name="decision_requests"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("message"), blank=True)
    #: the case is decided, or the request refused, by this day: four weeks after it came in
    due = models.DateField(_("to be decided by"))
    outcome = FSMField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN, protected=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(_("why the request is refused"), blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: the decision letter of the refusal (PDF/A)
    letter = models.OneToOneField(
        "workflows.StoredDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("request for a decision")
        verbose_name_plural = _("requests for a decision")
        ordering = ["-at", "-pk"]
        constraints = [
            # one open request at a time, also when two are sent at once
            models.UniqueConstraint(
                fields=["application"], condition=Q(outcome="open"), name="grants_one_open_decision_request"
            ),
        ]
        indexes = [models.Index(fields=["outcome", "due"])]

    def __str__(self):
        return f"{self.application_id}: {self.due}"

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.OPEN

    @transition(field=outcome, source=Outcome.OPEN, target=Outcome.DECIDED, custom={"label": _("Decided")})
    def decided(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=outcome, source=Outcome.OPEN, target=Outcome.REFUSED, custom={"label": _("Refuse")})
    def refuse(self) -> None:
        self.closed_at = timezone.now()

    @transition(
        field=outcome, source=Outcome.OPEN, target=Outcome.WITHDRAWN, custom={"label": _("Withdrawn")}
    )
    def withdrawn(self) -> None:
        self.closed_at = timezone.now()
