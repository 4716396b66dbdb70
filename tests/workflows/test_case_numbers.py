"""Case numbers (diarienummer): per committee and year, consecutive, never repeated."""

import threading

import pytest
from django.db import connection, connections

from organizations.models import OrganisationRole
from workflows.models import DiariumEntry
from workflows.services import case_number_register

from ..conftest import is_postgres
from ..factories import CommitteeFactory, MunicipalityFactory, OrganisationFactory, UserFactory


@pytest.mark.django_db
def test_case_numbers_follow_the_municipality_format_per_committee_and_year():
    municipality = MunicipalityFactory(case_number_format="{committee} {year}/{number}")
    sn = CommitteeFactory(municipality=municipality, code="SN")
    kfn = CommitteeFactory(municipality=municipality, code="KFN")
    user = UserFactory()
    numbers = [
        case_number_register(committee=sn, title="Ansökan", by=user, year=2026).case_number for _ in range(3)
    ]
    numbers.append(case_number_register(committee=kfn, title="Ansökan", by=user, year=2026).case_number)
    numbers.append(case_number_register(committee=sn, title="Ansökan", by=user, year=2027).case_number)
    assert numbers == ["SN 2026/1", "SN 2026/2", "SN 2026/3", "KFN 2026/1", "SN 2027/1"]


@pytest.mark.django_db
def test_registering_a_case_stores_its_number_on_the_case_and_in_the_diarium():
    committee = CommitteeFactory(
        code="SN", municipality__case_number_format="{committee}-{year}-{number:04d}"
    )
    user = UserFactory()
    role = OrganisationRole.objects.create(user=user, organisation=OrganisationFactory())
    # any model works as the registered subject; the diarium points back at it
    entry = case_number_register(committee=committee, title="Medlemskap", by=user, year=2026)
    assert entry.case_number == "SN-2026-0001"
    assert DiariumEntry.objects.get(case_number="SN-2026-0001").registered_by == user
    assert role.pk  # the role itself is untouched


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_registrations_get_fifty_distinct_consecutive_numbers():
    if not is_postgres():
        pytest.skip("needs PostgreSQL row locks; CI runs it on PostgreSQL")
    committee = CommitteeFactory(code="SN")
    user = UserFactory()
    barrier = threading.Barrier(50)
    results, errors = [], []

    def register():
        try:
            barrier.wait(timeout=30)
            results.append(
                case_number_register(committee=committee, title="Ansökan", by=user, year=2026).number
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == list(range(1, 51))
    assert DiariumEntry.objects.filter(committee=committee).count() == 50
    assert connection.vendor == "postgresql"
