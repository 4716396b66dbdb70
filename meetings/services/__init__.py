"""Committee meetings: planning, agenda, decisions, recusals, approval, posting, appeals.

Every change goes through a function here (``<noun>_<verb>``, keyword-only,
the acting user ``by``).  State changes of a meeting go through
``perform_transition``; a case's own state changes go through its app's
``AgendaAdapter.apply_decision``, called inside the same transaction.

One module per area; this package re-exports their public names.
"""

from .decisions import (
    AMOUNT_OUTCOMES,
    OPEN_STATES,
    DecisionData,
    DelegationRefused,
    Outcome,
    decisions_record,
    delegated_decision_record,
    delegation_for,
    proposal_of,
    recusal_declare,
)
from .finality import (
    appeal_period_end,
    appeal_register,
    appeal_resolve,
    case_decision,
    decision_is_final,
    decision_may_be_executed,
    meeting_make_final,
    meeting_post,
    meetings_finalise_due,
    minutes_approve,
    minutes_kept_at_default,
)
from .notices import minutes_notice_create, notice_post
from .planning import (
    AttendanceRow,
    agenda_add,
    attendance_set,
    committee_members,
    meeting_create,
    meeting_transition,
)

__all__ = [
    "AMOUNT_OUTCOMES",
    "AttendanceRow",
    "DecisionData",
    "DelegationRefused",
    "OPEN_STATES",
    "Outcome",
    "agenda_add",
    "appeal_period_end",
    "appeal_register",
    "appeal_resolve",
    "attendance_set",
    "case_decision",
    "committee_members",
    "decision_is_final",
    "decision_may_be_executed",
    "decisions_record",
    "delegated_decision_record",
    "delegation_for",
    "meeting_create",
    "meeting_make_final",
    "meeting_post",
    "meeting_transition",
    "meetings_finalise_due",
    "minutes_approve",
    "minutes_kept_at_default",
    "minutes_notice_create",
    "notice_post",
    "proposal_of",
    "recusal_declare",
]
