"""The municipality's set-up by its administrator: committees, staff roles and delegations,
each change permission-checked and logged, and the administrator kept out of the cases."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_fsm_log.models import StateLog

from grants.models import EligibilityRule
from meetings.services import DelegationRefused, delegation_for
from organizations import services
from organizations.models import Committee, Municipality, StaffRole
from organizations.permissions import forget_permissions, staff_municipality_ids
from workflows.models import OutboxMessage
from workflows.services import TransitionRefused

from ..factories import UserFactory
from ..grants.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def _admin(world):
    return world.user("municipality_admin")


def test_a_role_given_on_the_page_is_logged_with_who_gave_it_and_the_new_person_is_invited(world):
    role = services.staff_role_grant(
        municipality=world.municipality,
        email="Nina@Exemplo.se",
        full_name="Nina Ny",
        role=StaffRole.Role.CASEWORKER,
        committee=world.committee,
        by=_admin(world),
    )
    assert (role.user.email, role.state) == ("nina@exemplo.se", StaffRole.State.ACTIVE)
    entry = StateLog.objects.for_(role).get()
    assert (entry.transition, entry.by) == ("grant", _admin(world))
    mail = OutboxMessage.objects.get(to="nina@exemplo.se")
    assert "/losenord/aterstall/" in mail.body
    assert world.municipality.pk in staff_municipality_ids(role.user, ("caseworker",))


def test_a_revoked_role_gives_no_access_and_can_be_given_again(world):
    caseworker = world.user("caseworker")
    role = StaffRole.objects.get(user=caseworker)
    services.staff_role_revoke(role=role, by=_admin(world), reason="Slutat")
    forget_permissions(caseworker)
    assert not staff_municipality_ids(caseworker)
    assert not caseworker.has_perm("organizations.search_organisations")

    again = services.staff_role_grant(
        municipality=world.municipality,
        email=caseworker.email,
        full_name="",
        role=StaffRole.Role.CASEWORKER,
        committee=None,
        by=_admin(world),
    )
    assert again.pk == role.pk
    assert [e.transition for e in StateLog.objects.for_(role).order_by("pk")] == ["revoke", "grant"]


def test_only_an_administrator_of_the_municipality_changes_its_staff(world):
    for someone in (world.user("program_admin"), world.user("other_caseworker")):
        with pytest.raises(PermissionDenied):
            services.staff_role_grant(
                municipality=world.municipality,
                email="x@exemplo.se",
                full_name="X",
                role=StaffRole.Role.MUNICIPALITY_ADMIN,
                committee=None,
                by=someone,
            )
    assert not StaffRole.objects.filter(user__email="x@exemplo.se").exists()


def test_the_last_administrator_cannot_remove_their_own_role(world):
    own = StaffRole.objects.get(user=_admin(world))
    with pytest.raises(TransitionRefused, match="minst en kommunadministratör"):
        services.staff_role_revoke(role=own, by=_admin(world))
    assert StaffRole.objects.get(pk=own.pk).state == StaffRole.State.ACTIVE


def test_a_committee_code_is_unique_in_the_municipality(world):
    with pytest.raises(ValidationError):
        services.committee_save(
            committee=Committee(municipality=world.municipality, name="Sociala nämnden", code="sn"),
            by=_admin(world),
        )
    with pytest.raises(PermissionDenied):
        services.committee_save(
            committee=Committee(municipality=world.municipality, name="Kulturnämnden", code="KN"),
            by=world.user("program_admin"),
        )


def test_the_committees_registry_e_mail_is_set_on_the_committees_page(world, client):
    client.force_login(_admin(world))
    url = reverse("organizations:committee_edit", kwargs={"pk": world.committee.pk})
    assert "Registratorns e-post" in client.get(url).content.decode()

    response = client.post(
        url, {"name": "Socialnämnden", "code": "SN", "registry_email": "registrator@exemplo.se"}
    )

    assert response.status_code == 302
    world.committee.refresh_from_db()
    assert world.committee.registry_email == "registrator@exemplo.se"


def test_an_ended_delegation_no_longer_lets_the_official_decide(world):
    secretary = world.user("secretary")
    delegation = services.delegation_create(
        committee=world.committee,
        user=secretary,
        matter="grant",
        max_amount=Decimal(20000),
        valid_from=date(2026, 1, 1),
        by=_admin(world),
    )
    assert delegation_for(user=secretary, committee=world.committee, matter="grant", amount=Decimal(15000))
    services.delegation_end(delegation=delegation, by=_admin(world), reason="Ny delegationsordning")
    with pytest.raises(DelegationRefused, match="ingen giltig delegation"):
        delegation_for(user=secretary, committee=world.committee, matter="grant", amount=Decimal(15000))
    assert [e.transition for e in StateLog.objects.for_(delegation).order_by("pk")] == ["delegate", "end"]


def test_the_administrator_sees_the_set_up_but_no_cases(client, world):
    client.force_login(_admin(world))
    program = ProgramFactory(committee=world.committee, municipality=world.municipality)
    home = client.get(reverse("home")).content.decode()
    assert reverse("organizations:staff", args=[world.municipality.pk]) in home
    assert "Registrera din organisation" not in home  # an official is not shown the association's start
    assert client.get(reverse("grants:program_detail", args=[program.pk])).status_code in (403, 404)
    assert client.get(reverse("organizations:detail", args=[world.organisation.pk])).status_code in (403, 404)


def test_the_program_page_shows_eligibility_rules_in_words(client, world):
    program = ProgramFactory(committee=world.committee, municipality=world.municipality)
    EligibilityRule.objects.create(
        program=program, kind="org_kinds", params={"kinds": ["nonprofit", "religious"]}
    )
    EligibilityRule.objects.create(program=program, kind="min_resident_members", params={"min": 10})
    client.force_login(world.user("program_admin"))
    page = client.get(reverse("grants:program_detail", args=[program.pk])).content.decode()
    assert "ideell förening, registrerat trossamfund" in page
    assert "minst 10 medlemmar" in page
    assert "{&#x27;kinds&#x27;" not in page and "nonprofit" not in page


def test_the_program_administrator_start_page_says_what_a_program_lacks(client, world):
    program = ProgramFactory(committee=world.committee, municipality=world.municipality, name="Kulturstöd")
    client.force_login(world.user("program_admin"))
    page = client.get(reverse("home")).content.decode()
    assert "Kulturstöd" in page
    assert reverse("grants:program_section", args=[program.pk, "rounds"]) in page


# ---- a new municipality's first administrator, given by support (SECURITY.md) ----


def test_support_gives_a_new_municipality_its_first_administrator_who_is_invited_and_logged(world):
    support = UserFactory(email="support@bidra.example", is_staff=True)
    out = StringIO()
    call_command(
        "first_municipality_admin",
        "Nyköpings kommun",
        "Ada.Admin@nykoping.example",
        "Ada Admin",
        operator="support@bidra.example",
        grounds="KS 2026-11-02 § 45",
        org_number="212000-0142",
        stdout=out,
    )
    municipality = Municipality.objects.get(name="Nyköpings kommun")
    assert (municipality.slug, municipality.org_number) == ("nykopings-kommun", "2120000142")
    role = StaffRole.objects.get(municipality=municipality)
    assert (role.user.email, role.role, role.state) == (
        "ada.admin@nykoping.example",
        "municipality_admin",
        "active",
    )
    entry = StateLog.objects.for_(role).get()
    assert (entry.transition, entry.by, entry.description) == ("support_grant", support, "KS 2026-11-02 § 45")
    assert "/losenord/aterstall/" in OutboxMessage.objects.get(to="ada.admin@nykoping.example").body
    # From now on she sets up the municipality on its pages; support's part is over.
    assert role.user.has_perm("organizations.manage_staff", municipality)
    with pytest.raises(CommandError, match="redan en administratör"):
        call_command(
            "first_municipality_admin",
            "Nyköpings kommun",
            "bo@nykoping.example",
            "Bo",
            operator="support@bidra.example",
            grounds="KS 2026-11-03 § 1",
        )


def test_only_support_staff_give_a_first_administrator_and_only_with_grounds(world):
    def run(operator, grounds):
        call_command(
            "first_municipality_admin",
            world.municipality.name,
            "eve@exemplo.se",
            "Eve",
            operator=operator,
            grounds=grounds,
        )

    StaffRole.objects.filter(role="municipality_admin").update(state="revoked")
    with pytest.raises(CommandError, match="support"):
        run(world.user("caseworker").email, "KS § 1")
    UserFactory(email="support@bidra.example", is_staff=True)
    with pytest.raises(CommandError, match="grunden"):
        run("support@bidra.example", " ")
    with pytest.raises(CommandError, match="ingen kommun|no municipality"):
        call_command(
            "first_municipality_admin",
            "Okänd kommun",
            "eve@exemplo.se",
            "Eve",
            operator="support@bidra.example",
            grounds="KS § 1",
        )
    assert not StaffRole.objects.filter(user__email="eve@exemplo.se").exists()
