"""A partnership from the organisation's initiative through screening to the agreement's versions.

Only someone acting for the organisation edits an initiative, and only while it may be edited;
screening and each step are logged transitions; an agreement version, once saved, is not
changed (a change is a new version).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from organizations.selectors import organisation_user_emails
from workflows.models import StoredDocument
from workflows.services import (
    TransitionRefused,
    case_number_register,
    document_store,
    outbox_enqueue,
    perform_transition,
    require,
)

from ..models import (
    AgreementVersion,
    Contribution,
    GroupMember,
    Indicator,
    Partnership,
    Screening,
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


def partnership_letter_contact(*, partnership: Partnership, decision=None, prepared_by=None):
    """Whom a letter on the partnership names as the contact: its responsible caseworker (who
    screened the initiative), else who prepared the decision, else the committee's registry
    (``meetings.contacts.letter_contact``)."""
    from meetings.contacts import letter_contact, person_contact

    screening = Screening.objects.filter(partnership=partnership).select_related("screened_by").first()
    responsible = person_contact(screening.screened_by) if screening is not None else None
    if responsible is not None:
        return responsible
    return letter_contact(
        committee=partnership.committee, case=partnership, decision=decision, prepared_by=prepared_by
    )


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
        with translation.override("sv"):  # a letter is written in Swedish, like every decision letter
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
                    "contact": partnership_letter_contact(partnership=partnership, prepared_by=by),
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
