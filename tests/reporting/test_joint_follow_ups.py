"""A partnership's yearly follow-up is reporting's: recorded through reporting's service, which knows
the partnership only through the adapter iop registers, and moved there from iop by a migration."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from grants.models import Application
from iop.models import Partnership
from reporting.adapters import adapter_for
from reporting.models import JointFollowUp
from reporting.selectors import joint_follow_up, joint_follow_ups
from reporting.services import IndicatorOutcome, joint_follow_up_record
from tests.iop.factories import in_state

BEFORE = [("iop", "0002_partnership_payments_become_payments"), ("reporting", "0002_initial")]
AFTER = [("iop", "0003_follow_ups_move_to_reporting"), ("reporting", "0003_joint_follow_ups")]


def test_reporting_knows_a_partnership_and_an_application_through_their_adapters(world):
    partnership = in_state(world, "active")
    adapter = adapter_for(partnership)
    assert adapter.case_type == "partnership"
    assert adapter.case_number(partnership) == partnership.case_number
    assert adapter.organisation(partnership) == world.organisation
    assert adapter.municipality_id(partnership) == world.municipality.pk
    assert adapter.url(partnership) == f"/partnerskap/{partnership.pk}/"
    assert adapter.may_record(world.users["applicant"], partnership)
    assert not adapter.may_record(world.users["other_caseworker"], partnership)
    assert adapter_for(Application).case_type == "application"


def test_a_joint_follow_up_is_recorded_once_a_year_and_corrected_in_place(world):
    partnership = in_state(world, "active")
    outcome = IndicatorOutcome(key=7, name="Besökare", planned=Decimal(150), achieved=Decimal(170))
    for achieved in (Decimal(170), Decimal(171)):
        joint_follow_up_record(
            case=partnership,
            year=1,
            term_start=partnership.term_start,
            due_on=date(2030, 1, 31),
            contributions_made="Lokal och volontärtimmar.",
            joint_assessment="Fler än planerat.",
            results=[IndicatorOutcome(**{**outcome.__dict__, "achieved": achieved})],
            by=world.users["caseworker"],
        )
    follow_up = joint_follow_up(case=partnership, term_start=partnership.term_start, year=1)
    assert [(r.name, r.planned, r.achieved) for r in follow_up.results.all()] == [
        ("Besökare", Decimal(150), Decimal(171))
    ]
    assert list(partnership.follow_ups.all()) == list(joint_follow_ups(case=partnership)) == [follow_up]
    assert follow_up.case == partnership


def test_someone_of_another_municipality_cannot_record_the_follow_up(world):
    partnership = in_state(world, "active")
    with pytest.raises(PermissionDenied):
        joint_follow_up_record(
            case=partnership,
            year=1,
            term_start=partnership.term_start,
            due_on=date(2030, 1, 31),
            contributions_made="–",
            joint_assessment="–",
            results=[],
            by=world.users["other_caseworker"],
        )
    assert not JointFollowUp.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_a_partnerships_follow_ups_with_their_results(world):
    partnership = in_state(world, "active")
    indicator = partnership.approved_version.indicators.first()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    follow_up = old.get_model("iop", "FollowUp").objects.create(
        partnership_id=partnership.pk,
        year=1,
        term_start=partnership.term_start,
        due_on=date(2030, 1, 31),
        contributions_made="Lokal.",
        joint_assessment="Bra.",
        recorded_by_id=world.users["caseworker"].pk,
        recorded_at=timezone.now(),
    )
    old.get_model("iop", "IndicatorResult").objects.create(
        follow_up_id=follow_up.pk, indicator_id=indicator.pk, planned=150, achieved=170, comment="Bra"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    moved = JointFollowUp.objects.get()
    assert (moved.pk, moved.content_type, moved.object_id, moved.year, moved.contributions_made) == (
        follow_up.pk,
        ContentType.objects.get_for_model(Partnership),
        partnership.pk,
        1,
        "Lokal.",
    )
    assert [(r.indicator_key, r.name, r.achieved, r.comment) for r in moved.results.all()] == [
        (indicator.pk, indicator.name, Decimal(170), "Bra")
    ]
