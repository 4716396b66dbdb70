"""Changes to awards: nominations, candidates, the jury, decisions, documents and announcement.

Views, the API, the agenda adapter, tasks and the demo call these.  Every
state change of a candidate goes through ``perform_transition``; e-mails go
through the outbox and documents through ``document_store``.
"""

from .jury import (
    SETTLED,
    award_round_settle,
    candidate_assess,
    candidate_conflict_declare,
    candidate_decide,
    candidate_propose,
    candidate_shortlist,
    candidate_unshortlist,
)
from .letters import (
    DIPLOMA_KIND,
    LETTER_KIND,
    award_documents_make,
    award_letters_make,
    award_round_announce,
    candidate_announce,
    nominators_notify,
)
from .nominations import (
    LANGUAGE,
    C,
    NominationData,
    award_settings_save,
    candidate_from_application,
    candidate_screen,
    candidates_screen_round,
    candidates_sync_applications,
    nomination_submit,
)

__all__ = [
    "C",
    "LANGUAGE",
    "award_settings_save",
    "NominationData",
    "nomination_submit",
    "candidate_from_application",
    "candidates_sync_applications",
    "candidate_screen",
    "candidates_screen_round",
    "candidate_assess",
    "candidate_conflict_declare",
    "candidate_shortlist",
    "candidate_unshortlist",
    "candidate_propose",
    "candidate_decide",
    "SETTLED",
    "award_round_settle",
    "LETTER_KIND",
    "DIPLOMA_KIND",
    "award_letters_make",
    "award_documents_make",
    "candidate_announce",
    "award_round_announce",
    "nominators_notify",
]
