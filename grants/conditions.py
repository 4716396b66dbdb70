"""Conditions of the application's transitions: each says why it is not met."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.checks import check


@check(_("The round is not open for applications now, and its rules do not accept late ones."))
def round_accepts_submissions(application) -> bool:
    from .services import lateness

    return lateness(application.round).accepted


@check(_("Every required question must be answered."))
def required_answers_present(application) -> bool:
    from .services import missing_answers

    return not missing_answers(application)


@check(_("Every required attachment must be added."))
def required_attachments_present(application) -> bool:
    from .services import missing_attachments

    return not missing_attachments(application)


@check(_("The deadline for the completion has passed."))
def completion_deadline_not_passed(application) -> bool:
    return application.completion_deadline is None or timezone.localdate() <= application.completion_deadline


@check(_("Every eligibility rule must be met, or set aside with a written reason."))
def eligible_or_overridden(application) -> bool:
    from .selectors import application_eligibility

    return all(r.passes for r in application_eligibility(application=application))


@check(_("At least one assessor without a conflict of interest must have finished an assessment."))
def has_counting_assessment(application) -> bool:
    from .scoring import counting_assessments

    return bool(counting_assessments(application))
