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
