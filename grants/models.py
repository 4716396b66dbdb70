"""Grant programs, rounds and applications.

What varies between programs is data: the form, the attachments, the
eligibility rules, the criteria, the budget and the window.  A round takes a
snapshot of that data when it opens, and each application keeps a copy of the
snapshot it was made under, so later edits of the program never change a
submitted application or its assessment.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from organizations.models import OrganisationDocument
from workflows.models import CaseModel

from . import conditions

#: an easy-to-read summary is short: about half a page
EASY_READ_MAX_LENGTH = 1500


class Program(models.Model):
    class Kind(models.TextChoices):
        OPERATING = "operating", _("operating grant")
        PROJECT = "project", _("project grant")
        AWARD = "award", _("award")
        OTHER = "other", _("other")

    municipality = models.ForeignKey(
        "organizations.Municipality", on_delete=models.PROTECT, related_name="programs"
    )
    committee = models.ForeignKey(
        "organizations.Committee", on_delete=models.PROTECT, related_name="programs"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    rules_reference = models.CharField(
        _("rules"), max_length=200, blank=True, help_text=_("The rules the program rests on, e.g. KFS 30:3.")
    )
    rules_url = models.URLField(_("link to the rules"), blank=True)
    rules_text = models.TextField(_("text of the rules"), blank=True)
    description = models.TextField(_("description"), blank=True)
    easy_read = models.TextField(
        _("easy-to-read summary (lättläst)"),
        blank=True,
        validators=[
            MaxLengthValidator(
                EASY_READ_MAX_LENGTH,
                message=_(
                    "The easy-to-read summary may be at most %(limit_value)s characters; it has "
                    "%(show_value)s. Shorten it: keep only what a reader must know to apply."
                ),
            )
        ],
        help_text=_(
            "A short summary in easy Swedish, shown above the full text on the public pages. Write short "
            "sentences with common words and one idea per sentence: who can get money, for what, and how "
            "to apply. At most 1 500 characters."
        ),
    )
    who_may_apply = models.TextField(_("who may apply"), blank=True)
    delegation_limit = models.DecimalField(
        _("delegation limit (kr)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        help_text=_("Below this amount a caseworker with delegation may decide."),
    )
    reporting_requirement = models.TextField(_("reporting requirement"), blank=True)
    instalments = models.PositiveSmallIntegerField(
        _("number of payments"),
        default=1,
        choices=[(1, _("one payment")), (2, _("two halves")), (3, _("three parts")), (4, _("four parts"))],
        help_text=_("A grant is paid in this many equal parts spread over the grant period."),
    )
    appeal_kind = models.CharField(
        _("how decisions are appealed"),
        max_length=20,
        choices=[
            ("legality", _("review of legality (laglighetsprövning)")),
            ("administrative", _("administrative appeal (förvaltningsbesvär)")),
        ],
        default="legality",
    )
    appeal_court = models.CharField(
        _("administrative court"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Förvaltningsrätten i Stockholm; named in the appeal instructions."),
    )
    min_amount = models.DecimalField(
        _("smallest amount (kr)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        help_text=_("An application must ask for at least this amount; empty: no lower limit."),
    )
    max_amount = models.DecimalField(
        _("largest amount (kr)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        help_text=_("An application may ask for at most this amount; empty: no upper limit."),
    )
    normal_handling_days = models.PositiveSmallIntegerField(
        _("normal handling time (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_(
            "How many days from submission an application of this program is normally decided in. A case "
            "that will be decided later is significantly delayed, and the applicant is told why "
            "(förvaltningslagen 11 §)."
        ),
    )
    contact_name = models.CharField(
        _("contact person"),
        max_length=200,
        blank=True,
        help_text=_("Named on every decision letter as the person to contact about the decision."),
    )
    contact_email = models.EmailField(_("contact person's e-mail"), blank=True)
    contact_phone = models.CharField(_("contact person's phone"), max_length=40, blank=True)
    several_per_round = models.BooleanField(
        _("several applications per organisation and round"),
        default=False,
        help_text=_("Otherwise an organisation sends one application in each round."),
    )
    reporting_config = models.JSONField(_("reporting configuration"), default=dict, blank=True)
    # Bookkeeping: where the program's grants are booked in the municipality's ledger (SIE export).
    ledger_account = models.CharField(
        _("ledger account"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{4}$", _("The ledger account is four digits, like 4610."))],
        help_text=_("The account in the ledger that the program's grants are booked on, four digits."),
    )
    cost_centre = models.CharField(
        _("cost centre"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^[0-9A-Za-z._-]+$", _("A cost centre is letters, digits, . _ or -."))],
    )
    ledger_project = models.CharField(
        _("project (ledger)"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^[0-9A-Za-z._-]+$", _("A project code is letters, digits, . _ or -."))],
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("grant program")
        verbose_name_plural = _("grant programs")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_amount__isnull=True)
                | Q(max_amount__isnull=True)
                | Q(max_amount__gte=models.F("min_amount")),
                name="grants_program_amount_range",
            ),
        ]

    def __str__(self):
        return self.name


class ProgramBudget(models.Model):
    """A program's budget for one year; commitments are earmarked (e.g. long-term agreements)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveIntegerField(_("year"))
    amount = models.DecimalField(_("budget (kr)"), max_digits=12, decimal_places=0)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["program", "-year"]
        constraints = [models.UniqueConstraint(fields=["program", "year"], name="grants_budget_unique")]

    def __str__(self):
        return f"{self.program} {self.year}"


class BudgetCommitment(models.Model):
    budget = models.ForeignKey(ProgramBudget, on_delete=models.CASCADE, related_name="commitments")
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount (kr)"), max_digits=12, decimal_places=0)

    class Meta:
        verbose_name = _("earmarked commitment")
        verbose_name_plural = _("earmarked commitments")

    def __str__(self):
        return self.description


class Round(models.Model):
    class LateRule(models.TextChoices):
        REFUSE = "refuse", _("refuse late applications")
        DEDUCT = "deduct", _("accept with a deduction per started week")
        ACCEPT = "accept", _("accept late applications")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveIntegerField(_("budget year"))
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    decision_date = models.DateField(_("deciding meeting"), null=True, blank=True)
    decision_reference = models.CharField(_("meeting reference"), max_length=200, blank=True)
    late_rule = models.CharField(
        _("late applications"), max_length=10, choices=LateRule.choices, default=LateRule.REFUSE
    )
    late_deduction_percent = models.DecimalField(
        _("deduction per started week (%)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    snapshot_taken_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="grants_round_window"
            ),
        ]

    def __str__(self):
        return f"{self.program} – {self.name}"

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    @property
    def status(self) -> str:
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"

    def get_status_display(self) -> str:
        return str({"upcoming": _("upcoming"), "open": _("open"), "closed": _("closed")}[self.status])


#: the longest answer a form field takes unless the program says otherwise
DEFAULT_ANSWER_LENGTH = 5000


class FormField(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        LONG_TEXT = "long_text", _("long text")
        NUMBER = "number", _("number")
        AMOUNT = "amount", _("amount")
        DATE = "date", _("date")
        CHOICE = "choice", _("choice")
        MULTIPLE_CHOICE = "multiple_choice", _("multiple choice")
        YES_NO = "yes_no", _("yes/no")
        FILE = "file", _("file")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="form_fields")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=300)
    help_text = models.TextField(_("help text"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    choices = models.TextField(_("choices"), blank=True, help_text=_("One per line."))
    max_length = models.PositiveIntegerField(
        _("longest answer (characters)"),
        default=DEFAULT_ANSWER_LENGTH,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_("For text answers."),
    )

    class Meta:
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        ordering = ["program", "order", "pk"]

    def __str__(self):
        return self.label


class RequiredAttachment(models.Model):
    """A document the applicant must provide: from the register if current, else uploaded."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="attachments")
    label = models.CharField(_("label"), max_length=200)
    doc_type = models.CharField(
        _("register document type"),
        max_length=20,
        blank=True,
        choices=[("", _("uploaded with the application")), *OrganisationDocument.Type.choices],
        help_text=_("Taken from the organisation register when a current one exists."),
    )
    help_text = models.TextField(_("help text"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("required attachment")
        verbose_name_plural = _("required attachments")
        ordering = ["program", "order", "pk"]

    def __str__(self):
        return self.label


class EligibilityRule(models.Model):
    class Kind(models.TextChoices):
        ORG_KINDS = "org_kinds", _("organisation kinds allowed")
        ACTIVE_IN_MUNICIPALITY = (
            "active_in_municipality",
            _("activity aimed at residents of the municipality"),
        )
        MIN_RESIDENT_MEMBERS = "min_resident_members", _("minimum number of members living there")
        DOCUMENTS_CURRENT = "documents_current", _("register documents current")
        NO_OVERDUE_REPORT = "no_overdue_report", _("no overdue follow-up report")
        NO_UNPAID_RECLAIM = "no_unpaid_reclaim", _("no unpaid reclaim")
        DEMOCRACY_DECLARATION = "democracy_declaration", _("democracy-conditions declaration made")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="eligibility_rules")
    kind = models.CharField(_("rule"), max_length=30, choices=Kind.choices)
    enabled = models.BooleanField(_("on"), default=True)
    params = models.JSONField(
        _("parameters"),
        default=dict,
        blank=True,
        help_text=_('E.g. {"kinds": ["nonprofit"]}, {"min": 10} or {"doc_types": ["statutes"]}.'),
    )

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["program", "pk"]
        constraints = [models.UniqueConstraint(fields=["program", "kind"], name="grants_rule_unique")]

    def __str__(self):
        return self.get_kind_display()

    @property
    def params_display(self) -> str:
        """The parameters in words, as a person reads them on the program page."""
        from .eligibility import describe_params

        return describe_params(self.kind, self.params)


class Criterion(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    guidance = models.TextField(_("guidance"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal("1"))
    scale_min = models.IntegerField(_("lowest score"), default=0)
    scale_max = models.IntegerField(_("highest score"), default=5)
    allow_not_applicable = models.BooleanField(_("“not applicable” allowed"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")
        ordering = ["program", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="grants_criterion_scale"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="grants_criterion_weight"),
        ]

    def __str__(self):
        return self.name


class Application(CaseModel):
    """An organisation's application in a round: a case with a state machine."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        COMPLETION_REQUESTED = "completion_requested", _("completion requested")
        IN_ASSESSMENT = "in_assessment", _("in assessment")
        ASSESSED = "assessed", _("assessed")
        PROPOSED = "proposed", _("proposed")
        GRANTED = "granted", _("granted")
        PARTLY_GRANTED = "partly_granted", _("partly granted")
        REJECTED = "rejected", _("rejected")
        DISMISSED = "dismissed", _("dismissed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    #: states in which money is granted: the free budget counts their granted amounts
    GRANTED_STATES = (State.GRANTED, State.PARTLY_GRANTED)
    #: states a decision (by the committee or a delegate) leaves the case in
    DECIDED_STATES = (State.GRANTED, State.PARTLY_GRANTED, State.REJECTED)
    #: states before a decision, while the case is being handled
    OPEN_STATES = (
        State.SUBMITTED,
        State.COMPLETION_REQUESTED,
        State.IN_ASSESSMENT,
        State.ASSESSED,
        State.PROPOSED,
    )

    view_permission = "grants.view_application"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        "organizations.Organisation", on_delete=models.PROTECT, related_name="applications"
    )
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    requested_amount = models.DecimalField(
        _("amount applied for (kr)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    answers = models.JSONField(default=dict, blank=True)
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    democracy_declaration = models.BooleanField(
        _("we declare that the organisation respects the democracy conditions"), default=False
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    late_weeks = models.PositiveIntegerField(default=0)
    late_deduction_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    eligibility = models.JSONField(default=list, blank=True, editable=False)
    completion_deadline = models.DateField(_("completion deadline"), null=True, blank=True)
    proposed_amount = models.DecimalField(
        _("proposed amount (kr)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    proposal_motivation = models.TextField(_("motivation"), blank=True)
    granted_amount = models.DecimalField(
        _("granted amount (kr)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    #: the decision that stands (committee or delegated).  The Decision is the one source of
    #: truth for amount, conditions, grant period, report due date and reasons; only the
    #: granted amount is copied here, in the same transaction, for the budget sums.
    decision = models.ForeignKey(
        "meetings.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True, editable=False)

    processes = GenericRelation(
        "viewflow.Process",
        content_type_field="artifact_content_type",
        object_id_field="artifact_object_id",
        related_query_name="application",
    )
    #: its payments (``payments.Payment``), found by content type and id
    payments = GenericRelation("payments.Payment", related_query_name="application")

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            # A double click on "start an application" makes one draft.
            models.UniqueConstraint(
                fields=["round", "organisation"], condition=Q(state="draft"), name="grants_one_draft"
            ),
        ]
        indexes = [models.Index(fields=["round", "state"])]

    def __str__(self):
        return f"{self.case_number or _('Draft')} {self.title}"

    @property
    def program(self) -> Program:
        return self.round.program

    @property
    def amount_after_deduction(self) -> Decimal | None:
        if self.requested_amount is None:
            return None
        factor = max(Decimal("0"), Decimal("100") - self.late_deduction_percent) / Decimal("100")
        return (self.requested_amount * factor).quantize(Decimal("1"))

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    # ---- transitions (the state graph, read as data) ----

    @transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        conditions=[
            conditions.round_accepts_submissions,
            conditions.required_answers_present,
            conditions.required_attachments_present,
        ],
        permission="grants.act_for_application",
        custom={"label": _("Submit"), "actor": "applicant"},
    )
    def submit(self):
        pass

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.COMPLETION_REQUESTED,
        permission="grants.handle_application",
        custom={"label": _("Request completion"), "actor": "caseworker", "form": "completion"},
    )
    def request_completion(self):
        pass

    @transition(
        field=state,
        source=State.COMPLETION_REQUESTED,
        target=State.SUBMITTED,
        conditions=[conditions.completion_deadline_not_passed],
        permission="grants.act_for_application",
        custom={"label": _("Send the completion"), "actor": "applicant", "form": "answer"},
    )
    def answer_completion(self):
        pass

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.IN_ASSESSMENT,
        conditions=[conditions.eligible_or_overridden],
        permission="grants.handle_application",
        custom={"label": _("Accept for assessment"), "actor": "caseworker"},
    )
    def accept(self):
        pass

    @transition(
        field=state,
        source=[State.SUBMITTED, State.COMPLETION_REQUESTED, State.IN_ASSESSMENT],
        target=State.DISMISSED,
        permission="grants.handle_application",
        custom={"label": _("Dismiss"), "actor": "caseworker", "danger": True, "form": "reason"},
    )
    def dismiss(self):
        pass

    @transition(
        field=state,
        source=State.IN_ASSESSMENT,
        target=State.ASSESSED,
        conditions=[conditions.has_counting_assessment],
        permission="grants.handle_application",
        custom={"label": _("Finish the assessment"), "actor": "caseworker"},
    )
    def finish_assessment(self):
        pass

    @transition(
        field=state,
        source=State.ASSESSED,
        target=State.IN_ASSESSMENT,
        permission="grants.handle_application",
        custom={"label": _("Reopen the assessment"), "actor": "caseworker"},
    )
    def reopen_assessment(self):
        pass

    @transition(
        field=state,
        source=State.ASSESSED,
        target=State.PROPOSED,
        # the amount and the motivation come with the proposal (its form), checked by the service
        permission="grants.handle_application",
        custom={"label": _("Propose a decision"), "actor": "caseworker", "form": "proposal"},
    )
    def propose(self):
        pass

    # Decisions: performed only by the meeting engine (through the agenda adapter), for the
    # committee's decisions and for delegated ones; never offered as buttons on the case.

    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.GRANTED,
        permission="grants.decide_application",
        custom={"label": pgettext_lazy("decision", "Grant"), "hidden": True},
    )
    def grant(self):
        pass

    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.PARTLY_GRANTED,
        permission="grants.decide_application",
        custom={"label": _("Grant in part"), "hidden": True},
    )
    def grant_partly(self):
        pass

    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.REJECTED,
        permission="grants.decide_application",
        custom={"label": _("Reject"), "hidden": True},
    )
    def reject(self):
        pass

    # An organisation's own application for an award: the award's candidate is screened, scored
    # and decided; when the committee has decided the award, the application ends with it.

    @transition(
        field=state,
        source=[State.SUBMITTED, State.COMPLETION_REQUESTED, State.IN_ASSESSMENT, State.ASSESSED],
        target=State.GRANTED,
        permission="grants.record_award_decision",
        custom={"label": _("Awarded"), "hidden": True},
    )
    def award_granted(self):
        pass

    @transition(
        field=state,
        source=[State.SUBMITTED, State.COMPLETION_REQUESTED, State.IN_ASSESSMENT, State.ASSESSED],
        target=State.REJECTED,
        permission="grants.record_award_decision",
        custom={"label": _("Not awarded"), "hidden": True},
    )
    def award_not_granted(self):
        pass

    @transition(
        field=state,
        source=[
            State.DRAFT,
            State.SUBMITTED,
            State.COMPLETION_REQUESTED,
            State.IN_ASSESSMENT,
            State.ASSESSED,
            State.PROPOSED,
        ],
        target=State.WITHDRAWN,
        permission="grants.act_for_application",
        custom={
            "label": _("Withdraw the application"),
            "actor": "applicant",
            "danger": True,
            "form": "reason",
        },
    )
    def withdraw(self):
        pass


def _attachment_path(instance, filename):
    return f"applications/{uuid.uuid4().hex}"


class ApplicationAttachment(models.Model):
    """A file of an application: uploaded with it, or a current document from the register."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    key = models.CharField(max_length=40, help_text="'attachment:<id>' or 'field:<id>' of the snapshot")
    file = models.FileField(upload_to=_attachment_path, max_length=200, blank=True)
    register_document = models.ForeignKey(
        "organizations.OrganisationDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["key", "-uploaded_at"]

    def __str__(self):
        return self.original_name


class EligibilityOverride(models.Model):
    """A caseworker's decision to set aside one failing eligibility rule, with the reason."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="overrides")
    rule = models.CharField(max_length=30, choices=EligibilityRule.Kind.choices)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "rule"], name="grants_override_unique")]

    def __str__(self):
        return f"{self.application_id}: {self.rule}"


class CompletionRequest(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="completion_requests")
    message = models.TextField(_("what needs to be completed"))
    deadline = models.DateField(_("deadline"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    lapsed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.application_id}: {self.deadline}"


class ConflictOfInterest(models.Model):
    """A staff member's declared conflict of interest (jäv) for an organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts")
    organisation = models.ForeignKey(
        "organizations.Organisation", on_delete=models.CASCADE, related_name="conflicts"
    )
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="grants_conflict_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation}"


class Assessment(models.Model):
    """One assessor's scores of one application against the snapshot's criteria."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("overall comment"), blank=True)
    scores = models.JSONField(default=dict, blank=True, help_text="{criterion id: {score, na, comment}}")
    weighted_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "assessor"], name="grants_assessment_unique")
        ]

    def __str__(self):
        return f"{self.application_id}: {self.assessor}"


def budget_free(budget: ProgramBudget) -> dict:
    """Budget, earmarked, granted and free amount of a program year."""
    earmarked = budget.commitments.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    granted = Application.objects.filter(
        round__program_id=budget.program_id, round__year=budget.year, state__in=Application.GRANTED_STATES
    ).aggregate(s=Sum("granted_amount"))["s"] or Decimal("0")
    return {
        "amount": budget.amount,
        "earmarked": earmarked,
        "granted": granted,
        "free": budget.amount - earmarked - granted,
    }


from .decision_models import *  # noqa: E402, F403 - letters live in their own module
from .fl_models import *  # noqa: E402, F403 - förvaltningslagen 11-12 §§ in their own module
