"""Signing in with a link sent by e-mail (for applicants)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.services import LinkExpired, LinkInvalid
from workflows.services import outbox_enqueue

LOGIN_LINK_SALT = "bidra.login-link"

__all__ = ["LinkExpired", "LinkInvalid", "login_link_token", "login_link_send", "login_link_user"]


def _last_login(user) -> str:
    return user.last_login.isoformat() if user.last_login else ""


def login_link_token(user) -> str:
    """Signed, dated, and bound to the last sign-in: once used (or after any sign-in) it is void."""
    return signing.TimestampSigner(salt=LOGIN_LINK_SALT).sign_object(
        {"u": user.pk, "e": user.email, "l": _last_login(user)}
    )


def login_link_send(*, email: str) -> None:
    """E-mail a sign-in link if an active account has this address (says nothing otherwise)."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=email.strip(), is_active=True, is_system=False).first()
    if user is None:
        return
    token = login_link_token(user)
    link = settings.SITE_URL + reverse("accounts:login_link_use", kwargs={"token": token})
    outbox_enqueue(
        key=f"login-link:{user.pk}:{hashlib.sha256(token.encode()).hexdigest()[:24]}",
        to=user.email,
        subject=_("Your link to sign in to Bidra"),
        template="accounts/email/login_link.txt",
        context={"user": user, "link": link, "minutes": settings.LOGIN_LINK_MAX_AGE // 60},
    )


def login_link_user(*, token: str, lock: bool = False):
    """The user a sign-in link is for.  Raises LinkExpired or LinkInvalid (also when used already)."""
    User = get_user_model()
    try:
        data = signing.TimestampSigner(salt=LOGIN_LINK_SALT).unsign_object(
            token, max_age=settings.LOGIN_LINK_MAX_AGE
        )
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    users = User.objects.filter(pk=data.get("u"), email=data.get("e"), is_active=True)
    if lock:
        users = users.select_for_update()
    user = users.first()
    if user is None or _last_login(user) != data.get("l"):
        raise LinkInvalid
    return user


def login_link_sign_in(*, token: str, request):
    """Use a sign-in link once: sign the user in and mark their e-mail address confirmed."""
    from django.contrib.auth import login

    with transaction.atomic():
        user = login_link_user(token=token, lock=True)
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user
