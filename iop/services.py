"""Changes to partnerships and the compact.  Views, the API, tasks and the meeting engine call these."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from organizations.selectors import organisation_user_emails
from workflows.appeals import LEGALITY, appeal_terms
from workflows.models import StoredDocument
from workflows.services import (
    TransitionRefused,
    case_number_register,
    document_store,
    outbox_enqueue,
    perform_transition,
    require,
    system_user,
    transition_check,
)

from . import conditions
from .models import (
    AgreementVersion,
    Commitment,
    Compact,
    CompactConference,
    CompactEvaluation,
    CompactSignatory,
    Contribution,
    Evaluation,
    FollowUp,
    GroupMember,
    Indicator,
    IndicatorResult,
    Partnership,
    PartnershipPayment,
    Principle,
    Screening,
    SteeringMeeting,
    add_years,
)

INITIATIVE_FIELDS = [
    "title",
    "social_need",
    "proposed_solution",
    "target_group",
    "organisation_brings",
    "municipality_asked",
    "political_goal",
]
EDITABLE_INITIATIVE_STATES = (
    Partnership.State.INITIATIVE,
    Partnership.State.SCREENING,
    Partnership.State.DIALOGUE,
)
DRAFTING_STATES = (Partnership.State.DIALOGUE, Partnership.State.DRAFTING, Partnership.State.EVALUATION)
#: transitions a page or the API may ask for by name; the others need their own service
SIMPLE_TRANSITIONS = {
    "start_screening",
    "start_drafting",
    "propose",
    "withdraw_proposal",
    "activate",
    "start_evaluation",
    "propose_renewal",
    "withdraw_renewal",
    "end",
}


def _locked(partnership: Partnership) -> Partnership:
    return (
        Partnership.objects.select_for_update(of=("self",))
        .select_related("organisation", "committee")
        .get(pk=partnership.pk)
    )


def _fresh(partnership: Partnership) -> Partnership:
    """The partnership as it is in the database now (a caller may hold an older copy)."""
    return Partnership.objects.select_related("organisation", "committee", "approved_version").get(
        pk=partnership.pk
    )


def _link(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _org_emails(organisation) -> list[str]:
    emails = organisation_user_emails(organisation)
    return emails or ([organisation.email] if organisation.email else [])


# -- the initiative -------------------------------------------------------------------------------------


def partnership_initiate(*, organisation, committee, data: dict, by) -> Partnership:
    """Register an initiative: by one of the organisation's users through the portal, or by staff."""
    require(by, "iop.create_partnership_for", organisation)
    if not organisation.activities.filter(municipality_id=committee.municipality_id).exists():
        raise ValidationError(
            _("%(org)s is not active in %(municipality)s.")
            % {"org": organisation.name, "municipality": committee.municipality.name}
        )
    via_portal = organisation.pk in _org_ids(by)
    with transaction.atomic():
        partnership = Partnership.objects.create(
            organisation=organisation,
            committee=committee,
            initiated_by=by,
            via_portal=via_portal,
            **{k: data[k] for k in INITIATIVE_FIELDS},
        )
        case_number_register(
            committee=committee,
            title=_("Partnership initiative: %(title)s (%(org)s)")
            % {"title": partnership.title, "org": organisation.name},
            case=partnership,
            by=by,
        )
        outbox_enqueue(
            key=f"iop:initiative-received:{partnership.pk}",
            to=partnership_initiator_email(partnership),
            subject=_("Your partnership initiative is registered as %(number)s")
            % {"number": partnership.case_number},
            template="iop/email/initiative_received.txt",
            context={"partnership": partnership, "link": _link("iop:detail", pk=partnership.pk)},
        )
    return partnership


def _org_ids(user) -> set[int]:
    from organizations.permissions import active_org_roles

    return set(active_org_roles(user))


def partnership_initiator_email(partnership: Partnership) -> str:
    if partnership.via_portal:
        return partnership.initiated_by.email
    return partnership.organisation.email or partnership.initiated_by.email


def partnership_update_initiative(*, partnership: Partnership, data: dict, by) -> Partnership:
    partnership = _fresh(partnership)
    require(by, "iop.edit_initiative", partnership)
    if partnership.state not in EDITABLE_INITIATIVE_STATES:
        raise TransitionRefused([_("The initiative can no longer be changed.")])
    with transaction.atomic():
        partnership = _locked(partnership)
        for name in INITIATIVE_FIELDS:
            if name in data:
                setattr(partnership, name, data[name])
        partnership.save(update_fields=[n for n in INITIATIVE_FIELDS if n in data])
    return partnership


def partnership_transition(*, partnership: Partnership, name: str, by, reason: str = "") -> Partnership:
    """The steps that need nothing but a click (and maybe a reason)."""
    if name not in SIMPLE_TRANSITIONS:
        raise ValueError(f"{name!r} needs its own service")
    with transaction.atomic():
        partnership = _locked(partnership)
        perform_transition(partnership, name, by=by, reason=reason)
        if name in ("propose", "propose_renewal"):
            agreement_document(version=partnership.latest_version(), by=by)
        if name == "end":
            Partnership.objects.filter(pk=partnership.pk).update(ended_on=timezone.localdate())
    return partnership


# -- screening --------------------------------------------------------------------------------------------


def screening_record(*, partnership: Partnership, answers: dict, by) -> Screening:
    """Record the IOP checklist (answers: field -> bool, field_motivation -> text, state aid details)."""
    partnership = _fresh(partnership)
    require(by, "iop.manage_partnership", partnership)
    if partnership.state != Partnership.State.SCREENING:
        raise TransitionRefused([_("The checklist is filled in while the initiative is being screened.")])
    fields = [n for n, _q in Screening.POINTS]
    fields += [f"{n}_motivation" for n in fields] + ["state_aid_criterion", "de_minimis_amount"]
    if answers.get("state_aid") and not (
        answers.get("state_aid_criterion") or answers.get("de_minimis_amount")
    ):
        raise ValidationError(
            _("Say which state aid criterion is not met, or the de minimis aid used over three years.")
        )
    with transaction.atomic():
        screening, _created = Screening.objects.update_or_create(
            partnership=partnership,
            defaults={
                **{k: answers.get(k) for k in fields if k in answers},
                "screened_by": by,
                "screened_at": timezone.now(),
            },
        )
    return screening


def partnership_screen(*, partnership: Partnership, suitable: bool, by, reason: str = "") -> Partnership:
    """Conclude the screening: on to dialogue, or not suitable with a decision letter to the initiator."""
    with transaction.atomic():
        partnership = _locked(partnership)
        if suitable:
            perform_transition(partnership, "find_suitable", by=by, reason=reason)
            return partnership
        if not reason.strip():
            raise ValidationError(_("Explain why IOP is not the right form: the initiator reads it."))
        partnership.not_suitable_reason = reason
        perform_transition(partnership, "find_not_suitable", by=by, reason=reason)
        letter = document_store(
            subject=partnership,
            kind="not_suitable_letter",
            title=_("Decision: %(title)s is not suitable as an IOP") % {"title": partnership.title},
            template="documents/iop_not_suitable_letter.html",
            context={
                "partnership": partnership,
                "screening": partnership.screening,
                "decided_on": timezone.localdate(),
                "by": by,
            },
            by=by,
        )
        outbox_enqueue(
            key=f"iop:not-suitable:{partnership.pk}",
            to=partnership_initiator_email(partnership),
            subject=_("Decision on your partnership initiative %(number)s")
            % {"number": partnership.case_number},
            template="iop/email/not_suitable.txt",
            context={
                "partnership": partnership,
                "link": _link("iop:document", pk=partnership.pk, doc=letter.pk),
            },
        )
    return partnership


# -- the agreement -----------------------------------------------------------------------------------------


def agreement_save_version(
    *,
    partnership: Partnership,
    data: dict,
    contributions: list[dict],
    indicators: list[dict],
    members: list[dict],
    by,
) -> AgreementVersion:
    """Keep a new version of the agreement; earlier versions stay as they were."""
    partnership = _fresh(partnership)
    require(by, "iop.draft_agreement", partnership)
    if partnership.state not in DRAFTING_STATES:
        raise TransitionRefused([_("The agreement is written during dialogue, drafting or renewal.")])
    texts = {k: data.get(k) or "" for k in [*AgreementVersion.SECTIONS, "note"]}
    with transaction.atomic():
        partnership = _locked(partnership)
        latest = partnership.latest_version()
        version = AgreementVersion.objects.create(
            partnership=partnership,
            number=(latest.number + 1) if latest else 1,
            created_by=by,
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
            notice_months=data.get("notice_months") or 6,
            **texts,
        )
        Contribution.objects.bulk_create(Contribution(version=version, **row) for row in contributions)
        Indicator.objects.bulk_create(Indicator(version=version, **row) for row in indicators)
        GroupMember.objects.bulk_create(GroupMember(version=version, **row) for row in members)
    return version


def agreement_document(*, version: AgreementVersion, by) -> StoredDocument:
    """The agreement as a PDF/A document (a new document version whenever its content changed)."""
    partnership = version.partnership
    return document_store(
        subject=partnership,
        kind="agreement",
        title=_("IOP agreement %(title)s, version %(n)s") % {"title": partnership.title, "n": version.number},
        template="documents/iop_agreement.html",
        context={
            "partnership": partnership,
            "version": version,
            "contributions": list(version.contributions.all()),
            "indicators": list(version.indicators.all()),
            "members": list(version.members.all()),
            "totals": version.totals(),
        },
        by=by,
    )


# -- the decision and signing ----------------------------------------------------------------------------


def decision_facts(decision) -> dict:
    """Where and how a partnership was decided: at a committee meeting (its agenda item) or by a
    delegate.  A decision with neither is refused: no one records a partnership decision
    with a button of its own."""
    item = getattr(decision, "item", None)
    if item is not None:
        reference = f"{item.meeting} § {item.order}"
    elif getattr(decision, "delegation_id", None):
        reference = _("Delegated decision")
    else:
        raise ValidationError(
            _(
                "A partnership is decided by the committee at a meeting (on its agenda) "
                "or by a delegate on the page for delegated decisions."
            )
        )
    decided_at = getattr(decision, "decided_at", None)
    return {
        "approved": decision.outcome in ("granted", "partly_granted"),
        "decided_on": timezone.localdate(decided_at) if decided_at else timezone.localdate(),
        "reference": reference,
        "reason": decision.reasons or "",
    }


def partnership_decide(*, partnership: Partnership, decision, by) -> Partnership:
    """Record the decision on the proposed agreement: the committee's at a meeting or a delegate's.

    Called by the meeting engine (``PartnershipAgendaAdapter.apply_decision``) inside the
    transaction that records ``decision``; the letter is made after it commits.
    """
    require(by, "iop.decide_partnership", partnership)
    facts = decision_facts(decision)
    approved = facts["approved"]
    with transaction.atomic():
        partnership = _locked(partnership)
        partnership.decision_reference = facts["reference"][:300]
        partnership.decided_on = facts["decided_on"]
        partnership.decision_reason = facts["reason"]
        partnership.decision_approved = approved
        if approved:
            partnership.approved_version = partnership.latest_version()
        perform_transition(
            partnership,
            "approve" if approved else "reject",
            by=by,
            reason=facts["reason"] or facts["reference"],
        )
        for email in _org_emails(partnership.organisation):
            outbox_enqueue(
                key=f"iop:decided:{partnership.pk}:{email}",
                to=email,
                subject=_("The committee has decided on the partnership %(title)s")
                % {"title": partnership.title},
                template="iop/email/decided.txt",
                context={"partnership": partnership, "link": _link("iop:detail", pk=partnership.pk)},
            )
    return partnership


def partnership_sign(
    *, partnership: Partnership, party: str, signatory: str, signed_on: date, by
) -> Partnership:
    """Record one party's signature; when both have signed the partnership is signed."""
    partnership = _fresh(partnership)
    perm = "iop.sign_for_municipality" if party == "municipality" else "iop.sign_for_organisation"
    require(by, perm, partnership)
    if partnership.state != Partnership.State.APPROVED:
        raise TransitionRefused([_("The agreement is signed after the committee has approved it.")])
    if not signatory.strip():
        raise ValidationError(_("Give the name of the person who signed."))
    with transaction.atomic():
        partnership = _locked(partnership)
        if party == "municipality":
            partnership.municipality_signatory, partnership.municipality_signed_on = signatory, signed_on
            partnership.save(update_fields=["municipality_signatory", "municipality_signed_on"])
        else:
            partnership.organisation_signatory, partnership.organisation_signed_on = signatory, signed_on
            partnership.save(update_fields=["organisation_signatory", "organisation_signed_on"])
        if partnership.signed_by_both:
            perform_transition(
                partnership,
                "sign",
                by=by,
                reason=_("Signed by %(m)s (%(md)s) and %(o)s (%(od)s)")
                % {
                    "m": partnership.municipality_signatory,
                    "md": partnership.municipality_signed_on,
                    "o": partnership.organisation_signatory,
                    "od": partnership.organisation_signed_on,
                },
            )
            agreement_document(version=partnership.approved_version, by=by)
    return partnership


def partnership_terminate(*, partnership: Partnership, reason: str, by) -> Partnership:
    with transaction.atomic():
        partnership = _locked(partnership)
        partnership.termination_reason = reason
        perform_transition(partnership, "terminate", by=by, reason=reason)
        Partnership.objects.filter(pk=partnership.pk).update(ended_on=timezone.localdate())
        for email in _org_emails(partnership.organisation):
            outbox_enqueue(
                key=f"iop:terminated:{partnership.pk}:{email}",
                to=email,
                subject=_("The partnership %(title)s has been terminated") % {"title": partnership.title},
                template="iop/email/terminated.txt",
                context={"partnership": partnership, "reason": reason},
            )
    return partnership


# -- while active ------------------------------------------------------------------------------------------


def steering_meeting_record(
    *, partnership: Partnership, held_on: date, attendees: str, notes: str, by
) -> SteeringMeeting:
    partnership = _fresh(partnership)
    require(by, "iop.record_follow_up", partnership)
    if partnership.state not in Partnership.RUNNING:
        raise TransitionRefused([_("Steering group meetings are recorded while the partnership runs.")])
    return SteeringMeeting.objects.create(
        partnership=partnership, held_on=held_on, attendees=attendees, notes=notes, recorded_by=by
    )


def follow_up_record(
    *,
    partnership: Partnership,
    year: int,
    contributions_made: str,
    joint_assessment: str,
    results: dict[int, tuple[Decimal, str]],
    by,
) -> FollowUp:
    """Record the yearly follow-up: indicators planned vs achieved, contributions made, a joint assessment."""
    partnership = _fresh(partnership)
    require(by, "iop.record_follow_up", partnership)
    if partnership.state not in Partnership.RUNNING or partnership.state == Partnership.State.SIGNED:
        raise TransitionRefused([_("The yearly follow-up is made while the partnership is active.")])
    if year not in partnership.term_years():
        raise ValidationError(_("Year %(year)s is not a year of the term.") % {"year": year})
    with transaction.atomic():
        partnership = _locked(partnership)
        follow_up, _created = FollowUp.objects.update_or_create(
            partnership=partnership,
            term_start=partnership.term_start,
            year=year,
            defaults={
                "due_on": partnership.follow_up_due_on(year),
                "contributions_made": contributions_made,
                "joint_assessment": joint_assessment,
                "recorded_by": by,
                "recorded_at": timezone.now(),
            },
        )
        follow_up.results.all().delete()
        indicators = {i.pk: i for i in partnership.approved_version.indicators.all()}
        IndicatorResult.objects.bulk_create(
            IndicatorResult(
                follow_up=follow_up,
                indicator=indicators[pk],
                planned=indicators[pk].target,
                achieved=achieved,
                comment=comment,
            )
            for pk, (achieved, comment) in results.items()
            if pk in indicators
        )
        # Nothing needs a person once the follow-up that was due is made: the partnership runs on.
        system = system_user()
        if (
            partnership.state == Partnership.State.FOLLOW_UP_DUE
            and transition_check(partnership, "complete_follow_up", by=system).allowed
        ):
            perform_transition(
                partnership,
                "complete_follow_up",
                by=system,
                reason=_("Follow-up of year %(year)s recorded by %(name)s")
                % {"year": year, "name": by.full_name or by.email},
            )
    return follow_up


def evaluation_record(
    *, partnership: Partnership, summary: str, lessons: str, proposal: str, by
) -> Evaluation:
    partnership = _fresh(partnership)
    require(by, "iop.record_follow_up", partnership)
    if partnership.state != Partnership.State.EVALUATION:
        raise TransitionRefused([_("The evaluation is recorded in the final year, once it has started.")])
    evaluation, _created = Evaluation.objects.update_or_create(
        partnership=partnership,
        term_end=partnership.term_end,
        defaults={"summary": summary, "lessons": lessons, "proposal": proposal, "recorded_by": by},
    )
    return evaluation


def partnership_decide_renewal(*, partnership: Partnership, decision, by) -> Partnership:
    """Record the decision on the proposed renewal (at a meeting or by a delegate).

    Approved: renewed with the newest agreement version and its term, active again once the new
    term starts.  Refused: back to the evaluation, from where the partnership ends with its term.
    """
    require(by, "iop.decide_partnership", partnership)
    facts = decision_facts(decision)
    approved, reference, reason = facts["approved"], facts["reference"][:300], facts["reason"]
    decided_on = facts["decided_on"]
    with transaction.atomic():
        partnership = _locked(partnership)
        partnership.renewal_approved = approved
        partnership.renewal_reference = reference.strip()
        partnership.renewal_decided_on = decided_on
        partnership.renewal_reason = reason
        if approved:
            new_version = partnership.latest_version()
            perform_transition(partnership, "renew", by=by, reason=reason or reference)
            partnership.approved_version = new_version
            partnership.save(update_fields=["approved_version"])
            agreement_document(version=new_version, by=by)
        else:
            perform_transition(partnership, "refuse_renewal", by=by, reason=reason or reference)
        for email in _org_emails(partnership.organisation):
            outbox_enqueue(
                key=f"iop:renewal-decided:{partnership.pk}:{partnership.term_end}:{email}",
                to=email,
                subject=_("The decision on renewing the partnership %(title)s")
                % {"title": partnership.title},
                template="iop/email/renewal_decided.txt",
                context={"partnership": partnership, "link": _link("iop:detail", pk=partnership.pk)},
            )
    return partnership


def decision_letter_make(*, partnership: Partnership, decision, by) -> StoredDocument:
    """The letter of a decision on the partnership (its agreement or a renewal), with how to appeal.

    Made when the decision is recorded, and made again (a new version) when the minutes of the
    meeting are posted, so that it states the last day to appeal.
    """
    partnership = _fresh(partnership)
    decided_on = timezone.localdate(decision.decided_at)
    renewal = bool(partnership.renewal_decided_on) and decided_on >= partnership.renewal_decided_on
    # a delegated decision's item is its report to the committee, whose posted minutes count
    reported_at = decision.item.meeting if decision.item_id else None
    meeting = reported_at if not decision.delegation_id else None
    version = partnership.approved_version if decision.outcome == "granted" else partnership.latest_version()
    with translation.override("sv"):
        return document_store(
            subject=partnership,
            kind=f"decision_letter_{decision.pk}",
            title=(
                _("Decision on renewing the partnership %(title)s")
                if renewal
                else _("Decision on the partnership %(title)s")
            )
            % {"title": partnership.title},
            template="documents/iop_decision_letter.html",
            context={
                "partnership": partnership,
                "decision": decision,
                "renewal": renewal,
                "approved": decision.outcome in ("granted", "partly_granted"),
                "version": version,
                "totals": version.totals() if version else None,
                "committee": partnership.committee,
                "municipality": partnership.committee.municipality,
                "decided_on": decided_on,
                "meeting": meeting,
                "appeal": appeal_terms(
                    kind=LEGALITY,
                    court="",
                    committee=partnership.committee,
                    case_number=partnership.case_number,
                    decided_on=decided_on,
                    delegated=decision.delegated,
                    meeting=reported_at,
                    reported=decision.delegated,
                    new_letter_at_posting=True,
                ),
            },
            by=by,
        )


def decision_letters_for_meeting(*, meeting, by) -> list[StoredDocument]:
    """Once the minutes are posted: the letters of the meeting's partnership decisions, with the
    last day to appeal (a new version of each letter made before)."""
    from django.contrib.contenttypes.models import ContentType

    from workflows.meetings_models import Decision

    content_type = ContentType.objects.get_for_model(Partnership)
    letters = []
    for decision in Decision.objects.filter(item__meeting=meeting, content_type=content_type).select_related(
        "item__meeting"
    ):
        partnership = Partnership.objects.filter(pk=decision.object_id).first()
        if partnership is not None:
            letters.append(decision_letter_make(partnership=partnership, decision=decision, by=by))
    return letters


def payment_plan(*, partnership: Partnership, period: str, amount: Decimal, by) -> PartnershipPayment:
    """Plan a payment of the municipality's money contribution for one period."""
    partnership = _fresh(partnership)
    require(by, "iop.pay_partnership", partnership)
    if partnership.state not in (Partnership.State.APPROVED, *Partnership.RUNNING):
        raise TransitionRefused([_("Payments are planned once the committee has approved the agreement.")])
    if amount is None or amount <= 0:
        raise ValidationError(_("The amount must be more than 0 kr."))
    if partnership.payments.filter(period=period).exists():
        raise ValidationError(_("A payment for %(period)s is already planned.") % {"period": period})
    return PartnershipPayment.objects.create(
        partnership=partnership, period=period, amount=amount, created_by=by
    )


def payment_pay(*, payment: PartnershipPayment, by, paid_on: date | None = None) -> PartnershipPayment:
    """Mark paid: only to the organisation's registered account, only once the agreement is signed."""
    with transaction.atomic():
        payment = (
            PartnershipPayment.objects.select_for_update(of=("self",))
            .select_related("partnership__organisation", "partnership__committee")
            .get(pk=payment.pk)
        )
        organisation = payment.partnership.organisation
        perform_transition(
            payment,
            "pay",
            by=by,
            reason=_("Paid to %(account)s") % {"account": organisation.account_display},
        )
        payment.account_type = organisation.account_type
        payment.account_number = organisation.account_number
        payment.paid_on = paid_on or timezone.localdate()
        payment.save(update_fields=["account_type", "account_number", "paid_on"])
    return payment


# -- what the periodic task does ---------------------------------------------------------------------------


def partnerships_advance(*, today: date | None = None) -> dict:
    """Start partnerships whose term has begun, mark follow-ups due and remind once of each.

    Safe to run any number of times: transitions only happen from the state
    they start in, and each reminder's outbox key is the partnership, the year and the kind.
    """
    today = today or timezone.localdate()
    system = system_user()
    done = {"activated": 0, "follow_up_due": 0, "reminders": 0}
    running = Partnership.objects.filter(state__in=Partnership.RUNNING).select_related(
        "organisation", "committee", "approved_version", "initiated_by"
    )
    for partnership in running:
        with transaction.atomic():
            if partnership.state in (
                Partnership.State.SIGNED,
                Partnership.State.RENEWED,
            ) and conditions.term_started(partnership):
                perform_transition(partnership, "activate", by=system, reason=_("The term has started"))
                done["activated"] += 1
            if partnership.state == Partnership.State.ACTIVE and conditions.follow_up_outstanding(
                partnership
            ):
                perform_transition(
                    partnership, "require_follow_up", by=system, reason=_("The yearly follow-up is due")
                )
                done["follow_up_due"] += 1
            for year in conditions.outstanding_years(partnership, today):
                due_on = partnership.follow_up_due_on(year)
                kind = "overdue" if due_on < today else "due"
                for_kind = follow_up_reminder(partnership=partnership, year=year, kind=kind, due_on=due_on)
                done["reminders"] += int(for_kind)
    return done


def follow_up_reminder(*, partnership: Partnership, year: int, kind: str, due_on: date) -> bool:
    """One reminder per partnership, term year and kind ("due" or "overdue"); True when written now."""
    from workflows.models import OutboxMessage

    key = f"iop:follow-up:{partnership.pk}:{year}:{kind}"
    if OutboxMessage.objects.filter(key=key).exists():
        return False
    recipients = _org_emails(partnership.organisation)
    to = partnership.organisation.email or (recipients[0] if recipients else "")
    message = outbox_enqueue(
        key=key,
        to=to,
        subject=(
            _("Reminder: the yearly follow-up of %(title)s is due on %(date)s")
            if kind == "due"
            else _("The yearly follow-up of %(title)s was due on %(date)s")
        )
        % {"title": partnership.title, "date": due_on.isoformat()},
        template="iop/email/follow_up_reminder.txt",
        context={
            "partnership": partnership,
            "year": year,
            "due_on": due_on,
            "overdue": kind == "overdue",
            "link": _link("iop:follow_up", pk=partnership.pk, year=year),
        },
    )
    return message is not None


# -- the compact -------------------------------------------------------------------------------------------


def compact_create(
    *,
    municipality,
    title: str,
    text: str,
    principles: dict[str, str],
    by,
    term_years: int = 4,
    renewal_rule: str = Compact.RenewalRule.AUTOMATIC,
) -> Compact:
    """A draft compact for the municipality, with the six principles in their local wording."""
    draft = Compact(
        municipality=municipality, title=title, text=text, term_years=term_years, renewal_rule=renewal_rule
    )
    require(by, "iop.manage_compact", draft)
    with transaction.atomic():
        if Compact.objects.select_for_update().filter(municipality=municipality).exists():
            raise ValidationError(_("%(m)s already has a compact.") % {"m": municipality.name})
        draft.save()
        Principle.objects.bulk_create(
            Principle(compact=draft, key=key, wording=principles.get(key, "")) for key in Principle.Key.values
        )
    return draft


def compact_update(
    *,
    compact: Compact,
    title: str,
    text: str,
    principles: dict[str, str],
    term_years: int,
    renewal_rule: str,
    by,
) -> Compact:
    """Change a draft compact's text, the local wording of its principles, its term and renewal rule.

    Once adopted, the text is what the council decided: a change is a new decision, not an edit.
    """
    require(by, "iop.manage_compact", compact)
    with transaction.atomic():
        compact = Compact.objects.select_for_update().get(pk=compact.pk)
        if compact.state != Compact.State.DRAFT:
            raise ValidationError(
                _("The compact is adopted: its text changes only by a new decision, not by editing.")
            )
        compact.title = title
        compact.text = text
        compact.term_years = term_years
        compact.renewal_rule = renewal_rule
        compact.save(update_fields=["title", "text", "term_years", "renewal_rule"])
        for principle in compact.principles.all():
            wording = principles.get(principle.key, "")
            if wording != principle.wording:
                principle.wording = wording
                principle.save(update_fields=["wording"])
    return compact


def compact_adopt(
    *, compact: Compact, by, adopted_on: date, reference: str, term_years: int | None = None
) -> Compact:
    """Record the adopting decision; the compact is in force for its term (four years by default)."""
    require(by, "iop.decide_compact", compact)
    if not reference.strip():
        raise ValidationError(_("Give the adopting decision's reference."))
    with transaction.atomic():
        compact = Compact.objects.select_for_update().get(pk=compact.pk)
        compact.adopted_on = adopted_on
        compact.adoption_reference = reference.strip()
        compact.term_years = term_years or compact.term_years
        compact.term_start = adopted_on
        compact.term_end = add_years(adopted_on, compact.term_years)
        perform_transition(compact, "adopt", by=by, reason=reference)
    return compact


def compact_record_renewal_decision(
    *, compact: Compact, renew: bool, decided_on: date, reference: str, by
) -> Compact:
    """A decision about the coming renewal; without one the renewal rule applies."""
    require(by, "iop.decide_compact", compact)
    if not reference.strip():
        raise ValidationError(_("Give the decision's reference."))
    Compact.objects.filter(pk=compact.pk).update(
        renewal_decision="renew" if renew else "end",
        renewal_decision_reference=reference.strip(),
        renewal_decided_on=decided_on,
    )
    compact.refresh_from_db()
    return compact


def compacts_renew_due(*, today: date | None = None) -> list[Compact]:
    """At the end of its term a compact is renewed for the same term, unless a decision says otherwise.

    Run by the periodic task as the system user; running it twice changes nothing more.
    """
    today = today or timezone.localdate()
    system = system_user()
    changed = []
    for compact in Compact.objects.filter(state=Compact.State.IN_FORCE, term_end__lte=today):
        with transaction.atomic():
            compact = Compact.objects.select_for_update().get(pk=compact.pk)
            while compact.state == Compact.State.IN_FORCE and compact.term_end <= today:
                if compact.will_renew:
                    start = compact.term_end
                    perform_transition(
                        compact,
                        "renew",
                        by=system,
                        reason=_("Renewed for %(years)s years from %(start)s under the renewal rule")
                        % {"years": compact.term_years, "start": start.isoformat()},
                    )
                    compact.term_start = start
                    compact.term_end = add_years(start, compact.term_years)
                    compact.renewal_decision = ""
                    compact.renewal_decision_reference = ""
                    compact.renewal_decided_on = None
                    compact.save()
                else:
                    perform_transition(
                        compact,
                        "expire",
                        by=system,
                        reason=_("Ended at the end of its term: %(reference)s")
                        % {"reference": compact.renewal_decision_reference},
                    )
            changed.append(compact)
    return changed


def compact_join(*, compact: Compact, organisation, by, joined_on: date | None = None) -> CompactSignatory:
    require(by, "iop.sign_compact_for", organisation)
    if compact.state != Compact.State.IN_FORCE:
        raise TransitionRefused([_("Organisations join the compact once it is in force.")])
    if compact.signatories.filter(organisation=organisation, left_on=None).exists():
        raise ValidationError(_("%(org)s has already joined the compact.") % {"org": organisation.name})
    return CompactSignatory.objects.create(
        compact=compact, organisation=organisation, joined_on=joined_on or timezone.localdate(), joined_by=by
    )


def compact_leave(*, compact: Compact, organisation, by, left_on: date | None = None) -> CompactSignatory:
    require(by, "iop.sign_compact_for", organisation)
    with transaction.atomic():
        signatory = (
            compact.signatories.select_for_update().filter(organisation=organisation, left_on=None).first()
        )
        if signatory is None:
            raise ValidationError(_("%(org)s has not joined the compact.") % {"org": organisation.name})
        signatory.left_on = left_on or timezone.localdate()
        signatory.left_by = by
        signatory.save(update_fields=["left_on", "left_by"])
    return signatory


def commitment_add(*, compact: Compact, side: str, text: str, owner: str, due_on: date, by) -> Commitment:
    require(by, "iop.manage_compact", compact)
    return Commitment.objects.create(compact=compact, side=side, text=text, owner=owner, due_on=due_on)


def commitment_set_status(*, commitment: Commitment, status: str, by) -> Commitment:
    require(by, "iop.manage_compact", commitment.compact)
    if status not in Commitment.Status.values:
        raise ValidationError(_("Unknown status."))
    commitment.status = status
    commitment.save(update_fields=["status"])
    return commitment


def conference_record(
    *,
    compact: Compact,
    held_on: date,
    municipality_report: str,
    organisations_report: str,
    conclusions: str,
    by,
) -> CompactConference:
    require(by, "iop.manage_compact", compact)
    return CompactConference.objects.create(
        compact=compact,
        held_on=held_on,
        municipality_report=municipality_report,
        organisations_report=organisations_report,
        conclusions=conclusions,
        recorded_by=by,
    )


def compact_evaluation_record(
    *, compact: Compact, evaluated_on: date, findings: str, next_steps: str, by, upload=None
) -> CompactEvaluation:
    """Record the evaluation of the compact's current term (made again: the record is replaced)."""
    from organizations.services import document_check_upload

    require(by, "iop.manage_compact", compact)
    if compact.state != Compact.State.IN_FORCE or not compact.term_start:
        raise TransitionRefused([_("The compact is evaluated while it is in force.")])
    if not findings.strip() or not next_steps.strip():
        raise ValidationError(_("Write what the evaluation found and the next steps decided."))
    defaults = {
        "evaluated_on": evaluated_on,
        "findings": findings.strip(),
        "next_steps": next_steps.strip(),
        "recorded_by": by,
        "recorded_at": timezone.now(),
    }
    if upload is not None:
        defaults["content_type"] = document_check_upload(upload)
        defaults["original_name"] = upload.name[:200]
    with transaction.atomic():
        evaluation, _created = CompactEvaluation.objects.update_or_create(
            compact=compact, term_start=compact.term_start, defaults=defaults
        )
        if upload is not None:
            evaluation.file.save(upload.name, upload, save=True)
    return evaluation


def compact_manager_emails(compact: Compact) -> list[str]:
    """Who manages the compact: the caseworkers and program administrators of its municipality."""
    from organizations.models import StaffRole, User

    return list(
        User.objects.filter(
            is_active=True,
            staff_roles__municipality_id=compact.municipality_id,
            staff_roles__role__in=[StaffRole.Role.CASEWORKER, StaffRole.Role.PROGRAM_ADMIN],
        )
        .values_list("email", flat=True)
        .distinct()
        .order_by("email")
    )


def compacts_remind_evaluation(*, today: date | None = None) -> int:
    """Some weeks before a compact's evaluation is due, remind its managers once per term.

    Run by the periodic task; each reminder's outbox key is the compact, the term and the person.
    """
    from workflows.models import OutboxMessage

    today = today or timezone.localdate()
    written = 0
    for compact in Compact.objects.filter(
        state=Compact.State.IN_FORCE, term_end__isnull=False
    ).select_related("municipality"):
        due_on = compact.evaluation_due_on
        if today < due_on - Compact.EVALUATION_NOTICE or compact.current_evaluation() is not None:
            continue
        for email in compact_manager_emails(compact):
            key = f"iop:compact-evaluation:{compact.pk}:{compact.term_start}:{email}"
            if OutboxMessage.objects.filter(key=key).exists():
                continue
            outbox_enqueue(
                key=key,
                to=email,
                subject=_("The evaluation of %(title)s is due on %(date)s")
                % {"title": compact.title, "date": due_on.isoformat()},
                template="iop/email/compact_evaluation_reminder.txt",
                context={
                    "compact": compact,
                    "due_on": due_on,
                    "link": _link("iop:compact_evaluation", slug=compact.municipality.slug),
                },
            )
            written += 1
    return written


__all__ = ["PermissionDenied", "TransitionRefused", "ValidationError"]
