"""The application's side of a decision, called by the meeting engine through ``grants.agenda``.

A decision moves the application by its own logged transition in the transaction that records
the decision; a delegated decision is refused at or above the program's delegation limit
(rule 6), and may be executed at once: its payments are planned and its follow-up report created
in the same transaction, and its letter made after commit.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from workflows.queue import delay_on_commit
from workflows.services import (
    perform_transition,
    require,
)
from workflows.templatetags.bidra import kr

from .. import consequences
from ..models import (
    Application,
)
from ..scoring import application_score
from .payments import payments_plan

# ---- the decision (called by the meeting engine through grants.agenda) ----


def application_decide(*, application: Application, decision, by, locked: bool = False) -> Application:
    """Perform the application's own transition for a recorded decision (committee or delegated).

    Runs inside the transaction that records the decision.  The Decision is the one source
    of truth for amount, conditions, grant period, report due date and reasons; the
    application points at it and keeps the granted amount for the budget sums.  ``locked``:
    the caller has locked and loaded the application (with its round, program and organisation),
    and closes the open requests for a decision of its whole group (``decision_requests_close``).
    """
    from meetings.services import DelegationRefused

    from ..agenda import TRANSITIONS

    name = TRANSITIONS.get(decision.outcome)
    if name is None:
        raise ValidationError(_("A grant application is granted, partly granted or rejected."))
    if not locked:
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round__program", "organisation")
            .get(pk=application.pk)
        )
        application._conflicted_ids = None
    program = application.round.program
    if decision.delegated:
        limit = program.delegation_limit
        at_stake = max(application.requested_amount or Decimal(0), decision.amount or Decimal(0))
        if limit is None:
            raise DelegationRefused([_("The committee decides every application of this program.")])
        if at_stake >= limit:
            raise DelegationRefused(
                [
                    _(
                        "%(amount)s is not below the program's delegation limit of %(limit)s; the committee decides this."
                    )
                    % {"amount": kr(at_stake), "limit": kr(limit)}
                ]
            )
    reason = decision.reasons or str(decision.get_outcome_display())
    # Written by the transition's own save (one UPDATE with the new state).
    application.decision = decision
    application.granted_amount = decision.amount if decision.outcome in Application.GRANTED_STATES else None
    application.score = application_score(application)
    perform_transition(
        application,
        name,
        by=by,
        reason=reason[:500],
        save_fields=["decision", "granted_amount", "score"],
    )
    if not locked:
        from .fl import decision_requests_close

        decision_requests_close(application_ids=[application.pk], outcome="decided", by=by)
    if decision.delegated:
        # A delegated decision may be executed at once: plan the payments and send the letter.
        if application.state in Application.GRANTED_STATES:
            # Without a registered account it is refused: the case page says so, the periodic task retries.
            with contextlib.suppress(ValidationError):
                payments_plan(application=application, by=by)
            # The follow-up report it owes, in the same transaction as the decision.
            consequences.granted(application=application, by=by)
        from .. import tasks

        delay_on_commit(tasks.decision_letter_make, application.pk, by.pk)
    return application


def application_decide_by_delegation(*, application: Application, data, by):
    """A caseworker holding the grant delegation decides without a meeting (below the limits);
    the decision is listed for information on the committee's next meeting."""
    from meetings.services import delegated_decision_record

    require(by, "grants.view_application", application)
    return delegated_decision_record(case=application, decision=data, by=by)


def decision_state(decision) -> dict:
    """Where a decision stands: may it be executed, is it final, until when it can be appealed."""
    from meetings.services import decision_is_final, decision_may_be_executed

    meeting = decision.item.meeting if decision.item_id else None
    pending = [a for a in decision.appeals.all() if a.pending] if decision.pk else []
    return {
        "decision": decision,
        "meeting": meeting,
        "item": decision.item if decision.item_id else None,
        "final": decision_is_final(decision),
        "executable": decision_may_be_executed(decision),
        "appealed": bool(pending),
        "posted_on": meeting.posted_on if meeting else None,
        "appeal_ends_on": meeting.appeal_ends_on if meeting else None,
    }
