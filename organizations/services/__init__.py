"""Changes to the organisation register.  Views and the API call these."""

from .payment_account import (
    account_change_reject,
    account_change_request,
    account_change_withdraw,
    account_verification_verify,
)
from .people import (
    VERIFY_SALT,
    DuplicateOrganisation,
    LinkExpired,
    LinkInvalid,
    email_verification_send,
    email_verification_token,
    email_verify,
    role_decide,
    role_request,
    role_revoke,
    signatory_by_support,
    user_signup,
)
from .register import (
    activity_update,
    document_check_upload,
    document_upload,
    organisation_register,
    organisation_update,
)
from .setup import (
    committee_save,
    delegation_create,
    delegation_end,
    first_municipality_admin,
    staff_role_grant,
    staff_role_revoke,
)

__all__ = [
    "VERIFY_SALT",
    "first_municipality_admin",
    "DuplicateOrganisation",
    "user_signup",
    "email_verification_token",
    "email_verification_send",
    "LinkExpired",
    "LinkInvalid",
    "email_verify",
    "role_request",
    "role_decide",
    "role_revoke",
    "signatory_by_support",
    "organisation_register",
    "organisation_update",
    "activity_update",
    "document_check_upload",
    "document_upload",
    "account_change_request",
    "account_verification_verify",
    "account_change_reject",
    "account_change_withdraw",
    "committee_save",
    "staff_role_grant",
    "staff_role_revoke",
    "delegation_create",
    "delegation_end",
]
