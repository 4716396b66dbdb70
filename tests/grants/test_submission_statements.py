"""What one submission costs the database: the same statements for every application, and the
round, program, committee, municipality and organisation the page has read are not read again."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants import services
from grants.models import Application

from ..factories import OrganisationFactory, UserFactory, active_role
from .factories import draft_application

pytestmark = pytest.mark.django_db

#: what a submission through the applicant's form costs: the session and the user, the row locked
#: and checked, one INSERT for each new row (the register documents linked, the diarium entry, the
#: log row, the receipt, the flow's process, its two tasks and their link), the number sequence's
#: and the row's UPDATE, and viewflow's own start (its two savepoints and its lock of the new
#: process); more is a regression of the submission throughput the benchmark measures
STATEMENTS = {"postgresql": 24, "sqlite": 24}
READ_BY_THE_PAGE = ("grants_round", "grants_program", "organizations_committee", "organizations_municipality")


def _draft(world, n):
    organisation = OrganisationFactory(name=f"Förening {n} Exempelö", active_in=[world.municipality])
    user = UserFactory(email=f"kassor{n}-{organisation.pk}@example.se")
    active_role(user, organisation)
    return draft_application(world, organisation=organisation, user=user), user


def _submit(client, application, user):
    client.force_login(user)
    data = {
        "title": application.title,
        "requested_amount": "40000",
        "democracy_declaration": "on",
        "submit": "1",
        **{f"f{key.split(':')[1]}": value for key, value in application.answers.items()},
    }
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(reverse("grants:application_edit", args=[application.pk]), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert response.url == reverse("grants:application_detail", args=[application.pk])
    return [q["sql"] for q in ctx.captured_queries]


def _tables_read(statements):
    return {
        table for sql in statements if sql.startswith("SELECT") for table in re.findall(r'FROM "(\w+)"', sql)
    }


def test_a_submission_costs_the_same_statements_for_every_application(world, client):
    # the committee's first case of the year starts its number sequence: a few statements more
    _submit(client, *_draft(world, 0))
    first, second = (_submit(client, *_draft(world, n)) for n in (1, 2))
    assert len(first) == len(second) <= STATEMENTS[connection.vendor]
    # read once with the application (joined), never on their own
    assert not _tables_read(first) & set(READ_BY_THE_PAGE)
    assert Application.objects.filter(state=Application.State.SUBMITTED).count() == 3


def test_an_application_read_without_its_round_is_submitted_all_the_same(world):
    draft, user = _draft(world, 3)
    fresh = Application.objects.get(pk=draft.pk)  # no relation read
    submitted = services.application_submit(application=fresh, by=user)
    program = submitted.round.program
    assert submitted.state == Application.State.SUBMITTED
    assert submitted.case_number == f"{program.committee.code} {submitted.registered_at.year}/1"
    assert Application.objects.get(pk=draft.pk).case_number == submitted.case_number
