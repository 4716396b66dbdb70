"""Conditions of the transitions of the register (staff roles, payment accounts): each says why it is not met."""

from django.utils.translation import gettext_lazy as _

from workflows.checks import check


@check(_("The municipality must keep at least one administrator: give the role to someone else first."))
def keeps_an_administrator(role) -> bool:
    if role.role != role.Role.MUNICIPALITY_ADMIN:
        return True
    return (
        type(role)
        .objects.filter(
            municipality_id=role.municipality_id, role=role.Role.MUNICIPALITY_ADMIN, state=role.State.ACTIVE
        )
        .exclude(pk=role.pk)
        .exists()
    )


# ---- a change of the payment account ----


@check(_("Every municipality where the organisation is active must verify the account first."))
def every_municipality_verified(change) -> bool:
    return not change.verifications.exclude(state="verified").exists()


@check(_("The change is no longer waiting for verification."))
def change_is_pending(verification) -> bool:
    return verification.change.state == "pending"
