"""Changes to partnerships.  Views, the API, tasks and the meeting engine call these.

One module per area; this package re-exports their public names, so ``from iop import services``
reads as before.  Every state change goes through ``workflows.services.perform_transition``
(permission, transition, save and its StateLog row in one transaction); e-mails and documents
are made after commit.
"""

from .active import (
    evaluation_record,
    follow_up_record,
    follow_up_reminder,
    partnerships_advance,
    payment_pay,
    payment_plan,
    steering_meeting_record,
)
from .decisions import (
    decision_facts,
    decision_letter_make,
    decision_letters_for_meeting,
    partnership_decide,
    partnership_decide_renewal,
    partnership_sign,
    partnership_terminate,
)
from .partnerships import (
    DRAFTING_STATES,
    EDITABLE_INITIATIVE_STATES,
    INITIATIVE_FIELDS,
    SIMPLE_TRANSITIONS,
    agreement_document,
    agreement_save_version,
    partnership_initiate,
    partnership_initiator_email,
    partnership_screen,
    partnership_transition,
    partnership_update_initiative,
    screening_record,
)

__all__ = [
    "DRAFTING_STATES",
    "EDITABLE_INITIATIVE_STATES",
    "INITIATIVE_FIELDS",
    "SIMPLE_TRANSITIONS",
    "agreement_document",
    "agreement_save_version",
    "decision_facts",
    "decision_letter_make",
    "decision_letters_for_meeting",
    "evaluation_record",
    "follow_up_record",
    "follow_up_reminder",
    "partnership_decide",
    "partnership_decide_renewal",
    "partnership_initiate",
    "partnership_initiator_email",
    "partnership_screen",
    "partnership_sign",
    "partnership_terminate",
    "partnership_transition",
    "partnership_update_initiative",
    "partnerships_advance",
    "payment_pay",
    "payment_plan",
    "screening_record",
    "steering_meeting_record",
]
