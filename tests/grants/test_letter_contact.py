"""Every decision letter on a grant names whom to contact about the decision (förvaltningslagen).

The program's contact person; without one, the caseworker who prepared the decision (who proposed
it to the committee, or decided it by delegation or dismissed the application); and when none of
them works here any more, the committee's registry.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import services
from grants.models import Application, DecisionLetter, LetterTemplate
from meetings import services as meetings
from organizations.models import User
from workflows.models import StoredDocument

from ..pdf import pdf_text
from .decisions import held_meeting, members
from .factories import application_in

pytestmark = pytest.mark.django_db


def _words(data: bytes) -> str:
    return " ".join(pdf_text(data).replace("\xa0", " ").split())


def _with_contact(program):
    program.contact_name = "Anna Bidragsson"
    program.contact_email = "anna.bidragsson@exemplo.se"
    program.contact_phone = "0123-456 789"
    program.save()


def _committee_letter(world, *, leaving=()) -> str:
    """The letter of a committee decision on the world's application, proposed by the caseworker
    and recorded by the secretary; the minutes approved and posted.  The ``leaving`` users stop
    working here before the letter is made."""
    secretary = world.users["secretary"]
    application = application_in(world, "proposed")
    meeting = held_meeting(
        world, starts_at=timezone.now() - dt.timedelta(days=2), cases=[application], adjusters=members(world)
    )
    meetings.decisions_record(meeting=meeting, group_no=1, by=secretary)
    for attendance in meeting.attendances.filter(adjuster=True):
        meetings.minutes_approve(meeting=meeting, by=attendance.user)
    meetings.meeting_post(meeting=meeting, posted_on=timezone.localdate(), by=secretary)
    User.objects.filter(pk__in=[user.pk for user in leaving]).update(is_active=False)
    letter = services.decision_letter_make(application=Application(pk=application.pk), by=secretary)
    return _words(letter.document.file.read())


def test_a_decision_letter_names_the_programs_contact_person(world):
    _with_contact(application_in(world, "proposed").round.program)

    text = _committee_letter(world)

    assert "Kontaktperson: Anna Bidragsson, e-post anna.bidragsson@exemplo.se, telefon 0123-456 789" in text
    assert "Kontakta Anna Bidragsson (kontaktuppgifterna står nedan)" in text


def test_without_a_contact_person_the_letter_names_the_caseworker_who_proposed_the_decision(world):
    caseworker = world.users["caseworker"]

    text = _committee_letter(world)

    assert f"Kontaktperson: {caseworker.full_name}, e-post {caseworker.email}" in text
    assert world.users["secretary"].email not in text  # she recorded the decision, he prepared it


@pytest.mark.parametrize(
    "registry_email, contact",
    [
        (
            "registrator.sn@exemplo.se",
            "Kontakt: Socialnämnden (registratur), e-post registrator.sn@exemplo.se",
        ),
        ("", "Kontakt: Socialnämnden, Exempelö kommun"),
    ],
)
def test_when_no_one_who_prepared_the_decision_works_here_the_letter_names_the_committees_registry(
    world, registry_email, contact
):
    world.committee.registry_email = registry_email
    world.committee.save()

    # the caseworker who proposed it has left, and so has the secretary who recorded the decision
    text = _committee_letter(world, leaving=[world.users["caseworker"], world.users["secretary"]])

    assert contact in text
    assert "Kontaktperson" not in text


def test_a_delegated_decision_letter_names_the_official_who_decided_it(
    world, client, django_capture_on_commit_callbacks
):
    application = application_in(world, "proposed")
    Application.objects.filter(pk=application.pk).update(requested_amount=25000, proposed_amount=25000)
    delegate = world.users["caseworker"]
    User.objects.filter(pk=delegate.pk).update(phone="0123-456 700")
    client.force_login(delegate)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("grants:application_decide", kwargs={"pk": application.pk}),
            {"outcome": "granted", "amount": "25000", "reasons": "Uppfyller villkoren."},
        )

    letter = DecisionLetter.objects.get(application=application)
    text = _words(letter.document.file.read())

    assert f"Kontaktperson: {delegate.full_name}, e-post {delegate.email}, telefon 0123-456 700" in text


def _dismissal_letter(world, client) -> str:
    application = application_in(world, "submitted")
    client.force_login(world.users["caseworker"])
    client.post(
        reverse("grants:application_confirm", args=[application.pk, "dismiss"]),
        {"reason": "Ansökan kom in efter att omgången stängt."},
    )
    document = StoredDocument.objects.get(object_id=application.pk, kind="dismissal_letter")
    return _words(document.file.read())


def test_a_dismissal_letter_names_the_programs_contact_person(world, client):
    _with_contact(application_in(world, "submitted").round.program)

    text = _dismissal_letter(world, client)

    assert "Kontaktperson: Anna Bidragsson, e-post anna.bidragsson@exemplo.se, telefon 0123-456 789" in text


def test_without_a_contact_person_a_dismissal_letter_names_the_caseworker_who_dismissed(world, client):
    caseworker = world.users["caseworker"]

    text = _dismissal_letter(world, client)

    assert f"Kontaktperson: {caseworker.full_name}, e-post {caseworker.email}" in text


def test_a_letter_text_may_name_the_contact_with_its_placeholder(world, client):
    program = application_in(world, "proposed").round.program
    _with_contact(program)
    client.force_login(world.users["program_admin"])
    url = reverse("grants:letter_template_edit", kwargs={"pk": program.pk, "outcome": "granted"})
    assert "{contact}" in client.get(url).content.decode()
    for outcome in LetterTemplate.Outcome.values:
        services.letter_template_save(
            program=program,
            outcome=outcome,
            subject="Beslut om {program}",
            body="Hej!\n\nFrågor om beslutet besvaras av {contact}.",
            by=world.users["program_admin"],
        )

    text = _committee_letter(world)

    assert "Frågor om beslutet besvaras av Anna Bidragsson, anna.bidragsson@exemplo.se, 0123-456 789." in text
