"""The applicant's pages: the open rounds are a compact list with the pre-check folded and amounts
written as a person writes them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import Program

from .factories import open_round

pytestmark = pytest.mark.django_db


def test_the_open_rounds_are_a_compact_list_with_the_pre_check_folded(client, world):
    round = open_round(world)
    Program.objects.filter(pk=round.program_id).update(min_amount=Decimal(15000), max_amount=Decimal(100000))
    client.force_login(world.users["applicant"])
    page = client.get(reverse("grants:rounds")).content.decode()
    assert "<details>" in page and "<summary>Föreningen Trygg Vardag: " in page
    assert "15\u00a0000\u00a0kr–100\u00a0000\u00a0kr" in page
    assert "Ansök för Föreningen Trygg Vardag" in page
