from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from organizations.models import OrganisationRole
from organizations.services import email_verification_token

from ..authz import APPLICANT, EVERYONE, SIGNED_IN, Action, Excluded, Page
from ..factories import OrganisationDocumentFactory, UserFactory

ORG_VIEWERS = frozenset({"applicant", "caseworker", "secretary", "member", "program_admin"})
#: those who read the organisation's users and board: its own users and its municipality's caseworkers
MEMBER_VIEWERS = frozenset({"applicant", "caseworker"})
ANON_ONLY = frozenset({"anonymous"})
#: an organisation active in both municipalities is seen by the staff of both
SHARED_VIEWERS = ORG_VIEWERS | {"other_caseworker"}
#: who sees a change of the shared organisation's account: its users and both municipalities'
#: staff who handle payments (the caseworkers and Exempelö's program administrator)
CHANGE_VIEWERS = frozenset({"applicant", "caseworker", "program_admin", "other_caseworker"})
EXEMPLO_VERIFIERS = frozenset({"caseworker", "program_admin"})
GRANNBY_VERIFIERS = frozenset({"other_caseworker"})
NOBODY = frozenset()


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


def _shared(world):
    return {"pk": world.shared_organisation.pk}


def _shared_activity(which):
    def kwargs(world):
        from organizations.models import OrganisationActivity

        municipality = world.municipality if which == "exemplo" else world.other_municipality
        return {
            "pk": OrganisationActivity.objects.get(
                organisation=world.shared_organisation, municipality=municipality
            ).pk
        }

    return kwargs


def _shared_change(world):
    """A new account of the shared organisation, waiting for both municipalities' verification."""
    from organizations.services import account_change_request

    if "shared_change" not in world.objects:
        world.objects["shared_change"] = account_change_request(
            organisation=world.shared_organisation,
            by=world.users["applicant"],
            account_type="bankgiro",
            account_number="5050-1055",
        )
    return world.objects["shared_change"]


def _change(world):
    return {"pk": _shared_change(world).pk}


def _verification(which):
    def kwargs(world):
        municipality = world.municipality if which == "exemplo" else world.other_municipality
        return {"pk": _shared_change(world).verifications.get(municipality=municipality).pk}

    return kwargs


def _verify_data(which):
    return lambda world: {f"verify-{_verification(which)(world)['pk']}-checked": "on"}


def _signatory_role(world):
    return world.users["applicant"].org_roles.get(organisation=world.shared_organisation)


def _shared_edit_data(world):
    """The shared organisation's details with its activity in Exempelö removed."""
    organisation = world.shared_organisation
    grannby = organisation.activities.get(municipality=world.other_municipality)
    return {
        "name": organisation.name,
        "kind": organisation.kind,
        "member_count": 50,
        "activities-TOTAL_FORMS": "1",
        "activities-INITIAL_FORMS": "1",
        "activities-MIN_NUM_FORMS": "0",
        "activities-MAX_NUM_FORMS": "1000",
        "activities-0-id": grannby.pk,
        "activities-0-organisation": organisation.pk,
        "activities-0-municipality": world.other_municipality.pk,
        "activities-0-resident_members": "40",
    }


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
    # The organisation's register data, users, documents and account are its own: staff read them.
    Page("organizations:edit", APPLICANT, kwargs=lambda w: {"pk": w.organisation.pk}),
    Page("organizations:people", MEMBER_VIEWERS, kwargs=lambda w: {"pk": w.organisation.pk}),
    Action(
        "organizations:people",
        APPLICANT,
        kwargs=lambda w: {"pk": w.organisation.pk},
        data=lambda w: {"people-TOTAL_FORMS": "0", "people-INITIAL_FORMS": "0"},
        label="organizations:people (save)",
    ),
    Page("organizations:bank_account", APPLICANT, kwargs=lambda w: {"pk": w.organisation.pk}),
    Page("organizations:documents", ORG_VIEWERS, kwargs=lambda w: {"pk": w.organisation.pk}),
    Action(
        "organizations:documents",
        APPLICANT,
        kwargs=lambda w: {"pk": w.organisation.pk},
        data=lambda w: {"doc_type": "statutes", "year": "2026"},
        label="organizations:documents (upload)",
    ),
    Page("organizations:members", MEMBER_VIEWERS, kwargs=lambda w: {"pk": w.organisation.pk}, setup=_request),
    Page("organizations:document_download", ORG_VIEWERS, kwargs=_document, html=False),
    Action(
        "organizations:role_transition",
        APPLICANT,
        kwargs=lambda w: {"pk": _request(w).pk, "name": "approve"},
    ),
    # An organisation active in Exempelö and Grannby: each municipality's caseworker sees it, and
    # neither changes its account, its users or the other municipality's activity.
    Page("organizations:detail", SHARED_VIEWERS, kwargs=_shared, label="organizations:detail (shared)"),
    Page(
        "organizations:bank_account", APPLICANT, kwargs=_shared, label="organizations:bank_account (shared)"
    ),
    Action(
        "organizations:bank_account",
        APPLICANT,
        kwargs=_shared,
        data=lambda w: {"account_type": "bankgiro", "account_number": "5050-1055"},
        label="organizations:bank_account (shared, ask for a new account)",
    ),
    Action(
        "organizations:role_transition",
        NOBODY,
        kwargs=lambda w: {"pk": _signatory_role(w).pk, "name": "revoke"},
        label="organizations:role_transition (shared, revoke the signatory)",
    ),
    Action(
        "organizations:edit",
        APPLICANT,
        kwargs=_shared,
        data=_shared_edit_data,
        label="organizations:edit (shared, remove the activity in Exempelö)",
    ),
    Page(
        "organizations:activity_edit",
        frozenset({"caseworker"}),
        kwargs=_shared_activity("exemplo"),
        label="organizations:activity_edit (Exempelö's record)",
    ),
    Action(
        "organizations:activity_edit",
        frozenset({"caseworker"}),
        kwargs=_shared_activity("exemplo"),
        data=lambda w: {"resident_members": "0", "note": "Inte längre verksam här"},
        label="organizations:activity_edit (Exempelö's record, save)",
    ),
    Action(
        "organizations:activity_edit",
        frozenset({"other_caseworker"}),
        kwargs=_shared_activity("grannby"),
        data=lambda w: {"resident_members": "12", "note": "Hyr sporthallen"},
        label="organizations:activity_edit (Grannby's record, save)",
    ),
    Page("organizations:account_change", CHANGE_VIEWERS, kwargs=_change),
    Action(
        "organizations:account_verify",
        EXEMPLO_VERIFIERS,
        kwargs=_verification("exemplo"),
        data=_verify_data("exemplo"),
        label="organizations:account_verify (Exempelö's part)",
    ),
    Action(
        "organizations:account_verify",
        GRANNBY_VERIFIERS,
        kwargs=_verification("grannby"),
        data=_verify_data("grannby"),
        label="organizations:account_verify (Grannby's part)",
    ),
    Action(
        "organizations:account_change_transition",
        EXEMPLO_VERIFIERS | GRANNBY_VERIFIERS,
        kwargs=lambda w: {**_change(w), "name": "reject"},
        data=lambda w: {"reason": "Banken känner inte till kontot."},
        label="organizations:account_change_transition (reject)",
    ),
    Action(
        "organizations:account_change_transition",
        APPLICANT,
        kwargs=lambda w: {**_change(w), "name": "withdraw"},
        label="organizations:account_change_transition (withdraw)",
    ),
    Page(
        "workflows:history",
        CHANGE_VIEWERS,
        label="workflows:history (change of account)",
        kwargs=lambda w: {"app_label": "organizations", "model": "accountchange", **_change(w)},
    ),
    Page(
        "workflows:history",
        CHANGE_VIEWERS,
        label="workflows:history (verification of an account)",
        kwargs=lambda w: {
            "app_label": "organizations",
            "model": "accountverification",
            **_verification("exemplo")(w),
        },
    ),
    # ... and the API asks the same questions
    Page("api:accountchange-list", SIGNED_IN, html=False, setup=_shared_change),
    Action(
        "api:accountchange-list",
        APPLICANT,
        data=lambda w: {
            "organisation": w.shared_organisation.pk,
            "account_type": "bankgiro",
            "account_number": "5050-1055",
        },
        format="json",
        label="api:accountchange-list (shared, ask for a new account)",
    ),
    Page("api:accountchange-detail", CHANGE_VIEWERS, kwargs=_change, html=False),
    Page("api:accountchange-transitions", CHANGE_VIEWERS, kwargs=_change, html=False),
    Page("api:accountchange-history", CHANGE_VIEWERS, kwargs=_change, html=False),
    Action(
        "api:accountchange-do-transition",
        EXEMPLO_VERIFIERS | GRANNBY_VERIFIERS,
        kwargs=lambda w: {**_change(w), "name": "reject"},
        data=lambda w: {"reason": "Banken känner inte till kontot."},
        format="json",
        label="api:accountchange-do-transition (reject)",
    ),
    Page("api:accountverification-list", SIGNED_IN, html=False, setup=_shared_change),
    Page("api:accountverification-detail", CHANGE_VIEWERS, kwargs=_verification("exemplo"), html=False),
    Page("api:accountverification-transitions", CHANGE_VIEWERS, kwargs=_verification("exemplo"), html=False),
    Page("api:accountverification-history", CHANGE_VIEWERS, kwargs=_verification("exemplo"), html=False),
    Action(
        "api:accountverification-do-transition",
        EXEMPLO_VERIFIERS,
        kwargs=lambda w: {**_verification("exemplo")(w), "name": "verify"},
        format="json",
        label="api:accountverification-do-transition (verify Exempelö's part)",
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
