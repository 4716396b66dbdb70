"""Förvaltningslagen 11 § and 12 §: telling the applicant that a case is delayed, and the
applicant's request that the case be decided.

- 11 §: when a decision will be significantly delayed, the caseworker tells the applicant why and
  when a decision can be expected (``application_delay_notify``).  An undecided application whose
  normal handling time (``Program.normal_handling_days``) ends within two weeks, or has ended,
  is at risk until such a notice names a day still ahead.
- 12 §: six calendar months after the application came in, the organisation may ask in writing
  that the case be decided (``decision_request_make``).  Within four weeks the case is decided,
  or the request refused by a decision of its own with a letter that says how to appeal it
  (``decision_request_refuse``).  The request closes when the application is decided, dismissed
  or withdrawn (``decision_requests_close``, called by those services).

Every message to the applicant goes through ``applicant_notify``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from correspondence.models import Message
from correspondence.services import message_record
from meetings.appeals import appeal_terms
from workflows.deadlines import add_months
from workflows.services import document_store, outbox_enqueue, perform_transition, require
from workflows.statelog import log_transition
from workflows.text import text_check

from ..letters import program_letter_contact
from ..models import Application, DecisionRequest, DelayNotice
from .letters import LETTER_CSS
from .submission import _link

#: an application is at risk of delay this many days before its normal handling time ends
AT_RISK_DAYS = 14
#: a party may ask for a decision this many calendar months after the application came in
DECISION_REQUEST_MONTHS = 6
#: the case is decided, or the request refused, within this many weeks of the request
DECISION_REQUEST_WEEKS = 4
#: the caseworkers are reminded this many days before a request is due
DECISION_REQUEST_REMINDER_DAYS = 7
REFUSAL_KIND = "decision_request_refusal"
#: the names of the case's history rows that change no state
DELAY_NOTICE_EVENT = "delay_notice"
DECISION_REQUEST_EVENT = "decision_request"
DECISION_REQUEST_REFUSED_EVENT = "decision_request_refused"


def _in_swedish():
    """What the applicant and the committee read is written in the installation's language."""
    return translation.override(settings.LANGUAGE_CODE)


def submitted_on(application: Application) -> dt.date | None:
    return timezone.localdate(application.submitted_at) if application.submitted_at else None


def handling_ends_on(application: Application) -> dt.date | None:
    """The day the program's normal handling time ends for this application."""
    start = submitted_on(application)
    return start + dt.timedelta(days=application.round.program.normal_handling_days) if start else None


def decision_request_opens_on(application: Application) -> dt.date | None:
    """The first day the organisation may ask for a decision: six calendar months after it came in."""
    start = submitted_on(application)
    return add_months(start, DECISION_REQUEST_MONTHS) if start else None


def _undecided(application: Application) -> None:
    if application.state not in Application.OPEN_STATES:
        raise ValidationError(
            _("The application is no longer being handled: it is “%(state)s”.")
            % {"state": application.get_state_display()},
            code="state",
        )


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("round__program__committee__municipality", "organisation", "created_by")
        .get(pk=application.pk)
    )


def _log(application: Application, event: str, *, by, note: str) -> None:
    """A row in the case's history that changes no state (the state stays what it is)."""
    log_transition(application, event, application.state, application.state, by=by, reason=note[:500])


# ---- the one way to tell the applicant ----


def applicant_notice_text(*, subject: str, body: str) -> str:
    """The message exactly as the applicant reads it on the case's thread: its subject, then its body."""
    return f"{subject}\n\n{body}"


def applicant_notify(*, application: Application, subject: str, body: str, by) -> None:
    """Tell the applicant something about their case: a message from ``by`` on the case's thread,
    in the caller's transaction; the person who made the application and the organisation's
    address get an e-mail after commit that links to it (never the text itself)."""
    with _in_swedish():
        message_record(
            case=application,
            by=by,
            side=Message.Side.STAFF,
            body=applicant_notice_text(subject=subject, body=body),
            kind=Message.Kind.MESSAGE,
            notify=True,
        )


def _caseworkers_tell(*, application: Application, key: str, subject: str, template: str, context: dict):
    """E-mail everyone who handles the application's program (its caseworkers), after commit."""
    from ..selectors import caseworkers_for

    link = _link(application)
    for user in caseworkers_for(application=application):
        if not user.email or not user.is_active:
            continue
        with _in_swedish():
            outbox_enqueue(
                key=f"{key}:{user.pk}",
                to=user.email,
                subject=subject,
                template=template,
                context={**context, "application": application, "link": link},
            )


# ---- 11 §: the applicant is told that the case is delayed ----


def delay_notice_message(*, application: Application, reason: str, expected_by: dt.date, by) -> dict:
    """The notice of delay as the applicant reads it: ``subject``, ``body`` and ``text`` (the
    whole e-mail).  The confirmation page shows it and the service sends it, word for word."""
    program = application.round.program
    opens_on = decision_request_opens_on(application)
    with _in_swedish():
        subject = _("Your application %(number)s will take longer to decide") % {
            "number": application.case_number
        }
        parts = [
            _("Hello,"),
            _(
                "Your application %(number)s, “%(title)s”, for %(program)s will be decided later than "
                "we normally decide applications (%(days)s days from the day it came in)."
            )
            % {
                "number": application.case_number,
                "title": application.title,
                "program": program.name,
                "days": program.normal_handling_days,
            },
            _("Why the case is delayed:") + "\n" + reason.strip(),
            _("You can expect a decision by %(date)s.") % {"date": expected_by.isoformat()},
        ]
        if opens_on and opens_on > expected_by:
            pass  # the decision is expected before the applicant may ask for one
        elif opens_on and opens_on > timezone.localdate():
            parts.append(
                _(
                    "If the case has not been decided by %(date)s, six months after the application came "
                    "in, you may ask in writing that it be decided (förvaltningslagen 12 §). You can do "
                    "that on the page of the case."
                )
                % {"date": opens_on.isoformat()}
            )
        else:
            parts.append(
                _(
                    "Six months have passed since the application came in: you may ask in writing that "
                    "the case be decided (förvaltningslagen 12 §). You can do that on the page of the case."
                )
            )
        signature = [by.full_name, f"{program.committee.name}, {program.committee.municipality.name}"]
        if program.contact_email or program.contact_phone:
            signature.append(
                _("Questions: %(contact)s")
                % {"contact": ", ".join(v for v in (program.contact_email, program.contact_phone) if v)}
            )
        parts.append("\n".join(s for s in signature if s))
        body = "\n\n".join(parts)
    return {
        "subject": subject,
        "body": body,
        "text": applicant_notice_text(subject=subject, body=body),
    }


def delay_notice_clean(*, reason: str, expected_by) -> tuple[str, dt.date]:
    """The notice's reason and date, or a ValidationError in words a caseworker reads."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Write why the case is delayed."), code="reason")
    text_check(reason, label=_("Why the case is delayed"))
    if expected_by is None:
        raise ValidationError(_("Enter the day a decision can be expected by."), code="expected_by")
    if expected_by <= timezone.localdate():
        raise ValidationError(
            _("The day a decision can be expected must be after today."), code="expected_by"
        )
    return reason, expected_by


def application_delay_notify(
    *, application: Application, by, reason: str, expected_by: dt.date
) -> DelayNotice:
    """Tell the applicant that the decision is significantly delayed, why, and when it can be
    expected (förvaltningslagen 11 §); recorded and in the case's history in one transaction."""
    reason, expected_by = delay_notice_clean(reason=reason, expected_by=expected_by)
    with transaction.atomic():
        application = _locked(application)
        require(by, "grants.handle_application", application)
        _undecided(application)
        same = application.delay_notices.filter(reason=reason, expected_by=expected_by).first()
        if same is not None:  # sent twice (a double click, a retry): it went out the first time
            return same
        notice = DelayNotice.objects.create(
            application=application, reason=reason, expected_by=expected_by, by=by
        )
        with _in_swedish():
            note = _(
                "The applicant was told that the case is delayed; a decision is expected by %(date)s. %(reason)s"
            ) % {
                "date": expected_by.isoformat(),
                "reason": reason,
            }
        _log(application, DELAY_NOTICE_EVENT, by=by, note=note)
        message = delay_notice_message(application=application, reason=reason, expected_by=expected_by, by=by)
        applicant_notify(application=application, subject=message["subject"], body=message["body"], by=by)
    return notice


# ---- 12 §: the applicant asks that the case be decided ----


def decision_request_make(*, application: Application, by, text: str = "") -> DecisionRequest:
    """The organisation asks in writing that its case be decided (förvaltningslagen 12 §): possible
    six calendar months after the application came in, one open request at a time.  The case is
    due to be decided, or the request refused, four weeks after it came in."""
    text = (text or "").strip()
    if text:
        text_check(text, label=_("Message"))
    with transaction.atomic():
        application = _locked(application)
        require(by, "grants.request_decision", application)
        _undecided(application)
        opens_on = decision_request_opens_on(application)
        today = timezone.localdate()
        if opens_on is None or today < opens_on:
            raise ValidationError(
                _(
                    "You can ask for a decision six months after the application came in, from %(date)s. "
                    "Until then the case is handled as usual; the caseworker tells you if it is delayed."
                )
                % {"date": opens_on.isoformat() if opens_on else "–"},
                code="too_early",
            )
        if application.decision_requests.filter(outcome=DecisionRequest.Outcome.OPEN).exists():
            raise ValidationError(
                _("You have already asked for a decision; that request is still open."), code="open"
            )
        now = timezone.now()
        try:
            with transaction.atomic():
                request = DecisionRequest.objects.create(
                    application=application,
                    by=by,
                    at=now,
                    text=text,
                    due=timezone.localdate(now) + dt.timedelta(weeks=DECISION_REQUEST_WEEKS),
                )
        except IntegrityError as exc:  # sent twice at once: the other one is the open request
            raise ValidationError(
                _("You have already asked for a decision; that request is still open."), code="open"
            ) from exc
        with _in_swedish():
            note = _(
                "The applicant asked that the case be decided (förvaltningslagen 12 §), by %(date)s."
            ) % {"date": request.due.isoformat()}
        _log(application, DECISION_REQUEST_EVENT, by=by, note=f"{note} {text}".strip())
        with _in_swedish():
            subject = _("%(number)s: the applicant asks for a decision by %(date)s") % {
                "number": application.case_number,
                "date": request.due.isoformat(),
            }
        _caseworkers_tell(
            application=application,
            key=f"decision-request:{request.pk}",
            subject=subject,
            template="grants/email/decision_requested.txt",
            context={"request": request, "reminder": False},
        )
    return request


def decision_request_refusal_clean(*, reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Write why the request is refused; the reason is in the decision letter."), code="reason"
        )
    text_check(reason, label=_("Why the request is refused"))
    return reason


def decision_request_refuse(*, request: DecisionRequest, by, reason: str) -> DecisionRequest:
    """Refuse the request for a decision by a decision of its own (förvaltningslagen 12 §): a
    letter with the reason, how to appeal the refusal on its own and whom to contact; the
    applicant is told.  The case itself goes on being handled."""
    reason = decision_request_refusal_clean(reason=reason)
    with transaction.atomic():
        application = _locked(request.application)
        require(by, "grants.handle_application", application)
        request = DecisionRequest.objects.select_for_update().get(pk=request.pk)
        if not request.is_open:
            raise ValidationError(
                _("The request is no longer open: %(outcome)s.") % {"outcome": request.get_outcome_display()},
                code="closed",
            )
        request.refusal_reason = reason
        request.refused_by = by
        perform_transition(
            request,
            "refuse",
            by=by,
            reason=reason[:500],
            save_fields=["refusal_reason", "refused_by", "closed_at"],
        )
        request.letter = refusal_letter_make(request=request, application=application, by=by)
        request.save(update_fields=["letter"])
        with _in_swedish():
            note = _("The request for a decision was refused by a decision of its own. %(reason)s") % {
                "reason": reason
            }
            subject = _("Decision on your request that the application %(number)s be decided") % {
                "number": application.case_number
            }
            body = "\n\n".join(
                [
                    _("Hello,"),
                    _(
                        "On %(date)s you asked that your application %(number)s be decided. The request "
                        "is refused; the application goes on being handled and will be decided later."
                    )
                    % {"date": timezone.localdate(request.at).isoformat(), "number": application.case_number},
                    _("Why the request is refused:") + "\n" + reason,
                    _(
                        "The decision letter, with how to appeal the refusal, is on the page of the case. "
                        "The refusal may be appealed on its own (förvaltningslagen 12 and 41 §§)."
                    ),
                ]
            )
        _log(application, DECISION_REQUEST_REFUSED_EVENT, by=by, note=note)
        applicant_notify(application=application, subject=subject, body=body, by=by)
    return request


def refusal_letter_make(*, request: DecisionRequest, application: Application, by):
    """The decision letter of a refused request for a decision, kept as PDF/A."""
    program = application.round.program
    committee = program.committee
    decided_on = timezone.localdate()
    with translation.override("sv"):
        subject = f"Beslut om begäran om avgörande: ansökan {application.case_number} från {application.organisation.name}"
        return document_store(
            subject=request,
            kind=REFUSAL_KIND,
            title=subject,
            template="documents/grant_decision_request_refusal.html",
            context={
                "subject": subject,
                "application": application,
                "request": request,
                "organisation": application.organisation,
                "program": program,
                "committee": committee,
                "municipality": committee.municipality,
                "submitted_on": submitted_on(application),
                "requested_on": timezone.localdate(request.at),
                "decided_on": decided_on,
                "decided_by": by,
                "reason": request.refusal_reason,
                "contact": program_letter_contact(program=program, case=application, prepared_by=by),
                # decided by the caseworker, appealed the way the case's own decision is
                "appeal": appeal_terms(
                    kind=program.appeal_kind,
                    court=program.appeal_court,
                    committee=committee,
                    case_number=application.case_number,
                    decided_on=decided_on,
                    delegated=True,
                ),
                "note": (
                    "Ett beslut att avslå en begäran om att ärendet ska avgöras får överklagas särskilt, "
                    "utan att ni väntar på beslutet i själva ärendet (12 och 41 §§ förvaltningslagen). "
                    "Om överklagandet bifalls ska nämnden föreläggas att avgöra ärendet."
                ),
            },
            by=by,
            stylesheets=(LETTER_CSS,),
        )


def decision_requests_close(*, application_ids, outcome: str, by) -> int:
    """Close the open requests of these applications: they were decided or dismissed
    (``decided``), or withdrawn (``withdrawn``).  Runs in the caller's transaction; one query for
    a whole meeting's decisions, and a logged transition for each request that was open."""
    name = {DecisionRequest.Outcome.DECIDED: "decided", DecisionRequest.Outcome.WITHDRAWN: "withdrawn"}[
        outcome
    ]
    closed = 0
    for request in DecisionRequest.objects.select_for_update().filter(
        application_id__in=list(application_ids), outcome=DecisionRequest.Outcome.OPEN
    ):
        perform_transition(request, name, by=by, save_fields=["closed_at"])
        closed += 1
    return closed


def decision_requests_remind(*, today: dt.date | None = None) -> int:
    """Remind the caseworkers, once, a week before an open request for a decision is due."""
    today = today or timezone.localdate()
    due = (
        DecisionRequest.objects.filter(
            outcome=DecisionRequest.Outcome.OPEN,
            reminded_at=None,
            due__lte=today + dt.timedelta(days=DECISION_REQUEST_REMINDER_DAYS),
        )
        .select_related("application__round__program__committee__municipality", "application__organisation")
        .order_by("due", "pk")
    )
    sent = 0
    for request in due:
        with transaction.atomic():
            # the one run that marks it reminded sends it: a second run, or two at once, send nothing
            if not DecisionRequest.objects.filter(pk=request.pk, reminded_at=None).update(
                reminded_at=timezone.now()
            ):
                continue
            application = request.application
            with _in_swedish():
                subject = _("Reminder: %(number)s is to be decided by %(date)s (förvaltningslagen 12 §)") % {
                    "number": application.case_number,
                    "date": request.due.isoformat(),
                }
            _caseworkers_tell(
                application=application,
                key=f"decision-request-reminder:{request.pk}",
                subject=subject,
                template="grants/email/decision_requested.txt",
                context={"request": request, "reminder": True},
            )
            sent += 1
    return sent
