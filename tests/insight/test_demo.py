"""The demo's public register is filled: last year's round and this year's posted decisions."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from insight.models import RegisterEntry
from insight.selectors import register_source_rows
from organizations.models import Municipality

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_public_register_and_loads_twice():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    municipality = Municipality.objects.get(slug="exemplo")
    public = {(r["r_kind"], r["r_id"]) for r in register_source_rows(municipality=municipality)}
    entries = set(RegisterEntry.objects.filter(municipality=municipality).values_list("kind", "object_id"))
    assert len(public) >= 8  # last year's round at least
    assert entries == public
    html = Client().get(reverse("insight:register", kwargs={"slug": "exemplo"})).content.decode()
    assert "Inga beslut har publicerats ännu" not in html
