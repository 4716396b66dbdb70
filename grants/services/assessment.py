"""The caseworker's work on a submitted application: completion requests, screening, dismissal,
conflicts of interest, assessment, proposal, and the inbox's tasks.

Each step is a logged transition performed through ``perform_transition`` by a permitted user;
a conflicted caseworker's assessment does not count towards the score (rule 5).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from correspondence.models import Message
from correspondence.services import message_record
from meetings.appeals import appeal_terms
from organizations.models import Organisation
from workflows.amounts import amount_clean, labelled
from workflows.deadlines import add_working_days
from workflows.services import (
    TransitionRefused,
    document_store,
    outbox_enqueue,
    perform_transition,
    require,
)
from workflows.text import text_check

from .. import eligibility as elig
from .. import flows
from ..models import (
    Application,
    Assessment,
    CompletionRequest,
    ConflictOfInterest,
    EligibilityOverride,
)
from ..scoring import application_score, assessment_weighted, scores_clean
from .letters import LETTER_CSS
from .submission import _link, _snapshot_program

S = Application.State


DEFAULT_COMPLETION_DAYS = 10
# ---- the caseworker ----


def application_request_completion(
    *, application: Application, by, message: str, working_days: int = DEFAULT_COMPLETION_DAYS
) -> CompletionRequest:
    """Ask the applicant to complete; the deadline counts Swedish working days."""
    if not message.strip():
        raise ValidationError(_("Write what the applicant needs to complete."), code="required")
    if not 1 <= working_days <= 60:
        raise ValidationError(_("The deadline must be 1–60 working days."), code="days")
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=application.pk)
        )
        deadline = add_working_days(timezone.localdate(), working_days)
        application.completion_deadline = deadline
        perform_transition(application, "request_completion", by=by, reason=message[:500])
        request = CompletionRequest.objects.create(
            application=application, message=message, deadline=deadline, requested_by=by
        )
        message_record(
            case=application,
            by=by,
            side=Message.Side.STAFF,
            body=message,
            kind=Message.Kind.COMPLETION_REQUEST,
            due_date=deadline,
        )
        flows.flow_complete_human_task(application=application, by=by)
        for email in {application.created_by.email, application.organisation.email} - {""}:
            outbox_enqueue(
                key=f"grant-completion:{request.pk}:{email}",
                to=email,
                subject=_("Your application %(number)s needs to be completed by %(deadline)s")
                % {"number": application.case_number, "deadline": deadline.isoformat()},
                template="grants/email/completion_requested.txt",
                context={"application": application, "request": request, "link": _link(application)},
            )
    return request


def completion_lapsed(*, application_id: int) -> None:
    """The completion deadline passed without an answer (called when the flow's timer fires)."""
    CompletionRequest.objects.filter(application_id=application_id, answered_at=None, lapsed_at=None).update(
        lapsed_at=timezone.now()
    )


def eligibility_override(*, application: Application, by, rule: str, reason: str) -> EligibilityOverride:
    require(by, "grants.handle_application", application)
    if not reason.strip():
        raise ValidationError(_("Write why the rule is set aside."), code="required")
    if application.state not in (S.SUBMITTED, S.COMPLETION_REQUESTED):
        raise ValidationError(
            _("Rules can be set aside only while the application is screened."), code="state"
        )
    if rule not in {r["kind"] for r in application.eligibility}:
        raise ValidationError(_("The application has no such rule."), code="rule")
    override, _created = EligibilityOverride.objects.update_or_create(
        application=application,
        rule=rule,
        defaults={"reason": reason.strip(), "by": by, "at": timezone.now()},
    )
    return override


def _transition_with_task(application: Application, name: str, *, by, reason: str = "") -> Application:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        perform_transition(application, name, by=by, reason=reason)
        flows.flow_complete_human_task(application=application, by=by)
    return application


def application_accept(*, application: Application, by, reason: str = "") -> Application:
    return _transition_with_task(application, "accept", by=by, reason=reason)


def eligibility_recheck(*, application: Application, by) -> list[elig.RuleResult]:
    """Check the program's rules again now, at screening: what was stored at submission is
    replaced (a report approved or a reclaim paid since then clears its rule)."""
    require(by, "grants.handle_application", application)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round__program", "organisation")
            .get(pk=application.pk)
        )
        if application.state not in (S.SUBMITTED, S.COMPLETION_REQUESTED):
            raise ValidationError(
                _("The rules can be checked again only while the application is screened."), code="state"
            )
        results = elig.evaluate(
            rules=application.snapshot.get("rules", []),
            organisation=application.organisation,
            municipality_id=application.round.program.municipality_id,
            declaration=application.democracy_declaration,
            year=application.round.year,
        )
        application.eligibility = [r.as_dict() for r in results]
        application.save(update_fields=["eligibility", "updated_at"])
    return results


DISMISSAL_KIND = "dismissal_letter"


def application_dismiss(*, application: Application, by, reason: str) -> Application:
    """Dismiss (avvisa) the application; the organisation gets a letter with the reasons and how
    to appeal (förvaltningslagen 32-33 §§)."""
    if not reason.strip():
        raise ValidationError(_("Write why the application is dismissed."), code="required")
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round__program__committee__municipality", "organisation", "created_by")
            .get(pk=application.pk)
        )
        perform_transition(application, "dismiss", by=by, reason=reason)
        flows.flow_close(application=application, by=by)
        from .fl import decision_requests_close

        # a dismissal decides the case: a request that it be decided is answered
        decision_requests_close(application_ids=[application.pk], outcome="decided", by=by)
        dismissal_letter_make(application=application, by=by, reason=reason.strip())
    return application


def dismissal_letter_make(*, application: Application, by, reason: str):
    """The letter of a dismissal, kept as PDF/A and e-mailed to the organisation."""
    from django.utils import translation

    from ..letters import program_letter_contact

    program = application.round.program
    with translation.override("sv"):
        subject = (
            f"Beslut om avvisning: ansökan {application.case_number} från {application.organisation.name}"
        )
        document = document_store(
            subject=application,
            kind=DISMISSAL_KIND,
            title=subject,
            template="documents/grant_dismissal_letter.html",
            context={
                "subject": subject,
                "application": application,
                "organisation": application.organisation,
                "program": program,
                "committee": program.committee,
                "municipality": program.committee.municipality,
                "decided_on": timezone.localdate(),
                "decided_by": by,
                "reason": reason,
                # the caseworker decided it: theirs is the contact when the program names no one
                "contact": program_letter_contact(program=program, prepared_by=by),
                # decided by the caseworker; Bidra does not list a dismissal for the committee
                "appeal": appeal_terms(
                    kind=program.appeal_kind,
                    court=program.appeal_court,
                    committee=program.committee,
                    case_number=application.case_number,
                    decided_on=timezone.localdate(),
                    delegated=True,
                ),
            },
            by=by,
            stylesheets=(LETTER_CSS,),
        )
        for email in {application.organisation.email or application.created_by.email} - {""}:
            outbox_enqueue(
                key=f"dismissal-letter:{application.pk}:v{document.version}",
                to=email,
                subject=subject,
                template="grants/email/decision_letter.txt",
                context={"application": application, "subject": subject, "link": _link(application)},
            )
    return document


def dismissal_letter(application: Application):
    """The latest dismissal letter of the application, or None."""
    from django.contrib.contenttypes.models import ContentType

    from workflows.models import StoredDocument

    return (
        StoredDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(Application),
            object_id=application.pk,
            kind=DISMISSAL_KIND,
        )
        .order_by("-version")
        .first()
    )


def conflict_declare(*, organisation: Organisation, by, reason: str) -> ConflictOfInterest:
    """Declare a conflict of interest (jäv): the person's assessments of the organisation do not count."""
    if not by.has_perm("organizations.view_organisation", organisation):
        raise PermissionDenied(_("You do not have permission to do this."))
    if not reason.strip():
        raise ValidationError(_("Write what the conflict of interest is."), code="required")
    conflict, _created = ConflictOfInterest.objects.get_or_create(
        user=by, organisation=organisation, defaults={"reason": reason.strip()}
    )
    for application in Application.objects.filter(
        organisation=organisation, state__in=Application.OPEN_STATES
    ):
        _update_score(application)
    return conflict


def _update_score(application: Application) -> None:
    application._conflicted_ids = None
    Application.objects.filter(pk=application.pk).update(score=application_score(application))


def assessment_save(
    *, application: Application, by, scores: dict, comment: str = "", complete: bool = False
) -> Assessment:
    """Save one assessor's scores; ``complete`` requires every criterion scored or not applicable."""
    require(by, "grants.handle_application", application)
    criteria = application.snapshot.get("criteria", [])
    cleaned = scores_clean(criteria, scores, complete)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != S.IN_ASSESSMENT:
            raise ValidationError(
                _("The application can be assessed only while it is in assessment."), code="state"
            )
        assessment, _created = Assessment.objects.get_or_create(application=application, assessor=by)
        assessment.scores = cleaned
        assessment.comment = comment
        assessment.weighted_score = assessment_weighted(criteria, cleaned)
        assessment.completed_at = timezone.now() if complete else None
        assessment.save()
        _update_score(application)
    return assessment


def application_finish_assessment(*, application: Application, by, reason: str = "") -> Application:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        perform_transition(application, "finish_assessment", by=by, reason=reason)
        _update_score(application)
    return application


def application_reopen_assessment(*, application: Application, by, reason: str = "") -> Application:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        perform_transition(application, "reopen_assessment", by=by, reason=reason)
    return application


def application_propose(*, application: Application, by, amount, motivation: str) -> Application:
    """Propose the decision (amount and motivation): the case is ready for the committee."""
    high = _snapshot_program(application)["max_amount"]
    try:
        amount = amount_clean(amount, ceiling=None if high is None else Decimal(high))
    except ValidationError as exc:
        raise ValidationError(labelled(_("Proposed amount"), exc), code="amount") from exc
    if amount is None:
        raise ValidationError(_("Enter the proposed amount in kronor."), code="amount")
    if not (motivation or "").strip():
        raise ValidationError(_("Write a motivation for the proposal."), code="motivation")
    text_check(motivation, label=_("Motivation"))
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state == S.ASSESSED:
            application.proposed_amount = amount
            application.proposal_motivation = motivation.strip()
        perform_transition(application, "propose", by=by, reason=motivation[:500])
        flows.flow_complete_human_task(application=application, by=by)
    return application


# ---- tasks of the inbox ----


def task_claim(*, task, by) -> None:
    application = _task_application(task)
    require(by, "grants.handle_application", application)
    if not flows.task_claim(task=task, by=by):
        task.refresh_from_db()
        owner = task.owner.full_name if task.owner_id else ""
        raise TransitionRefused(
            [
                _("%(name)s took the task a moment ago.") % {"name": owner}
                if owner
                else _("The task is no longer open.")
            ]
        )


def task_assign(*, task, by, to) -> None:
    application = _task_application(task)
    require(by, "grants.handle_application", application)
    if not to.has_perm("grants.handle_application", application):
        raise ValidationError(_("%(name)s cannot handle this application.") % {"name": to.full_name})
    try:
        flows.task_assign(task=task, to=to, by=by)
    except ValueError as exc:
        raise TransitionRefused([_("The task is no longer open.")]) from exc


def _task_application(task) -> Application:
    return Application.objects.select_related("round__program").get(pk=task.process.artifact_object_id)
