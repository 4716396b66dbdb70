"""Whom to contact about a decision: the one person (or mailbox) every decision letter names.

Förvaltningslagen asks that a party know whom to turn to.  Every decision letter (a grant, a
dismissal, a reclaim, an award, a partnership and its initiative) shows
``documents/_contact.html`` with the ``LetterContact`` chosen here, so the choice and the wording
are made in one place:

1. the contact the case's own settings name (a program's contact person, a partnership's
   responsible caseworker);
2. otherwise the person who prepared the decision: the official who decided it by delegation, or
   the caseworker who proposed it to the committee (or, without a proposal in the case's history,
   who put it on the agenda);
3. otherwise the committee's registry e-mail;
4. otherwise the committee itself, by name, so that a letter never lacks a contact.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

#: the transitions by which an official prepares a case's decision, for every case type: a proposal to
#: the committee (a grant, a partnership and its renewal, an award's shortlist) or, for an award's
#: candidate the committee does not decide, the caseworker's finding on the award's rules
PROPOSING_TRANSITIONS = ("propose", "propose_renewal", "shortlist", "mark_ineligible", "mark_eligible")


@dataclass(frozen=True)
class LetterContact:
    """What a letter says about whom to contact (shown by ``documents/_contact.html``)."""

    name: str
    email: str = ""
    phone: str = ""
    #: a person (Kontaktperson) rather than the committee or a mailbox (Kontakt)
    person: bool = True
    #: the committee's registry (registratur)
    registry: bool = False

    def __str__(self) -> str:
        """One line, as the ``{contact}`` placeholder of a letter text reads: name, e-mail, phone."""
        return ", ".join(part for part in (self.name, self.email, self.phone) if part)


def _usable(user) -> bool:
    """A person a letter can name: someone with an e-mail address who still works here."""
    return (
        user is not None
        and not getattr(user, "is_system", False)
        and getattr(user, "is_active", True)
        and bool(user.email)
    )


def person_contact(user) -> LetterContact | None:
    """``user`` as a letter's contact, or None for the system or someone who has left."""
    if not _usable(user):
        return None
    return LetterContact(name=user.full_name or user.email, email=user.email, phone=user.phone)


def decision_preparer(*, case, decision=None, proposed_by=None):
    """The official who prepared ``decision`` on ``case``: the delegate who made it; otherwise
    ``proposed_by`` or the last person who proposed it in the case's history; otherwise who put
    it on the committee's agenda.  None when no one but the system took part."""
    from django_fsm_log.models import StateLog

    if decision is not None and decision.delegation_id and _usable(decision.decided_by):
        return decision.decided_by
    if _usable(proposed_by):
        return proposed_by
    if case is not None and case.pk:
        row = (
            StateLog.objects.filter(
                content_type=ContentType.objects.get_for_model(case),
                object_id=case.pk,
                transition__in=PROPOSING_TRANSITIONS,
                by__isnull=False,
            )
            .select_related("by")
            .order_by("-timestamp", "-pk")
            .first()
        )
        if row is not None and _usable(row.by):
            return row.by
    item = getattr(decision, "item", None) if decision is not None and decision.item_id else None
    if item is not None and _usable(item.added_by):
        return item.added_by
    if decision is not None and _usable(decision.decided_by):
        return decision.decided_by
    return None


def letter_contact(
    *,
    committee,
    name: str = "",
    email: str = "",
    phone: str = "",
    case=None,
    decision=None,
    prepared_by=None,
) -> LetterContact:
    """The contact a decision letter names: the one given (``name``, ``email``, ``phone``), else
    the official who prepared the decision (``decision_preparer`` of ``case``, ``decision`` and
    ``prepared_by``), else the committee's registry, else the committee."""
    name, email, phone = name.strip(), email.strip(), phone.strip()
    if name or email or phone:
        return LetterContact(name=name or committee.name, email=email, phone=phone, person=bool(name))
    preparer = decision_preparer(case=case, decision=decision, proposed_by=prepared_by)
    if preparer is not None:
        return person_contact(preparer)
    if committee.registry_email:
        return LetterContact(name=committee.name, email=committee.registry_email, person=False, registry=True)
    return LetterContact(name=f"{committee.name}, {committee.municipality.name}", person=False)
