"""A partnership is renewed only by a decision: at a meeting of the committee, or by a delegate."""

import datetime as dt
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_fsm_log.models import StateLog

from iop import services
from iop.models import add_years
from meetings import services as meetings
from workflows.models import OutboxMessage, StoredDocument

from ..grants.decisions import held_meeting, members
from ..pdf import pdf_text
from .factories import INDICATORS, MEMBERS, agreement_data, contributions, in_state

pytestmark = pytest.mark.django_db


def _renewal_proposed(world, travel):
    start = timezone.localdate()
    partnership = in_state(world, "active", start=start, years=2)
    caseworker = world.users["caseworker"]
    travel(add_years(start, 1) + timedelta(days=10))
    services.partnership_transition(partnership=partnership, name="start_evaluation", by=caseworker)
    services.evaluation_record(
        partnership=partnership, summary="Målen har nåtts.", lessons="", proposal="renew", by=caseworker
    )
    end = partnership.term_end
    services.agreement_save_version(
        partnership=partnership,
        data=agreement_data(end, add_years(end, 3), note="Förnyelse tre år"),
        contributions=contributions(3, money=320000),
        indicators=INDICATORS,
        members=MEMBERS,
        by=caseworker,
    )
    return services.partnership_transition(partnership=partnership, name="propose_renewal", by=caseworker)


def test_renewal_is_decided_at_a_meeting_logged_and_given_a_letter_with_the_appeal_deadline(
    world, travel, django_capture_on_commit_callbacks
):
    partnership = _renewal_proposed(world, travel)
    assert partnership.state == "renewal_proposed"
    secretary = world.users["secretary"]
    now = timezone.localtime()
    starts_at = now.replace(hour=9, minute=0) - dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = held_meeting(world, starts_at=starts_at, cases=[partnership], adjusters=members(world))
        item = meeting.items.get()
        assert "förnyelse av IOP-avtalet" in item.title
        meetings.decisions_record(meeting=meeting, group_no=item.group_no, by=secretary)
    partnership.refresh_from_db()
    assert partnership.state == "renewed"
    assert partnership.renewal_reference.endswith(f"§ {item.order}")
    assert partnership.term_end == add_years(add_years(partnership.term_start, 0), 3)
    log = StateLog.objects.for_(partnership).latest("timestamp")
    assert (log.source_state, log.state, log.by) == ("renewal_proposed", "renewed", secretary)
    letter = StoredDocument.objects.get(object_id=partnership.pk, kind__startswith="decision_letter_")
    text = pdf_text(letter.file.read())
    assert "Beslut om förnyelse av partnerskapet" in text and "laglighetsprövning" in text
    assert OutboxMessage.objects.filter(key__startswith=f"iop:renewal-decided:{partnership.pk}").exists()

    lars, member = members(world)
    with django_capture_on_commit_callbacks(execute=True):
        meetings.minutes_approve(meeting=meeting, by=lars)
        meetings.minutes_approve(meeting=meeting, by=member)
        meeting = meetings.meeting_post(meeting=meeting, posted_on=timezone.localdate(), by=secretary)
    letters = StoredDocument.objects.filter(object_id=partnership.pk, kind=letter.kind).order_by("version")
    assert letters.count() == 2
    # a page may break inside the sentence; its footer ("Sida 1 av 2") is not part of it
    text = re.sub(r" Sida \d+ av \d+", "", " ".join(pdf_text(letters.last().file.read()).split()))
    assert f"senast den {meeting.appeal_ends_on:%Y-%m-%d}" in text


def test_the_renewal_cannot_be_made_with_a_button(world, travel, client):
    partnership = _renewal_proposed(world, travel)
    client.force_login(world.users["caseworker"])
    for name in ("renew", "refuse_renewal"):
        client.post(f"/partnerskap/{partnership.pk}/steg/{name}/")
    assert client.post(f"/partnerskap/{partnership.pk}/fornya/").status_code == 404
    partnership.refresh_from_db()
    assert partnership.state == "renewal_proposed"


def test_a_delegate_renews_below_the_limit_and_the_decision_is_listed_for_the_committee(
    world, travel, client, django_capture_on_commit_callbacks
):
    from meetings.models import Decision
    from organizations.models import Delegation

    from ..factories import DelegationFactory

    partnership = _renewal_proposed(world, travel)
    caseworker = world.users["caseworker"]
    delegation = DelegationFactory(
        user=caseworker, committee=world.committee, matter=Delegation.Matter.PARTNERSHIP, max_amount=500000
    )
    client.force_login(caseworker)
    detail = client.get(f"/partnerskap/{partnership.pk}/").content.decode()
    assert "Besluta på delegation" in detail
    url = f"/partnerskap/{partnership.pk}/delegationsbeslut/"
    delegation.max_amount = 100000
    delegation.save()
    refused = client.post(url, {"approved": "yes", "reasons": "Utvärderingen visar att målen nås."})
    assert "delegationsgräns" in refused.content.decode()
    partnership.refresh_from_db()
    assert partnership.state == "renewal_proposed"
    delegation.max_amount = 1000000
    delegation.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"approved": "yes", "reasons": "Utvärderingen visar att målen nås."})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.state == "renewed" and partnership.renewal_approved
    decision = Decision.objects.get(object_id=partnership.pk, delegation__isnull=False)
    assert decision.delegated and decision.decided_by == caseworker
    assert StoredDocument.objects.filter(
        object_id=partnership.pk, kind=f"decision_letter_{decision.pk}"
    ).exists()
