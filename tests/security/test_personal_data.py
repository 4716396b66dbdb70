"""What Bidra holds about a person: export, erasure, and how long it is kept."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from accounts import retention
from accounts.personal_data import ERASED_NAME, ERASED_PERSON
from organizations.models import OrganisationRole, Person, User
from organizations.services import role_request, role_revoke
from workflows.models import OutboxMessage

from ..factories import OrganisationFactory, UserFactory, active_role


@pytest.fixture
def support(db):
    return UserFactory(email="support@exemplo.se", full_name="Sara Support", is_staff=True)


@pytest.fixture
def person(world):
    """An applicant who asked to join, is a board member, and got e-mail."""
    applicant = world.users["applicant"]
    Person.objects.create(
        organisation=world.organisation,
        kind="board",
        name="Siv Sökande",
        email="SOKANDE@example.se",
        phone="070-1",
    )
    role_request(organisation=world.other_organisation, by=applicant, message="Jag är kassör")
    OutboxMessage.objects.create(key="k1", to="sokande@example.se", subject="Hej", body="Hej Siv, ...")
    return applicant


@pytest.mark.django_db
def test_the_export_holds_the_account_roles_board_rows_log_and_mail(person, world, support):
    out = StringIO()
    call_command("export_personal_data", "Sokande@example.se", stdout=out)
    data = json.loads(out.getvalue())
    assert data["user"]["full_name"] == "Siv Sökande"
    assert {r["organisation"] for r in data["organisation_roles"]} == {
        world.organisation.name,
        world.other_organisation.name,
    }
    assert any(r["message"] == "Jag är kassör" for r in data["organisation_roles"])
    assert data["people"][0]["phone"] == "070-1"
    assert data["messages"][0]["body"] == "Hej Siv, ..."
    assert data["log"] and all(e["object"].startswith("organizations.organisationrole") for e in data["log"])
    # The export itself is logged.
    assert StateLog.objects.filter(transition="personal_data_export", object_id=person.pk).exists()


@pytest.mark.django_db
def test_support_downloads_the_export_and_others_cannot(client, person, world, support):
    url = reverse("accounts:personal_data_export") + "?email=sokande@example.se"
    client.force_login(world.users["caseworker"])
    assert client.get(url).status_code == 403
    client.force_login(support)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert json.loads(response.content)["email"] == "sokande@example.se"
    page = client.get(reverse("accounts:personal_data") + "?email=sokande@example.se")
    assert "Styrelseledamot eller kontaktperson" in page.content.decode()


@pytest.mark.django_db
def test_erasure_waits_while_the_person_acts_for_an_organisation(client, person, world, support):
    client.force_login(support)
    response = client.post(
        reverse("accounts:personal_data_erase"),
        {"email": "sokande@example.se", "reason": "Begäran", "confirm": "on"},
        follow=True,
    )
    assert "företräder fortfarande Föreningen Trygg Vardag" in response.content.decode()
    person.refresh_from_db()
    assert person.full_name == "Siv Sökande"


@pytest.mark.django_db
def test_erasure_anonymises_the_person_and_keeps_the_log_with_the_name_replaced(
    client, person, world, support
):
    role = person.org_roles.get(state="active")
    successor = UserFactory(email="ny.ordf@example.se")
    active_role(successor, world.organisation)
    role_revoke(role=role, by=successor, reason="Lämnat föreningen")
    log_rows = StateLog.objects.filter(by=person).count()
    assert log_rows >= 1
    client.force_login(support)
    response = client.post(
        reverse("accounts:personal_data_erase"),
        {"email": "sokande@example.se", "reason": "Begäran 2026-05-01", "confirm": "on"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.full_name == ERASED_NAME and not person.is_active and not person.has_usable_password()
    assert "sokande" not in person.email
    assert Person.objects.get(organisation=world.organisation).name == ERASED_PERSON
    assert not OutboxMessage.objects.filter(to__icontains="sokande").exists()
    assert OutboxMessage.objects.get(key="k1").body == ""
    assert not OrganisationRole.objects.filter(message="Jag är kassör").exists()
    # The log rows remain, pointing at the anonymised account; the erasure is logged too.
    assert StateLog.objects.filter(by=person).count() == log_rows
    erased = StateLog.objects.get(transition="personal_data_erase")
    assert erased.by == support and erased.description == "Begäran 2026-05-01"
    assert erased.content_type == ContentType.objects.get_for_model(User)


@pytest.mark.django_db
def test_unconfirmed_accounts_never_used_go_after_30_days(world):
    old = UserFactory(email="old@example.se", email_verified_at=None)
    User.objects.filter(pk=old.pk).update(date_joined=timezone.now() - timedelta(days=31))
    recent = UserFactory(email="recent@example.se", email_verified_at=None)
    used = UserFactory(
        email="used@example.se", email_verified_at=None, last_login=timezone.now() - timedelta(days=40)
    )
    User.objects.filter(pk=used.pk).update(date_joined=timezone.now() - timedelta(days=60))
    result = retention.retention_apply(only=["accounts.unverified_unused"])
    assert result == {"accounts.unverified_unused": 1}
    assert set(
        User.objects.filter(email__in=["old@example.se", "recent@example.se", "used@example.se"]).values_list(
            "email", flat=True
        )
    ) == {recent.email, used.email}


@pytest.mark.django_db
def test_people_of_an_organisation_nobody_acts_for_go_after_three_years(world):
    from organizations.models import Organisation

    dormant = OrganisationFactory(name="Somnad förening")
    Person.objects.create(organisation=dormant, kind="contact", name="Kalle Kontakt")
    Person.objects.create(organisation=world.organisation, kind="contact", name="Aktiv Kontakt")
    long_ago = timezone.now() - timedelta(days=365 * 3 + 10)
    Organisation.objects.filter(pk__in=[dormant.pk, world.organisation.pk]).update(updated_at=long_ago)
    retention.retention_apply(only=["organizations.people_of_inactive_organisations"])
    # The dormant organisation's people go; the one with an active user keeps its people.
    assert list(Person.objects.values_list("name", flat=True)) == ["Aktiv Kontakt"]


@pytest.mark.django_db
def test_email_texts_are_emptied_after_90_days_but_the_record_of_sending_stays():
    old = OutboxMessage.objects.create(
        key="a", to="x@example.se", subject="S", body="Text", sent_at=timezone.now()
    )
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))
    new = OutboxMessage.objects.create(key="b", to="y@example.se", subject="S", body="Text")
    out = StringIO()
    call_command("apply_retention", "--only", "workflows.outbox_bodies", stdout=out)
    assert "workflows.outbox_bodies: 1" in out.getvalue()
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.body, old.to, old.subject) == ("", "x@example.se", "S")
    assert new.body == "Text"


@pytest.mark.django_db
def test_other_apps_add_their_own_rules_and_a_broken_rule_does_not_stop_the_others(monkeypatch):
    monkeypatch.setattr(retention, "_rules", dict(retention._rules))
    ran = []

    @retention.rule("grants.example", "Example")
    def example(now):
        ran.append(now)
        return 3

    @retention.rule("grants.broken", "Broken")
    def broken(now):
        raise RuntimeError("bug")

    result = retention.retention_apply()
    assert result["grants.example"] == 3 and result["grants.broken"] == -1
    assert "workflows.outbox_bodies" in result and len(ran) == 1


def test_the_retention_task_is_scheduled_daily(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert schedule["task"] == "accounts.tasks.retention_apply" and schedule["schedule"] == 86400
