"""Fixtures every test may use: a small world with one user per role."""

from dataclasses import dataclass, field

import pytest
from django.conf import settings

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
