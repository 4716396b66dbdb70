"""The second factor for staff: who needs it, and whether this session has passed it.

Every staff account (a StaffRole, or admin access) that signs in with a password
confirms with a one-time code from an authenticator app (TOTP, django-otp).  A
sign-in through the municipality's identity provider counts as verified: the
identity provider does its own multi-factor authentication.
"""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify

import django_otp
from django_otp.plugins.otp_totp.models import TOTPDevice

from organizations.permissions import has_any_staff_role

#: set in the session when the identity provider (OpenID Connect) signed the user in
IDP_SESSION_KEY = "bidra_signed_in_by_idp"
DEVICE_NAME = "Bidra"


def requires_second_factor(user) -> bool:
    """Staff (any StaffRole, administrators of a municipality included, admin access or superuser)
    must pass a second factor."""
    if not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or has_any_staff_role(user))


def is_verified(request) -> bool:
    """Whether this session has passed the second factor (or came from the identity provider)."""
    if request.session.get(IDP_SESSION_KEY):
        return True
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (created on first visit, reused after)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def device_secret(device: TOTPDevice) -> str:
    """The key as base32 in groups of four, for typing into an app by hand."""
    secret = b32encode(unhexlify(device.key)).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(data: str) -> str:
    """An SVG QR code of ``data`` (no raster images, no inline styles)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def verify_code(request, code: str) -> bool:
    """Check ``code`` against the user's confirmed devices; mark the session verified on success."""
    code = "".join(code.split())
    for device in django_otp.devices_for_user(request.user, confirmed=True):
        verified = django_otp.verify_token(request.user, device.persistent_id, code)
        if verified is not None:
            _passed(request, verified)
            return True
    return False


def _passed(request, device) -> None:
    """The session has passed the second factor: marked so, under a new key, so that a session
    key learnt before the code was entered (a shared computer, a fixed cookie) is worth nothing."""
    django_otp.login(request, device)
    request.session.cycle_key()


def device_confirm(request, device: TOTPDevice, code: str) -> bool:
    """Confirm a device being enrolled with a code from it; it replaces any earlier device."""
    code = "".join(code.split())
    if not device.verify_token(code):
        return False
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _passed(request, device)
    return True
