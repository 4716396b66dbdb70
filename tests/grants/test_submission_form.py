"""The applicant's form saves and submits in one go: a refused submission keeps what was typed,
draws no case number and names what is missing; invalid answers save nothing."""

import pytest
from django.urls import reverse

from grants.models import Application
from workflows.models import DiariumEntry

from .factories import draft_application

pytestmark = pytest.mark.django_db


def _form(world, application, **overrides):
    config = world.objects["config"]
    data = {
        "title": application.title,
        "requested_amount": "40000",
        "democracy_declaration": "on",
        f"f{config['fields']['purpose'].pk}": "Veckoträffar med lunch.",
        f"f{config['fields']['focus'].pk}": "Äldre",
        "submit": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_refused_submission_keeps_the_changes_and_draws_no_case_number(world, client):
    application = draft_application(world)
    client.force_login(world.users["applicant"])
    focus = f"f{world.objects['config']['fields']['focus'].pk}"
    response = client.post(
        reverse("grants:application_edit", args=[application.pk]),
        _form(
            world,
            application,
            title="Träffpunkt för äldre i Ödeshög",
            requested_amount="45000",
            **{focus: ""},
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Målgrupp" in page  # the missing required question is named
    assert "Träffpunkt för äldre i Ödeshög" in page
    assert "SN " not in page  # no case number shown for a draft
    saved = Application.objects.get(pk=application.pk)
    assert (saved.state, saved.title, saved.requested_amount) == (
        "draft",
        "Träffpunkt för äldre i Ödeshög",
        45000,
    )
    assert (saved.case_number, saved.submitted_at) == ("", None)
    assert not DiariumEntry.objects.exists()

    # completed, the same form submits: the first number of the committee's year
    response = client.post(
        reverse("grants:application_edit", args=[application.pk]),
        _form(world, application, title="Träffpunkt för äldre i Ödeshög"),
    )
    assert response.status_code == 302
    submitted = Application.objects.get(pk=application.pk)
    assert submitted.state == "submitted"
    assert submitted.title == "Träffpunkt för äldre i Ödeshög"
    assert submitted.case_number == f"SN {submitted.registered_at.year}/1"


def test_an_invalid_amount_saves_nothing(world, client):
    application = draft_application(world)
    client.force_login(world.users["applicant"])
    response = client.post(
        reverse("grants:application_edit", args=[application.pk]),
        _form(world, application, title="Ändrad titel", requested_amount="-5"),
    )
    assert response.status_code == 200
    assert Application.objects.get(pk=application.pk).title == "Träffpunkt för äldre"
