"""Request guards: the second factor for staff, rate limits on public forms, Permissions-Policy;
and the language of the pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from . import ratelimit, twofactor

#: URL names an unverified staff user may still reach
SECOND_FACTOR_ALLOWED = {
    "logout",
    "set_language",
    "login",
    "accounts:otp_verify",
    "accounts:otp_setup",
    "accounts:oidc_start",
    "accounts:oidc_callback",
}


class NoStoreMiddleware:
    """What a signed-in person sees, and every file downloaded, is kept by no browser or proxy
    cache (``Cache-Control: no-store``): on a shared computer the back button or the cache must
    not show the next person a case, a letter or a person's data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or is_download(response):
            add_never_cache_headers(response)
        return response


def is_download(response) -> bool:
    return isinstance(response, FileResponse) or response.get("Content-Disposition", "").startswith(
        "attachment"
    )


class SecondFactorMiddleware:
    """Until a staff user has passed the second factor, no page but these is reachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not twofactor.requires_second_factor(user):
            return None
        if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_ALLOWED:
            return None
        if twofactor.is_verified(request):
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Confirm your sign-in with a one-time code before you use the API.")},
                status=403,
            )
        target = "accounts:otp_verify" if twofactor.has_device(user) else "accounts:otp_setup"
        response = redirect(target)
        if request.method == "GET":
            response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response


def _limit(spec: str) -> tuple[int, int]:
    count, seconds = spec.split("/")
    return int(count), int(seconds)


def rate_limited(request, name: str, spec: str) -> bool:
    """Count this request against the limits of ``name``; True when a limit is exceeded."""
    count, seconds = _limit(spec)
    keys = [f"{name}:ip:{ratelimit.keyed(ratelimit.client_address(request))}"]
    # The sign-in form's "username" is left out on purpose: counting it would let anyone lock
    # a person out from many addresses (the per-address lock-out of django-axes covers it).
    email = (request.POST.get("email") or "").strip().lower()
    if email:
        keys.append(f"{name}:email:{ratelimit.keyed(email)}")
    # every key is counted, also after one is over its limit
    allowed = [ratelimit.hit(key, limit=count, window=seconds) for key in keys]
    return not all(allowed)


class RateLimitMiddleware:
    """Limits how often a public form (sign-up, password reset, login link) can be sent.

    ``settings.RATE_LIMITS`` maps URL names to "count/seconds"; only POST requests count.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not getattr(settings, "RATE_LIMIT_ENABLED", True):
            return None
        match = request.resolver_match
        spec = settings.RATE_LIMITS.get(match.view_name) if match else None
        if spec is None or not rate_limited(request, match.view_name, spec):
            return None
        minutes = max(1, _limit(spec)[1] // 60)
        response = render(request, "accounts/rate_limited.html", {"minutes": minutes}, status=429)
        response["Retry-After"] = str(_limit(spec)[1])
        return response


class PermissionsPolicyMiddleware:
    """Tells the browser that Bidra uses no camera, microphone, location or payment features."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.setdefault("Permissions-Policy", policy)
        return response


class SwedishUnlessChosenMiddleware(LocaleMiddleware):
    """Bidra speaks Swedish, a Swedish public authority's language, whatever the browser asks for;
    a person who chooses English (the language button, which sets the language cookie) gets it."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
