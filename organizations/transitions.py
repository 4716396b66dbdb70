"""The steps of a member's role, of a new payment account and of its verification that a page or
the API may ask for by name (see ``workflows.registry``)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows import registry
from workflows.shortcuts import get_permitted_or_404

from . import services
from .forms import AccountRejectForm, DecisionReasonForm
from .models import AccountChange, AccountVerification, Delegation, OrganisationRole, StaffRole

# ---- a member's role: the organisation's signatory decides ----


def _role(request, pk):
    role = get_object_or_404(OrganisationRole.objects.select_related("organisation", "user"), pk=pk)
    if not request.user.has_perm("organizations.view_members", role.organisation):
        raise Http404
    return role


registry.case(
    OrganisationRole,
    get=_role,
    page=lambda role, **kw: reverse("organizations:members", kwargs={"pk": role.organisation_id}),
    done=lambda role, name: (
        _("Done: %(user)s is now “%(state)s”.")
        % {"user": role.user.full_name, "state": role.get_state_display()}
    ),
)
for _name in ("approve", "reject"):
    registry.step(
        OrganisationRole,
        _name,
        lambda r, by, data, n=_name: services.role_decide(
            role=r, by=by, approve=n == "approve", reason=data["reason"]
        ),
        form=DecisionReasonForm,
    )
registry.step(
    OrganisationRole,
    "revoke",
    lambda r, by, data: services.role_revoke(role=r, by=by, reason=data["reason"]),
    form=DecisionReasonForm,
)


# ---- a new payment account ----


def _change(request, pk):
    return get_permitted_or_404(
        AccountChange.objects.select_related("organisation", "requested_by"),
        "organizations.view_account_change",
        request.user,
        pk=pk,
    )


def _change_invalid(request, change, name, form):
    from .views import account_change_page

    return account_change_page(request, change, reject_form=form)


_CHANGE_DONE = {
    "reject": gettext_lazy("The new account is rejected. The organisation is told why."),
    "withdraw": gettext_lazy("The change is withdrawn. Grants are paid to the account in effect."),
}
registry.case(
    AccountChange,
    get=_change,
    page=lambda change, **kw: reverse("organizations:account_change", kwargs={"pk": change.pk}),
    done=lambda change, name: str(_CHANGE_DONE[name]),
    invalid=_change_invalid,
    refused_status=409,
)
registry.step(
    AccountChange,
    "reject",
    lambda c, by, data: services.account_change_reject(change=c, by=by, reason=data["reason"]),
    form=AccountRejectForm,
)
registry.step(
    AccountChange,
    "withdraw",
    lambda c, by, data: services.account_change_withdraw(change=c, by=by, reason=data["reason"]),
)

# a verification is taken on the change's page, after the caseworker confirms the check (its own
# view); the API takes it by name
registry.case(AccountVerification, refused_status=409)
registry.step(
    AccountVerification,
    "verify",
    lambda v, by, data: services.account_verification_verify(verification=v, by=by),
    form=registry.NOTHING,
)

# ---- a municipality's staff and delegations: each ended on a confirmation page of the set-up ----
# (a role is granted by a form that names the person: a service of its own, not a step by name)

registry.case(StaffRole)
registry.step(
    StaffRole,
    "revoke",
    lambda r, by, data: services.staff_role_revoke(role=r, by=by, reason=data["reason"]),
    form=DecisionReasonForm,
)
registry.case(Delegation)
registry.step(
    Delegation,
    "end",
    lambda d, by, data: services.delegation_end(delegation=d, by=by, reason=data["reason"]),
    form=DecisionReasonForm,
)
