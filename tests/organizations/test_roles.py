"""A user's roles, read on every request: staff roles and active organisation roles, in one
statement, and only the user's own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import OrganisationRole, StaffRole
from organizations.permissions import active_org_roles, forget_permissions, staff_roles

from ..factories import (
    CommitteeFactory,
    OrganisationFactory,
    OrganisationRoleFactory,
    StaffRoleFactory,
    UserFactory,
    active_role,
)

pytestmark = pytest.mark.django_db


def test_staff_and_organisation_roles_are_read_together_and_only_the_active_ones():
    user, other = UserFactory(), UserFactory()
    committee = CommitteeFactory()
    StaffRoleFactory(user=user, municipality=committee.municipality, role=StaffRole.Role.CASEWORKER)
    StaffRoleFactory(
        user=user, municipality=committee.municipality, committee=committee, role=StaffRole.Role.MEMBER
    )
    StaffRoleFactory(user=other, municipality=committee.municipality)
    signatory = active_role(user, OrganisationFactory(name="Ödeshögs IF"))
    OrganisationRoleFactory(user=user, kind=OrganisationRole.Kind.MEMBER)  # requested, not active
    active_role(other, OrganisationFactory(name="Annan förening"))
    forget_permissions(user)

    with CaptureQueriesContext(connection) as ctx:
        staff = staff_roles(user)
        organisations = active_org_roles(user)
        assert staff_roles(user) == staff  # memoised
    assert len(ctx.captured_queries) == 1
    assert sorted(staff, key=lambda r: r[2]) == [
        (committee.municipality_id, None, "caseworker"),
        (committee.municipality_id, committee.pk, "member"),
    ]
    assert organisations == {signatory.organisation_id: "signatory"}


def test_a_user_without_roles_has_none():
    user = UserFactory()
    assert staff_roles(user) == [] and active_org_roles(user) == {}


def test_an_applicant_page_reads_the_roles_once(client):
    user = UserFactory()
    role = active_role(user, OrganisationFactory(name="Ödeshögs IF"))
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("organizations:detail", args=[role.organisation_id])).status_code == 200
    role_reads = [
        q["sql"]
        for q in ctx.captured_queries
        if "organizations_staffrole" in q["sql"] or "organisationrole" in q["sql"]
    ]
    assert len(role_reads) == 1, role_reads
