"""An organisation's own application for an award: no amount is applied for, and it is handled
as its award candidate, never with a grant application's steps."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from awards.models import Candidate
from grants import services as grant_services
from grants.models import Application

from .factories import award_round

pytestmark = pytest.mark.django_db


def _draft(world) -> Application:
    return grant_services.application_start(
        round=award_round(world), organisation=world.organisation, by=world.users["applicant"]
    )


def _submitted(world, django_capture_on_commit_callbacks) -> Application:
    application = _draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        application = grant_services.application_save_and_submit(
            application=application, by=world.users["applicant"], title="Vi söker priset"
        )
    assert application.state == "submitted"
    assert Candidate.objects.filter(application=application).exists()
    return application


def test_the_award_application_form_asks_for_no_amount(world, client, django_capture_on_commit_callbacks):
    application = _draft(world)
    client.force_login(world.users["applicant"])
    edit = reverse("grants:application_edit", args=[application.pk])
    page = client.get(edit).content.decode()
    assert "Ansökans rubrik" in page
    assert "Sökt belopp" not in page and 'name="requested_amount"' not in page
    # a value sent anyway is not kept
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, {"title": "Vi söker priset", "requested_amount": "50000", "submit": "1"})
    application.refresh_from_db()
    assert (application.state, application.requested_amount) == ("submitted", None)
    detail = client.get(reverse("grants:application_detail", args=[application.pk])).content.decode()
    assert "Sökt belopp" not in detail


def test_the_api_refuses_an_amount_on_an_award_application_in_swedish(world):
    application = _draft(world)
    title = application.title
    api = APIClient()
    api.force_authenticate(world.users["applicant"])
    url = f"/api/v1/applications/{application.pk}/"
    response = api.patch(url, {"title": "Vi söker priset", "requested_amount": "50000"}, format="json")
    assert response.status_code == 400
    assert "En utmärkelse söks inte med ett belopp" in str(response.json())
    application.refresh_from_db()
    assert (application.title, application.requested_amount) == (title, None)
    assert api.patch(url, {"title": "Vi söker priset"}, format="json").status_code == 200
    assert api.get(url).json()["requested_amount"] is None


def test_an_award_application_offers_only_the_awards_actions(
    world, client, django_capture_on_commit_callbacks
):
    from viewflow.workflow.models import Task

    application = _submitted(world, django_capture_on_commit_callbacks)
    candidate = Candidate.objects.get(application=application)
    caseworker = world.users["caseworker"]
    client.force_login(caseworker)

    inbox = client.get(reverse("grants:inbox")).content.decode()
    assert application.case_number not in inbox
    detail = client.get(reverse("grants:application_detail", args=[application.pk])).content.decode()
    for grant_action in ("Ta upp till bedömning", "Begär komplettering", "Avvisa", "Bedöm ansökan"):
        assert grant_action not in detail, grant_action
    assert reverse("awards:candidate_detail", args=[candidate.pk]) in detail

    pk = application.pk
    task = Task.objects.filter(process__artifact_object_id=pk, flow_task_type="HUMAN").first()
    refused = [
        ("post", reverse("grants:application_transition", args=[pk, "accept"]), {}),
        ("post", reverse("grants:application_transition", args=[pk, "request_completion"]), {"message": "x"}),
        ("get", reverse("grants:application_confirm", args=[pk, "dismiss"]), {}),
        ("post", reverse("grants:application_confirm", args=[pk, "dismiss"]), {"reason": "Sent."}),
        ("get", reverse("grants:assess", args=[pk]), {}),
        ("post", reverse("grants:eligibility_recheck", args=[pk]), {}),
        ("post", reverse("grants:eligibility_override", args=[pk]), {"rule": "org_kinds", "reason": "x"}),
        ("post", reverse("grants:conflict_declare", args=[pk]), {"reason": "Styrelseledamot."}),
        ("get", reverse("grants:application_decide", args=[pk]), {}),
    ]
    if task is not None:
        refused.append(("post", reverse("grants:task_claim", args=[task.pk]), {}))
    for method, url, data in refused:
        assert getattr(client, method)(url, data).status_code == 403, url
    application.refresh_from_db()
    assert application.state == "submitted" and not application.assessments.exists()

    api = APIClient()
    api.force_authenticate(caseworker)
    options = {o["name"] for o in api.get(f"/api/v1/applications/{pk}/transitions/").json()}
    assert not options & {"accept", "request_completion", "dismiss"}
    assert api.post(f"/api/v1/applications/{pk}/transitions/accept/").status_code == 403
