"""The thread is on every case page: the follow-up report, the reclaim and the partnership."""

import pytest
from django.urls import reverse

from correspondence.models import Message
from correspondence.selectors import unread_cases
from correspondence.services import message_send
from workflows.models import OutboxMessage

from ..iop.factories import in_state
from ..reporting.factories import reclaim_in, report_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "make, page",
    [
        (lambda w: report_in(w, "submitted"), "reporting:report_detail"),
        (lambda w: reclaim_in(w, "decided"), "reporting:reclaim_detail"),
        (lambda w: in_state(w, "dialogue"), "iop:detail"),
    ],
    ids=["report", "reclaim", "partnership"],
)
def test_both_sides_write_on_the_case_page(client, world, make, page):
    case = make(world)
    OutboxMessage.objects.all().delete()
    message_send(case=case, by=world.users["applicant"], body="En fråga från föreningen.")
    assert world.users["caseworker"].email in {
        m.to for m in OutboxMessage.objects.filter(key__startswith="case-message:")
    }
    url = reverse(page, kwargs={"pk": case.pk})
    client.force_login(world.users["caseworker"])
    assert unread_cases(user=world.users["caseworker"])[0]["url"] == url + "#meddelanden"
    html = client.get(url).content.decode()
    assert "Meddelanden" in html and "En fråga från föreningen." in html
    assert unread_cases(user=world.users["caseworker"]) == []
    message_send(case=case, by=world.users["caseworker"], body="Svar från kommunen.")
    client.force_login(world.users["applicant"])
    assert "Svar från kommunen." in client.get(url).content.decode()
    assert Message.objects.filter(object_id=case.pk).count() == 2


def test_a_proposed_reclaim_is_the_staffs_own(world):
    from django.core.exceptions import PermissionDenied

    reclaim = reclaim_in(world, "proposed", key="proposed")
    with pytest.raises(PermissionDenied):
        message_send(case=reclaim, by=world.users["applicant"], body="Hej")
    message_send(case=reclaim, by=world.users["caseworker"], body="Notering", internal=True)


def test_an_award_application_has_its_thread_on_the_candidates_page(
    client, world, django_capture_on_commit_callbacks
):
    from awards.models import Candidate
    from grants import services as grant_services

    from ..awards.factories import award_round

    application = grant_services.application_start(
        round=award_round(world), organisation=world.organisation, by=world.users["applicant"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        application = grant_services.application_save_and_submit(
            application=application, by=world.users["applicant"], title="Vi söker priset"
        )
    message_send(case=application, by=world.users["applicant"], body="Får vi skicka in bilder?")
    candidate = Candidate.objects.get(application=application)
    client.force_login(world.users["caseworker"])
    page = client.get(reverse("awards:candidate_detail", kwargs={"pk": candidate.pk})).content.decode()
    assert "Får vi skicka in bilder?" in page
    message_send(case=application, by=world.users["caseworker"], body="Ja, som PDF.")
    client.force_login(world.users["applicant"])
    page = client.get(reverse("grants:application_detail", kwargs={"pk": application.pk})).content.decode()
    assert "Ja, som PDF." in page
