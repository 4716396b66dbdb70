"""Every URL of awards, and who may reach it."""

from ..authz import EVERYONE, SIGNED_IN, Action, Page
from .factories import award_round, candidate_in

STAFF_HERE = frozenset({"caseworker", "secretary", "member", "program_admin"})
ANY_STAFF = STAFF_HERE | {"other_caseworker"}
CASEWORKER_ONLY = frozenset({"caseworker"})
JURY = frozenset({"caseworker", "member"})
ADMIN_ONLY = frozenset({"program_admin"})


def _round(world):
    return {"pk": award_round(world).pk}


def _members_round(world):
    return {"pk": award_round(world, nominators="members").pk}


def _candidate(state):
    def kwargs(world):
        return {"pk": candidate_in(world, state).pk}

    return kwargs


def _document(world):
    from awards.services import award_documents_make

    candidate = candidate_in(world, "announced")  # decided at a meeting whose minutes are posted
    award_documents_make(candidate=candidate, by=world.users["caseworker"])
    return {"pk": candidate.pk, "kind": "award_diploma"}


def _nomination(world):
    return {
        "kind": "organisation",
        "nominee_name": "Föreningen Trygg Vardag",
        "motivation": "De bryter ensamheten.",
        "nominator_name": "Åke",
        "nominator_email": "ake@example.se",
    }


URLS = [
    # the public
    Page("awards:nominate", EVERYONE, kwargs=_round, a11y_role="anonymous"),
    Page(
        "awards:nominate",
        frozenset({"member"}),
        kwargs=_members_round,
        label="awards:nominate (committee members only)",
    ),
    Action("awards:nominate", EVERYONE, kwargs=_round, data=_nomination, label="awards:nominate (send)"),
    Page("awards:thanks", EVERYONE, kwargs=_round, a11y_role="anonymous"),
    Page(
        "awards:public",
        EVERYONE,
        kwargs=lambda w: {"slug": w.municipality.slug},
        setup=lambda w: candidate_in(w, "announced"),
        a11y_role="anonymous",
    ),
    # staff
    Page("awards:index", ANY_STAFF, setup=lambda w: candidate_in(w, "received")),
    Page("awards:round_candidates", STAFF_HERE, kwargs=_round, setup=lambda w: candidate_in(w, "eligible")),
    Page(
        "awards:round_candidates",
        STAFF_HERE,
        kwargs=_round,
        query="?state=eligible&page=1",
        setup=lambda w: candidate_in(w, "eligible"),
        label="awards:round_candidates (filtered)",
        a11y_role="caseworker",
    ),
    Action(
        "awards:round_screen", CASEWORKER_ONLY, kwargs=_round, setup=lambda w: candidate_in(w, "received")
    ),
    Action(
        "awards:round_announce", CASEWORKER_ONLY, kwargs=_round, setup=lambda w: candidate_in(w, "awarded")
    ),
    Page(
        "awards:candidate_detail", STAFF_HERE, kwargs=_candidate("received"), label="awards:candidate_detail"
    ),
    Page(
        "awards:candidate_detail",
        STAFF_HERE,
        kwargs=_candidate("shortlisted"),
        label="awards:candidate_detail (shortlisted)",
        a11y_role="caseworker",
    ),
    Page(
        "awards:candidate_detail",
        STAFF_HERE,
        kwargs=lambda w: {"pk": _document(w)["pk"]},
        label="awards:candidate_detail (announced, with documents)",
    ),
    Action(
        "awards:candidate_transition",
        CASEWORKER_ONLY,
        kwargs=lambda w: {**_candidate("received")(w), "name": "mark_eligible"},
        label="awards:candidate_transition (screen)",
    ),
    Page("awards:candidate_assess", JURY, kwargs=_candidate("eligible"), a11y_role="member"),
    Action(
        "awards:candidate_conflict",
        JURY,
        kwargs=_candidate("eligible"),
        data=lambda w: {"reason": "Styrelseledamot"},
    ),
    Action(
        "awards:candidate_propose",
        CASEWORKER_ONLY,
        kwargs=_candidate("shortlisted"),
        data=lambda w: {"proposal": "awarded", "motivation": "Förtjänt."},
    ),
    Page("awards:candidate_document", STAFF_HERE | {"applicant"}, kwargs=_document, html=False),
    Page("awards:settings", ADMIN_ONLY, kwargs=lambda w: {"pk": award_round(w).program_id}),
    # the API
    Page("api:nomination-list", SIGNED_IN, html=False, setup=lambda w: candidate_in(w, "received")),
    Page("api:nomination-detail", STAFF_HERE, kwargs=_candidate("received"), html=False),
    Page("api:nomination-transitions", STAFF_HERE, kwargs=_candidate("received"), html=False),
    Page("api:nomination-history", STAFF_HERE, kwargs=_candidate("eligible"), html=False),
    Action(
        "api:nomination-do-transition",
        CASEWORKER_ONLY,
        kwargs=lambda w: {**_candidate("received")(w), "name": "mark_eligible"},
        format="json",
        label="api:nomination-do-transition (screen)",
    ),
]
