"""Single sign-on with OpenID Connect (mozilla-django-oidc).

The identity provider tells who the person is; Bidra decides what they may do.
A person is matched to an existing, active Bidra account by e-mail address (or the
claim named in ``OIDC_MATCH_CLAIM``); nobody is created and no role is granted by
a sign-in.  An unknown address is refused with a message saying whom to ask.
A sign-in through the identity provider counts as passing the second factor.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .twofactor import IDP_SESSION_KEY

logger = logging.getLogger(__name__)


def oidc_enabled() -> bool:
    return all(
        getattr(settings, name, "")
        for name in (
            "OIDC_RP_CLIENT_ID",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
        )
    )


class StaffOIDCBackend(OIDCAuthenticationBackend):
    """Matches the identity provider's person to an existing Bidra account; never creates one."""

    def __init__(self, *args, **kwargs):
        if oidc_enabled():
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or not oidc_enabled():
            return None
        return super().authenticate(request, **kwargs)

    def _claim(self, claims) -> str:
        return str(claims.get(settings.OIDC_MATCH_CLAIM) or "").strip()

    def verify_claims(self, claims) -> bool:
        if not self._claim(claims):
            self._refuse(_("The identity provider did not say which e-mail address you have."))
            return False
        if claims.get("email_verified") is False:
            self._refuse(_("The identity provider has not confirmed your e-mail address."))
            return False
        return True

    def filter_users_by_claims(self, claims):
        value = self._claim(claims)
        users = self.UserModel.objects.filter(email__iexact=value, is_active=True, is_system=False)
        if not users.exists():
            self._refuse(
                _(
                    "There is no Bidra account for %(email)s. Ask your administrator to give you "
                    "a role in Bidra; then sign in again."
                )
                % {"email": value}
            )
        return users

    def create_user(self, claims):  # pragma: no cover - OIDC_CREATE_USER is False
        return None

    def update_user(self, user, claims):
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
        return user

    def _refuse(self, message: str) -> None:
        self.request.bidra_oidc_refusal = message


class AuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the identity provider (404 when single sign-on is not configured)."""

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the identity provider sends the browser back."""

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        return super().get(request)

    def login_success(self):
        response = super().login_success()
        self.request.session[IDP_SESSION_KEY] = True
        return response

    def login_failure(self):
        message = getattr(self.request, "bidra_oidc_refusal", None) or _(
            "Signing in through the identity provider did not succeed. Try again, or sign in with "
            "your e-mail address and password."
        )
        messages.error(self.request, message)
        return HttpResponseRedirect(resolve_url(settings.LOGIN_REDIRECT_URL_FAILURE))
