"""The program's rules hold on every path: the applicant's form and the API refuse the same things,
each said next to the field where it is corrected, and all at once."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants import eligibility, services
from grants.models import Application, EligibilityRule, Program

from .factories import draft_application, open_round, pdf_upload

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
S = Application.State


@pytest.fixture
def draft(world):
    """A filled-in draft of a program that takes 10 000–100 000 kr, one application per round
    and the democracy declaration."""
    round = open_round(world, democracy_declaration={})
    Program.objects.filter(pk=round.program_id).update(
        min_amount=Decimal("10000"), max_amount=Decimal("100000"), several_per_round=False
    )
    round.program.refresh_from_db()
    round.snapshot = None
    round.save(update_fields=["snapshot"])
    return draft_application(world)


def _config(world):
    return world.objects["config"]


def _form_data(world, application, **changes):
    fields = _config(world)["fields"]
    data = {
        "title": application.title,
        "requested_amount": str(application.requested_amount),
        f"f{fields['purpose'].pk}": "Veckoträffar med lunch.",
        f"f{fields['focus'].pk}": "Äldre",
        "democracy_declaration": "on",
        "submit": "1",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _page_submit(client, world, application, **changes):
    client.force_login(world.users["applicant"])
    response = client.post(
        reverse("grants:application_edit", args=[application.pk]), _form_data(world, application, **changes)
    )
    return response


def _error_at(response, field_id: str) -> str:
    """The error shown next to the field, which the summary must link to."""
    page = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert f'href="#{field_id}"' in page, f"the summary does not link to {field_id}"
    start = page.index(f'id="{field_id}_error"')
    return page[start : page.index("</p>", start)]


def _api_submit(client, world, application, **data):
    client.force_login(world.users["applicant"])
    return client.post(
        f"/api/v1/applications/{application.pk}/transitions/submit/", data, content_type="application/json"
    )


def _state(application):
    return Application.objects.get(pk=application.pk).state


# ---- the program's amount range ----


def test_an_amount_above_the_programs_range_is_refused_next_to_the_amount_on_the_page(client, world, draft):
    response = _page_submit(client, world, draft, requested_amount="500000")
    error = _error_at(response, "id_requested_amount")
    assert f"mellan 10{NBSP}000{NBSP}kr och 100{NBSP}000{NBSP}kr" in error
    assert f"500{NBSP}000{NBSP}kr" in error
    assert _state(draft) == S.DRAFT
    assert Application.objects.get(pk=draft.pk).requested_amount == 500000  # what was typed is kept


def test_an_amount_outside_the_programs_range_is_refused_by_the_api(client, world, draft):
    services.application_save(application=draft, by=world.users["applicant"], requested_amount=5000)
    response = _api_submit(client, world, draft)
    assert response.status_code == 409, response.content
    assert "10\u00a0000\u00a0kr" in response.json()["errors"]["requested_amount"][0]
    assert _state(draft) == S.DRAFT
    services.application_save(application=draft, by=world.users["applicant"], requested_amount=40000)
    assert _api_submit(client, world, draft).status_code == 200


# ---- the democracy declaration ----


def test_the_democracy_declaration_must_be_ticked_on_the_page(client, world, draft):
    response = _page_submit(client, world, draft, democracy_declaration=None)
    assert "demokrativillkoren" in _error_at(response, "id_democracy_declaration")
    assert _state(draft) == S.DRAFT


def test_the_democracy_declaration_must_be_made_through_the_api(client, world, draft):
    services.application_save(application=draft, by=world.users["applicant"], democracy_declaration=False)
    response = _api_submit(client, world, draft)
    assert response.status_code == 409
    assert "democracy_declaration" in response.json()["errors"]
    assert _state(draft) == S.DRAFT


# ---- the length of answers and sensible numbers ----


def test_an_answer_longer_than_its_fields_limit_is_refused_on_the_page(client, world, draft):
    purpose = _config(world)["fields"]["purpose"]
    response = _page_submit(client, world, draft, **{f"f{purpose.pk}": "x" * 100_000})
    assert "5000" in _error_at(response, f"id_f{purpose.pk}").replace(NBSP, "").replace(" ", "")
    assert _state(draft) == S.DRAFT


def test_an_answer_longer_than_its_fields_limit_is_refused_by_the_api(client, world, draft):
    purpose = _config(world)["fields"]["purpose"]
    purpose.max_length = 300
    purpose.save()
    draft.snapshot = services.program_snapshot(purpose.program)
    draft.save(update_fields=["snapshot"])
    client.force_login(world.users["applicant"])
    response = client.patch(
        f"/api/v1/applications/{draft.pk}/",
        {"answers": {f"field:{purpose.pk}": "x" * 301}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "300" in str(response.json())
    # an answer saved before the limit was lowered is refused at submission, at its field
    Application.objects.filter(pk=draft.pk).update(
        answers={**draft.answers, f"field:{purpose.pk}": "x" * 301}
    )
    response = _api_submit(client, world, draft)
    assert response.status_code == 409
    assert f"field:{purpose.pk}" in response.json()["errors"]


@pytest.mark.parametrize("value", ["NaN", "inf", "-Infinity", "1e999", "0.000000001"])
def test_a_number_that_is_not_finite_and_sensible_is_refused_on_the_page_and_by_the_api(
    client, world, draft, value
):
    participants = _config(world)["fields"]["participants"]
    response = _page_submit(client, world, draft, **{f"f{participants.pk}": value})
    _error_at(response, f"id_f{participants.pk}")
    assert _state(draft) == S.DRAFT
    response = client.patch(
        f"/api/v1/applications/{draft.pk}/",
        {"answers": {f"field:{participants.pk}": value}},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert Application.objects.get(pk=draft.pk).answers.get(f"field:{participants.pk}") is None


# ---- one application per organisation and round ----


def _second_draft(world, first):
    """A second draft of the same organisation in the round, started before the first was sent."""
    second = Application.objects.create(
        round=first.round,
        organisation=first.organisation,
        title="Ytterligare en ansökan",
        requested_amount=first.requested_amount,
        answers=first.answers,
        democracy_declaration=True,
        snapshot=first.snapshot,
        created_by=world.users["applicant"],
    )
    services.application_attach(
        application=second,
        by=world.users["applicant"],
        key=f"attachment:{_config(world)['attachments']['budget'].pk}",
        upload=pdf_upload(),
    )
    return second


def test_an_organisation_sends_one_application_per_round_on_the_page(client, world, draft):
    services.application_submit(application=draft, by=world.users["applicant"])
    client.force_login(world.users["applicant"])
    response = client.post(
        reverse("grants:apply", args=[draft.round_id]), {"organisation": world.organisation.pk}, follow=True
    )
    assert "redan sökt i den här omgången" in response.content.decode()
    assert Application.objects.filter(round=draft.round, organisation=world.organisation).count() == 1
    second = _second_draft(world, Application.objects.get(pk=draft.pk))
    response = _page_submit(client, world, second)
    assert draft.round and "redan sökt i den här omgången" in response.content.decode()
    assert _state(second) == S.DRAFT


def test_an_organisation_sends_one_application_per_round_through_the_api(client, world, draft):
    services.application_submit(application=draft, by=world.users["applicant"])
    client.force_login(world.users["applicant"])
    created = client.post(
        "/api/v1/applications/",
        {"round": draft.round_id, "organisation": world.organisation.pk, "title": "Igen"},
        content_type="application/json",
    )
    assert created.status_code == 400
    second = _second_draft(world, Application.objects.get(pk=draft.pk))
    response = _api_submit(client, world, second)
    assert response.status_code == 409
    assert any("redan sökt" in r for r in response.json()["reasons"])


def test_a_program_that_takes_several_applications_per_round_takes_them(client, world, draft):
    Program.objects.filter(pk=draft.round.program_id).update(several_per_round=True)
    draft.snapshot["program"]["several_per_round"] = True
    draft.save(update_fields=["snapshot"])
    services.application_submit(application=draft, by=world.users["applicant"])
    second = _second_draft(world, Application.objects.get(pk=draft.pk))
    assert _api_submit(client, world, second).status_code == 200


# ---- an overdue report does not refuse a submission: told, confirmed, stopped at screening ----


@pytest.fixture
def overdue(world):
    reason = "Redovisningen av bidraget för 2025 skulle ha kommit in senast 2026-03-31."
    state = {"overdue": True}

    def hook(organisation):
        return reason if state["overdue"] and organisation.pk == world.organisation.pk else None

    eligibility.register_hook("no_overdue_report", hook)
    yield state
    eligibility.unregister_hook("no_overdue_report", hook)


@pytest.fixture
def draft_with_report_rule(world, draft):
    EligibilityRule.objects.create(program=draft.round.program, kind="no_overdue_report")
    draft.snapshot = services.program_snapshot(draft.round.program)
    draft.save(update_fields=["snapshot"])
    return draft


def test_an_overdue_report_is_told_before_sending_and_the_applicant_confirms_on_the_page(
    client, world, draft_with_report_rule, overdue
):
    draft = draft_with_report_rule
    client.force_login(world.users["applicant"])
    page = client.get(reverse("grants:application_edit", args=[draft.pk])).content.decode()
    assert "kommer inte att bedömas" in page and "2026-03-31" in page
    response = _page_submit(client, world, draft)
    assert "2026-03-31" in _error_at(response, "id_confirm_outstanding")
    assert _state(draft) == S.DRAFT
    response = _page_submit(client, world, draft, confirm_outstanding="on")
    assert response.status_code == 302
    submitted = Application.objects.get(pk=draft.pk)
    assert submitted.state == S.SUBMITTED and submitted.case_number
    # the case stops at screening, with the reason shown to the caseworker
    client.force_login(world.users["caseworker"])
    page = client.get(reverse("grants:application_detail", args=[draft.pk])).content.decode()
    assert "2026-03-31" in page
    with pytest.raises(services.TransitionRefused):
        services.application_accept(application=submitted, by=world.users["caseworker"])


def test_an_overdue_report_is_confirmed_through_the_api_and_the_rules_can_be_checked_again(
    client, world, draft_with_report_rule, overdue
):
    draft = draft_with_report_rule
    response = _api_submit(client, world, draft)
    assert response.status_code == 409
    assert "confirm_outstanding" in response.json()["errors"]
    response = _api_submit(client, world, draft, confirm_outstanding=True)
    assert response.status_code == 200, response.content
    submitted = Application.objects.get(pk=draft.pk)
    stored = {r["kind"]: r["ok"] for r in submitted.eligibility}
    assert stored["no_overdue_report"] is False
    # the stored result is not frozen: checked again once the report is in, the rule is met
    overdue["overdue"] = False
    again = {r.kind: r.ok for r in services.submission_eligibility(submitted)}
    assert again["no_overdue_report"] is True


# ---- all at once ----


def test_every_problem_is_shown_at_once_each_next_to_its_field(client, world, draft):
    purpose = _config(world)["fields"]["purpose"]
    draft.files.all().delete()
    response = _page_submit(
        client,
        world,
        draft,
        requested_amount="500000",
        democracy_declaration=None,
        **{f"f{purpose.pk}": "x" * 6000},
    )
    _error_at(response, "id_requested_amount")
    _error_at(response, "id_democracy_declaration")
    _error_at(response, f"id_f{purpose.pk}")
    page = response.content.decode()
    assert 'href="#attachments"' in page and "Budget för verksamheten" in page
    assert _state(draft) == S.DRAFT
