from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from organizations.models import OrganisationRole
from organizations.services import email_verification_token

from ..authz import APPLICANT, EVERYONE, SIGNED_IN, Action, Excluded, Page
from ..factories import OrganisationDocumentFactory, UserFactory

ORG_VIEWERS = frozenset({"applicant", "caseworker", "secretary", "member", "program_admin"})
ORG_EDITORS = frozenset({"applicant", "caseworker"})
ANON_ONLY = frozenset({"anonymous"})


def _document(world):
    return {
        "pk": world.objects.setdefault(
            "document", OrganisationDocumentFactory(organisation=world.organisation)
        ).pk
    }


def _request(world):
    joiner = world.objects.get("joiner") or UserFactory(email="joiner@example.se")
    world.objects["joiner"] = joiner
    role = world.objects.get("request") or OrganisationRole.objects.create(
        user=joiner, organisation=world.organisation
    )
    world.objects["request"] = role
    return role


ADMIN = frozenset({"municipality_admin"})


def _staff_role(world):
    """The caseworker's role in Exempelö: the administrator may look at removing it."""
    from organizations.models import StaffRole

    return {"pk": StaffRole.objects.get(user=world.users["caseworker"]).pk}


def _delegation(world):
    from organizations.models import Delegation

    return {"pk": Delegation.objects.get(user=world.users["caseworker"]).pk}


def _reset_kwargs(world):
    user = UserFactory(email="forgot@example.se")
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


URLS = [
    Page("home", SIGNED_IN),
    Page("login", EVERYONE, redirect=SIGNED_IN),
    Action("logout", EVERYONE, login_redirect_ok=True),
    Action("set_language", EVERYONE, data=lambda w: {"language": "en", "next": "/"}),
    Page("password_reset", EVERYONE),
    Page("password_reset_done", EVERYONE),
    Page(
        "password_reset_confirm",
        EVERYONE,
        kwargs=_reset_kwargs,
        status=302,
        a11y_role="anonymous",
        html=False,
    ),
    Page("password_reset_complete", EVERYONE),
    Page("organizations:signup", EVERYONE, redirect=SIGNED_IN),
    Page("organizations:signup_done", EVERYONE),
    Page(
        "organizations:verify_email",
        EVERYONE,
        status=302,
        kwargs=lambda w: {"token": email_verification_token(w.users["applicant"])},
        html=False,
    ),
    Page(
        "organizations:verify_email",
        EVERYONE,
        status=400,
        kwargs=lambda w: {"token": "broken"},
        label="organizations:verify_email (bad link)",
    ),
    Action("organizations:verify_email_resend", SIGNED_IN),
    Page(
        "organizations:search",
        frozenset({"caseworker", "secretary", "member", "program_admin", "other_caseworker"}),
    ),
    Page(
        "organizations:search",
        frozenset({"caseworker", "secretary", "member", "program_admin", "other_caseworker"}),
        query="?q=Trygg&kind=nonprofit",
        label="organizations:search (filtered)",
    ),
    Page("organizations:register", SIGNED_IN),
    Page("organizations:join", SIGNED_IN),
    Page("organizations:detail", ORG_VIEWERS, kwargs=lambda w: {"pk": w.organisation.pk}),
    Page("organizations:edit", ORG_EDITORS, kwargs=lambda w: {"pk": w.organisation.pk}),
    Page("organizations:people", ORG_EDITORS, kwargs=lambda w: {"pk": w.organisation.pk}),
    Page(
        "organizations:bank_account",
        frozenset({"caseworker", "program_admin"}),
        kwargs=lambda w: {"pk": w.organisation.pk},
    ),
    Page("organizations:documents", ORG_VIEWERS, kwargs=lambda w: {"pk": w.organisation.pk}),
    Page("organizations:members", ORG_EDITORS, kwargs=lambda w: {"pk": w.organisation.pk}, setup=_request),
    Page("organizations:document_download", ORG_VIEWERS, kwargs=_document, html=False),
    Action(
        "organizations:role_transition",
        frozenset({"applicant", "caseworker"}),
        kwargs=lambda w: {"pk": _request(w).pk, "name": "approve"},
    ),
    # the municipality's set-up
    Page("organizations:setup", ADMIN, kwargs=lambda w: {"pk": w.municipality.pk}),
    Page("organizations:committee_create", ADMIN, kwargs=lambda w: {"municipality_pk": w.municipality.pk}),
    Action(
        "organizations:committee_create",
        ADMIN,
        kwargs=lambda w: {"municipality_pk": w.municipality.pk},
        data=lambda w: {"name": "Kulturnämnden", "code": "KN"},
        label="organizations:committee_create (save)",
    ),
    Page("organizations:committee_edit", ADMIN, kwargs=lambda w: {"pk": w.committee.pk}),
    Action(
        "organizations:committee_edit",
        ADMIN,
        kwargs=lambda w: {"pk": w.committee.pk},
        data=lambda w: {"name": "Socialnämnden", "code": "SN"},
        label="organizations:committee_edit (save)",
    ),
    Page("organizations:staff", ADMIN, kwargs=lambda w: {"pk": w.municipality.pk}),
    Page("organizations:staff_role_grant", ADMIN, kwargs=lambda w: {"pk": w.municipality.pk}),
    Action(
        "organizations:staff_role_grant",
        ADMIN,
        kwargs=lambda w: {"pk": w.municipality.pk},
        data=lambda w: {
            "email": "ny@exemplo.se",
            "full_name": "Nina Ny",
            "role": "caseworker",
            "committee": "",
        },
        label="organizations:staff_role_grant (save)",
    ),
    Page("organizations:staff_role_revoke", ADMIN, kwargs=_staff_role),
    Action(
        "organizations:staff_role_revoke",
        ADMIN,
        kwargs=_staff_role,
        label="organizations:staff_role_revoke (save)",
    ),
    Page("organizations:delegations", ADMIN, kwargs=lambda w: {"pk": w.municipality.pk}),
    Page("organizations:delegation_create", ADMIN, kwargs=lambda w: {"pk": w.municipality.pk}),
    Action(
        "organizations:delegation_create",
        ADMIN,
        kwargs=lambda w: {"pk": w.municipality.pk},
        data=lambda w: {
            "user": w.users["secretary"].pk,
            "committee": w.committee.pk,
            "matter": "grant",
            "max_amount": "20000",
            "valid_from": "2026-01-01",
        },
        label="organizations:delegation_create (save)",
    ),
    Page("organizations:delegation_end", ADMIN, kwargs=_delegation),
    Action(
        "organizations:delegation_end", ADMIN, kwargs=_delegation, label="organizations:delegation_end (save)"
    ),
    Page(
        "workflows:history",
        ADMIN | {"caseworker"},
        label="workflows:history (staff role)",
        kwargs=lambda w: {"app_label": "organizations", "model": "staffrole", **_staff_role(w)},
    ),
    Page(
        "workflows:history",
        ADMIN | {"caseworker"},
        label="workflows:history (delegation)",
        kwargs=lambda w: {"app_label": "organizations", "model": "delegation", **_delegation(w)},
    ),
    Excluded("workflows:history", "covered per case type by the entries below"),
    Page(
        "workflows:history",
        frozenset({"applicant", "caseworker"}),
        label="workflows:history (organisation role)",
        kwargs=lambda w: {"app_label": "organizations", "model": "organisationrole", "pk": _request(w).pk},
    ),
    Page(
        "workflows:history",
        frozenset({"applicant", "caseworker"}),
        label="workflows:history (own role)",
        kwargs=lambda w: {
            "app_label": "organizations",
            "model": "organisationrole",
            "pk": w.users["applicant"].org_roles.get().pk,
        },
    ),
]

__all__ = ["URLS", "APPLICANT"]
