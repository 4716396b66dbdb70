from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows.services import TransitionRefused, transitions_for
from workflows.shortcuts import get_permitted_or_404, paginate, query_without_page
from workflows.storage import file_download

from . import services
from .forms import (
    AccountRejectForm,
    AccountVerifyForm,
    ActivityFormSet,
    ActivityNoteForm,
    BankAccountForm,
    DecisionReasonForm,
    DocumentUploadForm,
    JoinForm,
    OrganisationForm,
    OrganisationRegisterForm,
    OrganisationSearchForm,
    PersonFormSet,
    SignupForm,
)
from .models import (
    AccountChange,
    AccountVerification,
    Organisation,
    OrganisationActivity,
    OrganisationDocument,
)
from .selectors import account_change_waiting, document_status, organisations_search


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_signup(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password"],
        )
        return redirect("organizations:signup_done")
    return render(request, "organizations/signup.html", {"form": form})


def signup_done(request):
    return render(request, "organizations/signup_done.html")


def verify_email(request, token):
    try:
        services.email_verify(token=token)
    except services.LinkExpired:
        return render(request, "organizations/verify_failed.html", {"expired": True}, status=400)
    except services.LinkInvalid:
        return render(request, "organizations/verify_failed.html", {"expired": False}, status=400)
    messages.success(request, _("Your e-mail address is confirmed. You can now register your organisation."))
    return redirect("home" if request.user.is_authenticated else "login")


@login_required
@require_POST
def verify_email_resend(request):
    if request.user.email_verified_at is None:
        with transaction.atomic():
            services.email_verification_send(user=request.user)
        messages.success(
            request, _("We have sent a new confirmation link to %(email)s.") % {"email": request.user.email}
        )
    return redirect("home")


@login_required
def organisation_register(request):
    form = OrganisationRegisterForm(request.POST or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"municipality", "resident_members"}}
        try:
            organisation = services.organisation_register(
                by=request.user,
                data=data,
                municipalities={form.cleaned_data["municipality"]: form.cleaned_data["resident_members"]},
            )
        except services.DuplicateOrganisation as exc:
            duplicate = exc.organisation
            form.add_error("org_number", exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(name)s is registered. Add its documents and payment account next.")
                % {"name": organisation.name},
            )
            return redirect("organizations:detail", pk=organisation.pk)
    return render(request, "organizations/register.html", {"form": form, "duplicate": duplicate})


@login_required
def organisation_join(request):
    form = JoinForm(request.POST or None, initial={"org_number": request.GET.get("org_number", "")})
    if request.method == "POST" and form.is_valid():
        organisation = Organisation.objects.filter(org_number=form.cleaned_data["org_number"]).first()
        if organisation is None:
            form.add_error(
                "org_number", _("No organisation with this number is registered. Register it instead.")
            )
        else:
            try:
                services.role_request(
                    organisation=organisation, by=request.user, message=form.cleaned_data["message"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Your request has been sent to the authorised signatory of %(name)s.")
                    % {"name": organisation.name},
                )
                return redirect("home")
    return render(request, "organizations/join.html", {"form": form})


def _organisation(request, pk, perm="organizations.view_organisation"):
    return get_permitted_or_404(Organisation, perm, request.user, pk=pk)


@login_required
def organisation_detail(request, pk):
    organisation = _organisation(request, pk)
    user = request.user
    activities = [
        {
            "activity": a,
            "show_note": user.has_perm("organizations.view_activity_note", a),
            "can_change": user.has_perm("organizations.change_activity", a),
        }
        for a in organisation.activities.select_related("municipality").order_by("municipality__name")
    ]
    change = account_change_waiting(organisation=organisation)
    if change is not None and not user.has_perm("organizations.view_account_change", change):
        change = None
    return render(
        request,
        "organizations/detail.html",
        {
            "organisation": organisation,
            "activities": activities,
            "documents": document_status(organisation=organisation),
            "can_edit": user.has_perm("organizations.change_organisation", organisation),
            "can_change_account": user.has_perm("organizations.request_account_change", organisation),
            "can_see_members": user.has_perm("organizations.view_members", organisation),
            "account_change": change,
            "to_verify": [
                v for v in change.verifications.all() if user.has_perm("organizations.verify_account", v)
            ]
            if change is not None
            else [],
        },
    )


@login_required
def organisation_edit(request, pk):
    organisation = _organisation(request, pk)
    if not request.user.has_perm("organizations.change_organisation", organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=organisation)
    activities = ActivityFormSet(request.POST or None, instance=organisation, prefix="activities")
    if request.method == "POST" and form.is_valid() and activities.is_valid():
        municipalities = {
            f.cleaned_data["municipality"]: f.cleaned_data.get("resident_members") or 0
            for f in activities.forms
            if f.cleaned_data.get("municipality") and not f.cleaned_data.get("DELETE")
        }
        waiting = account_change_waiting(organisation=organisation)
        services.organisation_update(
            organisation=Organisation.objects.get(pk=organisation.pk),
            by=request.user,
            data=form.cleaned_data,
            municipalities=municipalities,
        )
        messages.success(request, _("The details are saved."))
        if waiting is not None and account_change_waiting(organisation=organisation) is None:
            messages.warning(
                request,
                _(
                    "The new payment account was withdrawn: the municipalities that verify it changed. "
                    "Register the account again."
                ),
            )
        return redirect("organizations:detail", pk=organisation.pk)
    return render(
        request,
        "organizations/edit.html",
        {"form": form, "activities": activities, "organisation": organisation},
    )


@login_required
def activity_edit(request, pk):
    """A municipality's staff keep their own record of an organisation active there."""
    activity = get_object_or_404(
        OrganisationActivity.objects.select_related("organisation", "municipality"), pk=pk
    )
    if not request.user.has_perm("organizations.view_organisation", activity.organisation):
        raise Http404
    if not request.user.has_perm("organizations.change_activity", activity):
        raise PermissionDenied
    form = ActivityNoteForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        services.activity_update(
            activity=activity,
            by=request.user,
            resident_members=form.cleaned_data["resident_members"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Saved for %(municipality)s.") % {"municipality": activity.municipality})
        return redirect("organizations:detail", pk=activity.organisation_id)
    return render(
        request,
        "organizations/activity_edit.html",
        {"form": form, "activity": activity, "organisation": activity.organisation},
    )


@login_required
def organisation_people(request, pk):
    organisation = _organisation(request, pk, "organizations.view_members")
    can_edit = request.user.has_perm("organizations.change_organisation", organisation)
    formset = PersonFormSet(request.POST or None, instance=organisation, prefix="people")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if formset.is_valid():
            formset.save()
            messages.success(request, _("The board and contact people are saved."))
            return redirect("organizations:people", pk=organisation.pk)
    return render(
        request,
        "organizations/people.html",
        {"organisation": organisation, "formset": formset, "can_edit": can_edit},
    )


@login_required
def organisation_bank_account(request, pk):
    """The signatory asks for a new payment account; it takes effect once verified."""
    organisation = _organisation(request, pk)
    if not request.user.has_perm("organizations.request_account_change", organisation):
        raise PermissionDenied
    form = BankAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.account_change_request(
                organisation=organisation,
                by=request.user,
                account_type=form.cleaned_data["account_type"],
                account_number=form.cleaned_data["account_number"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "The new account is registered. It takes effect when every municipality where the "
                    "organisation is active has verified it; until then grants are paid to the account in effect."
                ),
            )
            return redirect("organizations:account_change", pk=change.pk)
    return render(
        request,
        "organizations/bank_account.html",
        {
            "form": form,
            "organisation": organisation,
            "waiting": account_change_waiting(organisation=organisation),
            "municipalities": [
                a.municipality
                for a in organisation.activities.select_related("municipality").order_by("municipality__name")
            ],
        },
    )


def _account_change(request, pk) -> AccountChange:
    return get_permitted_or_404(
        AccountChange.objects.select_related("organisation", "requested_by"),
        "organizations.view_account_change",
        request.user,
        pk=pk,
    )


def account_change_page(request, change, *, verify_form=None, reject_form=None, status=200):
    user = request.user
    verifications = list(change.verifications.select_related("municipality", "verified_by"))
    for verification in verifications:
        verification.change = change
        verification.may_verify = change.state == AccountChange.State.PENDING and user.has_perm(
            "organizations.verify_account", verification
        )
        prefix = f"verify-{verification.pk}"
        verification.form = (
            verify_form
            if verify_form is not None and verify_form.prefix == prefix
            else AccountVerifyForm(prefix=prefix)
        )
    options = {o.name: o for o in transitions_for(change, by=user) if o.allowed}
    return render(
        request,
        "organizations/account_change.html",
        {
            "change": change,
            "organisation": change.organisation,
            "verifications": verifications,
            "reject_form": reject_form or AccountRejectForm(),
            "can_reject": "reject" in options,
            "can_withdraw": "withdraw" in options,
        },
        status=status,
    )


@login_required
def account_change(request, pk):
    return account_change_page(request, _account_change(request, pk))


@login_required
@require_POST
def account_verify(request, pk):
    """A caseworker verifies the new account for their municipality, after confirming the check."""
    verification = get_object_or_404(AccountVerification, pk=pk)
    change = _account_change(request, verification.change_id)
    verification.change = change
    if not request.user.has_perm("organizations.verify_account", verification):
        raise PermissionDenied
    form = AccountVerifyForm(request.POST, prefix=f"verify-{verification.pk}")
    if not form.is_valid():
        return account_change_page(request, change, verify_form=form)
    try:
        services.account_verification_verify(verification=verification, by=request.user)
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        change.refresh_from_db()
        if change.state == AccountChange.State.IN_EFFECT:
            messages.success(request, _("The account is verified and now in effect: grants are paid to it."))
        else:
            messages.success(
                request,
                _(
                    "The account is verified for %(municipality)s. It takes effect when every municipality has verified it."
                )
                % {"municipality": verification.municipality},
            )
    return redirect("organizations:account_change", pk=change.pk)


@login_required
def organisation_documents(request, pk):
    organisation = _organisation(request, pk)
    can_upload = request.user.has_perm("organizations.manage_documents", organisation)
    form = DocumentUploadForm(
        request.POST or None, request.FILES or None, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.document_upload(
                    organisation=organisation,
                    by=request.user,
                    doc_type=form.cleaned_data["doc_type"],
                    year=form.cleaned_data["year"],
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                messages.success(request, _("The document is uploaded."))
                return redirect("organizations:documents", pk=organisation.pk)
    return render(
        request,
        "organizations/documents.html",
        {
            "organisation": organisation,
            "form": form,
            "can_upload": can_upload,
            "status": document_status(organisation=organisation),
            "documents": organisation.documents.select_related("uploaded_by"),
        },
    )


@login_required
def document_download(request, pk):
    document = get_object_or_404(OrganisationDocument.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm("organizations.view_organisation", document.organisation):
        raise Http404
    return file_download(document.file, filename=document.original_name, content_type=document.content_type)


@login_required
def organisation_members(request, pk):
    organisation = _organisation(request, pk, "organizations.view_members")
    roles = list(organisation.roles.select_related("user").order_by("state", "user__full_name"))
    rows = [{"role": r, "actions": transitions_for(r, by=request.user)} for r in roles]
    return render(
        request,
        "organizations/members.html",
        {"organisation": organisation, "rows": rows, "form": DecisionReasonForm()},
    )


@login_required
def organisation_search(request):
    if not request.user.has_perm("organizations.search_organisations"):
        raise PermissionDenied
    form = OrganisationSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = paginate(
        request, organisations_search(user=request.user, query=data.get("q", ""), kind=data.get("kind", ""))
    )
    return render(
        request,
        "organizations/search.html",
        {"form": form, "page": page, "query_string": query_without_page(request)},
    )
