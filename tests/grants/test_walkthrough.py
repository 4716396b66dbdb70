"""One application walked from draft to proposed through the pages, another through the API."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django_fsm_log.models import StateLog
from viewflow.workflow.models import Task

from grants.models import Application
from workflows.models import DiariumEntry, StoredDocument

from ..factories import OrganisationDocumentFactory
from .factories import open_round, pdf_upload

pytestmark = pytest.mark.django_db


def _log(application):
    return list(
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Application), object_id=application.pk
        ).order_by("timestamp", "pk")
    )


def test_an_application_goes_from_draft_to_proposed_through_the_pages(
    world, client, django_capture_on_commit_callbacks
):
    round = open_round(world)
    config = world.objects["config"]
    OrganisationDocumentFactory(organisation=world.organisation, doc_type="statutes")
    applicant, caseworker = world.users["applicant"], world.users["caseworker"]

    # The applicant sees the open round with a pre-check, and starts an application.
    client.force_login(applicant)
    page = client.get(reverse("grants:rounds"))
    assert round.program.name in page.content.decode()
    response = client.post(reverse("grants:apply", args=[round.pk]), {"organisation": world.organisation.pk})
    application = Application.objects.get()
    assert response.url == reverse("grants:application_edit", args=[application.pk])

    # Saves a draft, comes back, uploads the budget, submits.
    purpose, focus = f"f{config['fields']['purpose'].pk}", f"f{config['fields']['focus'].pk}"
    client.post(
        reverse("grants:application_edit", args=[application.pk]),
        {"title": "Träffpunkt", "requested_amount": "40000", purpose: "Veckoträffar", "save": "1"},
    )
    assert Application.objects.get().answers[f"field:{config['fields']['purpose'].pk}"] == "Veckoträffar"
    client.post(
        reverse("grants:attachment_upload", args=[application.pk]),
        {"key": f"attachment:{config['attachments']['budget'].pk}", "file": pdf_upload()},
    )
    refused = client.post(
        reverse("grants:application_edit", args=[application.pk]),
        {"title": "Träffpunkt", "requested_amount": "40000", purpose: "Veckoträffar", "submit": "1"},
    )
    assert "Målgrupp" in refused.content.decode()  # the missing required question is named
    assert Application.objects.get().state == "draft"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("grants:application_edit", args=[application.pk]),
            {
                "title": "Träffpunkt",
                "requested_amount": "40000",
                purpose: "Veckoträffar",
                focus: "Äldre",
                "submit": "1",
            },
        )
    application.refresh_from_db()
    assert application.state == "submitted"
    assert application.case_number == f"SN {application.registered_at.year}/1"
    assert DiariumEntry.objects.get().case_number == application.case_number
    assert any(application.case_number in m.subject for m in mail.outbox)  # the receipt
    assert StoredDocument.objects.filter(kind="grant_application", object_id=application.pk).count() == 1
    assert (
        client.get(reverse("grants:application_pdf", args=[application.pk]))["Content-Type"]
        == "application/pdf"
    )

    # The caseworker finds it in the inbox, takes the task and accepts it for assessment.
    client.force_login(caseworker)
    inbox = client.get(reverse("grants:inbox")).content.decode()
    assert application.case_number in inbox
    task = Task.objects.get(flow_task_type="HUMAN", status="NEW")
    client.post(reverse("grants:task_claim", args=[task.pk]))
    assert Task.objects.get(pk=task.pk).owner == caseworker
    url = lambda name: reverse("grants:application_transition", args=[application.pk, name])  # noqa: E731
    client.post(url("accept"))
    assert Application.objects.get().state == "in_assessment"

    # Assesses against the criteria, finishes and proposes.
    reach, quality = config["criteria"]["reach"], config["criteria"]["quality"]
    client.post(
        reverse("grants:assess", args=[application.pk]),
        {f"score_{reach.pk}": "4", f"na_{quality.pk}": "on", "comment": "Bra", "complete": "on"},
    )
    client.post(url("finish_assessment"))
    application.refresh_from_db()
    assert application.state == "assessed"
    assert str(application.score) == "4.00"
    client.post(url("propose"), {"amount": "35000", "motivation": "Väl förankrad verksamhet."})
    application.refresh_from_db()
    assert application.state == "proposed"
    assert application.proposed_amount == 35000

    # The applicant follows it on the timeline: one log row per change.
    client.force_login(applicant)
    detail = client.get(reverse("grants:application_detail", args=[application.pk])).content.decode()
    assert "förslag till beslut" in detail
    log = _log(application)
    assert [(e.source_state, e.state) for e in log] == [
        ("draft", "submitted"),
        ("submitted", "in_assessment"),
        ("in_assessment", "assessed"),
        ("assessed", "proposed"),
    ]
    assert [e.by for e in log] == [applicant, caseworker, caseworker, caseworker]
    # The flow has nothing left for anyone.
    assert not Task.objects.filter(flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED", "STARTED"]).exists()


def test_an_application_goes_from_draft_to_proposed_through_the_api(
    world, client, django_capture_on_commit_callbacks
):
    round = open_round(world)
    config = world.objects["config"]
    OrganisationDocumentFactory(organisation=world.organisation, doc_type="statutes")
    client.force_login(world.users["applicant"])
    created = client.post(
        "/api/v1/applications/",
        {
            "round": round.pk,
            "organisation": world.organisation.pk,
            "title": "Läxhjälp",
            "requested_amount": "20000",
            "answers": {
                f"field:{config['fields']['purpose'].pk}": "Läxhjälp",
                f"field:{config['fields']['focus'].pk}": "Barn",
            },
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    upload = client.post(
        f"/api/v1/applications/{pk}/attachments/",
        {"key": f"attachment:{config['attachments']['budget'].pk}", "file": pdf_upload()},
    )
    assert upload.status_code == 201, upload.content
    names = [t["name"] for t in client.get(f"/api/v1/applications/{pk}/transitions/").json()]
    assert "submit" in names
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(
            f"/api/v1/applications/{pk}/transitions/submit/", {}, content_type="application/json"
        )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["case_number"].startswith("SN ")

    client.force_login(world.users["caseworker"])

    def step(name, data=None):
        response = client.post(
            f"/api/v1/applications/{pk}/transitions/{name}/", data or {}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        return response.json()

    assert step("accept")["state"] == "in_assessment"
    reach, quality = config["criteria"]["reach"], config["criteria"]["quality"]
    scored = client.post(
        f"/api/v1/applications/{pk}/assessment/",
        {"scores": {str(reach.pk): {"score": 5}, str(quality.pk): {"score": 2}}, "complete": True},
        content_type="application/json",
    )
    assert scored.status_code == 200, scored.content
    assert scored.json()["weighted_score"] == "4.00"
    assert step("finish_assessment")["state"] == "assessed"
    refused = client.post(
        f"/api/v1/applications/{pk}/transitions/propose/", {}, content_type="application/json"
    )
    assert refused.status_code == 400
    proposed = step("propose", {"amount": 18000, "motivation": "Stor efterfrågan."})
    assert proposed["state"] == "proposed" and proposed["proposed_amount"] == "18000"

    history = client.get(f"/api/v1/applications/{pk}/history/").json()
    assert [(h["source_state"], h["state"]) for h in history] == [
        ("draft", "submitted"),
        ("submitted", "in_assessment"),
        ("in_assessment", "assessed"),
        ("assessed", "proposed"),
    ]
    # Another municipality's caseworker cannot even see it.
    client.force_login(world.users["other_caseworker"])
    assert client.get(f"/api/v1/applications/{pk}/").status_code == 404
