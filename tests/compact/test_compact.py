"""The local compact: adopted, renewed by itself at the end of its term unless decided otherwise, joined and left."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django_fsm_log.models import StateLog

from compact import services
from compact.models import Compact, Principle
from workflows.services import TransitionRefused, system_user

from .. import factories as f
from .factories import compact

pytestmark = pytest.mark.django_db


def test_the_compact_renews_itself_at_the_end_of_its_term(world, travel):
    travel(date(2022, 3, 1))
    c = compact(world, adopted_on=date(2022, 3, 1))
    assert (c.state, c.term_end, c.evaluation_due_on) == ("in_force", date(2026, 3, 1), date(2025, 3, 1))

    travel(date(2026, 2, 28))
    services.compacts_renew_due()
    c.refresh_from_db()
    assert c.term_end == date(2026, 3, 1)

    travel(date(2026, 3, 1))
    services.compacts_renew_due()
    services.compacts_renew_due()  # running twice renews once
    c.refresh_from_db()
    assert (c.state, c.term_start, c.term_end) == ("in_force", date(2026, 3, 1), date(2030, 3, 1))
    log = list(StateLog.objects.for_(c).order_by("pk"))
    assert [(e.transition, e.by) for e in log] == [
        ("adopt", world.users["secretary"]),
        ("renew", system_user()),
    ]
    assert "2026-03-01" in log[1].description


def test_a_decision_not_to_renew_ends_the_compact_with_its_term(world, travel):
    travel(date(2022, 3, 1))
    c = compact(world, adopted_on=date(2022, 3, 1))
    with pytest.raises(PermissionDenied):
        services.compact_record_renewal_decision(
            compact=c, renew=False, decided_on=date(2025, 11, 1), reference="x", by=world.users["applicant"]
        )
    services.compact_record_renewal_decision(
        compact=c,
        renew=False,
        decided_on=date(2025, 11, 1),
        reference="KF 2025-11-01 § 7",
        by=world.users["secretary"],
    )
    travel(date(2026, 3, 2))
    services.compacts_renew_due()
    c.refresh_from_db()
    assert (c.state, c.term_end) == (Compact.State.ENDED, date(2026, 3, 1))
    assert StateLog.objects.for_(c).latest("pk").description.endswith("KF 2025-11-01 § 7")


def test_adoption_needs_the_decision_and_all_six_principles(world):
    c = services.compact_create(
        municipality=world.municipality,
        title="Överenskommelsen",
        text="Text",
        principles={"dialogue": "Vi för dialog."},
        by=world.users["caseworker"],
    )
    with pytest.raises(TransitionRefused, match="sex principer"):
        services.compact_adopt(
            compact=c, by=world.users["secretary"], adopted_on=date(2026, 1, 1), reference="KF § 1"
        )
    c.refresh_from_db()
    assert c.state == "draft"


def test_organisations_join_and_leave_and_the_public_page_lists_the_current_ones(world):
    c = compact(world, adopted_on=date(2026, 1, 15))
    third = f.OrganisationFactory(name="Exempelö Scoutkår", active_in=[world.municipality])
    services.compact_join(
        compact=c, organisation=world.organisation, by=world.users["applicant"], joined_on=date(2026, 2, 1)
    )
    services.compact_join(
        compact=c, organisation=third, by=world.users["caseworker"], joined_on=date(2026, 2, 3)
    )
    with pytest.raises(PermissionDenied):
        services.compact_join(compact=c, organisation=world.other_organisation, by=world.users["applicant"])
    with pytest.raises(Exception, match="redan"):
        services.compact_join(compact=c, organisation=world.organisation, by=world.users["applicant"])

    services.compact_leave(
        compact=c, organisation=third, by=world.users["caseworker"], left_on=date(2026, 5, 1)
    )

    page = Client().get(reverse("compact:compact", kwargs={"slug": world.municipality.slug}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Föreningen Trygg Vardag" in html and "2026-02-01" in html
    assert "Exempelö Scoutkår" not in html
    assert "självständighet och oberoende".capitalize() in html
    assert [(s.organisation.name, s.left_on) for s in c.signatories.order_by("joined_on")] == [
        ("Föreningen Trygg Vardag", None),
        ("Exempelö Scoutkår", date(2026, 5, 1)),
    ]


def test_the_signatory_joins_through_the_page(world):
    c = compact(world, adopted_on=date(2026, 1, 15))
    client = Client()
    client.force_login(world.users["applicant"])
    url = reverse("compact:compact_membership", kwargs={"slug": world.municipality.slug, "action": "join"})
    response = client.post(url, {"join-organisation": world.organisation.pk})
    assert response.status_code == 302
    assert c.signatories.filter(organisation=world.organisation, left_on=None).exists()
    client.force_login(world.users["other_applicant"])
    response = client.post(url, {"join-organisation": world.organisation.pk})
    assert response.status_code == 403


def _compact_form(**changes):
    data = {
        "title": "Överenskommelsen i Exempelö",
        "text": "Kommunen och föreningarna samverkar för ett rikt föreningsliv.",
        "term_years": "4",
        "renewal_rule": "decision",
        **{f"principle_{key}": f"Vi formulerar {label} så här." for key, label in Principle.Key.choices},
    }
    data.update(changes)
    return data


def test_staff_write_a_draft_compact_edit_it_and_after_adoption_it_is_read_only(world):
    staff = Client()
    staff.force_login(world.users["program_admin"])
    url = reverse("compact:compact_edit", kwargs={"slug": world.municipality.slug})
    # No compact yet: the manage page leads to the empty form.
    assert staff.get(reverse("compact:compact_manage", kwargs={"slug": world.municipality.slug})).url == url

    response = staff.post(url, _compact_form(principle_dialogue="", title=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Något behöver rättas" in page and "Principen: dialog" in page
    assert not Compact.objects.exists()  # nothing saved on bad input

    staff.post(url, _compact_form())
    c = Compact.objects.get(municipality=world.municipality)
    assert (c.state, c.renewal_rule, c.term_years) == ("draft", "decision", 4)
    assert c.principles.get(key="dialogue").wording == "Vi formulerar dialog så här."
    # A draft is not public yet.
    assert (
        Client().get(reverse("compact:compact", kwargs={"slug": world.municipality.slug})).status_code == 404
    )

    staff.post(
        url, _compact_form(principle_quality="Kvalitet betyder uppföljning tillsammans.", term_years="3")
    )
    c.refresh_from_db()
    assert c.term_years == 3
    assert c.principles.get(key="quality").wording == "Kvalitet betyder uppföljning tillsammans."

    services.compact_adopt(
        compact=c, by=world.users["secretary"], adopted_on=date(2026, 2, 20), reference="KF 2026-02-20 § 12"
    )
    response = staff.post(url, _compact_form(title="Ändrad i efterhand"), follow=True)
    assert "ändras bara genom ett nytt beslut" in response.content.decode()
    c.refresh_from_db()
    assert c.title == "Överenskommelsen i Exempelö"
    with pytest.raises(ValidationError):
        services.compact_update(
            compact=c,
            title="x",
            text="y",
            principles={},
            term_years=4,
            renewal_rule="automatic",
            by=world.users["program_admin"],
        )


def test_a_municipality_has_one_compact_and_only_its_own_staff_write_it(world):
    compact(world)
    with pytest.raises(ValidationError):
        compact(world)
    other = f.MunicipalityFactory()
    with pytest.raises(PermissionDenied):
        services.compact_create(
            municipality=other, title="x", text="y", principles={}, by=world.users["program_admin"]
        )


def test_a_commitment_moves_by_a_logged_transition_naming_who_and_why(world):
    c = compact(world, adopted_on=date(2026, 3, 1))
    caseworker = world.users["caseworker"]
    line = services.commitment_add(
        compact=c,
        side="joint",
        text="Gemensam utbildning",
        owner="Kansliet",
        due_on=date(2026, 9, 1),
        by=caseworker,
    )
    services.commitment_set_status(
        commitment=line, status="in_progress", by=caseworker, reason="Startad i maj"
    )
    line = services.commitment_set_status(commitment=line, status="done", by=caseworker)
    services.commitment_set_status(commitment=line, status="done", by=caseworker)  # unchanged: nothing logged
    line.refresh_from_db()
    assert line.status == "done"
    log = list(StateLog.objects.for_(line).order_by("pk"))
    assert [(e.source_state, e.state, e.transition, e.by, e.description) for e in log] == [
        ("planned", "in_progress", "mark_in_progress", caseworker, "Startad i maj"),
        ("in_progress", "done", "mark_done", caseworker, ""),
    ]
