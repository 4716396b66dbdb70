"""Who may reach each page and action of partnerships."""

from datetime import date

from iop import services
from iop.models import Partnership
from workflows.models import StoredDocument

from ..authz import SIGNED_IN, Action, Page
from .factories import INDICATORS, MEMBERS, agreement_data, contributions, in_state

VIEWERS = frozenset({"applicant", "caseworker", "secretary", "member", "program_admin"})
DRAFTERS = frozenset({"applicant", "caseworker"})
CASEWORKER = frozenset({"caseworker"})
STAFF_ANY = frozenset({"caseworker", "secretary", "member", "program_admin", "other_caseworker"})
CREATORS = frozenset({"applicant", "other_applicant", "caseworker", "other_caseworker"})


def _p(world, state) -> Partnership:
    key = f"partnership:{state}"
    if key not in world.objects:
        world.objects[key] = in_state(world, state)
    return world.objects[key]


def _pk(state):
    return lambda w: {"pk": _p(w, state).pk}


def _two_versions(world):
    partnership = _p(world, "drafting")
    if partnership.agreement_versions.count() < 2:
        services.agreement_save_version(
            partnership=partnership,
            data=agreement_data(date(2027, 1, 1), date(2030, 1, 1), goals="Fler får stöd, också på helger."),
            contributions=contributions(3),
            indicators=INDICATORS,
            members=MEMBERS,
            by=world.users["applicant"],
        )
    return partnership


def _document(world):
    partnership = _p(world, "proposed")
    document = StoredDocument.objects.filter(object_id=partnership.pk, kind="agreement").first()
    return {"pk": partnership.pk, "doc": document.pk}


def _payment(world):
    partnership = _p(world, "active")
    if "payment" not in world.objects:
        world.objects["payment"] = services.payment_plan(
            partnership=partnership, period="2026", amount=100000, by=world.users["caseworker"]
        )
    return {"pk": world.objects["payment"].pk}


#: staff and applicants; the municipality administrator manages the set-up, not the cases
CASE_PEOPLE = SIGNED_IN - {"municipality_admin"}

URLS = [
    Page("iop:list", CASE_PEOPLE, setup=lambda w: _p(w, "active")),
    Page("iop:list", CASE_PEOPLE, query="?q=Trygg&state=active", label="iop:list (filtered)"),
    Page("iop:overview", STAFF_ANY, setup=lambda w: _p(w, "active")),
    Page("iop:new", CREATORS),
    Page("iop:detail", VIEWERS, kwargs=_pk("initiative"), label="iop:detail (initiative)"),
    Page("iop:detail", VIEWERS, kwargs=_pk("active"), label="iop:detail (active)"),
    Page(
        "iop:detail", VIEWERS, kwargs=_pk("approved"), label="iop:detail (approved)", a11y_role="caseworker"
    ),
    Page("iop:edit", DRAFTERS, kwargs=_pk("initiative")),
    Action(
        "iop:transition",
        CASEWORKER,
        kwargs=lambda w: {"pk": _p(w, "initiative").pk, "name": "start_screening"},
    ),
    Page("iop:screening", CASEWORKER, kwargs=_pk("screening")),
    Action("iop:screening_conclude", CASEWORKER, kwargs=_pk("screening"), data=lambda w: {"suitable": "yes"}),
    Page("iop:agreement_edit", DRAFTERS, kwargs=_pk("drafting")),
    Page("iop:version", VIEWERS, kwargs=lambda w: {"pk": _p(w, "drafting").pk, "number": 1}),
    Page("iop:compare", VIEWERS, kwargs=lambda w: {"pk": _two_versions(w).pk}),
    Page("iop:document", VIEWERS, kwargs=_document, html=False),
    Page("iop:delegated_decision", frozenset({"caseworker", "secretary"}), kwargs=_pk("proposed")),
    Page(
        "iop:sign",
        frozenset({"applicant"}),
        kwargs=lambda w: {"pk": _p(w, "approved").pk, "party": "organisation"},
        label="iop:sign (organisation)",
    ),
    Page(
        "iop:sign",
        CASEWORKER,
        kwargs=lambda w: {"pk": _p(w, "approved").pk, "party": "municipality"},
        label="iop:sign (municipality)",
    ),
    Page("iop:terminate", CASEWORKER, kwargs=_pk("active")),
    Page("iop:steering", VIEWERS, kwargs=_pk("active")),
    Page("iop:follow_up", VIEWERS, kwargs=lambda w: {"pk": _p(w, "active").pk, "year": 1}),
    Page("iop:evaluation", DRAFTERS, kwargs=_pk("active")),
    Page("iop:payments", VIEWERS, kwargs=_pk("active"), setup=_payment),
    Action("payments:payment_pay", CASEWORKER, kwargs=_payment),
    Page(
        "workflows:history",
        VIEWERS,
        label="workflows:history (partnership)",
        kwargs=lambda w: {"app_label": "iop", "model": "partnership", "pk": _p(w, "active").pk},
    ),
    # The API
    Page("api:partnership-list", SIGNED_IN, html=False),
    Page("api:partnership-detail", VIEWERS, kwargs=_pk("active"), html=False),
    Page("api:partnership-transitions", VIEWERS, kwargs=_pk("initiative"), html=False),
    Page("api:partnership-history", VIEWERS, kwargs=_pk("active"), html=False),
    Action(
        "api:partnership-do-transition",
        CASEWORKER,
        kwargs=lambda w: {"pk": _p(w, "initiative").pk, "name": "start_screening"},
        data=lambda w: {"reason": ""},
        format="json",
    ),
]
