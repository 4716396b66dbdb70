"""A case that another case's step causes is created by the service performing that step, in its
transaction: a delegated grant's follow-up report, an award-round application's candidate.  No
receiver of a signal creates them after commit, so they are there as soon as the step is, and
go with it if it rolls back."""

import pytest
from django.db import transaction

from awards.models import Candidate
from grants import services as grant_services
from reporting.models import FollowUpReport

from ..awards.factories import award_round
from ..reporting.factories import granted_by_delegation

pytestmark = pytest.mark.django_db


def test_a_grant_decided_by_delegation_owes_its_report_from_the_moment_it_is_decided(world):
    application = granted_by_delegation(world)  # no after-commit work runs in this test
    report = FollowUpReport.objects.get(application=application)
    assert report.decision_id == application.decision_id and report.case_number == application.case_number


def test_an_award_application_is_a_candidate_as_soon_as_it_is_submitted_and_not_if_the_submission_fails(
    world,
):
    applicant = world.users["applicant"]
    application = grant_services.application_start(
        round=award_round(world), organisation=world.organisation, by=applicant
    )

    class Interrupted(Exception):
        pass

    with pytest.raises(Interrupted), transaction.atomic():
        grant_services.application_save_and_submit(
            application=application, by=applicant, title="Vi söker priset"
        )
        assert Candidate.objects.filter(application=application).exists()
        raise Interrupted
    assert not Candidate.objects.filter(application=application).exists()

    application.refresh_from_db()
    application = grant_services.application_save_and_submit(
        application=application, by=applicant, title="Vi söker priset"
    )
    assert application.state == "submitted"
    assert Candidate.objects.get(application=application).organisation == world.organisation
