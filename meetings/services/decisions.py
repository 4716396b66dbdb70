"""Recording decisions and recusals at a meeting, and delegated decisions between meetings.

A decision and the case's own transition (through its ``AgendaAdapter``) commit together;
a recused member takes no part in the item (rule 5); a delegated decision is made only by a
user holding that delegation, below its limit, and is listed for the next meeting (rule 6).
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

from meetings.agenda import adapter_for
from meetings.models import AgendaItem, Decision, Meeting, Recusal
from organizations.models import Delegation, User
from workflows.amounts import amount_clean, labelled
from workflows.queue import delay_on_commit
from workflows.services import TransitionRefused, require
from workflows.statelog import state_logs_batched

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
    from meetings import tasks

    require(by, "meetings.manage_meeting", meeting)
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
        require(by, "meetings.declare_recusal", item)
    else:
        require(by, "meetings.record_recusal", item)
        from ..permissions import serves_committee

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
        from workflows.templatetags.bidra import kr

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
