"""Eligibility rules, late rules, completion deadlines, scoring, snapshots and bad input."""

from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.timers import fire_due_timers

from grants import eligibility, services
from grants.models import Application, ConflictOfInterest, FormField, Round
from grants.scoring import weighted_mean
from organizations.models import Organisation, OrganisationDocument
from workflows.models import DiariumEntry
from workflows.services import TransitionRefused

from ..factories import OrganisationDocumentFactory, OrganisationFactory, UserFactory
from .factories import application_in, draft_application, open_round, pdf_upload

pytestmark = pytest.mark.django_db

ALL_RULES = {
    "org_kinds": {"kinds": ["nonprofit", "foundation"]},
    "active_in_municipality": {},
    "min_resident_members": {"min": 50},
    "documents_current": {"doc_types": ["statutes", "annual_report"]},
    "no_overdue_report": {},
    "no_unpaid_reclaim": {},
    "democracy_declaration": {},
}


def _results(world, organisation, declaration=False):
    round = open_round(world, **ALL_RULES)
    return {
        r.kind: r
        for r in services.eligibility_precheck(
            round=round, organisation=organisation, declaration=declaration
        )
    }


# ---- eligibility ----


def test_each_failing_rule_says_why(world):
    organisation = OrganisationFactory(kind=Organisation.Kind.INFORMAL, name="Språkcaféet")
    results = _results(world, organisation)
    assert not results["org_kinds"].ok
    assert str(Organisation.Kind.INFORMAL.label) in results["org_kinds"].reason
    assert not results["active_in_municipality"].ok
    assert "inte registrerat någon verksamhet" in results["active_in_municipality"].reason
    assert not results["min_resident_members"].ok and "50" in results["min_resident_members"].reason
    statutes = str(OrganisationDocument.Type.STATUTES.label)
    assert not results["documents_current"].ok and statutes in results["documents_current"].reason
    assert not results["democracy_declaration"].ok
    # The hooks of later modules say "ok" until someone fills them.
    assert results["no_overdue_report"].ok and results["no_unpaid_reclaim"].ok


def test_an_organisation_that_meets_every_rule_passes(world):
    organisation = world.organisation  # non-profit, active in the municipality with 40 residents
    organisation.activities.update(resident_members=60)
    OrganisationDocumentFactory(organisation=organisation, doc_type="statutes")
    OrganisationDocumentFactory(
        organisation=organisation, doc_type="annual_report", year=timezone.localdate().year - 1
    )
    results = _results(world, organisation, declaration=True)
    assert all(r.ok for r in results.values()), {k: r.reason for k, r in results.items() if not r.ok}


def test_too_few_resident_members_fails_with_the_numbers(world):
    world.organisation.activities.update(resident_members=12)
    result = _results(world, world.organisation)["min_resident_members"]
    assert not result.ok
    assert "50" in result.reason and "12" in result.reason


def test_another_module_can_fail_the_overdue_report_rule_with_its_reason(world):
    def overdue(organisation):
        return "Redovisningen för 2025 är försenad." if organisation.pk == world.organisation.pk else None

    eligibility.register_hook("no_overdue_report", overdue)
    try:
        results = _results(world, world.organisation)
        assert not results["no_overdue_report"].ok
        assert results["no_overdue_report"].reason == "Redovisningen för 2025 är försenad."
        assert results["no_unpaid_reclaim"].ok
    finally:
        eligibility.unregister_hook("no_overdue_report", overdue)


def test_a_failing_rule_blocks_assessment_until_set_aside_with_a_reason(world):
    open_round(world, org_kinds={"kinds": ["foundation"]})
    application = application_in(world, "submitted")
    caseworker = world.users["caseworker"]
    with pytest.raises(TransitionRefused, match="undantagna"):
        services.application_accept(application=application, by=caseworker)
    with pytest.raises(ValidationError):
        services.eligibility_override(application=application, by=caseworker, rule="org_kinds", reason=" ")
    services.eligibility_override(
        application=application, by=caseworker, rule="org_kinds", reason="Nämnden har beslutat om undantag."
    )
    assert services.application_accept(application=application, by=caseworker).state == "in_assessment"


# ---- late rules ----


def _closed_round(world, rule, percent="0", days_late=9):
    round = open_round(world)
    Round.objects.filter(pk=round.pk).update(
        opens_at=timezone.now() - timedelta(days=40),
        closes_at=timezone.now() - timedelta(days=days_late),
        late_rule=rule,
        late_deduction_percent=Decimal(percent),
    )
    round.refresh_from_db()
    return round


def test_a_late_application_is_refused_when_the_round_refuses_late_ones(world):
    application = draft_application(world)
    _closed_round(world, Round.LateRule.REFUSE)
    with pytest.raises(TransitionRefused, match="inte öppen"):
        services.application_submit(application=application, by=world.users["applicant"])
    application.refresh_from_db()
    assert application.state == "draft" and application.case_number == ""
    assert not DiariumEntry.objects.exists()


def test_a_late_application_gets_a_deduction_per_started_week(world):
    application = draft_application(world)
    _closed_round(world, Round.LateRule.DEDUCT, percent="10", days_late=9)  # 9 days: two started weeks
    submitted = services.application_submit(application=application, by=world.users["applicant"])
    application.refresh_from_db()  # what the caseworker's page reads, not the service's instance
    assert (application.late_weeks, submitted.late_weeks) == (2, 2)
    assert application.late_deduction_percent == Decimal("20")
    assert application.amount_after_deduction == Decimal("32000")
    assert application.submitted_at is not None and application.case_number == submitted.case_number
    assert application.eligibility == submitted.eligibility and application.eligibility


def test_a_late_application_is_accepted_without_deduction_when_the_round_accepts_them(world):
    application = draft_application(world)
    _closed_round(world, Round.LateRule.ACCEPT, days_late=3)
    application = services.application_submit(application=application, by=world.users["applicant"])
    assert application.state == "submitted"
    assert application.late_deduction_percent == 0 and application.late_weeks == 1


# ---- completion deadline ----


def test_a_completion_deadline_over_a_swedish_public_holiday_moves_and_lapses_into_a_dismissal_task(world):
    application = application_in(world, "submitted")
    caseworker = world.users["caseworker"]
    # Requested on Wednesday 2026-04-01: Good Friday and Easter Monday are not working days.
    with mock.patch("grants.services.assessment.timezone.localdate", return_value=date(2026, 4, 1)):
        request = services.application_request_completion(
            application=application, by=caseworker, message="Skicka budgeten.", working_days=3
        )
    # Thu 2, (Good Friday 3, the weekend, Easter Monday 6), Tue 7, Wed 8 -- not Mon 6 as without holidays
    assert request.deadline == date(2026, 4, 8)
    application.refresh_from_db()
    assert application.completion_deadline == date(2026, 4, 8)

    # The timer waits for the end of the deadline day; when it has passed, a task proposes dismissal.
    timer = Task.objects.get(flow_task_type="TIMER", status="SCHEDULED")
    assert timezone.localtime(timer.scheduled).date() == date(2026, 4, 8)
    Task.objects.filter(pk=timer.pk).update(scheduled=timezone.now() - timedelta(minutes=1))
    assert fire_due_timers() == 1
    lapsed = Task.objects.get(flow_task_type="HUMAN", status="NEW")
    assert "avvisning" in str(lapsed.flow_task.task_title)
    request.refresh_from_db()
    assert request.lapsed_at is not None
    # The applicant can no longer answer; the caseworker dismisses.
    with pytest.raises(TransitionRefused, match="Tiden för kompletteringen"):
        services.application_answer_completion(
            application=application, by=world.users["applicant"], answer="Här"
        )
    services.application_dismiss(application=application, by=caseworker, reason="Ingen komplettering inkom.")
    assert Application.objects.get(pk=application.pk).state == "dismissed"
    assert not Task.objects.filter(flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"]).exists()


def test_an_answered_completion_comes_back_to_the_caseworker(world):
    application = application_in(world, "completion_requested")
    services.application_answer_completion(
        application=application, by=world.users["applicant"], answer="Bifogat."
    )
    application.refresh_from_db()
    assert application.state == "submitted"
    task = Task.objects.get(flow_task_type="HUMAN", status="NEW")
    assert task.flow_task.name == "check_completion"
    assert not Task.objects.filter(flow_task_type="TIMER", status="SCHEDULED").exists()


# ---- scoring ----


def test_weighted_mean_leaves_out_not_applicable_and_conflicted_assessors(world):
    application = application_in(world, "in_assessment")
    criteria = world.objects["config"]["criteria"]
    reach, quality = str(criteria["reach"].pk), str(criteria["quality"].pk)  # weights 2 and 1
    first, second = world.users["caseworker"], UserFactory(email="bedomare2@exemplo.se")
    from organizations.models import StaffRole

    from ..factories import StaffRoleFactory

    StaffRoleFactory(user=second, municipality=world.municipality, role=StaffRole.Role.CASEWORKER)
    conflicted = UserFactory(email="javig@exemplo.se")
    StaffRoleFactory(user=conflicted, municipality=world.municipality, role=StaffRole.Role.CASEWORKER)

    services.assessment_save(
        application=application, by=first, scores={reach: {"score": 4}, quality: {"na": True}}, complete=True
    )
    services.assessment_save(
        application=application, by=second, scores={reach: {"score": 2}, quality: {"score": 5}}, complete=True
    )
    services.assessment_save(
        application=application,
        by=conflicted,
        scores={reach: {"score": 0}, quality: {"score": 0}},
        complete=True,
    )
    services.conflict_declare(organisation=application.organisation, by=conflicted, reason="Styrelseledamot")
    assert ConflictOfInterest.objects.filter(user=conflicted).exists()
    application.refresh_from_db()
    # reach: mean(4, 2) = 3 (weight 2); quality: 5, the N/A left out (weight 1) -> (2*3 + 5) / 3 = 3.67
    assert application.score == Decimal("3.67")


def test_weighted_mean_of_nothing_scored_is_none():
    criteria = [{"id": 1, "weight": "1"}]
    assert weighted_mean(criteria, [{"1": {"na": True}}]) is None


def test_not_applicable_is_refused_where_the_criterion_does_not_allow_it(world):
    application = application_in(world, "in_assessment")
    reach = str(world.objects["config"]["criteria"]["reach"].pk)
    with pytest.raises(ValidationError, match="inte tillåtet"):
        services.assessment_save(
            application=application, by=world.users["caseworker"], scores={reach: {"na": True}}
        )


# ---- snapshot ----


def test_editing_the_program_later_does_not_change_a_submitted_application(world):
    application = application_in(world, "submitted")
    program = world.objects["program"]
    FormField.objects.create(program=program, kind=FormField.Kind.TEXT, label="Ny fråga", required=True)
    program.criteria.update(weight=Decimal("9"))
    application.refresh_from_db()
    assert "Ny fråga" not in [f["label"] for f in application.snapshot["fields"]]
    assert {c["weight"] for c in application.snapshot["criteria"]} == {"2.00", "1.00"}
    assert "Ny fråga" not in [f["label"] for f in application.round.snapshot["fields"]]


# ---- bad input changes nothing ----


def test_a_submission_without_a_required_answer_or_attachment_is_refused_and_names_them(world):
    round = open_round(world)
    application = services.application_start(
        round=round, organisation=world.organisation, by=world.users["applicant"]
    )
    with pytest.raises(TransitionRefused) as refused:
        services.application_submit(application=application, by=world.users["applicant"])
    text = " ".join(refused.value.reasons)
    assert "Vad ska stödet användas till?" in text and "Budget för verksamheten" in text and "Stadgar" in text
    application.refresh_from_db()
    assert application.state == "draft" and not application.case_number


def test_a_too_large_file_or_a_forbidden_type_is_refused(world, settings):
    application = draft_application(world)
    key = f"attachment:{world.objects['config']['attachments']['budget'].pk}"
    before = application.files.count()
    with pytest.raises(ValidationError, match="(?i)file type|filtyp"):
        services.application_attach(
            application=application,
            by=world.users["applicant"],
            key=key,
            upload=pdf_upload("x.exe", b"MZ\x90\x00" * 50),
        )
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="(?i)too large|för stor"):
        services.application_attach(
            application=application, by=world.users["applicant"], key=key, upload=pdf_upload()
        )
    assert application.files.count() == before


def test_someone_without_a_role_in_the_organisation_cannot_apply_or_submit(world):
    round = open_round(world)
    with pytest.raises(PermissionDenied):
        services.application_start(
            round=round, organisation=world.organisation, by=world.users["other_applicant"]
        )
    application = draft_application(world)
    with pytest.raises(PermissionDenied):
        services.application_submit(application=application, by=world.users["other_applicant"])
    assert Application.objects.get().state == "draft"


def test_a_double_submit_gives_one_case_number(world):
    application = draft_application(world)
    services.application_submit(application=application, by=world.users["applicant"])
    with pytest.raises(TransitionRefused, match="redan"):
        services.application_submit(application=application, by=world.users["applicant"])
    assert DiariumEntry.objects.count() == 1
    assert Application.objects.count() == 1


def test_a_double_click_on_apply_makes_one_draft(world):
    round = open_round(world)
    first = services.application_start(
        round=round, organisation=world.organisation, by=world.users["applicant"]
    )
    second = services.application_start(
        round=round, organisation=world.organisation, by=world.users["applicant"]
    )
    assert first.pk == second.pk


def test_the_free_budget_is_budget_minus_earmarked_minus_granted(world):
    from grants.models import budget_free

    application_in(world, "proposed")
    money = budget_free(world.objects["config"]["budget"])
    assert money == {"amount": 135000, "earmarked": 84000, "granted": 0, "free": 51000}
