"""Fixtures every test may use: a small world with one user per role."""

from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.test.client import ClientMixin

from organizations.models import StaffRole

from . import factories as f

ROLES = [
    "anonymous",
    "applicant",
    "other_applicant",
    "other_caseworker",
    "caseworker",
    "secretary",
    "member",
    "program_admin",
]
STAFF_ROLES = {"caseworker", "secretary", "member", "program_admin"}


@dataclass
class World:
    municipality: object
    other_municipality: object
    committee: object
    other_committee: object
    organisation: object
    other_organisation: object
    users: dict
    objects: dict = field(default_factory=dict)

    def user(self, role):
        return self.users.get(role)


def build_world() -> World:
    municipality = f.MunicipalityFactory(name="Exempelö kommun", slug="exemplo")
    other_municipality = f.MunicipalityFactory(name="Grannby kommun", slug="grannby")
    committee = f.CommitteeFactory(municipality=municipality, code="SN", name="Socialnämnden")
    other_committee = f.CommitteeFactory(municipality=other_municipality, code="SN", name="Socialnämnden")
    organisation = f.OrganisationFactory(name="Föreningen Trygg Vardag", active_in=[municipality])
    other_organisation = f.OrganisationFactory(name="Grannby IF", active_in=[other_municipality])
    users = {"anonymous": None}
    users["applicant"] = f.UserFactory(email="sokande@example.se", full_name="Siv Sökande")
    f.active_role(users["applicant"], organisation)
    users["other_applicant"] = f.UserFactory(email="annan@example.se", full_name="Olle Annan")
    f.active_role(users["other_applicant"], other_organisation)
    users["other_caseworker"] = f.UserFactory(email="handlaggare@grannby.se", full_name="Gustav Grannby")
    f.StaffRoleFactory(
        user=users["other_caseworker"], municipality=other_municipality, role=StaffRole.Role.CASEWORKER
    )
    for role, value in [
        ("caseworker", StaffRole.Role.CASEWORKER),
        ("secretary", StaffRole.Role.SECRETARY),
        ("member", StaffRole.Role.MEMBER),
        ("program_admin", StaffRole.Role.PROGRAM_ADMIN),
    ]:
        users[role] = f.UserFactory(email=f"{role}@exemplo.se", full_name=f"{role.title()} Exempelö")
        f.StaffRoleFactory(user=users[role], municipality=municipality, committee=None, role=value)
    f.DelegationFactory(user=users["caseworker"], committee=committee, max_amount=30000)
    return World(
        municipality, other_municipality, committee, other_committee, organisation, other_organisation, users
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _private_media(tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _swedish(settings):
    settings.LANGUAGE_CODE = "sv"
    from django.utils import translation

    translation.activate("sv")
    yield
    translation.deactivate()


@pytest.fixture
def mailoutbox_sent(mailoutbox, django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the outbox sends after commit) and return the sent mail."""
    return mailoutbox


def is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


# --- Signing in within tests -----------------------------------------------------------------
#
# ``client.force_login(user)`` stands for a completed sign-in.  For staff that includes the
# second factor (a confirmed authenticator app and a verified session), so every test that
# signs staff in this way reaches their pages.  A test of the second factor itself uses
# ``force_login_without_second_factor`` or the real sign-in pages.

_force_login = ClientMixin.force_login


def force_login_without_second_factor(client, user):
    _force_login(client, user)


def verify_second_factor(client, user) -> None:
    """Give ``user`` a confirmed authenticator app and mark the client's session as verified."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.twofactor import requires_second_factor

    if not requires_second_factor(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Bidra", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _force_login_includes_second_factor(monkeypatch):
    def force_login(self, user, backend=None):
        _force_login(self, user, backend)
        if not getattr(user, "second_factor_pending", False):
            verify_second_factor(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and throttles count in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
