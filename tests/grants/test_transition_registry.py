"""A step of an application is defined once: the page and the API take the same input, with the
same defaults and the same checks (``grants/transitions.py``, ``workflows.registry``)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import services
from grants.models import Application
from workflows import registry
from workflows.deadlines import add_working_days

from .factories import application_in

pytestmark = pytest.mark.django_db


def _page(client, application, data):
    url = reverse("grants:application_transition", args=[application.pk, "request_completion"])
    return client.post(url, data, follow=True)


def _api(client, application, data):
    return client.post(
        f"/api/v1/applications/{application.pk}/transitions/request_completion/",
        data,
        content_type="application/json",
    )


def test_the_page_offers_the_default_the_page_and_the_api_both_use(world, client):
    step = registry.lookup(Application, "request_completion")
    default = step.form.base_fields["working_days"].initial
    assert default == services.DEFAULT_COMPLETION_DAYS
    form = step.bind({"message": "Skicka budgeten."})
    assert form.is_valid() and form.cleaned_data["working_days"] == default

    application = application_in(world, "submitted")
    client.force_login(world.users["caseworker"])
    page = client.get(reverse("grants:application_detail", args=[application.pk])).content.decode()
    assert f'name="working_days" id="days-request_completion" value="{default}"' in page


@pytest.mark.parametrize("way", [_page, _api])
def test_without_working_days_the_deadline_is_the_default_on_the_page_and_in_the_api(world, client, way):
    application = application_in(world, "submitted")
    client.force_login(world.users["caseworker"])
    response = way(client, application, {"message": "Skicka budgeten.", "working_days": ""})
    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert application.state == "completion_requested"
    expected = add_working_days(timezone.localdate(), services.DEFAULT_COMPLETION_DAYS)
    assert application.completion_deadline == expected


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("tio", "Arbetsdagar att svara: Fyll i ett heltal."),
        ("0", "1–60 arbetsdagar"),
        ("61", "1–60 arbetsdagar"),
    ],
)
def test_bad_working_days_are_refused_alike_on_the_page_and_by_the_api(world, client, days, message):
    application = application_in(world, "submitted")
    client.force_login(world.users["caseworker"])
    page = _page(client, application, {"message": "Skicka budgeten.", "working_days": days})
    assert message in page.content.decode()
    api = _api(client, application, {"message": "Skicka budgeten.", "working_days": days})
    assert api.status_code == 400, api.content
    assert any(message in m for m in api.json()["detail"])
    application.refresh_from_db()
    assert application.state == "submitted"


def test_the_api_takes_the_reason_as_the_message_when_no_message_is_sent(world, client):
    application = application_in(world, "submitted")
    client.force_login(world.users["caseworker"])
    assert _api(client, application, {"reason": "Skicka budgeten."}).status_code == 200
    assert application.completion_requests.get().message == "Skicka budgeten."
