"""Who may reach each page and action of the one way in: the public pages, the board and the staff's settings."""

from ..authz import EVERYONE, SIGNED_IN, Action, Page
from .factories import contact, listed, org_post, program

POSTERS = frozenset({"applicant", "caseworker", "program_admin"})
MODERATORS = frozenset({"caseworker", "program_admin"})
PROGRAM_ADMIN = frozenset({"program_admin"})
CASEWORKER = frozenset({"caseworker"})
EXEMPLO_STAFF = frozenset({"caseworker", "secretary", "member", "program_admin"})


def _slug(world):
    return {"slug": world.municipality.slug}


def _post(state):
    return lambda w: {"slug": w.municipality.slug, "pk": org_post(w, state=state).pk}


def _listed(world):
    listed(world)
    return {"slug": world.municipality.slug, "pk": world.organisation.pk}


URLS = [
    Page("portal:municipalities", EVERYONE),
    Page("portal:start", EVERYONE, kwargs=_slug, setup=lambda w: (contact(w), program(w))),
    Page(
        "portal:start",
        EVERYONE,
        kwargs=_slug,
        query="?kind=nonprofit&purpose=elderly&size=small&amount=20000",
        setup=lambda w: program(w),
        label="portal:start (guide answered)",
    ),
    Page("portal:directory", EVERYONE, kwargs=_slug, setup=listed),
    Page(
        "portal:directory",
        EVERYONE,
        kwargs=_slug,
        query="?q=Trygg",
        setup=listed,
        label="portal:directory (search)",
    ),
    Page("portal:organisation", EVERYONE, kwargs=_listed),
    Page("portal:board", EVERYONE, kwargs=_slug, setup=lambda w: org_post(w)),
    Page("portal:post_new", POSTERS, kwargs=_slug),
    Page("portal:moderation", MODERATORS, kwargs=_slug, setup=lambda w: org_post(w, state="pending")),
    Page("portal:post", EVERYONE, kwargs=_post("published"), label="portal:post (published)"),
    Page(
        "portal:post", EXEMPLO_STAFF | {"applicant"}, kwargs=_post("pending"), label="portal:post (pending)"
    ),
    Page(
        "portal:post",
        EVERYONE,
        kwargs=_post("published"),
        a11y_role="caseworker",
        label="portal:post (published, as staff)",
    ),
    Action(
        "portal:post_respond",
        SIGNED_IN - {"applicant"},
        kwargs=_post("published"),
        data=lambda w: {"message": "Vi vill gärna vara med.", "contact": "info@grannby-if.example"},
    ),
    Action(
        "portal:post_transition",
        frozenset({"applicant", "caseworker", "program_admin"}),
        kwargs=lambda w: {**_post("published")(w), "name": "close"},
        label="portal:post_transition (close)",
    ),
    Action(
        "portal:post_transition",
        MODERATORS,
        kwargs=lambda w: {**_post("pending")(w), "name": "approve"},
        label="portal:post_transition (approve)",
    ),
    Page("portal:post_refer", CASEWORKER, kwargs=_post("published")),
    Action(
        "portal:post_program",
        MODERATORS,
        kwargs=_post("published"),
        data=lambda w: {"program": program(w).pk},
    ),
    Page("portal:guidance", PROGRAM_ADMIN, kwargs=_slug, setup=lambda w: (contact(w), program(w))),
    Page("portal:contact_new", PROGRAM_ADMIN, kwargs=_slug),
    Page("portal:contact_edit", PROGRAM_ADMIN, kwargs=lambda w: {**_slug(w), "pk": contact(w).pk}),
    Page("portal:program_guide", PROGRAM_ADMIN, kwargs=lambda w: {**_slug(w), "pk": program(w).pk}),
    Page("portal:listing_edit", frozenset({"applicant"}), kwargs=lambda w: {"pk": w.organisation.pk}),
]
