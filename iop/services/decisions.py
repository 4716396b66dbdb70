"""The committee's decisions on a partnership and its renewal, signing, ending, and decision letters.

A decision moves the partnership by its own logged transition in the transaction that records
the decision; a letter is a stored document made once per decision, after commit.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings.appeals import LEGALITY, appeal_terms
from workflows.models import StoredDocument
from workflows.services import (
    TransitionRefused,
    document_store,
    outbox_enqueue,
    perform_transition,
    require,
)

from ..models import (
    Partnership,
)
from .partnerships import _fresh, _link, _locked, _org_emails, agreement_document, partnership_letter_contact

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
                "contact": partnership_letter_contact(partnership=partnership, decision=decision),
            },
            by=by,
        )


def decision_letters_for_meeting(*, meeting, by) -> list[StoredDocument]:
    """Once the minutes are posted: the letters of the meeting's partnership decisions, with the
    last day to appeal (a new version of each letter made before)."""
    from django.contrib.contenttypes.models import ContentType

    from meetings.models import Decision

    content_type = ContentType.objects.get_for_model(Partnership)
    letters = []
    for decision in Decision.objects.filter(item__meeting=meeting, content_type=content_type).select_related(
        "item__meeting"
    ):
        partnership = Partnership.objects.filter(pk=decision.object_id).first()
        if partnership is not None:
            letters.append(decision_letter_make(partnership=partnership, decision=decision, by=by))
    return letters
