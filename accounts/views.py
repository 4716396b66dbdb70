"""Sign-in pages: password, second factor, sign-in link, single sign-on; and personal data for support."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows.services import outbox_enqueue

from . import personal_data as pdata
from . import services, twofactor
from .forms import ErasureForm, LoginLinkForm, OTPCodeForm, PersonalDataSearchForm
from .oidc import oidc_enabled


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return reverse(name) + "?" + urlencode({"next": next_url})


def _sign_in_context() -> dict:
    return {"oidc_enabled": oidc_enabled(), "oidc_provider_name": settings.OIDC_PROVIDER_NAME}


class SignInView(auth_views.LoginView):
    """Sign in with e-mail and password; staff then confirm with a one-time code."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_sign_in_context()}

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if twofactor.requires_second_factor(user) and not twofactor.is_verified(self.request):
            name = "accounts:otp_verify" if twofactor.has_device(user) else "accounts:otp_setup"
            return redirect(_with_next(name, self.get_success_url()))
        return response


def locked_out(request, original_response=None, credentials=None):
    """What a locked-out person sees: the sign-in page, with why and for how long (HTTP 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "form": AuthenticationForm(request),
        "locked_out": True,
        "minutes": minutes,
        "next": request.POST.get("next", ""),
        **_sign_in_context(),
    }
    return render(request, "accounts/login.html", context, status=429)


def _staff_only(request):
    if not twofactor.requires_second_factor(request.user):
        raise Http404


@login_required
def otp_verify(request):
    """The second step of a staff sign-in: the code from the authenticator app."""
    _staff_only(request)
    next_url = _next_url(request)
    if twofactor.is_verified(request):
        return redirect(next_url)
    if not twofactor.has_device(request.user):
        return redirect(_with_next("accounts:otp_setup", next_url))
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.verify_code(request, form.cleaned_data["code"]):
            return redirect(next_url)
        form.add_error(
            "code",
            _("The code is not right. Check that the clock of your phone is right and try the next code."),
        )
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@login_required
def otp_setup(request):
    """Enrol an authenticator app (or replace it, once signed in with the old one)."""
    _staff_only(request)
    user = request.user
    next_url = _next_url(request)
    replacing = twofactor.has_device(user)
    if replacing and not twofactor.is_verified(request):
        return redirect(_with_next("accounts:otp_verify", next_url))
    device = twofactor.pending_device(user)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            confirmed = twofactor.device_confirm(request, device, form.cleaned_data["code"])
            if confirmed:
                outbox_enqueue(
                    key=f"otp-device:{user.pk}:{device.pk}",
                    to=user.email,
                    subject=_("A new authenticator app was connected to your Bidra account"),
                    template="accounts/email/otp_device_added.txt",
                    context={"user": user},
                )
        if confirmed:
            messages.success(request, _("Your authenticator app is connected."))
            return redirect(next_url)
        form.add_error("code", _("The code is not right. Scan the code again, or type the key, and retry."))
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "next": next_url,
            "replacing": replacing,
            "qr_svg": mark_safe(twofactor.qr_svg(device.config_url)),  # noqa: S308 - generated by qrcode
            "secret": twofactor.device_secret(device),
            "config_url": device.config_url,
        },
    )


def login_link(request):
    """Ask for a sign-in link by e-mail."""
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            services.login_link_send(email=form.cleaned_data["email"])
        request.session["login_link_email"] = form.cleaned_data["email"]
        return redirect("accounts:login_link_sent")
    return render(request, "accounts/login_link.html", {"form": form})


def login_link_sent(request):
    return render(
        request,
        "accounts/login_link_sent.html",
        {"email": request.session.get("login_link_email", ""), "minutes": settings.LOGIN_LINK_MAX_AGE // 60},
    )


def login_link_use(request, token):
    """Show who the link signs in; the button (POST) signs in, so a mail scanner's visit does not."""
    try:
        user = services.login_link_user(token=token)
    except services.LinkExpired:
        return render(request, "accounts/login_link_failed.html", {"expired": True}, status=400)
    except services.LinkInvalid:
        return render(request, "accounts/login_link_failed.html", {"expired": False}, status=400)
    if request.method == "POST":
        try:
            user = services.login_link_sign_in(token=token, request=request)
        except (services.LinkExpired, services.LinkInvalid):
            return render(request, "accounts/login_link_failed.html", {"expired": False}, status=400)
        if twofactor.requires_second_factor(user):
            name = "accounts:otp_verify" if twofactor.has_device(user) else "accounts:otp_setup"
            return redirect(_with_next(name, reverse("home")))
        return redirect("home")
    return render(request, "accounts/login_link_use.html", {"link_user": user})


def _support(request):
    if not request.user.has_perm("accounts.manage_personal_data"):
        raise PermissionDenied


@login_required
def personal_data(request):
    """Support: find what Bidra holds about a person, export it, or erase it."""
    _support(request)
    form = PersonalDataSearchForm(request.GET or None)
    context = {"form": form}
    if request.GET and form.is_valid():
        email = form.cleaned_data["email"]
        subject = pdata.subject_for(email)
        context.update(
            {
                "subject": subject,
                "summary": pdata.personal_data_summary(email=email),
                "obstacles": pdata.erasure_obstacles(email=email),
                "erase_form": ErasureForm(initial={"email": email}),
            }
        )
    return render(request, "accounts/personal_data.html", context)


@login_required
def personal_data_export(request):
    """Support: everything held about a person, as a JSON file."""
    _support(request)
    form = PersonalDataSearchForm(request.GET or None)
    if not form.is_valid():
        raise Http404
    with transaction.atomic():
        data = pdata.personal_data_export(email=form.cleaned_data["email"], by=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="personuppgifter.json"'
    return response


@login_required
@require_POST
def personal_data_erase(request):
    """Support: erase a person's data where the law allows."""
    _support(request)
    form = ErasureForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason and confirm that the law allows the erasure."))
        return redirect(
            reverse("accounts:personal_data") + "?" + urlencode({"email": request.POST.get("email", "")})
        )
    email = form.cleaned_data["email"]
    try:
        pdata.person_erase(email=email, by=request.user, reason=form.cleaned_data["reason"])
    except pdata.ErasureRefused as exc:
        for reason in exc.reasons:
            messages.error(request, reason)
        return redirect(reverse("accounts:personal_data") + "?" + urlencode({"email": email}))
    messages.success(request, _("The personal data of %(email)s is erased.") % {"email": email})
    return redirect("accounts:personal_data")
