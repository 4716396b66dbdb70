"""The start page lists every way to support, and the guide narrows it by the answers given."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardSettings
from grants.models import EligibilityRule, Program
from portal.models import GuidingContact, ProgramGuide

from ..factories import CommitteeFactory
from ..grants.factories import ProgramFactory, RoundFactory

pytestmark = pytest.mark.django_db

IOP = "Idéburet offentligt partnerskap (IOP)"


@pytest.fixture
def catalogue(world):
    now = timezone.now()

    def program(name, kind=Program.Kind.OPERATING, municipality=None, committee=None, **extra):
        return ProgramFactory(
            name=name,
            kind=kind,
            committee=committee or world.committee,
            municipality=municipality or world.municipality,
            **extra,
        )

    elderly = program("Verksamhetsstöd för äldres gemenskap", rules_reference="KFS 30:3")
    EligibilityRule.objects.create(
        program=elderly, kind="org_kinds", params={"kinds": ["nonprofit", "religious"]}
    )
    ProgramGuide.objects.create(
        program=elderly, purposes=["elderly", "health"], min_amount=5000, max_amount=60000
    )
    RoundFactory(
        program=elderly,
        name="Höstens omgång",
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(days=12),
    )
    RoundFactory(
        program=elderly,
        name="Vårens omgång",
        opens_at=now + timedelta(days=100),
        closes_at=now + timedelta(days=130),
    )
    youth = program("Projektbidrag för unga", kind=Program.Kind.PROJECT)
    EligibilityRule.objects.create(program=youth, kind="min_resident_members", params={"min": 40})
    ProgramGuide.objects.create(program=youth, purposes=["children_youth"], max_amount=100000)
    small = program("Stöd till små föreningar")
    ProgramGuide.objects.create(program=small, max_members=29, max_amount=10000)
    award = program("Årets eldsjälspris", kind=Program.Kind.AWARD)
    AwardSettings.objects.create(program=award, amount=Decimal("10000"))
    EligibilityRule.objects.create(
        program=award, kind="org_kinds", params={"kinds": ["nonprofit", "religious", "foundation"]}
    )
    program("Nedlagt bidrag", is_active=False)
    other_committee = CommitteeFactory(municipality=world.other_municipality, code="KFN")
    program("Grannbys kulturstöd", municipality=world.other_municipality, committee=other_committee)
    GuidingContact.objects.create(
        municipality=world.municipality,
        title="Föreningsguiden",
        email="foreningsguiden@exemplo.se",
        phone="0123-100 200",
        hours="Vardagar 9–12",
    )
    return {"elderly": elderly, "youth": youth, "small": small, "award": award}


def _listed(client, world, **answers) -> list[str]:
    response = client.get(reverse("portal:start", kwargs={"slug": world.municipality.slug}), answers)
    assert response.status_code == 200
    return [e.name for e in response.context["entries"]]


def test_without_answers_everything_active_of_the_municipality_is_listed_with_the_guiding_contact(
    client, world, catalogue
):
    response = client.get(reverse("portal:start", kwargs={"slug": "exemplo"}))
    html = response.content.decode()
    assert _listed(client, world) == [
        "Stöd till små föreningar",
        "Verksamhetsstöd för äldres gemenskap",
        "Projektbidrag för unga",
        "Årets eldsjälspris",
        IOP,
    ]
    assert "Nedlagt bidrag" not in html and "Grannbys kulturstöd" not in html
    assert "foreningsguiden@exemplo.se" in html and "Vardagar 9–12" in html
    assert "KFS 30:3" in html
    assert "Höstens omgång" in html and "Vårens omgång" in html
    assert "12 dagar kvar" in html or "11 dagar kvar" in html
    text = re.sub(r"<[^>]+>", "", html)  # each amount is kept on one line by its own element
    assert "5\u00a0000\u00a0kr – 60\u00a0000\u00a0kr" in text


def test_a_small_association_working_with_older_people_is_shown_what_fits_it(client, world, catalogue):
    listed = _listed(client, world, kind="nonprofit", purpose="elderly", size="small", amount="20000")
    # the youth project is for another purpose and needs 40 members; the small-association grant is at most 10 000 kr
    assert listed == ["Verksamhetsstöd för äldres gemenskap", "Årets eldsjälspris", IOP]


def test_an_informal_network_sees_only_programs_that_allow_it(client, world, catalogue):
    assert _listed(client, world, kind="informal") == ["Stöd till små föreningar", "Projektbidrag för unga"]


def test_size_and_amount_narrow_by_members_and_amount_limits(client, world, catalogue):
    assert "Projektbidrag för unga" not in _listed(client, world, size="small")
    assert "Stöd till små föreningar" not in _listed(client, world, size="large")
    assert _listed(client, world, amount="80000") == ["Projektbidrag för unga", "Årets eldsjälspris", IOP]
    assert _listed(client, world, purpose="culture") == [
        "Stöd till små föreningar",
        "Årets eldsjälspris",
        IOP,
    ]


def test_nonsense_answers_narrow_nothing_and_say_so(client, world, catalogue):
    response = client.get(
        reverse("portal:start", kwargs={"slug": "exemplo"}), {"kind": "dragon", "amount": "x"}
    )
    assert response.status_code == 200
    assert len(response.context["entries"]) == 5
    assert "error-summary" in response.content.decode()


def test_the_anonymous_visitor_is_sent_to_sign_in_and_the_applicant_applies_through_the_grants_apply_page(
    client, world, catalogue
):
    url = reverse("portal:start", kwargs={"slug": "exemplo"})
    current = catalogue["elderly"].rounds.order_by("opens_at").first()
    html = client.get(url).content.decode()
    assert f"{reverse('login')}?next={url}" in html
    assert reverse("awards:nominate", args=[0]).replace("/0/", "/") not in html  # the award has no open round
    client.force_login(world.users["applicant"])
    html = client.get(url).content.decode()
    apply_url = reverse("grants:apply", args=[current.pk])
    assert f'action="{apply_url}"' in html
    response = client.post(apply_url, {"organisation": world.organisation.pk})
    assert response.status_code == 302
    assert world.organisation.applications.filter(round=current).exists()


def test_an_open_award_round_links_to_its_nomination_page(client, world, catalogue):
    now = timezone.now()
    round = RoundFactory(
        program=catalogue["award"], opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=9)
    )
    html = client.get(reverse("portal:start", kwargs={"slug": "exemplo"})).content.decode()
    assert reverse("awards:nominate", args=[round.pk]) in html
    assert "10\u00a0000\u00a0kr" in html


def test_the_start_page_is_reached_from_the_applicants_start_page_and_the_navigation(client, world):
    client.force_login(world.users["applicant"])
    html = client.get(reverse("home")).content.decode()
    assert reverse("portal:start", kwargs={"slug": "exemplo"}) in html
    assert reverse("portal:listing_edit", kwargs={"pk": world.organisation.pk}) in html
    assert reverse("portal:municipalities") in html
    client.logout()
    assert reverse("portal:municipalities") in client.get(reverse("portal:municipalities")).content.decode()
    assert "Exempelö kommun" in client.get(reverse("portal:municipalities")).content.decode()


def test_program_administrators_keep_the_guiding_contact_and_a_programs_guide_data(client, world, catalogue):
    slug = world.municipality.slug
    client.force_login(world.users["program_admin"])
    response = client.post(
        reverse("portal:contact_new", kwargs={"slug": slug}),
        {
            "title": "Kontaktcenter",
            "name": "",
            "email": "kontakt@exemplo.se",
            "phone": "",
            "hours": "",
            "order": 1,
        },
    )
    assert response.status_code == 302
    assert GuidingContact.objects.filter(municipality=world.municipality, title="Kontaktcenter").exists()
    response = client.post(
        reverse("portal:program_guide", kwargs={"slug": slug, "pk": catalogue["small"].pk}),
        {"purposes": ["culture"], "target_groups": "Alla", "min_amount": "20000", "max_amount": "10000"},
    )
    assert response.status_code == 200  # the smallest amount is larger than the largest
    catalogue["small"].guide.refresh_from_db()
    assert catalogue["small"].guide.purposes == []
    client.post(
        reverse("portal:program_guide", kwargs={"slug": slug, "pk": catalogue["small"].pk}),
        {"purposes": ["culture"], "target_groups": "Alla", "min_amount": "", "max_amount": "10000"},
    )
    catalogue["small"].guide.refresh_from_db()
    assert catalogue["small"].guide.purposes == ["culture"]
    client.force_login(world.users["caseworker"])
    response = client.get(reverse("portal:guidance", kwargs={"slug": slug}))
    assert response.status_code == 403


def test_the_partnership_route_links_its_form_only_for_those_who_may_propose_one(client, world):
    start = reverse("portal:start", kwargs={"slug": world.municipality.slug})
    new = reverse("iop:new")
    html = client.get(start).content.decode()
    assert f"?next={new}" in html  # the public is asked to sign in first
    for role, may in (
        ("applicant", True),
        ("caseworker", True),
        ("secretary", False),
        ("member", False),
        ("program_admin", False),
    ):
        client.force_login(world.users[role])
        html = client.get(start).content.decode()
        assert (f'href="{new}"' in html) is may, role
        assert client.get(new).status_code == (200 if may else 403), role
