"""/api/v1/compacts/: public like the compact's pages."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from .factories import compact

pytestmark = pytest.mark.django_db


def test_the_compact_with_its_principles_and_signatories(world):
    c = compact(world, adopted_on=date(2026, 1, 15))
    client = APIClient()
    client.force_authenticate(world.users["other_applicant"])
    data = client.get(f"/api/v1/compacts/{c.pk}/").json()
    assert data["state"] == "in_force" and data["term_end"] == "2030-01-15"
    assert len(data["principles"]) == 6
