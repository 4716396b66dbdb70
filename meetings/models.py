"""Committee meetings (sammanträden), usable by every case type.

A meeting has an agenda of items; each item points at a case of any type
(through its content type) and keeps a snapshot of the proposal the
committee was asked to decide.  Decisions, recusals (jäv), attendance,
approval of the minutes (justering), posting (anslag) and appeals are
recorded here; the case app performs its own transition through its
``meetings.agenda.AgendaAdapter`` when a decision is recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from workflows.checks import check
from workflows.models import StatefulModel


@check(_("Record who is present first."))
def attendance_recorded(meeting) -> bool:
    return meeting.attendances.filter(present=True).exists()


@check(_("Name two adjusters among the members present first."))
def two_adjusters_named(meeting) -> bool:
    return meeting.attendances.filter(present=True, adjuster=True).count() == 2


@check(_("The meeting has not taken place yet: it can be marked as held on its date or later."))
def meeting_day_reached(meeting) -> bool:
    return timezone.localtime(meeting.starts_at).date() <= timezone.localdate()


@check(_("Every item on the agenda needs a decision first."))
def all_items_decided(meeting) -> bool:
    return not meeting.items.filter(kind=AgendaItem.Kind.DECISION, decision__isnull=True).exists()


@check(_("Both adjusters must approve the minutes."))
def adjusters_approved(meeting) -> bool:
    adjusters = meeting.attendances.filter(adjuster=True)
    return adjusters.count() == 2 and not adjusters.filter(approved_at=None).exists()


@check(_("The appeal period has not passed yet."))
def appeal_period_passed(meeting) -> bool:
    return meeting.appeal_ends_on is not None and timezone.localdate() > meeting.appeal_ends_on


class Meeting(StatefulModel):
    """A meeting of a committee, from planning to the day its decisions are final."""

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        AGENDA_PUBLISHED = "agenda_published", _("agenda published")
        HELD = "held", _("held")
        MINUTES_APPROVED = "minutes_approved", _("minutes approved")
        POSTED = "posted", _("minutes posted")
        FINAL = "final", _("final")

    view_permission = "meetings.view_meeting"

    committee = models.ForeignKey(
        "organizations.Committee", on_delete=models.PROTECT, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    state = FSMField(_("state"), default=State.PLANNED, choices=State.choices, protected=True)
    posted_on = models.DateField(_("minutes posted on"), null=True, blank=True)
    #: when the posting was recorded: letters made before it are made again, with the appeal deadline
    posted_at = models.DateTimeField(_("posting recorded"), null=True, blank=True)
    minutes_kept_at = models.CharField(_("where the minutes are kept"), max_length=200, blank=True)
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("secretary"),
    )
    appeal_ends_on = models.DateField(_("appeal period ends"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["committee", "starts_at"])]

    def __str__(self):
        return f"{self.committee.name} {date_format(timezone.localtime(self.starts_at), 'Y-m-d')}"

    @property
    def minutes_approved(self) -> bool:
        return self.state in (self.State.MINUTES_APPROVED, self.State.POSTED, self.State.FINAL)

    @transition(
        field=state,
        source=State.PLANNED,
        target=State.AGENDA_PUBLISHED,
        permission="meetings.manage_meeting",
        custom={"label": _("Publish the agenda")},
    )
    def publish_agenda(self):
        pass

    @transition(
        field=state,
        source=State.AGENDA_PUBLISHED,
        target=State.HELD,
        conditions=[meeting_day_reached, attendance_recorded, two_adjusters_named],
        permission="meetings.manage_meeting",
        custom={"label": _("Mark the meeting as held")},
    )
    def hold(self):
        pass

    @transition(
        field=state,
        source=State.HELD,
        target=State.MINUTES_APPROVED,
        conditions=[all_items_decided, adjusters_approved],
        permission="meetings.approve_minutes",
        custom={"label": _("Approve the minutes"), "hidden": True},
    )
    def approve_minutes(self):
        pass

    @transition(
        field=state,
        source=State.MINUTES_APPROVED,
        target=State.POSTED,
        permission="meetings.manage_meeting",
        custom={"label": _("Post the minutes")},
    )
    def post(self):
        pass

    @transition(
        field=state,
        source=State.POSTED,
        target=State.FINAL,
        conditions=[appeal_period_passed],
        permission="meetings.finalise_meeting",
        custom={"label": _("Decisions become final"), "hidden": True},
    )
    def make_final(self):
        pass


class Attendance(models.Model):
    """A member or substitute at a meeting; two of those present approve the minutes."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        MEMBER = "member", _("member")
        SUBSTITUTE = "substitute", _("substitute")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    party = models.CharField(_("party"), max_length=20, blank=True)
    present = models.BooleanField(_("present"), default=True)
    adjuster = models.BooleanField(_("adjuster"), default=False)
    approved_at = models.DateTimeField(_("approved the minutes"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["role", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_unique")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.user.full_name} ({self.party})" if self.party else self.user.full_name


class AgendaItem(models.Model):
    """One case on a meeting's agenda, with the proposal as it was when the item was added."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("for decision")
        INFORMATION = "information", _("for information (delegated decision)")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DECISION)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    group = models.CharField(_("group"), max_length=200)
    group_no = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveIntegerField(default=0)
    # The proposal, frozen when the item was added.
    title = models.CharField(_("title"), max_length=300)
    case_number = models.CharField(_("case number"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        "organizations.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_amount = models.DecimalField(
        _("requested amount"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    proposed_amount = models.DecimalField(
        _("proposed amount"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    proposed_outcome = models.CharField(_("proposed outcome"), max_length=20, blank=True)
    proposal_text = models.TextField(_("proposal"), blank=True)
    case_url = models.CharField(max_length=300, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "kind", "group_no", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "content_type", "object_id"], name="agenda_item_unique"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"§{self.order} {self.title}"

    def outcome_label(self, outcome: str) -> str:
        """``outcome`` as its case type reads it (a reclaim is "reclaimed", not "granted")."""
        from meetings.agenda import adapter_for

        try:
            adapter = adapter_for(ContentType.objects.get_for_id(self.content_type_id).model_class())
        except LookupError:
            return str(dict(Decision.Outcome.choices).get(outcome, outcome))
        return adapter.outcome_label(outcome)

    def get_proposed_outcome_display(self) -> str:
        return self.outcome_label(self.proposed_outcome)


class Decision(StatefulModel):
    """What was decided about a case: by the committee (with its item) or by a delegate.

    Carries amount, conditions, grant period and report due date.  A
    committee decision is final three weeks after its minutes are posted,
    unless appealed.  Whether it stands, is final or was annulled on appeal is its ``state``,
    changed only by its transitions (each with its log row); ``final_at`` and ``annulled``
    are written by those transitions and kept for the queries that read them.
    """

    class State(models.TextChoices):
        STANDING = "standing", _("in force, may be appealed")
        FINAL = "final", _("final")
        ANNULLED = "annulled", _("annulled on appeal")

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("granted")
        PARTLY_GRANTED = "partly_granted", _("partly granted")
        REJECTED = "rejected", _("rejected")
        NOTED = "noted", _("other / noted")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    committee = models.ForeignKey("organizations.Committee", on_delete=models.PROTECT, related_name="+")
    item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="decision"
    )
    delegation = models.ForeignKey(
        "organizations.Delegation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    amount = models.DecimalField(_("amount (kr)"), max_digits=12, decimal_places=0, null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    period_start = models.DateField(_("grant period from"), null=True, blank=True)
    period_end = models.DateField(_("grant period until"), null=True, blank=True)
    report_due = models.DateField(_("report due"), null=True, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    final_at = models.DateTimeField(_("final"), null=True, blank=True)
    annulled = models.BooleanField(_("annulled on appeal"), default=False)
    state = FSMField(_("state"), max_length=10, default=State.STANDING, choices=State.choices, protected=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["decided_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_outcome_display()} {self.amount or ''}".strip()

    @property
    def delegated(self) -> bool:
        return self.delegation_id is not None

    @property
    def is_final(self) -> bool:
        return self.final_at is not None

    @transition(field=state, source=State.STANDING, target=State.FINAL, custom={"label": _("Make final")})
    def make_final(self) -> None:
        """The appeal period has passed, or the last appeal ended with the decision standing."""
        self.final_at = timezone.now()

    @transition(field=state, source=State.FINAL, target=State.STANDING, custom={"label": _("Appealed")})
    def appeal(self) -> None:
        """An appeal came in: the decision is not final until it is resolved."""
        self.final_at = None

    @transition(
        field=state, source=[State.STANDING, State.FINAL], target=State.ANNULLED, custom={"label": _("Annul")}
    )
    def annul(self) -> None:
        """An appeal was upheld: the decision is void."""
        self.annulled = True
        self.final_at = None


class Recusal(models.Model):
    """A conflict of interest (jäv): the person takes no part in the item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="recusals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        ordering = ["declared_at"]
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="recusal_unique")]

    def __str__(self):
        return f"{self.user} – {self.item}"


class Appeal(StatefulModel):
    """An appeal against a decision; the decision is not final until it is resolved.

    ``outcome`` is its state: pending until one of its transitions records how it ended."""

    class Kind(models.TextChoices):
        LEGALITY = "legality", _("review of legality (laglighetsprövning)")
        ADMINISTRATIVE = "administrative", _("administrative appeal (förvaltningsbesvär)")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("pending")
        REJECTED = "rejected", _("rejected – the decision stands")
        DISMISSED = "dismissed", _("dismissed – the decision stands")
        WITHDRAWN = "withdrawn", _("withdrawn – the decision stands")
        ANNULLED = "annulled", _("upheld – the decision is annulled")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    kind = models.CharField(_("kind of appeal"), max_length=20, choices=Kind.choices, default=Kind.LEGALITY)
    appellant = models.CharField(_("appellant"), max_length=200)
    lodged_on = models.DateField(_("lodged on"))
    outcome = FSMField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING, protected=True
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    registered_at = models.DateTimeField(default=timezone.now)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["lodged_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.appellant}"

    #: the transition that records each way an appeal ends
    RESOLUTIONS = {
        Outcome.REJECTED: "reject",
        Outcome.DISMISSED: "dismiss",
        Outcome.WITHDRAWN: "withdraw",
        Outcome.ANNULLED: "uphold",
    }

    @property
    def pending(self) -> bool:
        return self.outcome == self.Outcome.PENDING

    @transition(
        field=outcome, source=Outcome.PENDING, target=Outcome.REJECTED, custom={"label": _("Rejected")}
    )
    def reject(self) -> None:
        pass

    @transition(
        field=outcome, source=Outcome.PENDING, target=Outcome.DISMISSED, custom={"label": _("Dismissed")}
    )
    def dismiss(self) -> None:
        pass

    @transition(
        field=outcome, source=Outcome.PENDING, target=Outcome.WITHDRAWN, custom={"label": _("Withdrawn")}
    )
    def withdraw(self) -> None:
        pass

    @transition(field=outcome, source=Outcome.PENDING, target=Outcome.ANNULLED, custom={"label": _("Upheld")})
    def uphold(self) -> None:
        pass


class Notice(models.Model):
    """A notice on the municipality's digital notice board (anslagstavla, kommunallagen 8 kap. 9 §).

    Posted minutes get theirs when they are posted, up until the day after the appeal period
    (the date their posting certificate names); the secretary posts any other notice by hand.
    A notice is current from ``posted_on`` until the day before ``taken_down_on``, and is
    archived from then on.
    """

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("minutes")
        NOTICE = "notice", _("notice")

    municipality = models.ForeignKey(
        "organizations.Municipality", on_delete=models.PROTECT, related_name="notices"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NOTICE)
    body = models.TextField(_("text"), blank=True)
    #: the posted minutes: the board links to their newest version, with the posting certificate
    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="notice"
    )
    document = models.ForeignKey(
        "workflows.StoredDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    posted_on = models.DateField(_("posted on"))
    taken_down_on = models.DateField(_("taken down on"))
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-posted_on", "-pk"]
        indexes = [models.Index(fields=["municipality", "taken_down_on", "posted_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(taken_down_on__gt=models.F("posted_on")), name="meetings_notice_period"
            ),
        ]

    def __str__(self):
        return self.title

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.posted_on <= on < self.taken_down_on
