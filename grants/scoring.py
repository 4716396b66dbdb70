"""Weighted scores of an application.

For each criterion, the mean of the scores given by the assessors who count
(a finished assessment, no declared conflict of interest for the
organisation, no recusal (jäv) from the case on a committee's agenda), leaving out "not applicable".  The application's score is the
mean of those criterion means weighted by the criteria's weights; a criterion
nobody scored does not count, nor does its weight.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def conflicted_user_ids(application) -> set[int]:
    """Users whose assessment does not count: a declared conflict for the organisation, or a
    recusal from this case at a meeting (DESIGN.md, invariant 5)."""
    from meetings.selectors import recused_user_ids

    from .models import ConflictOfInterest

    cached = getattr(application, "_conflicted_ids", None)
    if cached is None:
        cached = set(
            ConflictOfInterest.objects.filter(organisation_id=application.organisation_id).values_list(
                "user_id", flat=True
            )
        )
        if application.pk:
            cached |= recused_user_ids(case=application)
        application._conflicted_ids = cached
    return cached


def counting_assessments(application) -> list:
    conflicted = conflicted_user_ids(application)
    return [
        a
        for a in application.assessments.all()
        if a.completed_at is not None and a.assessor_id not in conflicted
    ]


def assessment_weighted(criteria: list[dict], scores: dict) -> Decimal | None:
    """One assessor's weighted mean over the criteria they scored."""
    total = Decimal("0")
    weights = Decimal("0")
    for criterion in criteria:
        entry = scores.get(str(criterion["id"])) or {}
        if entry.get("na") or entry.get("score") in (None, ""):
            continue
        weight = Decimal(str(criterion["weight"]))
        total += weight * Decimal(str(entry["score"]))
        weights += weight
    return _q(total / weights) if weights else None


def weighted_mean(criteria: list[dict], assessments: list[dict]) -> Decimal | None:
    """``assessments`` are the ``scores`` dicts of the assessors who count."""
    total = Decimal("0")
    weights = Decimal("0")
    for criterion in criteria:
        values = []
        for scores in assessments:
            entry = scores.get(str(criterion["id"])) or {}
            if entry.get("na") or entry.get("score") in (None, ""):
                continue
            values.append(Decimal(str(entry["score"])))
        if not values:
            continue
        weight = Decimal(str(criterion["weight"]))
        total += weight * (sum(values) / len(values))
        weights += weight
    return _q(total / weights) if weights else None


def application_score(application) -> Decimal | None:
    criteria = (application.snapshot or {}).get("criteria", [])
    return weighted_mean(criteria, [a.scores for a in counting_assessments(application)])


def scores_clean(criteria: list[dict], scores: dict, complete: bool) -> dict[str, dict]:
    """Check one assessor's scores against the criteria; raise ValidationError listing every problem.

    ``complete`` requires every criterion scored or marked not applicable.
    """
    cleaned: dict[str, dict] = {}
    errors = []
    for criterion in criteria:
        key = str(criterion["id"])
        entry = scores.get(key) or scores.get(criterion["id"]) or {}
        na = bool(entry.get("na"))
        score = entry.get("score")
        if na and not criterion["allow_na"]:
            errors.append(_("%(name)s: “not applicable” is not allowed.") % {"name": criterion["name"]})
            na = False
        if score in (None, "") or na:
            score = None
        else:
            try:
                score = int(score)
            except (TypeError, ValueError):
                errors.append(_("%(name)s: the score must be a whole number.") % {"name": criterion["name"]})
                continue
            if not criterion["scale_min"] <= score <= criterion["scale_max"]:
                errors.append(
                    _("%(name)s: the score must be between %(min)s and %(max)s.")
                    % {
                        "name": criterion["name"],
                        "min": criterion["scale_min"],
                        "max": criterion["scale_max"],
                    }
                )
                continue
        if complete and score is None and not na:
            errors.append(
                _("%(name)s: give a score or mark it not applicable.") % {"name": criterion["name"]}
            )
        cleaned[key] = {"score": score, "na": na, "comment": str(entry.get("comment", ""))[:2000]}
    if errors:
        raise ValidationError(errors)
    return cleaned
