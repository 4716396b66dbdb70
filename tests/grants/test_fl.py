"""Förvaltningslagen 11 § and 12 §: the applicant is told when a case is delayed, and may ask for
a decision six months after the application came in."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from correspondence.models import Message
from grants import services
from grants.models import Application, DecisionRequest, DelayNotice
from meetings import services as meetings
from meetings.services.decisions import DecisionData
from workflows.models import OutboxMessage

from ..pdf import pdf_text
from .factories import application_in

pytestmark = pytest.mark.django_db
S = Application.State


def submitted_days_ago(application, days: int) -> Application:
    """The application came in ``days`` days ago (at noon)."""
    moment = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() - dt.timedelta(days=days), dt.time(12, 0))
    )
    Application.objects.filter(pk=application.pk).update(submitted_at=moment)
    return Application.objects.select_related("round__program", "organisation").get(pk=application.pk)


def ripe_for_request(world, state="submitted", key="application"):
    """An undecided application that came in seven months ago: its organisation may ask for a decision."""
    return submitted_days_ago(application_in(world, state, key=key), 214)


def flat(response) -> str:
    return " ".join(response.content.decode().split())


# ---- 11 §: a notice of delay ----


def test_the_inbox_lists_undecided_applications_whose_handling_time_is_about_to_end(world, client):
    at_risk = submitted_days_ago(application_in(world, "submitted"), 80)  # 90 days: 10 left
    submitted_days_ago(application_in(world, "in_assessment", key="fresh"), 20)  # 70 days left
    over = submitted_days_ago(application_in(world, "proposed", key="over"), 95)  # 5 days over
    client.force_login(world.users["caseworker"])

    page = flat(client.get(reverse("grants:inbox")))

    assert "Riskerar att försenas" in page
    assert f"{at_risk.case_number}</a>" in page and "10 dagar kvar" in page
    assert f"{over.case_number}</a>" in page and "5 dagar över" in page
    assert page.count("Meddela försening") == 2  # not the fresh one


def test_a_notice_of_delay_with_a_day_ahead_takes_the_case_off_the_list_until_that_day(world, clock):
    application = submitted_days_ago(application_in(world, "submitted"), 85)
    caseworker = world.users["caseworker"]
    services.application_delay_notify(
        application=application,
        by=caseworker,
        reason="Nämnden sammanträder i juni.",
        expected_by=timezone.localdate() + dt.timedelta(days=30),
    )
    from grants.fl_selectors import applications_at_risk

    assert list(applications_at_risk(user=caseworker)) == []
    clock.set(timezone.localdate() + dt.timedelta(days=31))
    assert list(applications_at_risk(user=caseworker)) == [application]


def test_the_caseworker_reads_the_notice_as_the_applicant_will_and_then_sends_it(
    world, client, django_capture_on_commit_callbacks
):
    application = submitted_days_ago(application_in(world, "in_assessment"), 80)
    world.organisation.email = "styrelsen@trygg.example"
    world.organisation.save()
    client.force_login(world.users["caseworker"])
    detail = flat(client.get(reverse("grants:application_detail", kwargs={"pk": application.pk})))
    assert "Meddela försening" in detail
    url = reverse("grants:delay_notice", kwargs={"pk": application.pk})
    expected = timezone.localdate() + dt.timedelta(days=45)
    data = {"reason": "Vi väntar på nämndens budgetbeslut.", "expected_by": expected.isoformat()}

    confirmation = flat(client.post(url, data))

    assert "Skicka förseningsbeskedet?" in confirmation
    assert "Vi väntar på nämndens budgetbeslut." in confirmation
    assert f"Ni kan räkna med ett beslut senast {expected.isoformat()}" in confirmation
    assert "sokande@example.se, styrelsen@trygg.example" in confirmation
    assert not DelayNotice.objects.exists()  # nothing is sent before the confirmation

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "confirm": "1"})

    assert response.status_code == 302
    client.post(url, {**data, "confirm": "1"})  # a second click sends nothing more
    notice = DelayNotice.objects.get(application=application)
    assert (notice.expected_by, notice.by) == (expected, world.users["caseworker"])
    logged = StateLog.objects.get(object_id=application.pk, transition="delay_notice")
    assert logged.state == logged.source_state == S.IN_ASSESSMENT
    # the notice is a message on the case's thread, word for word what the confirmation page showed
    shown = services.delay_notice_message(
        application=application,
        reason=data["reason"],
        expected_by=expected,
        by=world.users["caseworker"],
    )
    message = Message.objects.get(object_id=application.pk, side=Message.Side.STAFF)
    assert message.body == shown["text"] and message.author == world.users["caseworker"]
    assert "Vi väntar på nämndens budgetbeslut." in message.body
    # the e-mail only tells that it is there, with the link
    mails = OutboxMessage.objects.filter(key__startswith=f"case-message:{message.pk}:")
    assert sorted(m.to for m in mails) == ["sokande@example.se", "styrelsen@trygg.example"]
    mail = mails.first()
    assert "Vi väntar på nämndens budgetbeslut." not in mail.body
    assert reverse("grants:application_detail", kwargs={"pk": application.pk}) in mail.body

    client.force_login(world.users["applicant"])
    page = flat(client.get(reverse("grants:application_detail", kwargs={"pk": application.pk})))
    assert "Förseningsbesked" in page
    assert f"Beslut kan väntas senast {expected.isoformat()}" in page
    assert "Vi väntar på nämndens budgetbeslut." in page
    assert "Meddela försening" not in page


def test_a_notice_of_delay_needs_a_reason_and_a_day_after_today(world, client):
    application = application_in(world, "submitted")
    client.force_login(world.users["caseworker"])
    url = reverse("grants:delay_notice", kwargs={"pk": application.pk})

    page = flat(client.post(url, {"reason": "", "expected_by": timezone.localdate().isoformat()}))

    assert "Skriv varför ärendet är försenat." in page
    page = flat(client.post(url, {"reason": "Sjukdom", "expected_by": timezone.localdate().isoformat()}))
    assert "Dagen då ett beslut kan väntas måste vara efter i dag." in page
    assert not DelayNotice.objects.exists()


def test_only_those_who_handle_the_application_give_a_notice_of_delay(world, client):
    application = application_in(world, "submitted")
    client.force_login(world.users["applicant"])
    assert client.get(reverse("grants:delay_notice", kwargs={"pk": application.pk})).status_code == 403
    with pytest.raises(Exception, match="behörighet"):
        services.application_delay_notify(
            application=application,
            by=world.users["secretary"],
            reason="x",
            expected_by=timezone.localdate() + dt.timedelta(days=3),
        )
    assert not DelayNotice.objects.exists()


# ---- 12 §: a request for a decision ----


def test_a_decision_cannot_be_asked_for_before_six_months(world, client, clock):
    application = application_in(world, "submitted")
    Application.objects.filter(pk=application.pk).update(
        submitted_at=timezone.make_aware(dt.datetime(2026, 1, 15, 10, 0))
    )
    application.refresh_from_db()
    clock.set(dt.date(2026, 7, 14))
    client.force_login(world.users["applicant"])

    page = flat(client.get(reverse("grants:application_detail", kwargs={"pk": application.pk})))
    assert "Begär att ärendet avgörs" not in page
    assert "2026-07-15" in page
    with pytest.raises(ValidationError, match="från 2026-07-15"):
        services.decision_request_make(application=application, by=world.users["applicant"])
    response = client.post(
        reverse("grants:decision_request", kwargs={"pk": application.pk}), {"text": "Snälla"}
    )
    assert response.status_code == 200 and "2026-07-15" in flat(response)
    assert not DecisionRequest.objects.exists()

    clock.set(dt.date(2026, 7, 15))
    request = services.decision_request_make(application=application, by=world.users["applicant"])
    assert request.due == dt.date(2026, 8, 12)


def test_after_six_months_the_organisation_asks_and_the_caseworkers_are_told(
    world, client, django_capture_on_commit_callbacks
):
    application = ripe_for_request(world)
    client.force_login(world.users["applicant"])
    detail = flat(client.get(reverse("grants:application_detail", kwargs={"pk": application.pk})))
    assert "Begär att ärendet avgörs" in detail

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("grants:decision_request", kwargs={"pk": application.pk}),
            {"text": "Vi behöver besked före sommaren."},
        )

    assert response.status_code == 302
    request = DecisionRequest.objects.get(application=application)
    due = timezone.localdate() + dt.timedelta(weeks=4)
    assert (request.outcome, request.due, request.by) == ("open", due, world.users["applicant"])
    assert StateLog.objects.filter(object_id=application.pk, transition="decision_request").exists()
    told = OutboxMessage.objects.get(key=f"decision-request:{request.pk}:{world.users['caseworker'].pk}")
    assert told.to == "caseworker@exemplo.se" and due.isoformat() in told.subject
    assert "Vi behöver besked före sommaren." in told.body
    # the caseworker of the other municipality is not told
    assert not OutboxMessage.objects.filter(to="handlaggare@grannby.se").exists()

    page = flat(client.get(reverse("grants:application_detail", kwargs={"pk": application.pk})))
    assert "Begäran om avgörande" in page and "28 dagar kvar" in page

    client.force_login(world.users["caseworker"])
    start = flat(client.get(reverse("home")))
    assert "1 begäran om att ett ärende ska avgöras" in start
    inbox = flat(client.get(reverse("grants:inbox")))
    assert f"{application.case_number}</a>" in inbox and due.isoformat() in inbox
    detail = flat(client.get(reverse("grants:application_detail", kwargs={"pk": application.pk})))
    assert "Avslå begäran om avgörande" in detail


def test_one_request_is_open_at_a_time(world):
    application = ripe_for_request(world)
    services.decision_request_make(application=application, by=world.users["applicant"])

    with pytest.raises(ValidationError, match="redan begärt"):
        services.decision_request_make(application=application, by=world.users["applicant"], text="Igen")

    assert DecisionRequest.objects.count() == 1


def test_staff_and_other_organisations_cannot_ask_for_a_decision(world, client):
    application = ripe_for_request(world)
    for role in ("caseworker", "other_applicant"):
        with pytest.raises(Exception):  # noqa: B017 - PermissionDenied for staff, not even visible to others
            services.decision_request_make(application=application, by=world.users[role])
    client.force_login(world.users["caseworker"])
    assert client.get(reverse("grants:decision_request", kwargs={"pk": application.pk})).status_code == 403
    assert not DecisionRequest.objects.exists()


def test_a_delegated_decision_closes_the_request(world):
    application = ripe_for_request(world, "proposed")
    request = services.decision_request_make(application=application, by=world.users["applicant"])
    Application.objects.filter(pk=application.pk).update(requested_amount=25000, proposed_amount=25000)
    meetings.meeting_create(
        committee=world.committee,
        starts_at=timezone.now() + dt.timedelta(days=20),
        place="Kommunhuset",
        by=world.users["secretary"],
    )

    services.application_decide_by_delegation(
        application=application,
        data=DecisionData(outcome="rejected", reasons="Ryms inte i budgeten."),
        by=world.users["caseworker"],
    )

    request.refresh_from_db()
    assert (request.outcome, request.closed_at is not None) == ("decided", True)
    assert StateLog.objects.filter(object_id=request.pk, transition="decided").exists()


def test_the_committees_decision_at_a_meeting_closes_the_request(world):
    from .decisions import decided_meeting

    application = ripe_for_request(world, "proposed", key="app-decided")
    request = services.decision_request_make(application=application, by=world.users["applicant"])

    decided_meeting(world)  # the committee grants it with the other cases of its group

    request.refresh_from_db()
    assert request.outcome == "decided"
    facts = application_fl_for(application, world.users["applicant"])
    assert facts["open_request"] is None and not facts["can_request_decision"]


def application_fl_for(application, user):
    from grants.fl_selectors import application_fl

    return application_fl(application=Application.objects.get(pk=application.pk), user=user)


def test_a_dismissal_and_a_withdrawal_close_the_request(world):
    dismissed = ripe_for_request(world, "submitted", key="dismissed")
    first = services.decision_request_make(application=dismissed, by=world.users["applicant"])
    services.application_dismiss(application=dismissed, by=world.users["caseworker"], reason="För sent.")
    withdrawn = ripe_for_request(world, "in_assessment", key="withdrawn")
    second = services.decision_request_make(application=withdrawn, by=world.users["applicant"])
    services.application_withdraw(application=withdrawn, by=world.users["applicant"], reason="Vi avstår.")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.outcome, second.outcome) == ("decided", "withdrawn")


def test_the_caseworker_refuses_the_request_by_a_decision_with_its_own_letter(
    world, client, django_capture_on_commit_callbacks
):
    application = ripe_for_request(world)
    program = application.round.program
    program.contact_name, program.contact_email, program.contact_phone = (
        "Karin Kontakt",
        "karin.kontakt@exemplo.se",
        "08-123 45 67",
    )
    program.appeal_court = "Förvaltningsrätten i Exempelstad"
    program.save()
    request = services.decision_request_make(application=application, by=world.users["applicant"])
    client.force_login(world.users["caseworker"])
    url = reverse("grants:decision_request_refuse", kwargs={"pk": application.pk})
    assert "Varför begäran avslås" in flat(client.get(url))
    data = {"reason": "Ansökan väntar på kommunfullmäktiges beslut om budgeten i april."}

    confirmation = flat(client.post(url, data))

    assert "Avslå begäran om avgörande?" in confirmation
    assert "Karin Kontakt, karin.kontakt@exemplo.se, 08-123 45 67" in confirmation
    request.refresh_from_db()
    assert request.outcome == "open"  # nothing is decided before the confirmation

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "confirm": "1"})

    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.outcome, request.refused_by) == ("refused", world.users["caseworker"])
    assert StateLog.objects.filter(object_id=application.pk, transition="decision_request_refused").exists()
    application.refresh_from_db()
    assert application.state == S.SUBMITTED  # the case goes on
    text = " ".join(pdf_text(request.letter.file.read()).split())
    assert "Begäran om att ärendet ska avgöras avslås" in text
    assert "kommunfullmäktiges beslut om budgeten" in text
    assert "får överklagas särskilt" in text and "12 och 41 §§ förvaltningslagen" in text
    assert "Förvaltningsrätten i Exempelstad" in text
    assert "Karin Kontakt" in text and "karin.kontakt@exemplo.se" in text and "08-123 45 67" in text
    told = Message.objects.get(object_id=application.pk, side=Message.Side.STAFF)
    assert "kommunfullmäktiges beslut" in told.body
    assert OutboxMessage.objects.filter(key=f"case-message:{told.pk}:sokande@example.se").exists()

    letter_url = reverse("grants:decision_request_letter", kwargs={"pk": request.pk})
    for role in ("caseworker", "applicant"):
        client.force_login(world.users[role])
        page = client.get(
            reverse("grants:application_detail", kwargs={"pk": application.pk})
        ).content.decode()
        assert letter_url in page
        assert client.get(letter_url).status_code == 200
    client.force_login(world.users["other_applicant"])
    assert client.get(letter_url).status_code == 404
    # a new request can be made after the refusal
    services.decision_request_make(application=application, by=world.users["applicant"])
    # the refusal's letter and its log go to the e-archive with the case
    from archive.cases import ApplicationArchive

    archive = ApplicationArchive()
    assert "decision_request_refusal" in {f.kind for f in archive.files(application)}
    assert request in archive.logged_objects(application)


def test_the_caseworkers_are_reminded_once_a_week_before_the_request_is_due(world, clock):
    application = ripe_for_request(world)
    request = services.decision_request_make(application=application, by=world.users["applicant"])
    reminders = OutboxMessage.objects.filter(key__startswith=f"decision-request-reminder:{request.pk}:")

    clock.set(request.due - dt.timedelta(days=8))
    assert services.decision_requests_remind() == 0
    clock.set(request.due - dt.timedelta(days=7))
    assert services.decision_requests_remind() == 1
    assert services.decision_requests_remind() == 0
    clock.set(request.due - dt.timedelta(days=2))
    from grants.tasks import decision_requests_remind

    assert decision_requests_remind() == 0

    assert [m.to for m in reminders] == ["caseworker@exemplo.se"]
    assert "Påminnelse" in reminders.get().subject
