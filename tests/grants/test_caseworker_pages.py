"""The caseworker's pages: what a caseworker can do from them, and how they show it."""

import pytest
from django.urls import reverse

from grants import services
from grants.models import Application
from reporting import services as reporting
from workflows.models import OutboxMessage

from ..pdf import pdf_text
from ..reporting.factories import fill_in, report_in
from .factories import application_in, draft_application, open_round

pytestmark = pytest.mark.django_db


def submit_owing(application, by):
    """Submitted by an organisation that owes a report: the applicant has confirmed sending it anyway."""
    return services.application_submit(application=application, by=by, confirmed=True)


def _detail(client, application) -> str:
    return client.get(reverse("grants:application_detail", args=[application.pk])).content.decode()


def test_after_the_assessment_the_page_offers_to_propose_an_amount_with_a_motivation(world, client):
    application = application_in(world, "assessed")
    client.force_login(world.users["caseworker"])
    page = _detail(client, application)
    assert 'name="amount"' in page and 'name="motivation"' in page
    assert "Föreslå beslut</button>" in page
    assert "Ange föreslaget belopp och en motivering" not in page

    client.post(
        reverse("grants:application_transition", args=[application.pk, "propose"]),
        {"amount": "35000", "motivation": "Väl förankrad verksamhet."},
    )
    application.refresh_from_db()
    assert (application.state, application.proposed_amount) == ("proposed", 35000)
    assert "35\xa0000\xa0kr" in _detail(client, application)


def test_a_proposal_without_a_motivation_is_refused_with_the_reason(world, client):
    application = application_in(world, "assessed")
    client.force_login(world.users["caseworker"])
    response = client.post(
        reverse("grants:application_transition", args=[application.pk, "propose"]),
        {"amount": "35000", "motivation": " "},
        follow=True,
    )
    assert "Skriv en motivering" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "assessed"


def test_a_rule_failed_at_submission_is_checked_again_when_the_report_is_approved(world, client):
    report = report_in(world, "overdue")
    applicant, caseworker = world.users["applicant"], world.users["caseworker"]
    application = submit_owing(draft_application(world), applicant)
    client.force_login(caseworker)
    page = _detail(client, application)
    assert "Ansökan stannar i granskningen" in page and report.case_number in page  # the reason
    assert "Kontrollera reglerna igen" in page

    # The organisation sends the report; the caseworker approves it.
    fill_in(world, report)
    reporting.report_submit(report=report, by=applicant)
    reporting.report_approve(report=report, by=caseworker)

    accept = reverse("grants:application_transition", args=[application.pk, "accept"])
    client.post(accept)
    application.refresh_from_db()
    assert application.state == "submitted"  # what was stored at submission still says no

    client.post(reverse("grants:eligibility_recheck", args=[application.pk]))
    application.refresh_from_db()
    assert all(r["ok"] for r in application.eligibility)
    client.post(accept)
    application.refresh_from_db()
    assert application.state == "in_assessment"


def test_dismissing_asks_to_confirm_on_a_page_and_sends_a_letter_that_says_how_to_appeal(world, client):
    application = application_in(world, "submitted")
    client.force_login(world.users["caseworker"])
    page = _detail(client, application)
    confirm = reverse("grants:application_confirm", args=[application.pk, "dismiss"])
    # not a red button first on the page: a secondary link to a confirmation page, after the others
    assert f'<a class="button button-secondary" href="{confirm}">Avvisa' in page
    assert page.index("Ta upp till bedömning") < page.index(confirm)
    assert "button-danger" not in page

    refused = client.post(confirm, {"reason": ""})
    assert refused.status_code == 200
    assert 'class="error"' in refused.content.decode()
    application.refresh_from_db()
    assert application.state == "submitted"

    client.post(confirm, {"reason": "Ansökan kom in efter att omgången stängt."})
    application.refresh_from_db()
    assert application.state == "dismissed"
    page = _detail(client, application)
    letter = reverse("grants:dismissal_letter_download", args=[application.pk])
    assert letter in page
    assert "Beslutsbrev om avvisningen skickat" in page  # on the timeline
    response = client.get(letter)
    text = pdf_text(b"".join(response.streaming_content)).replace("\xa0", " ")
    assert "Ansökan avvisas" in text and "Ansökan kom in efter att omgången stängt." in text
    assert "Så här överklagar du beslutet" in text and "tre veckor" in text
    assert application.case_number in text
    assert OutboxMessage.objects.filter(key__startswith=f"dismissal-letter:{application.pk}:").exists()

    # the organisation reads the same letter
    client.force_login(world.users["applicant"])
    assert letter in _detail(client, application)
    assert client.get(letter).status_code == 200


def test_withdrawing_is_confirmed_on_a_page(world, client):
    application = application_in(world, "submitted")
    client.force_login(world.users["applicant"])
    confirm = reverse("grants:application_confirm", args=[application.pk, "withdraw"])
    page = _detail(client, application)
    assert confirm in page and "button-danger" not in page
    assert "Återta ansökan" in client.get(confirm).content.decode()
    client.post(confirm, {"reason": "Vi söker senare."})
    assert Application.objects.get(pk=application.pk).state == "withdrawn"


def test_an_unfinished_score_is_named_at_its_field_and_linked_from_the_summary(world, client):
    application = application_in(world, "in_assessment")
    reach = world.objects["config"]["criteria"]["reach"]
    client.force_login(world.users["caseworker"])
    url = reverse("grants:assess", args=[application.pk])
    assert "vikt 2,00" in client.get(url).content.decode()
    page = client.post(url, {"complete": "on"}).content.decode()
    assert f'href="#id_score_{reach.pk}"' in page
    assert f'id="id_score_{reach.pk}_error"' in page


def test_the_caseworkers_page_shows_scores_with_a_comma(world, client):
    application = application_in(world, "assessed")
    client.force_login(world.users["caseworker"])
    page = _detail(client, application)
    assert "3,67" in page and "3.67" not in page


def test_the_program_page_names_its_rules_in_words_and_weights_with_a_comma(world, client):
    round = open_round(
        world, org_kinds={"kinds": ["nonprofit", "foundation"]}, min_resident_members={"min": 10}
    )
    client.force_login(world.users["caseworker"])
    page = client.get(reverse("grants:program_detail", args=[round.program_id])).content.decode()
    assert "ideell förening, stiftelse" in page and "minst 10 medlemmar" in page
    assert "{'kinds'" not in page and "{&#x27;kinds" not in page
    assert "vikt 2,00" in page
