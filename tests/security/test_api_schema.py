"""Schemathesis against /api/v1/schema/: generated requests to every endpoint, in process,
as a caseworker and as an applicant, find no server error."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from config.wsgi import application


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The raw WSGI app closes the database connection after each request (as in production);
    inside a test transaction that would end the test's connection, so keep it like Django's
    test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["caseworker", "applicant"])
def test_generated_api_requests_find_no_server_error(world, role):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    token = Token.objects.create(user=world.users[role])
    headers = {"Authorization": f"Token {token.key}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the schema lists no endpoint"
    checked = []
    for operation in operations:

        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            derandomize=True,  # the same examples every run: CI is reproducible
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error])
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"

        run()
        checked.append(f"{operation.method.upper()} {operation.path}")
    assert any("/organizations/" in c for c in checked), checked
