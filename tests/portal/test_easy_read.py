"""A program's easy-to-read Swedish summary: the program administrator writes it, the public reads it first."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from grants.forms import ProgramForm
from grants.models import Program
from grants.services import program_save
from organizations.models import Committee

from ..grants.factories import ProgramFactory, RoundFactory

pytestmark = pytest.mark.django_db

SUMMARY = (
    "Föreningar kan få pengar från kommunen.\n"
    "Pengarna är till aktiviteter för äldre.\n"
    "Ni söker på webben. Sista dagen är i oktober."
)


@pytest.fixture
def program(world):
    program = ProgramFactory(committee=world.committee, municipality=world.municipality)
    now = timezone.now()
    RoundFactory(program=program, opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=20))
    return program


def _edit_data(program, **changes):
    form = ProgramForm(instance=program, committees=Committee.objects.all())
    data = {name: value for name, value in form.initial.items() if name in form.fields and value is not None}
    data = {name: ("on" if value is True else value) for name, value in data.items() if value is not False}
    return {**data, **changes}


def _public(client, program, world):
    return client.get(
        reverse("portal:program", kwargs={"slug": world.municipality.slug, "pk": program.pk})
    ).content.decode()


def test_the_program_administrator_writes_a_summary_and_the_public_reads_it_first(client, world, program):
    client.force_login(world.users["program_admin"])
    edit = reverse("grants:program_edit", args=[program.pk])
    page = client.get(edit).content.decode()
    assert "lättläst sammanfattning" in page.lower()
    assert "korta meningar med vanliga ord och en tanke i varje mening" in page
    response = client.post(edit, _edit_data(program, easy_read=SUMMARY))
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.easy_read == SUMMARY

    client.logout()
    html = _public(client, program, world)
    section = re.search(r'<section[^>]*id="lattlast"[^>]*>(.*?)</section>', html, re.S)
    assert section, "no easy-to-read section on the public program page"
    assert 'lang="sv"' in section.group(0)
    assert "<h2" in section.group(1) and "Lättläst</h2>" in section.group(1)
    assert "Föreningar kan få pengar från kommunen.<br>" in section.group(1)
    # the summary comes before the full text
    assert html.index('id="lattlast"') < html.index("Stöd till föreningar som arbetar för social gemenskap.")

    start = client.get(reverse("portal:start", kwargs={"slug": world.municipality.slug})).content.decode()
    link = reverse("portal:program", kwargs={"slug": world.municipality.slug, "pk": program.pk}) + "#lattlast"
    assert f'href="{link}" hreflang="sv">Läs på lättläst svenska' in start


def test_the_grants_program_page_shows_the_summary_too(client, world, program):
    program.easy_read = SUMMARY
    program.save()
    client.force_login(world.users["applicant"])
    html = client.get(reverse("grants:program_detail", args=[program.pk])).content.decode()
    assert 'id="lattlast" lang="sv"' in html
    assert html.index('id="lattlast"') < html.index("Stöd till föreningar som arbetar")


def test_without_a_summary_there_is_no_section_and_no_link(client, world, program):
    assert 'id="lattlast"' not in _public(client, program, world)
    start = client.get(reverse("portal:start", kwargs={"slug": world.municipality.slug})).content.decode()
    assert "Läs på lättläst svenska" not in start
    # the program's own page is still linked from its card
    assert reverse("portal:program", kwargs={"slug": world.municipality.slug, "pk": program.pk}) in start


def test_a_summary_longer_than_1500_characters_is_refused_with_a_clear_message(client, world, program):
    client.force_login(world.users["program_admin"])
    # 116 sentences of 13 characters, less the last space the form strips: 1 507
    response = client.post(
        reverse("grants:program_edit", args=[program.pk]),
        _edit_data(program, easy_read="Kort mening. " * 116),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Den lättlästa sammanfattningen får vara högst 1500 tecken lång. Nu är den 1507 tecken." in html
    program.refresh_from_db()
    assert program.easy_read == ""
    # exactly at the limit is fine
    response = client.post(
        reverse("grants:program_edit", args=[program.pk]), _edit_data(program, easy_read="x" * 1500)
    )
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["caseworker", "applicant", "other_caseworker"])
def test_only_the_program_administrator_may_write_the_summary(client, world, program, role):
    client.force_login(world.users[role])
    response = client.post(
        reverse("grants:program_edit", args=[program.pk]), _edit_data(program, easy_read=SUMMARY)
    )
    assert response.status_code in {403, 404}
    program.refresh_from_db()
    assert program.easy_read == ""
    program.easy_read = SUMMARY
    with pytest.raises(PermissionDenied):
        program_save(program=program, by=world.users[role])
    assert Program.objects.get(pk=program.pk).easy_read == ""


def test_a_program_of_another_municipality_or_an_inactive_one_has_no_public_page(client, world, program):
    other = ProgramFactory(committee=world.other_committee, municipality=world.other_municipality)
    url = reverse("portal:program", kwargs={"slug": world.municipality.slug, "pk": other.pk})
    assert client.get(url).status_code == 404
    program.is_active = False
    program.save()
    url = reverse("portal:program", kwargs={"slug": world.municipality.slug, "pk": program.pk})
    assert client.get(url).status_code == 404
