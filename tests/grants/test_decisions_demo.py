"""The demo shows a decided June meeting and a coming meeting with proposed applications on its agenda."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from grants.models import Application, DecisionLetter
from meetings.models import AgendaItem, Decision, Meeting, Recusal
from payments.models import Payment
from workflows.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_demo_decides_a_round_in_june_and_fills_the_coming_agenda_and_loads_twice():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    june = (
        Meeting.objects.filter(
            starts_at__month=6, starts_at__year=timezone.localdate().year, items__isnull=False
        )
        .distinct()
        .get()
    )
    assert june.state == Meeting.State.FINAL and june.posted_on is not None
    decisions = Decision.objects.filter(item__meeting=june).order_by("item__order")
    assert sorted(d.outcome for d in decisions) == ["partly_granted", "partly_granted", "rejected"]
    assert Recusal.objects.filter(item__meeting=june).count() == 1
    amended = [
        d for d in decisions if d.item.proposed_amount and d.amount and d.amount != d.item.proposed_amount
    ]
    assert len(amended) == 1
    decided = Application.objects.filter(decision__in=decisions)
    assert DecisionLetter.objects.filter(application__in=decided).count() == 3
    sent = OutboxMessage.objects.filter(key__in=[f"decision-letter:{a.pk}:v1" for a in decided])
    assert sent.count() == 3 and not OutboxMessage.objects.filter(key__endswith=":v2").exists()
    payments = Payment.objects.filter(application__in=decided)
    assert payments.filter(state="paid").exists() and payments.filter(state="planned").exists()
    coming = (
        Meeting.objects.filter(state=Meeting.State.PLANNED, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    on_agenda = AgendaItem.objects.filter(meeting=coming, kind=AgendaItem.Kind.DECISION)
    assert on_agenda.count() >= 1
    assert (
        not Application.objects.filter(state="proposed")
        .exclude(pk__in=on_agenda.values_list("object_id", flat=True))
        .exists()
    )
