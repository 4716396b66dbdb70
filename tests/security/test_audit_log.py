"""The transition log cannot be changed from the application (PostgreSQL trigger)."""

import pytest
from django.db import DatabaseError, transaction
from django_fsm_log.models import StateLog

from organizations.services import role_decide, role_request

from ..conftest import is_postgres


@pytest.mark.postgres
@pytest.mark.django_db
def test_log_rows_can_be_added_but_never_changed_or_deleted(world):
    if not is_postgres():
        pytest.skip("The append-only trigger exists on PostgreSQL only (set DATABASE_URL to run this test).")
    from ..factories import UserFactory

    joiner = UserFactory(email="joiner@example.se")
    role = role_request(organisation=world.organisation, by=joiner)
    role_decide(role=role, by=world.users["applicant"], approve=True, reason="Välkommen")
    entry = StateLog.objects.get(transition="approve")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        StateLog.objects.filter(pk=entry.pk).update(description="ändrat i efterhand")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        StateLog.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.description = "x"
        entry.save()
    entry.refresh_from_db()
    assert entry.description == "Välkommen"
