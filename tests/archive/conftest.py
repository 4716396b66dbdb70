import pytest

from ..grants.factories import application_in


def dismissed_application(world):
    """An application dismissed by the caseworker: closed, with its dismissal letter and the
    budget attachment the association uploaded."""
    from grants import services

    if "dismissed" in world.objects:
        return world.objects["dismissed"]
    application = application_in(world, "in_assessment")
    application = services.application_dismiss(
        application=application, by=world.users["caseworker"], reason="Föreningen är inte verksam i kommunen."
    )
    application.refresh_from_db()
    world.objects["dismissed"] = application
    return application


@pytest.fixture
def dismissed(world):
    return dismissed_application(world)
