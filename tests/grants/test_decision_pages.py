"""What caseworkers, secretaries, program administrators and applicants see and do after a decision."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import Application, DecisionLetter, LetterJob, LetterTemplate
from meetings import services as meetings
from meetings.models import AgendaItem
from payments.models import Payment
from workflows.models import OutboxMessage

from ..pdf import pdf_text
from .decisions import decided_meeting
from .factories import application_in

pytestmark = pytest.mark.django_db
S = Application.State


def test_a_caseworker_decides_below_the_delegation_limit_and_the_committee_is_told(
    world, client, django_capture_on_commit_callbacks
):
    world.organisation.account_type, world.organisation.account_number = "plusgiro", "4711"
    world.organisation.save()
    application = application_in(world, "proposed")  # 40 000 kr applied for, 35 000 kr proposed
    Application.objects.filter(pk=application.pk).update(requested_amount=25000, proposed_amount=25000)
    next_meeting = meetings.meeting_create(
        committee=world.committee,
        starts_at=timezone.now() + dt.timedelta(days=20),
        place="Kommunhuset",
        by=world.users["secretary"],
    )
    client.force_login(world.users["caseworker"])
    url = reverse("grants:application_decide", kwargs={"pk": application.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "outcome": "granted",
                "amount": "25000",
                "reasons": "Uppfyller villkoren.",
                "report_due": "2027-03-31",
            },
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.state, application.granted_amount) == (S.GRANTED, 25000)
    assert application.decision.delegated and application.decision.report_due == dt.date(2027, 3, 31)
    # Listed for information on the next meeting, paid at once, and the letter is sent.
    assert AgendaItem.objects.filter(
        meeting=next_meeting, kind="information", object_id=application.pk
    ).exists()
    assert list(Payment.objects.filter(application=application).values_list("amount", "account_type")) == [
        (25000, "plusgiro")
    ]
    letter = DecisionLetter.objects.get(application=application)
    text = " ".join(pdf_text(letter.document.file.read()).split())
    assert "på delegation från Socialnämnden" in text
    assert "anmäldes till nämnden" in text
    page = client.get(reverse("grants:application_detail", kwargs={"pk": application.pk})).content.decode()
    assert "Beviljad" in page and "Inte ännu" in page


def test_an_application_at_the_delegation_limit_goes_to_the_committee(world, client):
    application = application_in(world, "proposed")  # 40 000 kr applied for: not below 30 000 kr
    client.force_login(world.users["caseworker"])
    response = client.post(
        reverse("grants:application_decide", kwargs={"pk": application.pk}),
        {"outcome": "granted", "amount": "20000", "reasons": "Bra."},
    )
    assert response.status_code == 200
    assert "delegationsgräns" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.PROPOSED and application.decision is None


def test_a_letter_text_with_an_unknown_placeholder_is_refused_and_a_good_one_is_used(world, client):
    decided = decided_meeting(world)
    program = decided["application"].round.program
    client.force_login(world.users["program_admin"])
    url = reverse("grants:letter_template_edit", kwargs={"pk": program.pk, "outcome": "partly_granted"})
    response = client.post(
        url, {"subject": "Beslut för {förening}", "body": "Ni får {amount}. {organisation.__class__}"}
    )
    assert response.status_code == 200
    assert "Okänt fält" in response.content.decode()
    assert not LetterTemplate.objects.exists()

    response = client.post(
        url, {"subject": "Beslut om bidrag till {organisation}", "body": "Ni beviljas {amount} för {year}."}
    )
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert (
        "Beslut om bidrag till Föreningen Exempel" in preview and "Ni beviljas 45\u00a0000\u00a0kr" in preview
    )

    # A new version of the letter uses the text; it is a new version and a new e-mail, once.
    from grants import services

    services.decision_letter_make(application=decided["application"], by=world.users["secretary"])
    services.decision_letter_make(application=decided["application"], by=world.users["secretary"])
    letters = DecisionLetter.objects.filter(application=decided["application"]).order_by("document__version")
    assert [letter.document.version for letter in letters] == [1, 2]
    assert letters[1].subject == "Beslut om bidrag till Föreningen Trygg Vardag"
    assert (
        OutboxMessage.objects.filter(key__startswith=f"decision-letter:{decided['application'].pk}:").count()
        == 2
    )


def test_the_letter_page_polls_while_the_job_runs_and_works_without_javascript(world, client):
    decided = decided_meeting(world)
    meeting = decided["meeting"]
    job = LetterJob.objects.create(
        meeting=meeting, total=1, started_by=world.users["secretary"], state="running"
    )
    client.force_login(world.users["secretary"])
    url = reverse("grants:meeting_letters", kwargs={"pk": meeting.pk})
    page = client.get(url).content.decode()
    assert (
        'hx-trigger="every 2s"' in page
        and "Uppdatera förloppet" in page
        and "<script" not in page.split("</head>")[1]
    )
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.strip().startswith('<section id="letter-progress"') and "every 2s" in partial
    LetterJob.objects.filter(pk=job.pk).update(state="done", done=1, finished_at=timezone.now())
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial and "1 av 1 brev är klara" in partial


def test_the_payment_file_has_the_registered_account_and_the_applicant_sees_the_payments(world, client):
    decided = decided_meeting(world)
    client.force_login(world.users["caseworker"])
    response = client.get(reverse("payments:payment_batch_csv", kwargs={"pk": decided["batch"].pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    case_number = decided["application"].case_number
    assert rows[0] == [
        "Diarienummer",
        "Organisation",
        "Organisationsnummer",
        "Kontotyp",
        "Kontonummer",
        "Belopp",
        "Förfallodag",
        "Referens",
    ]
    assert [r[:6] for r in rows[1:]] == [
        [
            case_number,
            "Föreningen Trygg Vardag",
            world.organisation.org_number,
            "Bankgiro",
            "56781234",
            "17500",
        ]
    ] * 2
    assert [r[7] for r in rows[1:]] == [f"{case_number} 1/2", f"{case_number} 2/2"]

    # A change of the register later does not redirect money already on its way.
    world.organisation.account_number = "99999999"
    world.organisation.save()
    assert set(Payment.objects.values_list("account_number", flat=True)) == {"56781234"}

    client.force_login(world.users["applicant"])
    page = client.get(
        reverse("grants:application_detail", kwargs={"pk": decided["application"].pk})
    ).content.decode()
    assert "skickad till ekonomisystemet" in page and "17\u00a0500\u00a0kr" in page
    assert "Beslutsbrev skickat (version 1)" in page


def test_a_grant_to_an_organisation_without_a_registered_account_is_not_planned_and_says_why(
    world, client, django_capture_on_commit_callbacks
):
    from grants import services

    with django_capture_on_commit_callbacks(execute=True):
        application, meeting = decided_yesterday_and_approved(world)
    assert not Payment.objects.exists()
    assert services.payments_create_due() == {"planned": 0, "refused": 1}
    # A decision older than the catch-up window (400 days) is no longer retried every hour.
    from meetings.models import Decision

    Decision.objects.update(decided_at=timezone.now() - dt.timedelta(days=401))
    assert services.payments_create_due() == {"planned": 0, "refused": 0}
    Decision.objects.update(decided_at=timezone.now() - dt.timedelta(days=399))
    assert services.payments_create_due() == {"planned": 0, "refused": 1}
    client.force_login(world.users["applicant"])
    page = client.get(reverse("grants:application_detail", kwargs={"pk": application.pk})).content.decode()
    assert "inget verifierat bankgiro eller plusgiro" in page
    # The signatory registers an account: while it waits for the municipality's verification
    # nothing is planned to it; once verified, the periodic task plans the payment to it.
    from organizations.services import account_change_request, account_verification_verify

    change = account_change_request(
        organisation=world.organisation,
        by=world.users["applicant"],
        account_type="bankgiro",
        account_number="5678-1230",
    )
    assert services.payments_create_due() == {"planned": 0, "refused": 1}
    account_verification_verify(verification=change.verifications.get(), by=world.users["caseworker"])
    assert services.payments_create_due() == {"planned": 1, "refused": 0}
    payment = Payment.objects.get()
    assert (payment.amount, payment.account_type, payment.account_number) == (
        Decimal(35000),
        "bankgiro",
        "56781230",
    )


def test_the_secretary_is_reminded_of_letters_not_yet_sent(world, client):
    application, meeting = decided_yesterday_and_approved(world)
    client.force_login(world.users["secretary"])
    assert "Beslutsbrev att skicka" not in client.get(reverse("home")).content.decode()  # not posted yet
    meetings.meeting_post(meeting=meeting, posted_on=timezone.localdate(), by=world.users["secretary"])
    home = client.get(reverse("home")).content.decode()
    assert "Beslutsbrev att skicka" in home
    assert reverse("grants:meeting_letters", kwargs={"pk": meeting.pk}) in home


def test_letters_are_made_when_the_minutes_are_posted_and_state_the_last_day_to_appeal(
    world, client, django_capture_on_commit_callbacks
):
    from grants import services
    from workflows.services import TransitionRefused

    secretary = world.users["secretary"]
    application, meeting = decided_yesterday_and_approved(world)
    with pytest.raises(TransitionRefused, match="anslag|anslås"):
        services.letter_job_start(meeting=meeting, by=secretary)
    client.force_login(secretary)
    page = client.get(reverse("grants:meeting_letters", kwargs={"pk": meeting.pk})).content.decode()
    assert "Skapa och skicka beslutsbreven" not in page and "när protokollet anslås" in page
    # a letter made before the posting (as Bidra once did) cannot know the last day to appeal
    early = services.decision_letter_make(application=application, by=secretary)
    assert "senast den" not in pdf_text(early.document.file.read())

    with django_capture_on_commit_callbacks(execute=True):
        meeting = meetings.meeting_post(meeting=meeting, posted_on=timezone.localdate(), by=secretary)

    letter = DecisionLetter.objects.filter(application=application).order_by("-created_at", "-pk").first()
    assert letter.pk != early.pk and letter.document.version == early.document.version + 1
    text = pdf_text(letter.document.file.read())
    assert f"senast den {meeting.appeal_ends_on:%Y-%m-%d}" in " ".join(text.split()), text
    assert LetterJob.objects.get(meeting=meeting).state == LetterJob.State.DONE


def test_the_payment_list_costs_the_same_number_of_queries_for_more_payments(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    decided_meeting(world)
    client.force_login(world.users["caseworker"])
    url = reverse("payments:payments")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    template = Payment.objects.order_by("pk").first()
    for number in range(3, 9):
        template.pk, template.instalment = None, number
        template.save(force_insert=True)
    assert Payment.objects.count() == 8
    assert queries() == few


def test_each_municipality_counts_and_exports_only_its_own_payments_due(world, client):
    """The start page's count of payments due and the export find a municipality's payments by
    the municipality kept on each payment: the neighbour's caseworker neither sees nor sends them."""
    from grants import services

    world.organisation.account_type, world.organisation.account_number = "bankgiro", "56781234"
    world.organisation.save()
    application, meeting = decided_yesterday_and_approved(world)
    assert services.payments_create_due()["planned"] == 1
    payment = Payment.objects.get()
    assert payment.municipality == world.municipality
    Payment.objects.update(due_on=timezone.localdate())

    client.force_login(world.users["other_caseworker"])
    assert "0 planerade utbetalningar ska exporteras" in client.get(reverse("home")).content.decode()
    refused = client.post(
        reverse("payments:payments_export"), {"due_until": timezone.localdate().isoformat()}, follow=True
    )
    assert "Det finns inga planerade utbetalningar" in refused.content.decode()
    assert Payment.objects.get().state == Payment.State.PLANNED

    client.force_login(world.users["caseworker"])
    assert "1 planerade utbetalningar ska exporteras" in client.get(reverse("home")).content.decode()
    client.post(reverse("payments:payments_export"), {"due_until": timezone.localdate().isoformat()})
    payment.refresh_from_db()
    # the run is prepared; its payments are exported only when the run is
    assert payment.state == Payment.State.PLANNED and payment.batch.municipality == world.municipality
    client.post(
        reverse("payments:payment_run_export", kwargs={"pk": payment.batch_id}), {"file_format": "csv"}
    )
    payment.refresh_from_db()
    assert payment.state == Payment.State.EXPORTED


def decided_yesterday_and_approved(world):
    """The world's application granted at yesterday's meeting, whose minutes are approved."""
    from .decisions import held_meeting, members

    application = application_in(world, "proposed")
    meeting = held_meeting(
        world, starts_at=timezone.now() - dt.timedelta(days=1), cases=[application], adjusters=members(world)
    )
    meetings.decisions_record(meeting=meeting, group_no=1, by=world.users["secretary"])
    for attendance in meeting.attendances.filter(adjuster=True):
        meetings.minutes_approve(meeting=meeting, by=attendance.user)
    return application, meeting
