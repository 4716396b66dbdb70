"""The jury's weighted score of a candidate, leaving out anyone with a conflict of interest.

The same arithmetic as an application's score (``grants.scoring``): per
criterion the mean of the counting jury members' scores, weighted by the
criteria's weights.  A jury member counts when they finished scoring and
have declared no conflict of interest, neither for the candidate nor (as for
grants) for its organisation.
"""

from __future__ import annotations

from decimal import Decimal

from grants.scoring import weighted_mean


def conflicted_user_ids(candidate) -> set[int]:
    from grants.models import ConflictOfInterest

    from .models import CandidateConflict

    cached = getattr(candidate, "_conflicted_ids", None)
    if cached is None:
        cached = set(CandidateConflict.objects.filter(candidate=candidate).values_list("user_id", flat=True))
        if candidate.organisation_id:
            cached |= set(
                ConflictOfInterest.objects.filter(organisation_id=candidate.organisation_id).values_list(
                    "user_id", flat=True
                )
            )
        candidate._conflicted_ids = cached
    return cached


def counting_assessments(candidate) -> list:
    conflicted = conflicted_user_ids(candidate)
    return [
        a
        for a in candidate.assessments.all()
        if a.completed_at is not None and a.assessor_id not in conflicted
    ]


def candidate_score(candidate) -> Decimal | None:
    criteria = (candidate.snapshot or {}).get("criteria", [])
    return weighted_mean(criteria, [a.scores for a in counting_assessments(candidate)])
