"""Conditions of a candidate's transitions: each says why it is not met."""

from django.utils.translation import gettext_lazy as _

from workflows.checks import check


@check(_("The candidate does not meet the award's rules; mark it as not eligible instead."))
def meets_the_rules(candidate) -> bool:
    from .selectors import candidate_eligibility

    return all(r.ok for r in candidate_eligibility(candidate=candidate))


@check(_("The candidate meets every rule of the award."))
def fails_the_rules(candidate) -> bool:
    from .selectors import candidate_eligibility

    return not all(r.ok for r in candidate_eligibility(candidate=candidate))


@check(_("At least one jury member without a conflict of interest must have finished scoring."))
def has_counting_assessment(candidate) -> bool:
    from .scoring import counting_assessments

    return bool(counting_assessments(candidate))


@check(_("The candidate is on a meeting's agenda; take it off the agenda first."))
def not_on_an_agenda(candidate) -> bool:
    from django.contrib.contenttypes.models import ContentType

    from meetings.models import AgendaItem

    return not AgendaItem.objects.filter(
        content_type=ContentType.objects.get_for_model(candidate),
        object_id=candidate.pk,
        kind=AgendaItem.Kind.DECISION,
        decision__isnull=True,
    ).exists()


@check(_("The decision may be announced once the minutes of the meeting are approved."))
def decision_may_be_executed(candidate) -> bool:
    from meetings.services import case_decision
    from meetings.services import decision_may_be_executed as may_execute

    decision = case_decision(candidate)
    return decision is not None and may_execute(decision)
