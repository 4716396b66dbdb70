import pytest

from grants.models import Application

from .factories import application_in


@pytest.mark.django_db
def test_services_walk(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = application_in(world, "proposed")
    assert application.state == Application.State.PROPOSED
