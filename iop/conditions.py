"""Conditions of the partnership's transitions: each can say why the answer is no."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.checks import check

#: a yearly follow-up is due this many days before the end of the term year
FOLLOW_UP_NOTICE_DAYS = 30


def _screening(partnership):
    try:
        return partnership.screening
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist
        return None


@check(_("Every point of the IOP checklist needs an answer and a motivation."))
def screening_complete(partnership) -> bool:
    screening = _screening(partnership)
    return screening is not None and screening.complete


@check(_("Every point of the IOP checklist must be answered yes for IOP to be the right form."))
def screening_all_yes(partnership) -> bool:
    screening = _screening(partnership)
    return screening is not None and screening.all_yes


@check(_("Every point of the checklist is answered yes: IOP is the right form."))
def screening_some_no(partnership) -> bool:
    screening = _screening(partnership)
    return screening is not None and not screening.all_yes


@check(_("Write the agreement first: background, goals and what each party does."))
def agreement_written(partnership) -> bool:
    version = partnership.latest_version()
    return bool(
        version
        and version.background.strip()
        and version.goals.strip()
        and version.activities_municipality.strip()
        and version.activities_organisation.strip()
    )


@check(_("Both parties must contribute and both must sit in the steering group."))
def agreement_has_both_parties(partnership) -> bool:
    version = partnership.latest_version()
    if version is None:
        return False
    parties = set(version.contributions.values_list("party", flat=True))
    steering = set(version.members.filter(group="steering").values_list("party", flat=True))
    both = {"municipality", "organisation"}
    return parties >= both and steering >= both


@check(_("The agreement needs a term: a start date before its end date."))
def agreement_has_term(partnership) -> bool:
    version = partnership.latest_version()
    return bool(version and version.start_date and version.end_date and version.start_date < version.end_date)


@check(_("Record the committee's decision with its reference first."))
def decision_recorded(partnership) -> bool:
    return bool(partnership.decision_reference and partnership.decided_on)


@check(_("Both parties must have signed: each with a named signatory and a date."))
def signed_by_both_parties(partnership) -> bool:
    return partnership.signed_by_both


@check(_("The term of the agreement has not started yet."))
def term_started(partnership) -> bool:
    return bool(partnership.term_start) and partnership.term_start <= timezone.localdate()


def outstanding_years(partnership, today=None) -> list[int]:
    """Term years whose follow-up is due (or soon due) and not yet made."""
    if not partnership.approved_version_id:
        return []
    today = today or timezone.localdate()
    from reporting.selectors import joint_follow_ups

    done = set(
        joint_follow_ups(case=partnership, term_start=partnership.term_start).values_list("year", flat=True)
    )
    from datetime import timedelta

    notice = timedelta(days=FOLLOW_UP_NOTICE_DAYS)
    return [
        year
        for year in partnership.term_years()
        if year not in done and partnership.follow_up_due_on(year) - notice <= today
    ]


@check(_("No yearly follow-up is due."))
def follow_up_outstanding(partnership) -> bool:
    return bool(outstanding_years(partnership))


@check(_("The yearly follow-up that is due has not been recorded yet."))
def follow_ups_done(partnership) -> bool:
    return not outstanding_years(partnership)


@check(_("The evaluation is made in the final year of the term."))
def in_final_year(partnership) -> bool:
    return partnership.is_final_year


def _evaluation(partnership):
    return partnership.evaluations.filter(term_end=partnership.term_end).first()


@check(_("Record the evaluation first."))
def evaluation_recorded(partnership) -> bool:
    return _evaluation(partnership) is not None


@check(_("The evaluation must propose renewal."))
def evaluation_proposes_renewal(partnership) -> bool:
    evaluation = _evaluation(partnership)
    return evaluation is not None and evaluation.proposal == "renew"


@check(_("Write a new version of the agreement with a new term that starts when the current one ends."))
def renewal_version_ready(partnership) -> bool:
    version = partnership.latest_version()
    return bool(
        version
        and partnership.term_end
        and version.pk != partnership.approved_version_id
        and version.start_date
        and version.end_date
        and version.start_date >= partnership.term_end
        and version.end_date > version.start_date
    )


@check(_("Record the decision on renewal (by the committee or a delegate) first."))
def renewal_decision_recorded(partnership) -> bool:
    return bool(partnership.renewal_reference and partnership.renewal_decided_on)


@check(_("Give the reason for ending the partnership early."))
def termination_reason_given(partnership) -> bool:
    return bool(partnership.termination_reason.strip())
