"""Every URL of grants, and who may reach it."""

from ..authz import SIGNED_IN, Action, Page
from .factories import application_in, open_round

STAFF_HERE = frozenset({"caseworker", "secretary", "member", "program_admin"})
PROGRAM_VIEWERS = STAFF_HERE | {"applicant"}
CASE_VIEWERS = STAFF_HERE | {"applicant"}
APPLICANT_ONLY = frozenset({"applicant"})
CASEWORKER_ONLY = frozenset({"caseworker"})
ADMIN_ONLY = frozenset({"program_admin"})
CASEWORKERS = frozenset({"caseworker", "other_caseworker"})


def _program(world):
    return {"pk": open_round(world).program_id}


def _round(world):
    return {"pk": open_round(world).pk}


def _app(state, key=None):
    def kwargs(world):
        return {"pk": application_in(world, state, key=key or f"app-{state}").pk}

    return kwargs


def _attachment(world):
    application = application_in(world, "submitted", key="app-submitted")
    return {"pk": application.files.order_by("pk").first().pk}


def _task(world):
    from grants.flows import open_tasks

    application = application_in(world, "submitted", key="app-submitted")
    return {"pk": open_tasks(application).first().pk}


def _dismissed(world):
    from grants import services
    from grants.models import Application

    application = application_in(world, "submitted", key="app-dismissed")
    if application.state != Application.State.DISMISSED:
        application = services.application_dismiss(
            application=application, by=world.users["caseworker"], reason="Ansökan kom in för sent."
        )
        world.objects["app-dismissed"] = application
    return {"pk": application.pk}


def _section(section):
    return Page(
        "grants:program_section",
        ADMIN_ONLY,
        kwargs=lambda w: {**_program(w), "section": section},
        label=f"grants:program_section ({section})",
    )


URLS = [
    Page("grants:rounds", SIGNED_IN, setup=open_round),
    Page("grants:programs", SIGNED_IN, setup=open_round),
    Page("grants:program_create", ADMIN_ONLY),
    Page("grants:program_detail", PROGRAM_VIEWERS, kwargs=_program),
    Page("grants:program_edit", ADMIN_ONLY, kwargs=_program),
    *[
        _section(s)
        for s in ("fields", "attachments", "rules", "criteria", "rounds", "budgets", "commitments")
    ],
    Action("grants:apply", APPLICANT_ONLY, kwargs=_round, data=lambda w: {"organisation": w.organisation.pk}),
    Page(
        "grants:round_applications", STAFF_HERE, kwargs=_round, setup=lambda w: application_in(w, "submitted")
    ),
    Page(
        "grants:round_applications",
        STAFF_HERE,
        kwargs=_round,
        query="?q=Trygg&state=submitted&sort=-amount",
        setup=lambda w: application_in(w, "submitted"),
        label="grants:round_applications (filtered)",
    ),
    Page(
        "grants:round_export",
        STAFF_HERE,
        kwargs=lambda w: {**_round(w), "fmt": "csv"},
        html=False,
        label="grants:round_export (csv)",
    ),
    Page(
        "grants:round_export",
        STAFF_HERE,
        kwargs=lambda w: {**_round(w), "fmt": "xlsx"},
        html=False,
        label="grants:round_export (xlsx)",
    ),
    Page("grants:my_applications", SIGNED_IN, setup=lambda w: application_in(w, "submitted")),
    Page(
        "grants:application_detail", CASE_VIEWERS, kwargs=_app("submitted"), label="grants:application_detail"
    ),
    Page(
        "grants:application_detail",
        CASE_VIEWERS,
        kwargs=_app("in_assessment"),
        label="grants:application_detail (in assessment)",
        a11y_role="caseworker",
    ),
    Page(
        "grants:application_detail",
        CASE_VIEWERS,
        kwargs=_app("completion_requested"),
        label="grants:application_detail (completion requested)",
    ),
    Page(
        "grants:application_detail",
        APPLICANT_ONLY,
        kwargs=_app("draft"),
        label="grants:application_detail (draft: the applicant's own)",
    ),
    Page("grants:application_edit", APPLICANT_ONLY, kwargs=_app("draft")),
    Action("grants:attachment_upload", APPLICANT_ONLY, kwargs=_app("draft"), data=lambda w: {"key": "x"}),
    Page("grants:attachment_download", CASE_VIEWERS, kwargs=_attachment, html=False),
    Page("grants:application_pdf", CASE_VIEWERS, kwargs=_app("submitted"), html=False),
    Action(
        "grants:application_transition",
        APPLICANT_ONLY,
        kwargs=lambda w: {**_app("submitted")(w), "name": "withdraw"},
        data=lambda w: {"reason": "Vi söker senare."},
        label="grants:application_transition (withdraw)",
    ),
    Action(
        "grants:application_transition",
        CASEWORKER_ONLY,
        kwargs=lambda w: {**_app("submitted")(w), "name": "accept"},
        label="grants:application_transition (accept)",
    ),
    Page(
        "grants:application_confirm",
        CASEWORKER_ONLY,
        kwargs=lambda w: {**_app("submitted")(w), "name": "dismiss"},
        label="grants:application_confirm (dismiss)",
    ),
    Page(
        "grants:application_confirm",
        APPLICANT_ONLY,
        kwargs=lambda w: {**_app("submitted")(w), "name": "withdraw"},
        label="grants:application_confirm (withdraw)",
    ),
    Page("grants:dismissal_letter_download", CASE_VIEWERS, kwargs=_dismissed, html=False),
    Action("grants:eligibility_recheck", CASEWORKER_ONLY, kwargs=_app("submitted")),
    Action(
        "grants:eligibility_override",
        CASEWORKER_ONLY,
        kwargs=_app("submitted"),
        data=lambda w: {"rule": "org_kinds", "reason": "Beslut i nämnden."},
    ),
    Page("grants:assess", CASEWORKER_ONLY, kwargs=_app("in_assessment")),
    Action(
        "grants:conflict_declare", CASEWORKER_ONLY, kwargs=_app("submitted"), data=lambda w: {"reason": "Jäv"}
    ),
    Page("grants:inbox", CASEWORKERS, setup=lambda w: application_in(w, "submitted", key="app-submitted")),
    Page(
        "grants:inbox",
        CASEWORKERS,
        query="?state=submitted&mine=on",
        setup=lambda w: application_in(w, "submitted", key="app-submitted"),
        label="grants:inbox (filtered)",
    ),
    Action("grants:task_claim", CASEWORKER_ONLY, kwargs=_task),
    Action(
        "grants:task_assign",
        CASEWORKER_ONLY,
        kwargs=_task,
        data=lambda w: {"to": w.users["caseworker"].pk},
    ),
]

URLS += [
    Page("api:program-list", SIGNED_IN, html=False, setup=open_round),
    Page("api:program-detail", PROGRAM_VIEWERS, kwargs=_program, html=False),
    Page("api:round-list", SIGNED_IN, html=False, setup=open_round),
    Page("api:round-detail", PROGRAM_VIEWERS, kwargs=_round, html=False),
    Page("api:application-list", SIGNED_IN, html=False, setup=lambda w: application_in(w, "submitted")),
    Page("api:application-detail", CASE_VIEWERS, kwargs=_app("submitted"), html=False),
    Page("api:application-transitions", CASE_VIEWERS, kwargs=_app("submitted"), html=False),
    Page("api:application-history", CASE_VIEWERS, kwargs=_app("submitted"), html=False),
    Action(
        "api:application-list",
        APPLICANT_ONLY,
        data=lambda w: {"round": open_round(w).pk, "organisation": w.organisation.pk, "title": "Ny"},
        format="json",
        label="api:application-list (create a draft)",
    ),
    Action(
        "api:application-do-transition",
        APPLICANT_ONLY,
        kwargs=lambda w: {**_app("submitted")(w), "name": "withdraw"},
        data=lambda w: {"reason": "Vi drar tillbaka."},
        format="json",
        label="api:application-do-transition (withdraw)",
    ),
    Action(
        "api:application-do-transition",
        CASEWORKER_ONLY,
        kwargs=lambda w: {**_app("submitted")(w), "name": "accept"},
        format="json",
        label="api:application-do-transition (accept)",
    ),
    Action(
        "api:application-attachments",
        APPLICANT_ONLY,
        kwargs=_app("draft"),
        data=lambda w: {"key": "nonexistent"},
        label="api:application-attachments",
    ),
    Action(
        "api:application-assessment",
        CASEWORKER_ONLY,
        kwargs=_app("in_assessment"),
        data=lambda w: {"scores": {}, "comment": "Påbörjad"},
        format="json",
        label="api:application-assessment",
    ),
]

# ---- after the decision: delegated decisions, decision letters, letter texts, payments ----

SECRETARY_ONLY = frozenset({"secretary"})


def _decided(key):
    def kwargs(world):
        from .decisions import decided_meeting

        return {"pk": decided_meeting(world)[key].pk}

    return kwargs


def _decided_setup(world):
    from .decisions import decided_meeting

    decided_meeting(world)


def _template(outcome):
    return lambda w: {**_program(w), "outcome": outcome}


URLS += [
    Page("grants:application_decide", CASEWORKER_ONLY, kwargs=_app("proposed")),
    Action(
        "grants:application_decide",
        CASEWORKER_ONLY,
        kwargs=_app("proposed"),
        data=lambda w: {"outcome": "rejected", "reasons": "Ryms inte i budgeten."},
        label="grants:application_decide (post)",
    ),
    Page(
        "grants:application_detail",
        CASE_VIEWERS,
        kwargs=_decided("application"),
        label="grants:application_detail (decided, letters and payments)",
        a11y_role="caseworker",
    ),
    Page(
        "grants:application_detail",
        CASE_VIEWERS,
        kwargs=_decided("application"),
        label="grants:application_detail (decided, as the applicant)",
    ),
    Page("grants:meeting_letters", STAFF_HERE, kwargs=_decided("meeting"), a11y_role="secretary"),
    Action("grants:meeting_letters_start", SECRETARY_ONLY, kwargs=_decided("meeting")),
    Page("portal:my_letters", SIGNED_IN, setup=_decided_setup),
    Page("grants:letter_download", CASE_VIEWERS, kwargs=_decided("letter"), html=False),
    Page("grants:letter_templates", ADMIN_ONLY, kwargs=_program),
    Page("grants:letter_template_edit", ADMIN_ONLY, kwargs=_template("partly_granted")),
    Action(
        "grants:letter_template_edit",
        ADMIN_ONLY,
        kwargs=_template("granted"),
        data=lambda w: {"subject": "Beslut för {organisation}", "body": "Ni beviljas {amount}."},
        label="grants:letter_template_edit (save)",
    ),
    Page("grants:letter_template_preview", ADMIN_ONLY, kwargs=_template("rejected")),
]

URLS += [
    Page("api:application-letters", CASE_VIEWERS, kwargs=_decided("application"), html=False),
    Page(
        "api:application-letter-pdf",
        CASE_VIEWERS,
        kwargs=lambda w: {**_decided("application")(w), "letter_id": _decided("letter")(w)["pk"]},
        html=False,
    ),
]

# ---- förvaltningslagen 11 § and 12 §: notices of delay, requests for a decision ----


def _requested(world):
    """An application that came in seven months ago, whose organisation asked for a decision."""
    import datetime as dt

    from django.utils import timezone

    from grants import services
    from grants.models import Application

    if "fl-request" not in world.objects:
        application = application_in(world, "submitted", key="app-fl-request")
        Application.objects.filter(pk=application.pk).update(
            submitted_at=timezone.now() - dt.timedelta(days=214)
        )
        application.refresh_from_db()
        world.objects["fl-request"] = services.decision_request_make(
            application=application, by=world.users["applicant"], text="Vi behöver besked."
        )
    return world.objects["fl-request"]


def _refused(world):
    from grants import services

    request = _requested(world)
    if request.outcome == "open":
        request = services.decision_request_refuse(
            request=request, by=world.users["caseworker"], reason="Budgeten är inte beslutad."
        )
        world.objects["fl-request"] = request
    return {"pk": request.pk}


URLS += [
    Page("grants:delay_notice", CASEWORKER_ONLY, kwargs=_app("submitted")),
    Page("grants:decision_request", APPLICANT_ONLY, kwargs=_app("submitted")),
    Page(
        "grants:decision_request",
        APPLICANT_ONLY,
        kwargs=lambda w: {"pk": _requested(w).application_id},
        label="grants:decision_request (already asked)",
    ),
    Page(
        "grants:decision_request_refuse",
        CASEWORKER_ONLY,
        kwargs=lambda w: {"pk": _requested(w).application_id},
    ),
    Page(
        "grants:application_detail",
        CASE_VIEWERS,
        kwargs=lambda w: {"pk": _requested(w).application_id},
        label="grants:application_detail (a decision asked for)",
        a11y_role="applicant",
    ),
    Page("grants:decision_request_letter", CASE_VIEWERS, kwargs=_refused, html=False),
]
