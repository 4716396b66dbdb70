"""Awards (utmärkelser): a program of kind "award" with its settings, candidates and nominations.

An award program reuses what every grant program has — rounds (the round's
window is the nomination window), criteria, eligibility rules and the
committee's meetings.  Anyone the settings allow nominates an organisation;
organisations may also apply themselves through an ordinary application in
the award round.  Nominations of the same organisation are grouped into one
``Candidate``, a registered case that is screened, scored by the jury,
shortlisted, decided by the committee and finally announced.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from workflows.models import CaseModel

from . import conditions

__all__ = [
    "AwardSettings",
    "Candidate",
    "CandidateAssessment",
    "CandidateConflict",
    "Nomination",
    "NomineeKind",
]


class AwardSettings(models.Model):
    """What makes a grant program an award: the prize, how many get it, and who may nominate."""

    class Nominators(models.TextChoices):
        MEMBERS = "members", _("committee members only")
        USERS = "users", _("anyone signed in")
        PUBLIC = "public", _("anyone (no sign-in needed)")

    program = models.OneToOneField("grants.Program", on_delete=models.CASCADE, related_name="award")
    amount = models.DecimalField(_("award amount (kr)"), max_digits=12, decimal_places=0)
    recipients = models.PositiveSmallIntegerField(_("number of recipients per round"), default=1)
    nominators = models.CharField(
        _("who may nominate"), max_length=10, choices=Nominators.choices, default=Nominators.PUBLIC
    )
    require_registered = models.BooleanField(
        _("the recipient must be in the register of organisations"), default=True
    )
    allow_informal = models.BooleanField(_("informal networks may receive the award"), default=False)
    allow_individuals = models.BooleanField(_("private persons may receive the award"), default=False)

    class Meta:
        verbose_name = _("award settings")
        verbose_name_plural = _("award settings")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_award_amount_positive"),
            models.CheckConstraint(condition=Q(recipients__gt=0), name="grants_award_recipients_positive"),
        ]

    def __str__(self):
        return str(self.program)


class NomineeKind(models.TextChoices):
    ORGANISATION = "organisation", _("an association or other organisation")
    INFORMAL = "informal", _("an informal network or group")
    PERSON = "person", _("a private person")


class Candidate(CaseModel):
    """One nominee of an award round: all nominations of it and/or its own application."""

    class State(models.TextChoices):
        RECEIVED = "received", _("received")
        ELIGIBLE = "eligible", _("eligible")
        INELIGIBLE = "ineligible", _("ineligible")
        SHORTLISTED = "shortlisted", _("shortlisted")
        AWARDED = "awarded", _("awarded")
        NOT_AWARDED = "not_awarded", _("not awarded")
        ANNOUNCED = "announced", _("announced")

    class Proposal(models.TextChoices):
        AWARDED = "awarded", _("award it")
        NOT_AWARDED = "not_awarded", _("do not award it")

    #: states in which the candidate holds (or held) the award
    AWARDED_STATES = (State.AWARDED, State.ANNOUNCED)

    view_permission = "grants.view_award_candidate"

    round = models.ForeignKey("grants.Round", on_delete=models.PROTECT, related_name="award_candidates")
    kind = models.CharField(_("nominee"), max_length=20, choices=NomineeKind.choices)
    organisation = models.ForeignKey(
        "organizations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_candidacies",
    )
    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(_("organisation number"), max_length=10, blank=True)
    application = models.OneToOneField(
        "grants.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_candidate",
    )
    state = FSMField(_("state"), default=State.RECEIVED, choices=State.choices, protected=True, db_index=True)
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    eligibility = models.JSONField(default=list, blank=True, editable=False)
    ineligible_reason = models.TextField(_("why not eligible"), blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True, editable=False)
    proposal = models.CharField(_("proposal"), max_length=20, choices=Proposal.choices, blank=True)
    proposal_motivation = models.TextField(_("motivation"), blank=True)
    awarded_amount = models.DecimalField(
        _("awarded amount (kr)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    motivation = models.TextField(_("the committee's motivation"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("award candidate")
        verbose_name_plural = _("award candidates")
        ordering = ["round", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"],
                condition=Q(organisation__isnull=False),
                name="grants_candidate_one_per_organisation",
            ),
        ]
        indexes = [models.Index(fields=["round", "state"])]

    def __str__(self):
        return f"{self.case_number} {self.name}".strip()

    @property
    def program(self):
        return self.round.program

    @property
    def is_awarded(self) -> bool:
        return self.state in self.AWARDED_STATES

    # ---- transitions (the state graph, read as data) ----

    @transition(
        field=state,
        source=State.RECEIVED,
        target=State.ELIGIBLE,
        conditions=[conditions.meets_the_rules],
        permission="grants.handle_award_candidate",
        custom={"label": _("Eligible: accept for the jury"), "form": "screen"},
    )
    def mark_eligible(self):
        pass

    @transition(
        field=state,
        source=State.RECEIVED,
        target=State.INELIGIBLE,
        conditions=[conditions.fails_the_rules],
        permission="grants.handle_award_candidate",
        custom={"label": _("Not eligible: tell the nominators"), "form": "screen", "danger": True},
    )
    def mark_ineligible(self):
        pass

    @transition(
        field=state,
        source=State.ELIGIBLE,
        target=State.SHORTLISTED,
        conditions=[conditions.has_counting_assessment],
        permission="grants.handle_award_candidate",
        custom={"label": _("Shortlist")},
    )
    def shortlist(self):
        pass

    @transition(
        field=state,
        source=State.SHORTLISTED,
        target=State.ELIGIBLE,
        conditions=[conditions.not_on_an_agenda],
        permission="grants.handle_award_candidate",
        custom={"label": _("Take off the shortlist")},
    )
    def unshortlist(self):
        pass

    @transition(
        field=state,
        source=State.SHORTLISTED,
        target=State.AWARDED,
        permission="grants.record_award_decision",
        custom={"label": _("Award"), "hidden": True},
    )
    def award(self):
        pass

    @transition(
        field=state,
        source=State.SHORTLISTED,
        target=State.NOT_AWARDED,
        permission="grants.record_award_decision",
        custom={"label": _("Do not award"), "hidden": True},
    )
    def not_award(self):
        pass

    @transition(
        field=state,
        source=State.ELIGIBLE,
        target=State.NOT_AWARDED,
        permission="grants.record_award_decision",
        custom={"label": _("Close: not shortlisted by the jury"), "hidden": True},
    )
    def close_not_shortlisted(self):
        """The committee decided the round without this candidate: it is not awarded."""

    @transition(
        field=state,
        source=State.AWARDED,
        target=State.ANNOUNCED,
        conditions=[conditions.decision_may_be_executed],
        permission="grants.handle_award_candidate",
        custom={"label": _("Announce")},
    )
    def announce(self):
        pass


class Nomination(models.Model):
    """One person's nomination of a candidate, with their motivation and contact details."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="nominations")
    kind = models.CharField(_("who is nominated"), max_length=20, choices=NomineeKind.choices)
    nominee_name = models.CharField(_("name of the nominee"), max_length=200)
    nominee_org_number = models.CharField(_("organisation number"), max_length=10, blank=True)
    motivation = models.TextField(_("why they deserve the award"))
    nominator_name = models.CharField(_("your name"), max_length=200)
    nominator_email = models.EmailField(_("your e-mail address"))
    nominator_phone = models.CharField(_("your phone number"), max_length=40, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["candidate", "created_at", "pk"]

    def __str__(self):
        return f"{self.nominee_name} ({self.nominator_name})"


class CandidateAssessment(models.Model):
    """One jury member's scores of one candidate against the round's criteria."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("overall comment"), blank=True)
    scores = models.JSONField(default=dict, blank=True)
    weighted_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("jury assessment")
        verbose_name_plural = _("jury assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "assessor"], name="grants_candidate_assessment_unique"
            )
        ]

    def __str__(self):
        return f"{self.candidate_id}: {self.assessor}"


class CandidateConflict(models.Model):
    """A jury member's declared conflict of interest (jäv) for a candidate: their scores do not count."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "user"], name="grants_candidate_conflict_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.candidate}"
