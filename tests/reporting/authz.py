"""Every URL of follow-up reports and reclaims, and who may reach it."""

from ..authz import SIGNED_IN, Action, Page
from .factories import reclaim_in, report_in, reporting_program

STAFF_HERE = frozenset({"caseworker", "secretary", "member", "program_admin"})
ANY_STAFF = STAFF_HERE | {"other_caseworker"}
CASE_VIEWERS = STAFF_HERE | {"applicant"}
APPLICANT_ONLY = frozenset({"applicant"})
APPLICANTS = frozenset({"applicant", "other_applicant"})
CASEWORKER_ONLY = frozenset({"caseworker"})
ADMIN_ONLY = frozenset({"program_admin"})


def _report(state):
    def kwargs(world):
        return {"pk": report_in(world, state).pk}

    return kwargs


def _reclaim(state):
    def kwargs(world):
        return {"pk": reclaim_in(world, state).pk}

    return kwargs


def _file(world):
    report = report_in(world, "submitted")
    return {"pk": report.pk, "file_pk": report.files.get().pk}


URLS = [
    # staff lists
    Page("reporting:index", ANY_STAFF, setup=lambda w: report_in(w, "submitted")),
    Page(
        "reporting:index",
        ANY_STAFF,
        query="?list=overdue&page=1",
        setup=lambda w: report_in(w, "overdue"),
        label="reporting:index (overdue)",
        a11y_role="caseworker",
    ),
    Page("reporting:statistics", ANY_STAFF, setup=lambda w: reclaim_in(w, "paid"), a11y_role="caseworker"),
    Page("reporting:reclaims", ANY_STAFF, setup=lambda w: reclaim_in(w, "decided"), a11y_role="caseworker"),
    Page("reporting:requirement", ADMIN_ONLY, kwargs=lambda w: {"pk": reporting_program(w)["program"].pk}),
    # the applicant
    Page(
        "reporting:my_reports", APPLICANTS, setup=lambda w: reclaim_in(w, "invoiced"), a11y_role="applicant"
    ),
    # one report
    Page("reporting:report_detail", CASE_VIEWERS, kwargs=_report("submitted"), a11y_role="caseworker"),
    Page(
        "reporting:report_detail",
        CASE_VIEWERS,
        kwargs=_report("overdue"),
        label="reporting:report_detail (overdue, the applicant)",
        a11y_role="applicant",
    ),
    Page("reporting:report_edit", APPLICANT_ONLY, kwargs=_report("due")),
    Action(
        "reporting:report_transition",
        CASEWORKER_ONLY,
        kwargs=lambda w: {**_report("submitted")(w), "name": "approve"},
        label="reporting:report_transition (approve)",
    ),
    Action(
        "reporting:report_transition",
        APPLICANT_ONLY,
        kwargs=lambda w: {**_report("completion_requested")(w), "name": "resubmit"},
        label="reporting:report_transition (resubmit)",
    ),
    Action(
        "reporting:report_notes",
        CASEWORKER_ONLY,
        kwargs=_report("submitted"),
        data=lambda w: {"notes": "Ok."},
    ),
    Action(
        "reporting:report_commitment",
        CASEWORKER_ONLY,
        kwargs=_report("due"),
        data=lambda w: {"label": "Delta i besöksverksamheten", "unit": "besök", "planned": "12"},
    ),
    Page("reporting:report_file", CASE_VIEWERS, kwargs=_file, html=False),
    Page("reporting:reclaim_propose", CASEWORKER_ONLY, kwargs=_report("overdue")),
    # one reclaim
    Page("reporting:reclaim_detail", CASE_VIEWERS, kwargs=_reclaim("decided"), a11y_role="applicant"),
    Page(
        "reporting:reclaim_detail",
        STAFF_HERE,
        kwargs=_reclaim("proposed"),
        label="reporting:reclaim_detail (proposed: staff only)",
        a11y_role="caseworker",
    ),
    Action(
        "reporting:reclaim_transition",
        CASEWORKER_ONLY,
        kwargs=lambda w: {**_reclaim("decided")(w), "name": "invoice"},
        label="reporting:reclaim_transition (invoice)",
    ),
    Page("reporting:reclaim_letter", CASE_VIEWERS, kwargs=_reclaim("invoiced"), html=False),
    # the API
    Page("api:report-list", SIGNED_IN, html=False, setup=lambda w: report_in(w, "due")),
    Page("api:report-detail", CASE_VIEWERS, kwargs=_report("due"), html=False),
    Page("api:report-transitions", CASE_VIEWERS, kwargs=_report("submitted"), html=False),
    Page("api:report-history", CASE_VIEWERS, kwargs=_report("submitted"), html=False),
    Action(
        "api:report-do-transition",
        CASEWORKER_ONLY,
        kwargs=lambda w: {**_report("submitted")(w), "name": "approve"},
        format="json",
        label="api:report-do-transition (approve)",
    ),
    Page("api:reclaim-list", SIGNED_IN, html=False, setup=lambda w: reclaim_in(w, "decided")),
    Page("api:reclaim-detail", CASE_VIEWERS, kwargs=_reclaim("decided"), html=False),
    Page("api:reclaim-transitions", CASE_VIEWERS, kwargs=_reclaim("decided"), html=False),
    Page("api:reclaim-history", CASE_VIEWERS, kwargs=_reclaim("decided"), html=False),
    Action(
        "api:reclaim-do-transition",
        CASEWORKER_ONLY,
        kwargs=lambda w: {**_reclaim("decided")(w), "name": "invoice"},
        format="json",
        label="api:reclaim-do-transition (invoice)",
    ),
]
