"""The partnership pages: what each person sees and can do, in Swedish, without JavaScript."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iop import services
from iop.models import Partnership

from .factories import INDICATORS, MEMBERS, agreement_data, contributions, in_state

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_applicant_proposes_an_initiative_through_the_portal(world):
    client = _client(world.users["applicant"])
    response = client.post(
        reverse("iop:new"),
        {
            "organisation": world.organisation.pk,
            "committee": world.committee.pk,
            "title": "Läxhjälp i Norra",
            "social_need": "Barn i Norra saknar stöd med skolarbetet.",
            "proposed_solution": "Läxhjälp med volontärer tre kvällar i veckan.",
            "target_group": "Barn i årskurs 4–9.",
            "organisation_brings": "Volontärer och lokal.",
            "municipality_asked": "Samverkan med skolorna.",
            "political_goal": "Skolplanen.",
        },
    )
    partnership = Partnership.objects.get(title="Läxhjälp i Norra")
    assert response.status_code == 302
    assert partnership.case_number and partnership.via_portal
    page = client.get(reverse("home")).content.decode()
    assert "Era partnerskap (IOP)" in page and "Läxhjälp i Norra" in page


def test_missing_answers_are_explained_and_nothing_is_saved(world):
    client = _client(world.users["applicant"])
    response = client.post(reverse("iop:new"), {"organisation": world.organisation.pk, "title": ""})
    assert response.status_code == 200
    assert "Något behöver rättas" in response.content.decode()
    assert not Partnership.objects.exists()


def test_the_caseworker_fills_in_the_checklist_and_a_no_stops_the_dialogue(world):
    partnership = in_state(world, "screening")
    client = _client(world.users["caseworker"])
    data = {}
    for name in [
        "own_initiative",
        "political_goal",
        "no_procurement",
        "not_grant",
        "co_financing",
        "no_detailed_steering",
        "state_aid",
    ]:
        data[name] = "yes"
        data[f"{name}_motivation"] = "Bedömt."
    data["co_financing"] = "no"
    data["state_aid_criterion"] = "not_economic"
    assert client.post(reverse("iop:screening", kwargs={"pk": partnership.pk}), data).status_code == 302
    client.post(
        reverse("iop:screening_conclude", kwargs={"pk": partnership.pk}), {"suitable": "yes"}, follow=True
    )
    partnership.refresh_from_db()
    assert partnership.state == "screening"
    page = client.get(reverse("iop:detail", kwargs={"pk": partnership.pk})).content.decode()
    assert "Alla punkter i IOP-checklistan måste besvaras med ja" in page


def test_the_comparison_shows_what_changed_between_versions(world):
    partnership = in_state(world, "drafting")
    services.agreement_save_version(
        partnership=partnership,
        data=agreement_data(date(2027, 1, 1), date(2030, 1, 1), goals="Fler får stöd, också på helger."),
        contributions=contributions(3),
        indicators=INDICATORS,
        members=MEMBERS,
        by=world.users["applicant"],
    )
    page = _client(world.users["applicant"]).get(reverse("iop:compare", kwargs={"pk": partnership.pk}))
    html = page.content.decode()
    assert "<del>Fler får stöd att ta sig ur hemlöshet.</del>" in html
    assert "<ins>Fler får stöd, också på helger.</ins>" in html
    assert "<caption>Mål</caption>" in html


def test_the_organisation_signs_through_its_page(world):
    partnership = in_state(world, "approved")
    client = _client(world.users["applicant"])
    url = reverse("iop:sign", kwargs={"pk": partnership.pk, "party": "organisation"})
    client.post(url, {"signatory": "Siv Sökande", "signed_on": "2026-05-02"})
    partnership.refresh_from_db()
    assert (partnership.organisation_signatory, partnership.organisation_signed_on) == (
        "Siv Sökande",
        date(2026, 5, 2),
    )
    assert partnership.state == "approved"


@pytest.mark.parametrize("name", ["iop:list", "iop:overview"])
def test_list_pages_cost_the_same_number_of_queries_whatever_the_number_of_partnerships(world, name):
    client = _client(world.users["caseworker"])
    in_state(world, "active")
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(name)).status_code == 200
    for _ in range(3):
        in_state(world, "active")
    with CaptureQueriesContext(connection) as four:
        assert client.get(reverse(name)).status_code == 200
    assert len(four) == len(one)


def _posted_back(response) -> dict:
    """What the browser sends when the agreement page is saved as it was shown (no row touched)."""
    data = {}
    forms = [response.context["form"]]
    for formset in response.context["sets"].values():
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms += formset.forms
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def test_a_new_agreement_version_keeps_every_row_that_was_not_changed(world):
    partnership = in_state(world, "drafting")
    before = partnership.latest_version()
    client = _client(world.users["applicant"])
    url = reverse("iop:agreement_edit", kwargs={"pk": partnership.pk})
    data = _posted_back(client.get(url))
    data["goals"] = "Fler får stöd, också på helger."
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    after = partnership.latest_version()
    assert after.number == before.number + 1
    assert after.goals == "Fler får stöd, också på helger."
    rows = lambda v: (  # noqa: E731
        sorted(v.contributions.values_list("year", "party", "kind", "value")),
        list(v.indicators.values_list("goal", "name", "target")),
        sorted(v.members.values_list("group", "party", "name")),
    )
    assert rows(after) == rows(before)
    assert len(rows(after)[0]) == 9 and len(rows(after)[2]) == 3


def test_the_overview_links_to_the_compacts_management_only_for_those_who_may_open_it(world, client):
    """The secretary's overview led to a management page that answered 404."""
    manage = f"/overenskommelse/{world.municipality.slug}/hantera/"
    client.force_login(world.user("secretary"))
    assert manage not in client.get("/partnerskap/oversikt/").content.decode()
    client.force_login(world.user("caseworker"))
    assert manage in client.get("/partnerskap/oversikt/").content.decode()


def test_a_proposed_partnership_is_decided_at_a_meeting_or_by_delegation_never_with_a_button(world):
    partnership = in_state(world, "proposed")
    for role in ("caseworker", "secretary"):
        client = _client(world.users[role])
        page = client.get(reverse("iop:detail", args=[partnership.pk])).content.decode()
        assert "Registrera nämndens beslut" not in page
        assert f"/partnerskap/{partnership.pk}/beslut/" not in page
        for data in ({}, {"approved": "yes", "decided_on": "2026-06-15", "reference": "Socialnämnden § 42"}):
            assert client.post(f"/partnerskap/{partnership.pk}/beslut/", data).status_code == 404
        for name in ("approve", "reject"):
            client.post(reverse("iop:transition", args=[partnership.pk, name]))
    # the secretary is shown the way to the committee's agenda
    secretary_page = _client(world.users["secretary"]).get(reverse("iop:detail", args=[partnership.pk]))
    assert reverse("meetings:meeting_list", args=[world.committee.pk]) in secretary_page.content.decode()
    partnership.refresh_from_db()
    assert (partnership.state, partnership.decision_reference, partnership.decided_on) == (
        "proposed",
        "",
        None,
    )


def test_the_committees_decision_page_speaks_of_the_agreement_not_of_a_grant(world):
    import datetime as dt

    from django.utils import timezone

    from ..grants.decisions import held_meeting, members

    partnership = in_state(world, "proposed")
    meeting = held_meeting(
        world, starts_at=timezone.now() - dt.timedelta(hours=2), cases=[partnership], adjusters=members(world)
    )
    item = meeting.items.get()
    client = _client(world.users["secretary"])
    url = reverse("meetings:meeting_decide", args=[meeting.pk, item.group_no])
    page = client.get(url).content.decode().split("<main", 1)[1]
    assert "Avtalet godkänns" in page and "Avtalet godkänns inte" in page
    assert "Kommunens pengar under avtalsperioden" in page
    for grant_word in (
        "Bidragsperiod",
        "Beviljad",
        "beviljad",
        "Delvis",
        "För alla bidrag",
        "Redovisning senast",
        "Sökt",
    ):
        assert grant_word not in page, grant_word
    response = client.post(
        url, {f"item{item.pk}-outcome": "rejected", f"item{item.pk}-reasons": "Ryms inte."}
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.state == "rejected"
