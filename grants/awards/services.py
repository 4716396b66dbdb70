"""Changes to awards: nominations, candidates, the jury, decisions, documents and announcement.

Views, the API, the agenda adapter, tasks and the demo call these.  Every
state change of a candidate goes through ``perform_transition``; e-mails go
through the outbox and documents through ``document_store``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from organizations.models import Organisation
from organizations.selectors import organisation_user_emails
from organizations.validators import org_number_compact
from workflows.appeals import appeal_terms
from workflows.services import (
    TransitionRefused,
    case_number_register,
    document_store,
    outbox_enqueue,
    perform_transition,
    require,
    system_user,
)

from ..models import Application, Program, Round
from ..scoring import assessment_weighted, scores_clean
from ..services import round_snapshot
from .models import AwardSettings, Candidate, CandidateAssessment, CandidateConflict, Nomination, NomineeKind
from .scoring import candidate_score
from .selectors import award_settings, candidate_eligibility, nominator_addresses

C = Candidate.State
LANGUAGE = "sv"  # letters, diplomas and e-mails to nominators are written in Swedish


# ---- settings ----


def award_settings_save(
    *, program: Program, by, amount, recipients: int, nominators: str, **flags
) -> AwardSettings:
    """Make a program an award (or change its award settings)."""
    require(by, "grants.manage_program", program)
    if program.kind != Program.Kind.AWARD:
        raise ValidationError(_("Only a program of the kind “award” has award settings."))
    settings = award_settings(program)
    settings.amount = Decimal(str(amount))
    settings.recipients = recipients
    settings.nominators = nominators
    for name in ("require_registered", "allow_informal", "allow_individuals"):
        if name in flags:
            setattr(settings, name, bool(flags[name]))
    settings.full_clean()
    if settings.amount <= 0:
        raise ValidationError(_("The award amount must be above 0 kr."))
    settings.save()
    return settings


# ---- nominations ----


@dataclass
class NominationData:
    kind: str
    nominee_name: str
    motivation: str
    nominator_name: str
    nominator_email: str
    nominee_org_number: str = ""
    nominator_phone: str = ""


def _match_organisation(*, program: Program, kind: str, name: str, org_number: str) -> Organisation | None:
    """The register's organisation: by org number, else by exact name among those active in the municipality."""
    if kind == NomineeKind.PERSON:
        return None
    if org_number:
        return Organisation.objects.filter(org_number=org_number).first()
    matches = list(
        Organisation.objects.filter(
            name__iexact=name.strip(), activities__municipality_id=program.municipality_id
        ).distinct()[:2]
    )
    return matches[0] if len(matches) == 1 else None


def _candidate_for(*, round: Round, kind: str, organisation, name: str, org_number: str, by) -> Candidate:
    """The round's candidate for this nominee, created and registered if it is the first nomination.

    The caller holds the round's row lock, so two nominations of the same
    nominee at once make one candidate.
    """
    qs = Candidate.objects.filter(round=round)
    if organisation is not None:
        existing = qs.filter(organisation=organisation).first()
    elif org_number:
        existing = qs.filter(organisation=None, org_number=org_number).first()
    else:
        existing = qs.filter(organisation=None, org_number="", kind=kind, name__iexact=name.strip()).first()
    if existing is not None:
        return existing
    candidate = Candidate.objects.create(
        round=round,
        kind=kind,
        organisation=organisation,
        name=(organisation.name if organisation is not None else name.strip())[:200],
        org_number=organisation.org_number if organisation is not None else org_number,
        snapshot=round_snapshot(round=round),
    )
    program = round.program
    case_number_register(
        committee=program.committee,
        title=f"{program.name}: {candidate.name}",
        case=candidate,
        by=by if getattr(by, "is_authenticated", False) else system_user(),
    )
    return candidate


def nomination_submit(*, round: Round, data: NominationData, by) -> Nomination:
    """Nominate someone for the award while the round is open.

    The nominee is matched against the register; nominations of the same
    nominee are grouped into one candidate, which is registered with a case
    number when the first nomination arrives.  A nominee already found not
    eligible keeps the nomination, and the nominator is told why.
    """
    if not by.has_perm("grants.nominate", round):
        raise PermissionDenied(_("You may not nominate for this award."))
    program = round.program
    errors = []
    if not round.is_open():
        errors.append(_("Nominations for this award are not open now."))
    if data.kind not in NomineeKind.values:
        errors.append(_("Choose who you nominate."))
    name = (data.nominee_name or "").strip()
    org_number = ""
    if data.kind != NomineeKind.PERSON and (data.nominee_org_number or "").strip():
        try:
            org_number = org_number_compact(data.nominee_org_number.strip())
        except ValidationError as exc:
            errors.extend(exc.messages)
    if not name and not org_number:
        errors.append(_("Write the name of the one you nominate."))
    if not (data.motivation or "").strip():
        errors.append(_("Write why they deserve the award."))
    if not (data.nominator_name or "").strip() or not (data.nominator_email or "").strip():
        errors.append(_("Write your name and e-mail address, so that we can tell you how it went."))
    if errors:
        raise ValidationError(errors)
    organisation = _match_organisation(program=program, kind=data.kind, name=name, org_number=org_number)
    if not name and organisation is None:
        name = org_number
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round.pk)
        candidate = _candidate_for(
            round=round, kind=data.kind, organisation=organisation, name=name, org_number=org_number, by=by
        )
        nomination = Nomination.objects.create(
            candidate=candidate,
            kind=data.kind,
            nominee_name=(name or candidate.name)[:200],
            nominee_org_number=org_number,
            motivation=data.motivation.strip(),
            nominator_name=data.nominator_name.strip()[:200],
            nominator_email=data.nominator_email.strip(),
            nominator_phone=(data.nominator_phone or "").strip()[:40],
            nominated_by=by if by.is_authenticated else None,
        )
        if candidate.state == C.INELIGIBLE:
            _notify_ineligible(candidate, [nomination])
    return nomination


def candidate_from_application(*, application: Application, by) -> Candidate | None:
    """A submitted application in an award round makes (or joins) the organisation's candidate.  Idempotent."""
    existing = Candidate.objects.filter(application=application).first()
    if existing is not None:
        return existing
    round = application.round
    if round.program.kind != Program.Kind.AWARD or not application.case_number:
        return None
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round.pk)
        candidate = _candidate_for(
            round=round,
            kind=NomineeKind.ORGANISATION,
            organisation=application.organisation,
            name=application.organisation.name,
            org_number=application.organisation.org_number,
            by=by,
        )
        if candidate.application_id is None:
            candidate.application = application
            candidate.save(update_fields=["application"])
    return candidate


def candidates_sync_applications(*, round: Round, by) -> int:
    """Make candidates of submitted applications that have none yet (a safety net; idempotent)."""
    if round.program.kind != Program.Kind.AWARD:
        return 0
    count = 0
    pending = (
        Application.objects.filter(round=round, award_candidate__isnull=True)
        .exclude(case_number="")
        .exclude(state__in=[Application.State.DRAFT, Application.State.WITHDRAWN])
        .select_related("organisation", "round__program")
    )
    for application in pending:
        if (
            Candidate.objects.filter(round=round, organisation=application.organisation)
            .exclude(application=None)
            .exists()
        ):
            continue
        count += candidate_from_application(application=application, by=by) is not None
    return count


# ---- screening ----


def candidate_screen(*, candidate: Candidate, by, reason: str = "") -> Candidate:
    """Check the candidate against the award's rules: eligible, or not eligible with the failing rules.

    Nominators (and a self-applicant) of a candidate that is not eligible are told why, once each.
    """
    with transaction.atomic():
        candidate = (
            Candidate.objects.select_for_update(of=("self",))
            .select_related("round__program__award", "organisation", "application")
            .get(pk=candidate.pk)
        )
        require(by, "grants.handle_award_candidate", candidate)
        if candidate.state != C.RECEIVED:
            raise TransitionRefused([_("The candidate has been screened already.")])
        results = candidate_eligibility(candidate=candidate)
        failing = [r for r in results if not r.ok]
        candidate.eligibility = [r.as_dict() for r in results]
        candidate.ineligible_reason = " ".join(r.reason for r in failing)
        name = "mark_ineligible" if failing else "mark_eligible"
        perform_transition(candidate, name, by=by, reason=reason or candidate.ineligible_reason)
        if failing:
            _notify_ineligible(candidate, list(candidate.nominations.all()), include_applicant=True)
        else:
            _update_score(candidate)
    return candidate


def candidates_screen_round(*, round: Round, by) -> dict[str, int]:
    """Screen every candidate of the round that is still received."""
    counts = {"eligible": 0, "ineligible": 0}
    for candidate in Candidate.objects.filter(round=round, state=C.RECEIVED).order_by("pk"):
        candidate = candidate_screen(candidate=candidate, by=by)
        counts[candidate.state] += 1
    return counts


def _notify_ineligible(candidate: Candidate, nominations: list[Nomination], include_applicant=False) -> None:
    program = candidate.round.program
    recipients = [(f"award-ineligible:{n.pk}", n.nominator_email, n.nominator_name) for n in nominations]
    if include_applicant and candidate.application is not None:
        user = candidate.application.created_by
        recipients.append((f"award-ineligible-applicant:{candidate.pk}", user.email, user.full_name))
    with translation.override(LANGUAGE):
        for key, email, name in recipients:
            outbox_enqueue(
                key=key,
                to=email,
                subject=_("Your nomination for %(award)s") % {"award": program.name},
                template="grants/awards/email/ineligible.txt",
                context={"candidate": candidate, "program": program, "name": name},
            )


# ---- the jury ----


def _update_score(candidate: Candidate) -> None:
    candidate._conflicted_ids = None
    candidate.score = candidate_score(candidate)
    Candidate.objects.filter(pk=candidate.pk).update(score=candidate.score)


def candidate_assess(
    *, candidate: Candidate, by, scores: dict, comment: str = "", complete: bool = False
) -> CandidateAssessment:
    """A jury member scores the candidate with the round's criteria."""
    require(by, "grants.assess_award_candidate", candidate)
    criteria = (candidate.snapshot or {}).get("criteria", [])
    cleaned = scores_clean(criteria, scores, complete)
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.state not in (C.ELIGIBLE, C.SHORTLISTED):
            raise ValidationError(_("The jury scores candidates that are eligible or shortlisted."))
        from .scoring import conflicted_user_ids

        if by.pk in conflicted_user_ids(candidate):
            raise ValidationError(_("You have declared a conflict of interest for this candidate."))
        assessment, _created = CandidateAssessment.objects.get_or_create(candidate=candidate, assessor=by)
        assessment.scores = cleaned
        assessment.comment = comment
        assessment.weighted_score = assessment_weighted(criteria, cleaned)
        assessment.completed_at = timezone.now() if complete else None
        assessment.save()
        _update_score(candidate)
    return assessment


def candidate_conflict_declare(*, candidate: Candidate, by, reason: str) -> CandidateConflict:
    """A jury member declares a conflict of interest (jäv): their scores of the candidate do not count."""
    if not by.has_perm("grants.view_award_candidate", candidate):
        raise PermissionDenied(_("You do not have permission to do this."))
    if not (reason or "").strip():
        raise ValidationError(_("Write what the conflict of interest is."))
    with transaction.atomic():
        conflict, _created = CandidateConflict.objects.get_or_create(
            candidate=candidate, user=by, defaults={"reason": reason.strip()[:300]}
        )
        _update_score(candidate)
    return conflict


# ---- shortlist and proposal ----


def candidate_shortlist(*, candidate: Candidate, by, reason: str = "") -> Candidate:
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        perform_transition(candidate, "shortlist", by=by, reason=reason)
    return candidate


def candidate_unshortlist(*, candidate: Candidate, by, reason: str = "") -> Candidate:
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        candidate.proposal = ""
        candidate.proposal_motivation = ""
        perform_transition(candidate, "unshortlist", by=by, reason=reason)
    return candidate


def candidate_propose(*, candidate: Candidate, by, proposal: str, motivation: str) -> Candidate:
    """The caseworker's proposal to the committee: award it or not, with a motivation."""
    from .conditions import not_on_an_agenda

    require(by, "grants.handle_award_candidate", candidate)
    if proposal not in Candidate.Proposal.values:
        raise ValidationError(_("Choose whether to propose the award."))
    if not (motivation or "").strip():
        raise ValidationError(_("Write a motivation for the proposal."))
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.state != C.SHORTLISTED:
            raise ValidationError(_("Only a shortlisted candidate can be proposed."))
        if not not_on_an_agenda(candidate):
            raise ValidationError(
                _("The candidate is on a meeting's agenda; the proposal can no longer change.")
            )
        candidate.proposal = proposal
        candidate.proposal_motivation = motivation.strip()
        candidate.save(update_fields=["proposal", "proposal_motivation"])
    return candidate


# ---- the decision (called by the agenda adapter inside the meeting's transaction) ----


def candidate_decide(*, candidate: Candidate, decision, by) -> Candidate:
    """Perform the committee's decision: awarded (with the amount and motivation) or not awarded.

    The candidate's own application ends with it; once no shortlisted candidate waits for the
    committee, the round is decided and every other candidate and application ends too.  The
    letters are made when the minutes are posted (``award_letters_make``): only then is the last
    day to appeal known.
    """
    awarded = decision.outcome in ("granted", "partly_granted")
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        candidate.decided_at = decision.decided_at
        candidate.motivation = decision.reasons or candidate.proposal_motivation
        candidate.awarded_amount = decision.amount if awarded else None
        perform_transition(candidate, "award" if awarded else "not_award", by=by, reason=decision.reasons)
        _application_settle(candidate, by=by)
        if not Candidate.objects.filter(round_id=candidate.round_id, state=C.SHORTLISTED).exists():
            award_round_settle(round=candidate.round, by=by)
    return candidate


#: the final states of a candidate once the committee has decided its round
SETTLED = (C.AWARDED, C.ANNOUNCED, C.NOT_AWARDED, C.INELIGIBLE)


def award_round_settle(*, round: Round, by) -> int:
    """The committee has decided the round's award: the candidates the jury did not shortlist are
    not awarded, and every organisation's own application ends as its candidate did."""
    settled = 0
    with transaction.atomic():
        for candidate in Candidate.objects.select_for_update().filter(round=round, state=C.ELIGIBLE):
            perform_transition(
                candidate,
                "close_not_shortlisted",
                by=by,
                reason=_("The committee has decided the award; the jury did not shortlist the candidate."),
            )
            settled += 1
        for candidate in (
            Candidate.objects.filter(round=round, state__in=SETTLED, application__isnull=False)
            .select_related("application")
            .order_by("pk")
        ):
            settled += _application_settle(candidate, by=by)
    return settled


def _application_settle(candidate: Candidate, *, by) -> bool:
    """An organisation's own application ends as its candidate did: awarded, or not."""
    if candidate.application_id is None or candidate.state not in SETTLED:
        return False
    application = Application.objects.select_for_update().get(pk=candidate.application_id)
    if application.state not in Application.OPEN_STATES:
        return False
    if candidate.is_awarded:
        application.granted_amount = candidate.awarded_amount
        name, reason = "award_granted", _("The committee gave the award to the organisation.")
    else:
        name, reason = "award_not_granted", _("The committee did not give the award to the organisation.")
    perform_transition(application, name, by=by, reason=reason, save_fields=["granted_amount"])
    return True


# ---- letters, made when the minutes are posted ----

LETTER_KIND = "award_letter"
DIPLOMA_KIND = "award_diploma"


def _meeting_candidates(meeting) -> list[Candidate]:
    """The candidates decided at the meeting (or reported to it, when decided by delegation) and,
    for every round the meeting settled, the round's other candidates, which get their letter
    with the same appeal period."""
    from django.contrib.contenttypes.models import ContentType

    from workflows.meetings_models import Decision
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
    from workflows.meetings_models import Meeting

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
    from workflows.meetings.services import case_decision

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
            template="grants/awards/email/award_letter.txt",
            context={**context, "link": django_settings.SITE_URL + reverse("grants:my_letters")},
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
                template="grants/awards/email/decided.txt",
                context={"program": program, "round": round, "recipients": recipients, "link": link},
            )
            written += message is not None
    return written


def _public_url(program: Program) -> str:
    from django.urls import reverse

    return reverse("awards:public", kwargs={"slug": program.municipality.slug})
