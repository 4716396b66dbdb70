"""Committee meetings: planning, agenda, decisions, recusals, approval, posting, appeals.

Every change goes through a function here (``<noun>_<verb>``, keyword-only,
the acting user ``by``).  State changes of a meeting go through
``perform_transition``; a case's own state changes go through its app's
``AgendaAdapter.apply_decision``, called inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Delegation, StaffRole, User

from .. import appeals
from ..agenda import adapter_for
from ..amounts import amount_clean, labelled
from ..checks import refusal
from ..meetings_models import AgendaItem, Appeal, Attendance, Decision, Meeting, Recusal, all_items_decided
from ..queue import delay_on_commit
from ..services import TransitionRefused, perform_transition, require, system_user
from ..services import transition_check as _transition_check
from ..statelog import state_logs_batched

Outcome = Decision.Outcome
AMOUNT_OUTCOMES = {Outcome.GRANTED, Outcome.PARTLY_GRANTED}
OPEN_STATES = (Meeting.State.PLANNED, Meeting.State.AGENDA_PUBLISHED, Meeting.State.HELD)


class DelegationRefused(TransitionRefused):
    """A delegated decision that the user may not make (no delegation, above its limit …)."""


@dataclass
class DecisionData:
    """What is decided about one case."""

    outcome: str
    amount: Decimal | None = None
    conditions: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    report_due: dt.date | None = None
    reasons: str = ""

    def errors(self) -> list[str]:
        errors = []
        if self.outcome not in Outcome.values:
            errors.append(_("Choose a decision."))
        if self.amount is not None:
            try:
                amount_clean(self.amount)
            except ValidationError as exc:
                return [*errors, *labelled(_("Amount"), exc)]
        if self.outcome in AMOUNT_OUTCOMES and not (self.amount and self.amount > 0):
            errors.append(_("A grant needs an amount above 0 kr."))
        if self.outcome not in AMOUNT_OUTCOMES and self.amount:
            errors.append(_("Only a grant has an amount."))
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors.append(_("The grant period ends before it starts."))
        return errors


def proposal_of(item: AgendaItem) -> DecisionData:
    """The decision the proposal asks for: what "accept the proposal" records."""
    outcome = item.proposed_outcome or (Outcome.GRANTED if item.proposed_amount else Outcome.NOTED)
    return DecisionData(
        outcome=outcome,
        amount=item.proposed_amount if outcome in AMOUNT_OUTCOMES else None,
        reasons=item.proposal_text,
    )


# -- planning -------------------------------------------------------------------------------------


def meeting_create(*, committee, starts_at: dt.datetime, place: str, by: User) -> Meeting:
    """Plan a meeting; delegated decisions not yet reported are listed on it for information."""
    require(by, "workflows.manage_committee_meetings", committee)
    with transaction.atomic():
        meeting = Meeting.objects.create(committee=committee, starts_at=starts_at, place=place, created_by=by)
        unreported = Decision.objects.filter(committee=committee, delegation__isnull=False, item__isnull=True)
        for decision in unreported.order_by("decided_at", "pk"):
            _list_for_information(meeting=meeting, decision=decision, by=by)
    return meeting


def committee_members(committee) -> list[User]:
    """Users holding the committee member role for ``committee``."""
    return list(
        User.objects.filter(
            staff_roles__role=StaffRole.Role.MEMBER,
            staff_roles__municipality_id=committee.municipality_id,
            staff_roles__state=StaffRole.State.ACTIVE,
        )
        .filter(Q(staff_roles__committee__isnull=True) | Q(staff_roles__committee=committee))
        .distinct()
        .order_by("full_name")
    )


@dataclass
class AttendanceRow:
    user: User
    present: bool = True
    role: str = Attendance.Role.MEMBER
    party: str = ""
    adjuster: bool = False


def attendance_set(*, meeting: Meeting, rows: list[AttendanceRow], by: User) -> list[Attendance]:
    """Record who attends (members and substitutes) and which two of those present adjust the minutes."""
    require(by, "workflows.manage_meeting", meeting)
    meeting.refresh_from_db(fields=["state"])
    if meeting.state not in OPEN_STATES:
        raise TransitionRefused([_("Attendance cannot be changed after the minutes are approved.")])
    members = {u.pk for u in committee_members(meeting.committee)}
    errors = []
    for row in rows:
        if row.user.pk not in members:
            errors.append(_("%(name)s is not a member of the committee.") % {"name": row.user.full_name})
        if row.adjuster and not row.present:
            errors.append(_("%(name)s cannot adjust the minutes without being present.") % {"name": row.user})
    if sum(1 for r in rows if r.adjuster) > 2:
        errors.append(_("Name at most two adjusters."))
    chairs = [r for r in rows if r.role == Attendance.Role.CHAIR]
    if len(chairs) > 1:
        errors.append(_("Name one chair."))
    if any(not r.present for r in chairs):
        errors.append(_("The chair must be present."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        keep = [r.user.pk for r in rows]
        meeting.attendances.exclude(user_id__in=keep).delete()
        result = []
        for row in rows:
            attendance, _created = Attendance.objects.update_or_create(
                meeting=meeting,
                user=row.user,
                defaults={
                    "present": row.present,
                    "role": row.role,
                    "party": row.party,
                    "adjuster": row.adjuster,
                },
            )
            result.append(attendance)
    return result


# -- the agenda -----------------------------------------------------------------------------------


def agenda_add(*, meeting: Meeting, cases: list, by: User) -> list[AgendaItem]:
    """Put proposed cases on the agenda, each grouped under its adapter's group label.

    The proposal (amounts, text, organisation) is copied onto the item now.
    Only cases the adapter offers as proposed for this committee can be added.
    """
    require(by, "workflows.manage_meeting", meeting)
    items = []
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",)).select_related("committee").get(pk=meeting.pk)
        )
        if meeting.state not in (Meeting.State.PLANNED, Meeting.State.AGENDA_PUBLISHED):
            raise TransitionRefused([_("Cases can only be added before the meeting is held.")])
        groups = dict(meeting.items.values_list("group", "group_no").distinct())
        order = meeting.items.aggregate(m=Max("order"))["m"] or 0
        for case in cases:
            adapter = adapter_for(case)
            if not adapter.proposed_queryset(meeting.committee).filter(pk=case.pk).exists():
                raise TransitionRefused(
                    [
                        _("%(case)s is not waiting for this committee's decision.")
                        % {"case": adapter.title(case)}
                    ]
                )
            content_type = ContentType.objects.get_for_model(case)
            if AgendaItem.objects.filter(
                content_type=content_type,
                object_id=case.pk,
                kind=AgendaItem.Kind.DECISION,
                decision__isnull=True,
            ).exists():
                raise TransitionRefused(
                    [_("%(case)s is already on an agenda.") % {"case": adapter.title(case)}]
                )
            group = adapter.group_label(case)[:200]
            if group not in groups:
                groups[group] = max(groups.values(), default=0) + 1
            order += 1
            organisation = adapter.organisation(case)
            items.append(
                AgendaItem.objects.create(
                    meeting=meeting,
                    content_type=content_type,
                    object_id=case.pk,
                    group=group,
                    group_no=groups[group],
                    order=order,
                    title=adapter.title(case)[:300],
                    case_number=adapter.case_number(case)[:40],
                    organisation=organisation,
                    requested_amount=adapter.requested_amount(case),
                    proposed_amount=adapter.proposed_amount(case),
                    proposed_outcome=adapter.proposed_outcome(case),
                    proposal_text=adapter.proposal_text(case),
                    case_url=adapter.case_url(case)[:300],
                    added_by=by,
                )
            )
    return items


def agenda_remove(*, item: AgendaItem, by: User) -> None:
    """Take an undecided case off the agenda before the meeting is held."""
    require(by, "workflows.manage_meeting", item.meeting)
    item.meeting.refresh_from_db(fields=["state"])
    if item.meeting.state not in (Meeting.State.PLANNED, Meeting.State.AGENDA_PUBLISHED):
        raise TransitionRefused([_("Cases can only be removed before the meeting is held.")])
    if item.kind != AgendaItem.Kind.DECISION or hasattr(item, "decision"):
        raise TransitionRefused([_("This item cannot be removed.")])
    item.delete()


def meeting_transition(*, meeting: Meeting, name: str, by: User, reason: str = "") -> Meeting:
    """Publish the agenda or mark the meeting held; the agenda's documents are made after commit."""
    from .. import tasks

    if name not in ("publish_agenda", "hold"):
        raise ValueError(name)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        perform_transition(meeting, name, by=by, reason=reason)
        if name == "hold":
            # whoever marks the meeting as held keeps its minutes and signs them as secretary
            meeting.secretary = by
            meeting.save(update_fields=["secretary"])
        if name == "publish_agenda":
            delay_on_commit(tasks.meeting_documents_make, meeting.pk, by.pk, ["agenda", "officer_reports"])
    return meeting


# -- deciding -------------------------------------------------------------------------------------


def decisions_record(
    *, meeting: Meeting, group_no: int, decisions: dict[int, DecisionData] | None = None, by: User
) -> list[Decision]:
    """Record the committee's decisions for one group of the agenda, all at once.

    Items not in ``decisions`` are decided as proposed.  In one transaction:
    the decisions are written, each case type's ``budget_check`` runs (and
    may refuse with ``BudgetExceeded``), then each case's own transition via
    ``apply_decision``.  Anything refused leaves nothing changed.
    """
    from .. import tasks

    require(by, "workflows.manage_meeting", meeting)
    decisions = decisions or {}
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",)).select_related("committee").get(pk=meeting.pk)
        )
        if meeting.state != Meeting.State.HELD:
            raise TransitionRefused([_("Decisions are recorded once the meeting is marked as held.")])
        items = list(
            meeting.items.select_for_update(of=("self",))
            .filter(group_no=group_no, kind=AgendaItem.Kind.DECISION, decision__isnull=True)
            .order_by("order")
        )
        if not items:
            raise TransitionRefused([_("Every item of this group is decided already.")])
        unknown = set(decisions) - {i.pk for i in items}
        if unknown:
            raise ValidationError(_("The decisions do not match the items of the group."))
        errors = []
        for item in items:
            data = decisions.get(item.pk) or proposal_of(item)
            errors += [f"§{item.order} {item.title}: {e}" for e in data.errors()]
        if errors:
            raise ValidationError(errors)
        recorded = []
        for item in items:
            data = decisions.get(item.pk) or proposal_of(item)
            decision = Decision(
                content_type_id=item.content_type_id,
                object_id=item.object_id,
                committee=meeting.committee,
                item=item,
                outcome=data.outcome,
                amount=data.amount if data.outcome in AMOUNT_OUTCOMES else None,
                conditions=data.conditions,
                period_start=data.period_start,
                period_end=data.period_end,
                report_due=data.report_due,
                reasons=data.reasons,
                decided_at=meeting.starts_at,
                decided_by=by,
            )
            recorded.append(decision)
        # One INSERT for the whole group: a June meeting decides a thousand applications at once.
        recorded = Decision.objects.bulk_create(recorded)
        with state_logs_batched():  # the thousand transitions' log rows in one INSERT
            _apply(recorded, by=by)
        delay_on_commit(tasks.meeting_documents_make, meeting.pk, by.pk, ["minutes"])
    return recorded


def _apply(decisions: list[Decision], *, by: User) -> None:
    """Budget checks per case type first, then each case's own transition."""
    prefetch_related_objects(decisions, "case")  # one query per case type, not one per decision
    by_adapter: dict = {}
    for decision in decisions:
        case = decision.case
        if case is None:
            raise ValidationError(_("The case of a decision no longer exists."))
        by_adapter.setdefault(id(adapter_for(case)), (adapter_for(case), []))[1].append(decision)
    for adapter, group in by_adapter.values():
        adapter.budget_check(group, by)
    for adapter, group in by_adapter.values():
        adapter.apply_decisions(group, by)


def recusal_declare(*, item: AgendaItem, user: User, reason: str, by: User) -> Recusal:
    """Record that ``user`` has a conflict of interest in ``item`` and takes no part in it.

    A person declares for themselves; the secretary records it for anyone present.
    """
    if user.pk == by.pk:
        require(by, "workflows.declare_recusal", item)
    else:
        require(by, "workflows.record_recusal", item)
        from .permissions import serves_committee

        if not serves_committee(user, item.meeting.committee):
            raise ValidationError(_("%(name)s does not serve this committee.") % {"name": user.full_name})
    if Meeting.objects.get(pk=item.meeting_id).state not in OPEN_STATES:
        raise TransitionRefused([_("Recusals cannot be added after the minutes are approved.")])
    if not reason.strip():
        raise ValidationError(_("Say why there is a conflict of interest."))
    with transaction.atomic():
        recusal, created = Recusal.objects.get_or_create(
            item=item, user=user, defaults={"reason": reason.strip(), "recorded_by": by}
        )
        if not created:
            raise TransitionRefused([_("This conflict of interest is already recorded.")])
    return recusal


# -- approval, posting, finality ------------------------------------------------------------------


def minutes_approve(*, meeting: Meeting, by: User) -> Meeting:
    """An adjuster approves the minutes; when both have, the minutes are approved (justerat)."""
    from .. import tasks

    require(by, "workflows.approve_minutes", meeting)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.state != Meeting.State.HELD:
            raise TransitionRefused([_("Only the minutes of a held meeting can be approved.")])
        if not all_items_decided(meeting):
            raise TransitionRefused([refusal(all_items_decided)])
        attendance = meeting.attendances.select_for_update().get(user=by, adjuster=True)
        if attendance.approved_at is not None:
            raise TransitionRefused([_("You have approved these minutes already.")])
        attendance.approved_at = timezone.now()
        attendance.save(update_fields=["approved_at"])
        if _transition_check(meeting, "approve_minutes", by=by).allowed:
            perform_transition(meeting, "approve_minutes", by=by, reason=_("Both adjusters have approved."))
            delay_on_commit(tasks.meeting_documents_make, meeting.pk, by.pk, ["minutes", "extracts"])
            from .signals import minutes_approved

            approved = meeting
            transaction.on_commit(lambda: minutes_approved.send(sender=Meeting, meeting=approved, by=by))
    return meeting


def meeting_post(*, meeting: Meeting, posted_on: dt.date, by: User, kept_at: str = "") -> Meeting:
    """Post the approved minutes (anslag); the appeal period of three weeks starts.

    The minutes are made again with their posting certificate (anslagsbevis), and the case apps
    make the letters of the meeting's decisions now that they can state the last day to appeal.
    """
    from .. import tasks

    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if posted_on > timezone.localdate():
            raise ValidationError(_("The minutes cannot be posted on a future date."))
        if posted_on < timezone.localtime(meeting.starts_at).date():
            raise ValidationError(_("The minutes cannot be posted before the meeting."))
        perform_transition(meeting, "post", by=by, reason=_("Posted on %(date)s") % {"date": posted_on})
        meeting.posted_on = posted_on
        meeting.posted_at = timezone.now()
        meeting.appeal_ends_on = appeal_period_end(posted_on)
        meeting.minutes_kept_at = kept_at.strip()[:200] or minutes_kept_at_default(meeting)
        meeting.save(update_fields=["posted_on", "posted_at", "appeal_ends_on", "minutes_kept_at"])
        delay_on_commit(tasks.meeting_documents_make, meeting.pk, by.pk, ["minutes"])
        from .signals import minutes_posted

        posted = meeting
        transaction.on_commit(lambda: minutes_posted.send(sender=Meeting, meeting=posted, by=by))
    return meeting


def minutes_kept_at_default(meeting: Meeting) -> str:
    """Where the minutes are kept unless the secretary says otherwise: the committee's office."""
    return _("The office of %(committee)s, %(municipality)s") % {
        "committee": meeting.committee.name,
        "municipality": meeting.committee.municipality.name,
    }


def appeal_period_end(posted_on: dt.date) -> dt.date:
    """The last day to appeal: three weeks after posting, moved off a weekend or holiday."""
    return appeals.appeal_period_end(posted_on)


def meeting_make_final(*, meeting: Meeting, by: User) -> Meeting:
    """The appeal period has passed: every decision not under appeal becomes final (laga kraft)."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        perform_transition(meeting, "make_final", by=by, reason=_("The appeal period has passed."))
        now = timezone.now()
        Decision.objects.filter(item__meeting=meeting, final_at=None, annulled=False).exclude(
            appeals__outcome=Appeal.Outcome.PENDING
        ).update(final_at=now)
    return meeting


def meetings_finalise_due(*, today: dt.date | None = None) -> int:
    """The periodic check: make final every posted meeting whose appeal period has passed."""
    today = today or timezone.localdate()
    by = system_user()
    count = 0
    for meeting in Meeting.objects.filter(state=Meeting.State.POSTED, appeal_ends_on__lt=today):
        try:
            meeting_make_final(meeting=meeting, by=by)
        except TransitionRefused:
            continue
        count += 1
    return count


def appeal_register(
    *, item: AgendaItem, appellant: str, lodged_on: dt.date, by: User, kind: str = Appeal.Kind.LEGALITY
) -> Appeal:
    """Register an appeal against an item's decision: it is not final until the appeal is resolved."""
    require(by, "workflows.register_appeal", item)
    with transaction.atomic():
        meeting = Meeting.objects.get(pk=item.meeting_id)
        decision = Decision.objects.select_for_update().filter(item=item).first()
        if decision is None:
            raise TransitionRefused([_("There is no decision to appeal yet.")])
        if meeting.posted_on is None:
            raise TransitionRefused([_("An appeal can be registered once the minutes are posted.")])
        if lodged_on > timezone.localdate():
            raise ValidationError(_("The appeal cannot be lodged on a future date."))
        if lodged_on > meeting.appeal_ends_on:
            raise ValidationError(
                _("The appeal period ended on %(date)s; this appeal came in too late.")
                % {"date": meeting.appeal_ends_on}
            )
        appeal = Appeal.objects.create(
            decision=decision, kind=kind, appellant=appellant, lodged_on=lodged_on, registered_by=by
        )
        if decision.final_at is not None:
            decision.final_at = None
            decision.save(update_fields=["final_at"])
    return appeal


def appeal_resolve(*, appeal: Appeal, outcome: str, resolved_on: dt.date, note: str = "", by: User) -> Appeal:
    """Record how an appeal ended.  Annulled: the decision is void.  Otherwise it stands, and is
    final once the appeal period has passed and no other appeal is pending."""
    item = appeal.decision.item
    require(by, "workflows.register_appeal", item)
    if outcome == Appeal.Outcome.PENDING or outcome not in Appeal.Outcome.values:
        raise ValidationError(_("Choose how the appeal ended."))
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("decision__item__meeting")
            .get(pk=appeal.pk)
        )
        if not appeal.pending:
            raise TransitionRefused([_("This appeal is resolved already.")])
        if resolved_on < appeal.lodged_on:
            raise ValidationError(_("An appeal cannot be resolved before it was lodged."))
        appeal.outcome = outcome
        appeal.resolved_on = resolved_on
        appeal.note = note
        appeal.save(update_fields=["outcome", "resolved_on", "note"])
        decision = appeal.decision
        if outcome == Appeal.Outcome.ANNULLED:
            decision.annulled = True
            decision.final_at = None
            decision.save(update_fields=["annulled", "final_at"])
            from .signals import decision_annulled

            decision_annulled.send(sender=Decision, decision=decision, by=by)
        elif (
            item.meeting.state == Meeting.State.FINAL
            and not decision.annulled
            and not decision.appeals.filter(outcome=Appeal.Outcome.PENDING).exists()
        ):
            decision.final_at = timezone.now()
            decision.save(update_fields=["final_at"])
    return appeal


def case_decision(case) -> Decision | None:
    """The decision that stands for ``case`` (the latest one not annulled), committee or delegated."""
    return (
        Decision.objects.filter(
            content_type=ContentType.objects.get_for_model(case), object_id=case.pk, annulled=False
        )
        .select_related("item__meeting")
        .order_by("-decided_at", "-pk")
        .first()
    )


def decision_may_be_executed(item_or_decision) -> bool:
    """Whether a decision may be executed (e.g. paid out): once the minutes are approved.

    A delegated decision may be executed at once; an annulled one never.
    """
    if isinstance(item_or_decision, AgendaItem):
        decision = Decision.objects.filter(item=item_or_decision).select_related("item__meeting").first()
    else:
        decision = item_or_decision
    if decision is None or decision.annulled:
        return False
    if decision.delegated:
        return True
    return decision.item is not None and decision.item.meeting.minutes_approved


def decision_is_final(item_or_decision) -> bool:
    decision = (
        Decision.objects.filter(item=item_or_decision).first()
        if isinstance(item_or_decision, AgendaItem)
        else item_or_decision
    )
    return bool(decision and decision.final_at and not decision.annulled)


# -- delegated decisions --------------------------------------------------------------------------


def delegation_for(*, user: User, committee, matter: str, amount: Decimal | None, on: dt.date | None = None):
    """The user's valid delegation for ``matter`` that covers ``amount``; DelegationRefused if none."""
    on = on or timezone.localdate()
    delegations = list(
        Delegation.objects.filter(user=user, committee=committee, matter=matter, valid_from__lte=on).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )
    )
    if not delegations:
        raise DelegationRefused(
            [_("You hold no valid delegation to decide this for %(committee)s.") % {"committee": committee}]
        )
    best = max(delegations, key=lambda d: d.max_amount)
    if amount is not None and amount > best.max_amount:
        from ..templatetags.bidra import kr

        raise DelegationRefused(
            [
                _("%(amount)s is above your delegation limit of %(limit)s; the committee decides this.")
                % {"amount": kr(amount), "limit": kr(best.max_amount)}
            ]
        )
    return best


def delegated_decision_record(*, case, decision: DecisionData, by: User) -> Decision:
    """Record a decision made by a delegate outside a meeting, and list it on the committee's
    next meeting for information (anmälan av delegationsbeslut)."""
    adapter = adapter_for(case)
    committee = adapter.committee(case)
    if committee is None or not adapter.matter:
        raise DelegationRefused([_("This kind of case cannot be decided by delegation.")])
    errors = decision.errors()
    if errors:
        raise ValidationError(errors)
    amount = decision.amount if decision.outcome in AMOUNT_OUTCOMES else None
    delegation = delegation_for(user=by, committee=committee, matter=adapter.matter, amount=amount)
    with transaction.atomic():
        case = type(case).objects.select_for_update().get(pk=case.pk)
        if not adapter.proposed_queryset(committee).filter(pk=case.pk).exists():
            raise DelegationRefused([_("The case is not ready for a decision.")])
        record = Decision.objects.create(
            content_type=ContentType.objects.get_for_model(case),
            object_id=case.pk,
            committee=committee,
            delegation=delegation,
            outcome=decision.outcome,
            amount=amount,
            conditions=decision.conditions,
            period_start=decision.period_start,
            period_end=decision.period_end,
            report_due=decision.report_due,
            reasons=decision.reasons,
            decided_by=by,
        )
        _apply([record], by=by)
        meeting = (
            Meeting.objects.filter(
                committee=committee,
                state__in=[Meeting.State.PLANNED, Meeting.State.AGENDA_PUBLISHED],
                starts_at__gte=timezone.now(),
            )
            .order_by("starts_at")
            .first()
        )
        if meeting is not None:
            _list_for_information(meeting=meeting, decision=record, by=by)
    return record


def _list_for_information(*, meeting: Meeting, decision: Decision, by: User) -> AgendaItem:
    case = decision.case
    try:
        adapter = adapter_for(case)
        title, number = adapter.title(case), adapter.case_number(case)
        organisation = adapter.organisation(case)
    except LookupError:
        title, number, organisation = str(case), getattr(case, "case_number", ""), None
    order = meeting.items.aggregate(m=Max("order"))["m"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting,
        kind=AgendaItem.Kind.INFORMATION,
        content_type_id=decision.content_type_id,
        object_id=decision.object_id,
        group=str(_("Delegated decisions reported to the committee")),
        group_no=0,
        order=order + 1,
        title=title[:300],
        case_number=number[:40],
        organisation=organisation,
        proposed_amount=decision.amount,
        proposed_outcome=decision.outcome,
        proposal_text=decision.reasons,
        added_by=by,
    )
    decision.item = item
    decision.save(update_fields=["item"])
    return item
