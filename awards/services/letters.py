"""Award letters and diplomas, made when the minutes are posted, and the announcement."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from grants.letters import program_letter_contact
from grants.models import Program, Round
from meetings.appeals import appeal_terms
from organizations.selectors import organisation_user_emails
from workflows.services import (
    TransitionRefused,
    document_store,
    outbox_enqueue,
    perform_transition,
    require,
)

from ..models import Candidate
from ..selectors import nominator_addresses
from .jury import SETTLED

C = Candidate.State
LANGUAGE = "sv"  # letters, diplomas and e-mails to nominators are written in Swedish


# ---- letters, made when the minutes are posted ----

LETTER_KIND = "award_letter"
DIPLOMA_KIND = "award_diploma"


def _meeting_candidates(meeting) -> list[Candidate]:
    """The candidates decided at the meeting (or reported to it, when decided by delegation) and,
    for every round the meeting settled, the round's other candidates, which get their letter
    with the same appeal period."""
    from django.contrib.contenttypes.models import ContentType

    from meetings.models import Decision
    from workflows.models import StoredDocument

    decided = set(
        Decision.objects.filter(
            item__meeting=meeting,
            content_type=ContentType.objects.get_for_model(Candidate),
            annulled=False,
        ).values_list("object_id", flat=True)
    )
    rounds = set(Candidate.objects.filter(pk__in=decided).values_list("round_id", flat=True))
    settled_rounds = [
        r for r in rounds if not Candidate.objects.filter(round_id=r, state__in=[C.SHORTLISTED]).exists()
    ]
    others = set(
        Candidate.objects.filter(round_id__in=settled_rounds, state__in=[C.NOT_AWARDED, C.INELIGIBLE])
        .exclude(pk__in=decided)
        .values_list("pk", flat=True)
    )
    lettered = set(
        StoredDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(Candidate), object_id__in=others, kind=LETTER_KIND
        ).values_list("object_id", flat=True)
    )
    ids = decided | (others - lettered)
    return list(
        Candidate.objects.filter(pk__in=ids)
        .select_related(
            "round__program__municipality", "round__program__committee", "organisation", "application"
        )
        .order_by("round_id", "name", "pk")
    )


def award_letters_make(*, meeting, by) -> int:
    """The minutes are posted: a decision letter with appeal instructions to every candidate the
    meeting decided (and the diploma to each recipient).  Safe to run again: an unchanged letter
    is the same stored version and is not e-mailed twice."""
    from meetings.models import Meeting

    meeting = Meeting.objects.select_related("committee__municipality").get(pk=meeting.pk)
    if meeting.posted_on is None:
        raise TransitionRefused([_("The letters are made when the minutes are posted.")])
    made = 0
    for candidate in _meeting_candidates(meeting):
        award_documents_make(candidate=candidate, meeting=meeting, by=by)
        made += 1
    return made


def award_documents_make(*, candidate: Candidate, by, meeting=None) -> dict:
    """The decision letter (and, for a recipient, the diploma), as PDF/A; unchanged ones are kept.

    ``meeting`` is the meeting whose posted minutes start the appeal period; without it, the
    meeting of the candidate's own decision.
    """
    from meetings.services import case_decision

    candidate = Candidate.objects.select_related(
        "round__program__municipality", "round__program__committee", "organisation", "application__created_by"
    ).get(pk=candidate.pk)
    if candidate.state not in SETTLED:
        raise TransitionRefused([_("The letter is made once the committee has decided the award.")])
    program = candidate.round.program
    decision = case_decision(candidate)
    if meeting is None and decision is not None and decision.item_id:
        meeting = decision.item.meeting
    if meeting is None or meeting.posted_on is None:
        raise TransitionRefused([_("The letters are made when the minutes are posted.")])
    if candidate.is_awarded:
        outcome = "awarded"
    elif candidate.state == C.INELIGIBLE:
        outcome = "ineligible"
    elif decision is None:
        outcome = "not_shortlisted"
    else:
        outcome = "not_awarded"
    recipients = list(
        Candidate.objects.filter(round=candidate.round, state__in=Candidate.AWARDED_STATES)
        .order_by("name")
        .values_list("name", flat=True)
    )
    with translation.override(LANGUAGE):
        context = {
            "candidate": candidate,
            "program": program,
            "municipality": program.municipality,
            "committee": program.committee,
            "year": candidate.round.year,
            "decision": decision,
            "meeting": meeting,
            "decided_on": timezone.localtime(meeting.starts_at).date(),
            "posted_on": meeting.posted_on,
            "appeal_ends_on": meeting.appeal_ends_on,
            "appeal_court": program.appeal_court,
            # an award is reviewed for legality only, counted from the posting of ``meeting``
            "appeal": appeal_terms(
                kind="legality",
                court=program.appeal_court,
                committee=program.committee,
                case_number=candidate.case_number,
                decided_on=(
                    timezone.localtime(decision.decided_at).date()
                    if decision
                    else timezone.localtime(meeting.starts_at).date()
                ),
                delegated=bool(decision and decision.delegated),
                meeting=meeting,
            ),
            "outcome": outcome,
            "recipients": recipients,
            "made_at": meeting.posted_on,
            # an award is a program: its contact person, else who prepared the decision
            "contact": program_letter_contact(program=program, case=candidate, decision=decision),
        }
        if candidate.is_awarded:
            title = _("Award letter %(number)s") % {"number": candidate.case_number}
        else:
            title = _("Decision on %(award)s %(year)s: %(number)s") % {
                "award": program.name,
                "year": candidate.round.year,
                "number": candidate.case_number,
            }
        documents = {
            LETTER_KIND: document_store(
                subject=candidate,
                kind=LETTER_KIND,
                title=title,
                template="documents/awards/award_letter.html",
                context=context,
                by=by,
            )
        }
        if candidate.is_awarded:
            documents[DIPLOMA_KIND] = document_store(
                subject=candidate,
                kind=DIPLOMA_KIND,
                title=_("Diploma: %(award)s %(year)s")
                % {"award": program.name, "year": candidate.round.year},
                template="documents/awards/diploma.html",
                context=context,
                by=by,
            )
        _award_letter_notify(candidate=candidate, letter=documents[LETTER_KIND], context=context)
    return documents


def _award_letter_notify(*, candidate: Candidate, letter, context: dict) -> None:
    """Tell the candidate organisation (and the one who applied for it) once per letter version
    where its letter is."""
    from django.urls import reverse

    organisation = candidate.organisation
    if organisation is None:
        return
    program = context["program"]
    addresses = [organisation.email] if organisation.email else organisation_user_emails(organisation)
    if candidate.application is not None and candidate.application.created_by.email:
        addresses.append(candidate.application.created_by.email)
    if candidate.is_awarded:
        subject = _("%(award)s %(year)s goes to %(organisation)s") % {
            "award": program.name,
            "year": context["year"],
            "organisation": candidate.name,
        }
    else:
        subject = _("Decision on %(award)s %(year)s") % {"award": program.name, "year": context["year"]}
    for address in dict.fromkeys(a.strip().lower() for a in addresses if a):
        outbox_enqueue(
            key=f"award-letter:{candidate.pk}:v{letter.version}:{address}",
            to=address,
            subject=subject,
            template="awards/email/award_letter.txt",
            context={**context, "link": django_settings.SITE_URL + reverse("portal:my_letters")},
        )


# ---- announcement ----


def candidate_announce(*, candidate: Candidate, by, reason: str = "") -> Candidate:
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        candidate.announced_at = timezone.now()
        perform_transition(candidate, "announce", by=by, reason=reason)
    return candidate


def award_round_announce(*, round: Round, by) -> dict[str, int]:
    """The round is decided: announce its recipients on the public page and tell every nominator, once each.

    Refused while a shortlisted candidate still waits for the committee.
    """
    require(by, "grants.handle_award_candidate", round)
    candidates = Candidate.objects.filter(round=round)
    if candidates.filter(state=C.SHORTLISTED).exists():
        raise TransitionRefused([_("Shortlisted candidates are still waiting for the committee's decision.")])
    if not candidates.filter(state__in=[C.AWARDED, C.ANNOUNCED, C.NOT_AWARDED]).exists():
        raise TransitionRefused([_("The committee has not decided the award yet.")])
    announced = 0
    with transaction.atomic():
        for candidate in candidates.filter(state=C.AWARDED).order_by("pk"):
            candidate_announce(candidate=candidate, by=by, reason=_("The result is announced."))
            announced += 1
        sent = nominators_notify(round=round)
    return {"announced": announced, "notified": sent}


def nominators_notify(*, round: Round) -> int:
    """Tell every nominator (and self-applicant) that the round is decided: one message per address."""
    program = round.program
    recipients = list(
        Candidate.objects.filter(round=round, state__in=Candidate.AWARDED_STATES)
        .order_by("name")
        .values_list("name", "motivation")
    )
    link = django_settings.SITE_URL + _public_url(program)
    written = 0
    with translation.override(LANGUAGE):
        for email in nominator_addresses(round=round):
            message = outbox_enqueue(
                key=f"award-decided:{round.pk}:{email}",
                to=email,
                subject=_("%(award)s %(year)s is decided") % {"award": program.name, "year": round.year},
                template="awards/email/decided.txt",
                context={"program": program, "round": round, "recipients": recipients, "link": link},
            )
            written += message is not None
    return written


def _public_url(program: Program) -> str:
    from django.urls import reverse

    return reverse("awards:public", kwargs={"slug": program.municipality.slug})
