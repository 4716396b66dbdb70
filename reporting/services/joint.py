"""Yearly follow-ups that both parties of a case make together (a partnership's, year by year).

The case is known only through its ``FollowUpAdapter``: the adapter says who may record the
follow-up; the case's own service checks what its state allows and moves the case on, in the
same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..adapters import adapter_for
from ..models import JointFollowUp, JointIndicatorResult


@dataclass(frozen=True)
class IndicatorOutcome:
    """One indicator of the case as it stands, with what was achieved in the year."""

    key: int
    name: str
    planned: Decimal
    achieved: Decimal
    comment: str = ""


def joint_follow_up_record(
    *,
    case,
    year: int,
    term_start: date,
    due_on: date,
    contributions_made: str,
    joint_assessment: str,
    results: list[IndicatorOutcome],
    by,
) -> JointFollowUp:
    """Record (or correct) the case's follow-up of one year of its term, with its indicators' results."""
    if not adapter_for(case).may_record(by, case):
        raise PermissionDenied(_("You may not record this follow-up."))
    with transaction.atomic():
        follow_up, _created = JointFollowUp.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(case),
            object_id=case.pk,
            term_start=term_start,
            year=year,
            defaults={
                "due_on": due_on,
                "contributions_made": contributions_made,
                "joint_assessment": joint_assessment,
                "recorded_by": by,
                "recorded_at": timezone.now(),
            },
        )
        follow_up.results.all().delete()
        JointIndicatorResult.objects.bulk_create(
            JointIndicatorResult(
                follow_up=follow_up,
                indicator_key=outcome.key,
                name=outcome.name,
                planned=outcome.planned,
                achieved=outcome.achieved,
                comment=outcome.comment,
            )
            for outcome in results
        )
    return follow_up
