"""Changes to programs, rounds and applications.  Views, the API, tasks and the demo call these.

One module per area; this package re-exports their public names, so ``from grants import services``
and ``from grants.services import application_submit`` read as before.  Every state change in them
goes through ``workflows.services.perform_transition`` (permission, transition, save and its
StateLog row in one transaction); what leaves the database is scheduled after commit.
"""

from workflows.services import TransitionRefused

# Helpers of one area that other parts of grants (its pages, follow-up reports) read too.
from .applications import (
    _answered as _answered,
)
from .applications import (
    _clean_answer as _clean_answer,
)
from .applications import (
    _current_register_documents as _current_register_documents,
)
from .applications import (
    application_attach,
    application_save,
    application_start,
    attachment_keys,
    eligibility_precheck,
    missing_answers,
    missing_attachments,
)
from .assessment import (
    DEFAULT_COMPLETION_DAYS,
    DISMISSAL_KIND,
    application_accept,
    application_dismiss,
    application_finish_assessment,
    application_propose,
    application_reopen_assessment,
    application_request_completion,
    assessment_save,
    completion_lapsed,
    conflict_declare,
    dismissal_letter,
    dismissal_letter_make,
    eligibility_override,
    eligibility_recheck,
    task_assign,
    task_claim,
)
from .decisions import application_decide, application_decide_by_delegation, decision_state
from .letters import (
    LETTER_CSS,
    LETTER_JOB_LOCK,
    LETTER_JOB_RECHECK,
    LETTER_JOB_STALE_SECONDS,
    LETTER_KIND,
    LETTER_RUNNERS,
    decision_letter_make,
    letter_context,
    letter_job_run,
    letter_job_start,
    letter_runners,
    letter_template_save,
    letters_ready_count,
    meeting_grant_items,
    reported_decision_letters_remake,
)
from .payments import (
    CATCH_UP_DAYS,
    catch_up_since,
    grants_executable,
    payments_cancel_for_annulled_decision,
    payments_create_due,
    payments_plan,
)
from .programs import (
    Lateness,
    lateness,
    program_save,
    program_settings_save,
    program_snapshot,
    round_snapshot,
    rounds_take_due_snapshots,
)
from .submission import (
    OUTSTANDING_RULES,
    SubmissionRefused,
    application_answer_completion,
    application_document,
    application_save_and_submit,
    application_submit,
    application_withdraw,
    outstanding,
    submission_eligibility,
    submission_problems,
)

__all__ = [
    "TransitionRefused",
    "CATCH_UP_DAYS",
    "DEFAULT_COMPLETION_DAYS",
    "DISMISSAL_KIND",
    "LETTER_CSS",
    "LETTER_JOB_LOCK",
    "LETTER_JOB_RECHECK",
    "LETTER_JOB_STALE_SECONDS",
    "LETTER_KIND",
    "LETTER_RUNNERS",
    "Lateness",
    "OUTSTANDING_RULES",
    "SubmissionRefused",
    "application_accept",
    "application_answer_completion",
    "application_attach",
    "application_decide",
    "application_decide_by_delegation",
    "application_dismiss",
    "application_document",
    "application_finish_assessment",
    "application_propose",
    "application_reopen_assessment",
    "application_request_completion",
    "application_save",
    "application_save_and_submit",
    "application_start",
    "application_submit",
    "application_withdraw",
    "assessment_save",
    "attachment_keys",
    "catch_up_since",
    "grants_executable",
    "completion_lapsed",
    "conflict_declare",
    "decision_letter_make",
    "decision_state",
    "dismissal_letter",
    "dismissal_letter_make",
    "eligibility_override",
    "eligibility_precheck",
    "eligibility_recheck",
    "lateness",
    "letter_context",
    "letter_job_run",
    "letter_job_start",
    "letter_runners",
    "letter_template_save",
    "letters_ready_count",
    "meeting_grant_items",
    "missing_answers",
    "missing_attachments",
    "outstanding",
    "payments_cancel_for_annulled_decision",
    "payments_create_due",
    "payments_plan",
    "program_save",
    "program_settings_save",
    "program_snapshot",
    "reported_decision_letters_remake",
    "round_snapshot",
    "rounds_take_due_snapshots",
    "submission_eligibility",
    "submission_problems",
    "task_assign",
    "task_claim",
]
