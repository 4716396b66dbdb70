"""Sign-in, second factor, sign-in links, single sign-on and personal data: who may reach what."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import login_link_token
from organizations.models import StaffRole

from ..authz import EVERYONE, SIGNED_IN, STAFF, Action, Page
from ..factories import StaffRoleFactory, UserFactory

ANY_STAFF = STAFF | {"other_caseworker", "municipality_admin"}  # everyone who needs the second factor
NOBODY = frozenset()


def _unverified_staff(world):
    """A caseworker with an authenticator app who has signed in with a password only."""
    if "unverified_staff" not in world.users:
        user = UserFactory(email="ny.handlaggare@exemplo.se", full_name="Nina Ny")
        StaffRoleFactory(user=user, municipality=world.municipality, role=StaffRole.Role.CASEWORKER)
        TOTPDevice.objects.create(user=user, name="Bidra", confirmed=True)
        user.second_factor_pending = True
        world.users["unverified_staff"] = user
    return world.users["unverified_staff"]


def _support(world):
    """Support staff: admin access (is_staff), no municipality role."""
    if "support" not in world.users:
        world.users["support"] = UserFactory(
            email="support@exemplo.se", full_name="Sara Support", is_staff=True
        )
    return world.users["support"]


def _link(world):
    """A link for someone who is not signed in anywhere (signing in voids earlier links)."""
    user = world.objects.get("link_user") or UserFactory(email="lank@example.se", full_name="Lina Länk")
    world.objects["link_user"] = user
    return {"token": login_link_token(user)}


URLS = [
    Page(
        "accounts:otp_verify",
        ANY_STAFF,
        redirect=ANY_STAFF,
        setup=_unverified_staff,
        a11y_role="unverified_staff",
    ),
    Page("accounts:otp_setup", ANY_STAFF),
    Page("accounts:login_link", EVERYONE, redirect=SIGNED_IN),
    Action(
        "accounts:login_link",
        EVERYONE,
        data=lambda w: {"email": "sokande@example.se"},
        label="accounts:login_link (send)",
    ),
    Page("accounts:login_link_sent", EVERYONE),
    Page("accounts:login_link_use", EVERYONE, kwargs=_link),
    Page(
        "accounts:login_link_use",
        EVERYONE,
        kwargs=lambda w: {"token": "broken"},
        status=400,
        label="accounts:login_link_use (bad link)",
    ),
    Action("accounts:login_link_use", EVERYONE, kwargs=_link, label="accounts:login_link_use (sign in)"),
    # Single sign-on is off unless configured (tests/security/test_oidc.py turns it on).
    Page("accounts:oidc_start", NOBODY, html=False, label="accounts:oidc_start (not configured)"),
    Page("accounts:oidc_callback", NOBODY, html=False, label="accounts:oidc_callback (not configured)"),
    # Support staff only (see tests/security/test_personal_data.py for what they can do).
    Page("accounts:personal_data", NOBODY, setup=_support, a11y_role="support"),
    Page(
        "accounts:personal_data",
        NOBODY,
        setup=_support,
        a11y_role="support",
        query="?email=sokande%40example.se",
        label="accounts:personal_data (found)",
    ),
    Page(
        "accounts:personal_data",
        NOBODY,
        setup=_support,
        a11y_role="support",
        query="?email=caseworker%40exemplo.se",
        label="accounts:personal_data (cannot erase)",
    ),
    Page("accounts:personal_data_export", NOBODY, query="?email=sokande%40example.se", html=False),
    Action(
        "accounts:personal_data_erase",
        NOBODY,
        data=lambda w: {"email": "sokande@example.se", "reason": "Begäran 2026-05-01", "confirm": "on"},
    ),
]
