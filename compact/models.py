"""The local compact (överenskommelse): the municipality's agreement with civil society as a whole.

Its text and six principles are written as a draft and adopted by a decision; it is then in
force for a term and renewed (or ended) at the end of it.  Organisations join and leave it,
its action plan lists commitments of both sides, a yearly conference follows it up and it is
evaluated in the last year of each term.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from workflows.deadlines import add_years
from workflows.models import StatefulModel

from . import conditions as c


class Compact(StatefulModel):
    """The municipality's local compact with civil society."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_FORCE = "in_force", _("in force")
        ENDED = "ended", _("ended")

    class RenewalRule(models.TextChoices):
        AUTOMATIC = "automatic", _("renewed for the same term unless a decision says otherwise")
        DECISION = "decision", _("renewed only by a new decision")

    view_permission = "compact.view_compact"

    municipality = models.OneToOneField(
        "organizations.Municipality", on_delete=models.PROTECT, related_name="compact"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text of the compact"))
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adoption_reference = models.CharField(_("adopting decision"), max_length=300, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), default=4)
    term_start = models.DateField(_("current term starts"), null=True, blank=True)
    term_end = models.DateField(_("current term ends"), null=True, blank=True)
    renewal_rule = models.CharField(
        _("renewal"), max_length=12, choices=RenewalRule.choices, default=RenewalRule.AUTOMATIC
    )
    #: a decision about the coming renewal: "renew" or "end" (empty: none recorded)
    renewal_decision = models.CharField(max_length=10, blank=True)
    renewal_decision_reference = models.CharField(_("decision on renewal"), max_length=300, blank=True)
    renewal_decided_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("compact")
        verbose_name_plural = _("compacts")

    def __str__(self):
        return self.title

    @property
    def evaluation_due_on(self) -> date | None:
        """The evaluation is due in the last year of the term."""
        return add_years(self.term_end, -1) if self.term_end else None

    #: how long before the evaluation is due its managers are reminded
    EVALUATION_NOTICE = timedelta(weeks=6)

    def current_evaluation(self):
        """The evaluation of the current term, or None while it is not recorded."""
        if not self.term_start:
            return None
        return self.evaluations.filter(term_start=self.term_start).first()

    @property
    def will_renew(self) -> bool:
        if self.renewal_decision:
            return self.renewal_decision == "renew"
        return self.renewal_rule == self.RenewalRule.AUTOMATIC

    @transition(
        field=state,
        source=State.DRAFT,
        target=State.IN_FORCE,
        conditions=[c.compact_adoption_recorded, c.compact_has_six_principles],
        permission="compact.decide_compact",
        custom={"label": _("Adopt"), "hidden": True},
    )
    def adopt(self):
        pass

    @transition(
        field=state,
        source=State.IN_FORCE,
        target=State.IN_FORCE,
        conditions=[c.compact_term_over, c.compact_will_renew],
        permission="compact.decide_compact",
        custom={"label": _("Renew for a new term"), "hidden": True},
    )
    def renew(self):
        pass

    @transition(
        field=state,
        source=State.IN_FORCE,
        target=State.ENDED,
        conditions=[c.compact_term_over, c.compact_will_not_renew],
        permission="compact.decide_compact",
        custom={"label": _("End at the end of its term"), "hidden": True},
    )
    def expire(self):
        pass


class Principle(models.Model):
    class Key(models.TextChoices):
        INDEPENDENCE = "independence", _("independence and autonomy")
        DIALOGUE = "dialogue", _("dialogue")
        QUALITY = "quality", _("quality")
        LONG_TERM = "long_term", _("long-term commitment")
        OPENNESS = "openness", _("openness and transparency")
        DIVERSITY = "diversity", _("diversity")

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="principles")
    key = models.CharField(_("principle"), max_length=20, choices=Key.choices)
    wording = models.TextField(_("local wording"))

    class Meta:
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        constraints = [models.UniqueConstraint(fields=["compact", "key"], name="principle_once")]

    def __str__(self):
        return self.get_key_display()

    @property
    def order(self) -> int:
        return list(self.Key.values).index(self.key)


class CompactSignatory(models.Model):
    """An organisation that has joined the compact, from a date until it leaves."""

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="signatories")
    organisation = models.ForeignKey(
        "organizations.Organisation", on_delete=models.PROTECT, related_name="compact_memberships"
    )
    joined_on = models.DateField(_("joined on"))
    joined_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("signatory of the compact")
        verbose_name_plural = _("signatories of the compact")
        ordering = ["organisation__name", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "organisation"],
                condition=Q(left_on=None),
                name="compact_signatory_current",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.joined_on})"


class Commitment(StatefulModel):
    """A line of the compact's action plan.  ``status`` is its state: it changes only by a
    transition (``commitment_set_status``), each with its log row."""

    class Side(models.TextChoices):
        MUNICIPALITY = "municipality", _("the municipality")
        ORGANISATIONS = "organisations", _("the organisations")
        JOINT = "joint", _("joint")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="commitments")
    side = models.CharField(_("whose commitment"), max_length=20, choices=Side.choices)
    text = models.TextField(_("commitment"))
    owner = models.CharField(_("owner"), max_length=200)
    due_on = models.DateField(_("due on"))
    status = FSMField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED, protected=True
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("action plan")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.text[:80]

    #: the transition to each status; the action plan's owner may move a line to any other one
    TRANSITIONS = {
        Status.PLANNED: "mark_planned",
        Status.IN_PROGRESS: "mark_in_progress",
        Status.DONE: "mark_done",
        Status.CANCELLED: "mark_cancelled",
    }

    @transition(field=status, source="+", target=Status.PLANNED, custom={"label": _("planned")})
    def mark_planned(self) -> None:
        pass

    @transition(field=status, source="+", target=Status.IN_PROGRESS, custom={"label": _("in progress")})
    def mark_in_progress(self) -> None:
        pass

    @transition(field=status, source="+", target=Status.DONE, custom={"label": _("done")})
    def mark_done(self) -> None:
        pass

    @transition(field=status, source="+", target=Status.CANCELLED, custom={"label": _("cancelled")})
    def mark_cancelled(self) -> None:
        pass


class CompactConference(models.Model):
    """The yearly follow-up conference of the compact."""

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="conferences")
    held_on = models.DateField(_("held on"))
    municipality_report = models.TextField(_("what the municipality reported"))
    organisations_report = models.TextField(_("what the organisations reported"))
    conclusions = models.TextField(_("conclusions"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("follow-up conference")
        verbose_name_plural = _("follow-up conferences")
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.compact} {self.held_on}"


def _evaluation_path(instance, filename):
    # A random name: nothing can be guessed from the file system.
    return f"compact/evaluations/{uuid.uuid4().hex}"


class CompactEvaluation(models.Model):
    """The evaluation of the compact in the last year of its term: what was found and what is decided next."""

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="evaluations")
    #: the term the evaluation belongs to
    term_start = models.DateField(_("term starts"))
    evaluated_on = models.DateField(_("evaluated on"))
    findings = models.TextField(_("what the evaluation found"))
    next_steps = models.TextField(_("decided next steps"))
    file = models.FileField(upload_to=_evaluation_path, max_length=200, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evaluation of the compact")
        verbose_name_plural = _("evaluations of the compact")
        ordering = ["-term_start"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "term_start"], name="compact_evaluation_per_term")
        ]

    def __str__(self):
        return f"{self.compact} {self.evaluated_on}"
