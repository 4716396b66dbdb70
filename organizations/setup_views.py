"""Pages of the municipality administrator: committees, staff and their roles, delegations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows import registry
from workflows.services import TransitionRefused, transition_check

from . import services
from .forms import CommitteeForm, DelegationForm, StaffRoleForm
from .models import Committee, Delegation, Municipality, StaffRole
from .selectors import committees_overview, delegations_of_municipality, staff_of_municipality


def _administered(request, municipality: Municipality) -> Municipality:
    """403 for someone who administers no municipality, 404 for another municipality's administrator."""
    if not request.user.has_perm("organizations.administer"):
        raise PermissionDenied
    if not request.user.has_perm("organizations.manage_staff", municipality):
        raise Http404
    return municipality


def _municipality(request, pk) -> Municipality:
    return _administered(request, get_object_or_404(Municipality, pk=pk))


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def setup(request, pk):
    municipality = _municipality(request, pk)
    return render(
        request,
        "organizations/setup/overview.html",
        {
            "municipality": municipality,
            "committees": committees_overview(municipality=municipality),
            "active": "committees",
        },
    )


@login_required
def committee_edit(request, pk=None, municipality_pk=None):
    if pk is None:
        municipality = _municipality(request, municipality_pk)
        committee = Committee(municipality=municipality)
    else:
        committee = get_object_or_404(Committee.objects.select_related("municipality"), pk=pk)
        municipality = _administered(request, committee.municipality)
    form = CommitteeForm(request.POST or None, instance=committee)
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_save(committee=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The committee %(name)s is saved.") % {"name": committee.name})
            return redirect("organizations:setup", pk=municipality.pk)
    return render(
        request,
        "organizations/setup/committee_edit.html",
        {"form": form, "committee": committee, "municipality": municipality, "active": "committees"},
    )


@login_required
def staff(request, pk):
    municipality = _municipality(request, pk)
    return render(
        request,
        "organizations/setup/staff.html",
        {
            "municipality": municipality,
            "people": staff_of_municipality(municipality=municipality),
            "active": "staff",
        },
    )


@login_required
def staff_role_grant(request, pk):
    municipality = _municipality(request, pk)
    form = StaffRoleForm(
        request.POST or None, municipality=municipality, initial={"email": request.GET.get("email", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            role = services.staff_role_grant(
                municipality=municipality,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                committee=data["committee"],
                by=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s. They have been told by e-mail.")
                % {"name": role.user.full_name or role.user.email, "role": role.get_role_display()},
            )
            return redirect("organizations:staff", pk=municipality.pk)
    return render(
        request,
        "organizations/setup/staff_role_grant.html",
        {"form": form, "municipality": municipality, "active": "staff"},
    )


@login_required
def staff_role_revoke(request, pk):
    """A confirmation page; the role is taken away only when the form is posted."""
    role = get_object_or_404(StaffRole.objects.select_related("user", "municipality", "committee"), pk=pk)
    municipality = _administered(request, role.municipality)
    option = transition_check(role, "revoke", by=request.user)
    form = registry.lookup(StaffRole, "revoke").form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registry.lookup(StaffRole, "revoke").run(role, request.user, form.cleaned_data)
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(name)s is no longer %(role)s.")
                % {"name": role.user.full_name or role.user.email, "role": role.get_role_display()},
            )
        return redirect("organizations:staff", pk=municipality.pk)
    return render(
        request,
        "organizations/setup/staff_role_revoke.html",
        {"role": role, "option": option, "form": form, "municipality": municipality, "active": "staff"},
    )


@login_required
def delegations(request, pk):
    municipality = _municipality(request, pk)
    return render(
        request,
        "organizations/setup/delegations.html",
        {
            "municipality": municipality,
            **delegations_of_municipality(municipality=municipality),
            "active": "delegations",
        },
    )


@login_required
def delegation_create(request, pk):
    municipality = _municipality(request, pk)
    form = DelegationForm(
        request.POST or None, municipality=municipality, initial={"valid_from": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            delegation = services.delegation_create(by=request.user, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s may now decide %(matter)s for %(committee)s.")
                % {
                    "name": delegation.user.full_name,
                    "matter": delegation.get_matter_display(),
                    "committee": delegation.committee.name,
                },
            )
            return redirect("organizations:delegations", pk=municipality.pk)
    return render(
        request,
        "organizations/setup/delegation_create.html",
        {"form": form, "municipality": municipality, "active": "delegations"},
    )


@login_required
def delegation_end(request, pk):
    """A confirmation page; the delegation ends only when the form is posted."""
    delegation = get_object_or_404(
        Delegation.objects.select_related("user", "committee__municipality"), pk=pk
    )
    municipality = _administered(request, delegation.committee.municipality)
    option = transition_check(delegation, "end", by=request.user)
    form = registry.lookup(Delegation, "end").form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registry.lookup(Delegation, "end").run(delegation, request.user, form.cleaned_data)
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The delegation has ended."))
        return redirect("organizations:delegations", pk=municipality.pk)
    return render(
        request,
        "organizations/setup/delegation_end.html",
        {
            "delegation": delegation,
            "option": option,
            "form": form,
            "municipality": municipality,
            "active": "delegations",
        },
    )
