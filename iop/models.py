"""Partnerships (IOP, idéburet offentligt partnerskap).

A partnership goes from an organisation's initiative, through a check that
IOP is the right form, dialogue and a jointly written agreement, to a
committee decision, signing, yearly follow-up, evaluation and renewal or end.
The local compact (överenskommelse) that partnerships build on is the app ``compact``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from workflows.deadlines import add_years
from workflows.models import CaseModel

from . import conditions as c


class Party(models.TextChoices):
    MUNICIPALITY = "municipality", _("the municipality")
    ORGANISATION = "organisation", _("the organisation")


class Partnership(CaseModel):
    class State(models.TextChoices):
        INITIATIVE = "initiative", _("initiative")
        SCREENING = "screening", _("screening")
        NOT_SUITABLE = "not_suitable", _("not suitable for IOP")
        DIALOGUE = "dialogue", _("dialogue")
        DRAFTING = "drafting", _("agreement being written")
        PROPOSED = "proposed", _("proposed to the committee")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        SIGNED = "signed", _("signed")
        ACTIVE = "active", _("active")
        FOLLOW_UP_DUE = "follow_up_due", _("follow-up due")
        EVALUATION = "evaluation", _("evaluation")
        RENEWAL_PROPOSED = "renewal_proposed", _("renewal proposed to the committee")
        RENEWED = "renewed", _("renewed")
        ENDED = "ended", _("ended")
        TERMINATED_EARLY = "terminated_early", _("terminated early")

    #: states in which the partnership is running (money may be paid, follow-ups are due)
    RUNNING = (
        State.SIGNED,
        State.ACTIVE,
        State.FOLLOW_UP_DUE,
        State.EVALUATION,
        State.RENEWAL_PROPOSED,
        State.RENEWED,
    )

    view_permission = "iop.view_partnership"

    committee = models.ForeignKey("organizations.Committee", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organizations.Organisation", on_delete=models.PROTECT, related_name="partnerships"
    )
    title = models.CharField(_("name of the partnership"), max_length=200)
    social_need = models.TextField(_("the social need"))
    proposed_solution = models.TextField(_("the proposed solution"))
    target_group = models.TextField(_("target group"))
    organisation_brings = models.TextField(_("what the organisation brings"))
    municipality_asked = models.TextField(_("what the organisation asks of the municipality"))
    political_goal = models.TextField(_("the political goal or plan it serves"))
    state = FSMField(_("state"), default=State.INITIATIVE, choices=State.choices, protected=True)
    initiated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    via_portal = models.BooleanField(_("submitted through the portal"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The decision (by the committee; recorded by the secretary or the caseworker).
    approved_version = models.ForeignKey(
        "AgreementVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_approved = models.BooleanField(null=True, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=300, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons"), blank=True)
    # Signing: each party's named signatory and date.
    municipality_signatory = models.CharField(_("signed for the municipality by"), max_length=200, blank=True)
    municipality_signed_on = models.DateField(_("signed by the municipality on"), null=True, blank=True)
    organisation_signatory = models.CharField(_("signed for the organisation by"), max_length=200, blank=True)
    organisation_signed_on = models.DateField(_("signed by the organisation on"), null=True, blank=True)
    # The decision on renewal after the evaluation (by the committee or a delegate), like the first one.
    renewal_approved = models.BooleanField(null=True, blank=True)
    renewal_reference = models.CharField(_("decision on renewal"), max_length=300, blank=True)
    renewal_decided_on = models.DateField(_("renewal decided on"), null=True, blank=True)
    renewal_reason = models.TextField(_("reasons for the decision on renewal"), blank=True)
    not_suitable_reason = models.TextField(_("why IOP is not the right form"), blank=True)
    termination_reason = models.TextField(_("reason for ending early"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    #: the municipality's money contributions (``payments.Payment``), one for each period
    payments = GenericRelation("payments.Payment", related_query_name="partnership")
    #: the yearly follow-ups made with the organisation (``reporting.JointFollowUp``), one a year of a term
    follow_ups = GenericRelation("reporting.JointFollowUp", related_query_name="partnership")

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["committee", "state"])]

    def __str__(self):
        return f"{self.case_number} {self.title}".strip()

    # -- what the term is --------------------------------------------------------------------------

    @property
    def term_start(self) -> date | None:
        return self.approved_version.start_date if self.approved_version else None

    @property
    def term_end(self) -> date | None:
        return self.approved_version.end_date if self.approved_version else None

    def term_years(self) -> list[int]:
        """1, 2, … for each year of the approved term."""
        v = self.approved_version
        return list(range(1, v.years + 1)) if v else []

    def follow_up_due_on(self, year: int) -> date:
        """The follow-up of term year ``year`` is due at the end of that year of the term."""
        return min(add_years(self.term_start, year), self.term_end)

    @property
    def is_final_year(self) -> bool:
        return bool(self.term_end) and timezone.localdate() >= add_years(self.term_end, -1)

    @property
    def signed_by_both(self) -> bool:
        return bool(self.municipality_signed_on and self.organisation_signed_on)

    def latest_version(self):
        return self.agreement_versions.order_by("-number").first()

    # -- transitions ---------------------------------------------------------------------------------

    @transition(
        field=state,
        source=State.INITIATIVE,
        target=State.SCREENING,
        permission="iop.manage_partnership",
        custom={"label": _("Start screening")},
    )
    def start_screening(self):
        pass

    @transition(
        field=state,
        source=State.SCREENING,
        target=State.DIALOGUE,
        conditions=[c.screening_complete, c.screening_all_yes],
        permission="iop.manage_partnership",
        custom={"label": _("Suitable for IOP: start the dialogue")},
    )
    def find_suitable(self):
        pass

    @transition(
        field=state,
        source=State.SCREENING,
        target=State.NOT_SUITABLE,
        conditions=[c.screening_complete, c.screening_some_no],
        permission="iop.manage_partnership",
        custom={"label": _("Not suitable for IOP: send the decision letter"), "hidden": True},
    )
    def find_not_suitable(self):
        pass

    @transition(
        field=state,
        source=State.DIALOGUE,
        target=State.DRAFTING,
        permission="iop.manage_partnership",
        custom={"label": _("Start writing the agreement")},
    )
    def start_drafting(self):
        pass

    @transition(
        field=state,
        source=State.DRAFTING,
        target=State.PROPOSED,
        conditions=[c.agreement_written, c.agreement_has_both_parties, c.agreement_has_term],
        permission="iop.manage_partnership",
        custom={"label": _("Propose to the committee")},
    )
    def propose(self):
        pass

    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.DRAFTING,
        permission="iop.manage_partnership",
        custom={"label": _("Take back for more drafting")},
    )
    def withdraw_proposal(self):
        pass

    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.APPROVED,
        conditions=[c.decision_recorded],
        permission="iop.decide_partnership",
        custom={"label": _("Approve"), "hidden": True},
    )
    def approve(self):
        pass

    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.REJECTED,
        conditions=[c.decision_recorded],
        permission="iop.decide_partnership",
        custom={"label": _("Reject"), "hidden": True},
    )
    def reject(self):
        pass

    @transition(
        field=state,
        source=State.APPROVED,
        target=State.SIGNED,
        conditions=[c.signed_by_both_parties],
        permission="iop.sign_partnership",
        custom={"label": _("Signed by both parties"), "hidden": True},
    )
    def sign(self):
        pass

    @transition(
        field=state,
        source=[State.SIGNED, State.RENEWED],
        target=State.ACTIVE,
        conditions=[c.term_started],
        permission="iop.run_partnership",
        custom={"label": _("Start the partnership"), "hidden": True},  # by itself when the term begins
    )
    def activate(self):
        pass

    @transition(
        field=state,
        source=State.ACTIVE,
        target=State.FOLLOW_UP_DUE,
        conditions=[c.follow_up_outstanding],
        permission="iop.run_partnership",
        custom={"label": _("Follow-up due"), "hidden": True},
    )
    def require_follow_up(self):
        pass

    @transition(
        field=state,
        source=State.FOLLOW_UP_DUE,
        target=State.ACTIVE,
        conditions=[c.follow_ups_done],
        permission="iop.run_partnership",
        custom={"label": _("Follow-up done: continue"), "hidden": True},
    )
    def complete_follow_up(self):
        pass

    @transition(
        field=state,
        source=[State.ACTIVE, State.FOLLOW_UP_DUE],
        target=State.EVALUATION,
        conditions=[c.in_final_year],
        permission="iop.run_partnership",
        custom={"label": _("Start the evaluation")},
    )
    def start_evaluation(self):
        pass

    @transition(
        field=state,
        source=State.EVALUATION,
        target=State.RENEWAL_PROPOSED,
        conditions=[c.evaluation_proposes_renewal, c.renewal_version_ready],
        permission="iop.manage_partnership",
        custom={"label": _("Propose the renewal to the committee")},
    )
    def propose_renewal(self):
        pass

    @transition(
        field=state,
        source=State.RENEWAL_PROPOSED,
        target=State.EVALUATION,
        permission="iop.manage_partnership",
        custom={"label": _("Take back the renewal proposal")},
    )
    def withdraw_renewal(self):
        pass

    @transition(
        field=state,
        source=State.RENEWAL_PROPOSED,
        target=State.RENEWED,
        conditions=[c.renewal_decision_recorded],
        permission="iop.decide_partnership",
        custom={"label": _("Renew with the new agreement"), "hidden": True},
    )
    def renew(self):
        pass

    @transition(
        field=state,
        source=State.RENEWAL_PROPOSED,
        target=State.EVALUATION,
        conditions=[c.renewal_decision_recorded],
        permission="iop.decide_partnership",
        custom={"label": _("Renewal refused"), "hidden": True},
    )
    def refuse_renewal(self):
        pass

    @transition(
        field=state,
        source=State.EVALUATION,
        target=State.ENDED,
        conditions=[c.evaluation_recorded],
        permission="iop.manage_partnership",
        custom={"label": _("End the partnership at the end of its term")},
    )
    def end(self):
        pass

    @transition(
        field=state,
        source=list(RUNNING),
        target=State.TERMINATED_EARLY,
        conditions=[c.termination_reason_given],
        permission="iop.manage_partnership",
        custom={"label": _("Terminate early"), "hidden": True, "danger": True},
    )
    def terminate(self):
        pass


class Screening(models.Model):
    """The IOP checklist: is an idea-driven public partnership the right form here?"""

    class StateAidCriterion(models.TextChoices):
        NONE = "", _("– choose –")
        NOT_ECONOMIC = "not_economic", _("not an economic activity (no undertaking)")
        NO_ADVANTAGE = "no_advantage", _("no economic advantage beyond the market")
        NOT_SELECTIVE = "not_selective", _("not selective")
        NO_TRADE_EFFECT = "no_trade_effect", _("no effect on trade between member states (local)")
        DE_MINIMIS = "de_minimis", _("within de minimis")

    #: (field, question) — each answered yes or no with a motivation
    POINTS = [
        ("own_initiative", _("The initiative is the organisation's own.")),
        ("political_goal", _("It is part of a political goal or plan of the municipality.")),
        (
            "no_procurement",
            _(
                "It is not a purchase of a service, and there is no market or competition to protect "
                "(so no procurement under LOU)."
            ),
        ),
        ("not_grant", _("It is not an ordinary grant.")),
        ("co_financing", _("Both parties contribute (co-financing).")),
        ("no_detailed_steering", _("The municipality does not steer the work in detail.")),
        ("state_aid", _("State aid has been assessed.")),
    ]

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="screening")
    own_initiative = models.BooleanField(null=True)
    own_initiative_motivation = models.TextField(blank=True)
    political_goal = models.BooleanField(null=True)
    political_goal_motivation = models.TextField(blank=True)
    no_procurement = models.BooleanField(null=True)
    no_procurement_motivation = models.TextField(blank=True)
    not_grant = models.BooleanField(null=True)
    not_grant_motivation = models.TextField(blank=True)
    co_financing = models.BooleanField(null=True)
    co_financing_motivation = models.TextField(blank=True)
    no_detailed_steering = models.BooleanField(null=True)
    no_detailed_steering_motivation = models.TextField(blank=True)
    state_aid = models.BooleanField(null=True)
    state_aid_motivation = models.TextField(blank=True)
    state_aid_criterion = models.CharField(
        _("state aid criterion not met"), max_length=20, choices=StateAidCriterion.choices, blank=True
    )
    de_minimis_amount = models.DecimalField(
        _("de minimis aid used over three years (kr)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
    )
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("IOP screening")
        verbose_name_plural = _("IOP screenings")

    def __str__(self):
        return str(self.partnership)

    def answers(self) -> list[dict]:
        return [
            {
                "field": name,
                "question": question,
                "answer": getattr(self, name),
                "motivation": getattr(self, f"{name}_motivation"),
            }
            for name, question in self.POINTS
        ]

    @property
    def complete(self) -> bool:
        return all(a["answer"] is not None and a["motivation"].strip() for a in self.answers())

    @property
    def all_yes(self) -> bool:
        return all(a["answer"] is True for a in self.answers())


class AgreementVersion(models.Model):
    """One version of the jointly written agreement.  Versions are never changed: a change is a new version."""

    #: the text sections, in the order of the agreement (field names)
    SECTIONS = [
        "background",
        "shared_values",
        "organisation_text",
        "goals",
        "activities_municipality",
        "activities_organisation",
        "follow_up_method",
        "changes",
        "renegotiation",
        "termination_disputes",
    ]

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agreement_versions")
    number = models.PositiveIntegerField(_("version"))
    background = models.TextField(_("background and preconditions"))
    shared_values = models.TextField(_("shared values (the compact's principles)"), blank=True)
    organisation_text = models.TextField(_("how the work is organised"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    activities_municipality = models.TextField(
        _("activities and commitments of the municipality"), blank=True
    )
    activities_organisation = models.TextField(
        _("activities and commitments of the organisation"), blank=True
    )
    follow_up_method = models.TextField(_("follow-up method"), blank=True)
    start_date = models.DateField(_("term starts"), null=True, blank=True)
    end_date = models.DateField(_("term ends"), null=True, blank=True)
    notice_months = models.PositiveSmallIntegerField(_("notice period (months)"), default=6)
    changes = models.TextField(_("changes to the agreement"), blank=True)
    renegotiation = models.TextField(_("renegotiation"), blank=True)
    termination_disputes = models.TextField(_("termination and disputes"), blank=True)
    note = models.CharField(_("what changed in this version"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["partnership", "number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="agreement_version_unique"),
        ]

    def __str__(self):
        return f"{self.partnership} – v{self.number}"

    @property
    def years(self) -> int:
        if not (self.start_date and self.end_date):
            return 0
        years = 0
        while add_years(self.start_date, years) < self.end_date:
            years += 1
        return years

    def totals(self) -> dict:
        """Total value per party and year, each party's share, and the yearly value."""
        per_party = {Party.MUNICIPALITY: Decimal(0), Party.ORGANISATION: Decimal(0)}
        per_year: dict[int, Decimal] = {}
        for contribution in self.contributions.all():
            per_party[contribution.party] += contribution.value
            per_year[contribution.year] = per_year.get(contribution.year, Decimal(0)) + contribution.value
        total = sum(per_party.values(), Decimal(0))
        share = {party: (round(amount * 100 / total) if total else 0) for party, amount in per_party.items()}
        return {
            "municipality": per_party[Party.MUNICIPALITY],
            "organisation": per_party[Party.ORGANISATION],
            "total": total,
            "municipality_share": share[Party.MUNICIPALITY],
            "organisation_share": share[Party.ORGANISATION],
            "per_year": dict(sorted(per_year.items())),
            "yearly": (total / len(per_year)) if per_year else Decimal(0),
        }


class Contribution(models.Model):
    """What one party puts in during one year of the term, valued in kronor."""

    class Kind(models.TextChoices):
        MONEY = "money", _("money")
        PREMISES = "premises", _("premises")
        STAFF_HOURS = "staff_hours", _("staff hours")
        VOLUNTEER_HOURS = "volunteer_hours", _("volunteer hours")
        IN_KIND = "in_kind", _("other in kind")

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="contributions")
    party = models.CharField(
        pgettext_lazy("one side of the agreement", "party"), max_length=20, choices=Party.choices
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year of the term"), default=1)
    description = models.CharField(_("description"), max_length=300, blank=True)
    hours = models.PositiveIntegerField(_("hours"), null=True, blank=True)
    value = models.DecimalField(_("value (kr)"), max_digits=12, decimal_places=0)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["year", "party", "kind", "pk"]

    def __str__(self):
        return f"{self.get_party_display()}: {self.get_kind_display()} {self.value} kr"


class Indicator(models.Model):
    """A goal's measurable indicator with what is planned per year."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="indicators")
    goal = models.CharField(_("goal"), max_length=300)
    name = models.CharField(_("indicator"), max_length=300)
    target = models.DecimalField(_("planned per year"), max_digits=12, decimal_places=0)
    unit = models.CharField(_("unit"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class GroupMember(models.Model):
    """A member of the steering group or the working group, from either party."""

    class Group(models.TextChoices):
        STEERING = "steering", _("steering group")
        WORKING = "working", _("working group")

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="members")
    group = models.CharField(_("group"), max_length=10, choices=Group.choices)
    party = models.CharField(
        pgettext_lazy("one side of the agreement", "party"), max_length=20, choices=Party.choices
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["group", "party", "name"]

    def __str__(self):
        return self.name


class SteeringMeeting(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="steering_meetings")
    held_on = models.DateField(_("held on"))
    attendees = models.TextField(_("present"), blank=True)
    notes = models.TextField(_("notes"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("steering group meeting")
        verbose_name_plural = _("steering group meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.partnership} {self.held_on}"


class Evaluation(models.Model):
    class Proposal(models.TextChoices):
        RENEW = "renew", _("renew the partnership")
        END = "end", _("end the partnership")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="evaluations")
    summary = models.TextField(_("what the partnership achieved"))
    lessons = models.TextField(_("lessons learnt"), blank=True)
    proposal = models.CharField(_("proposal"), max_length=10, choices=Proposal.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    term_end = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.partnership} – {self.get_proposal_display()}"
