"""The jury's scores and conflicts, the shortlist and proposal, the decision and settling the round."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.models import Application, Round
from grants.scoring import assessment_weighted, scores_clean
from workflows.services import (
    perform_transition,
    require,
)

from ..models import Candidate, CandidateAssessment, CandidateConflict
from ..scoring import candidate_score

C = Candidate.State


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
        from ..scoring import conflicted_user_ids

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
    from ..conditions import not_on_an_agenda

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
