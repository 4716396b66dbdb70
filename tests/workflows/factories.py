"""Factories for committee meetings and the test-only case type ``caseapp.Matter``."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from meetings import services
from meetings.models import Meeting
from organizations.models import StaffRole
from tests.factories import OrganisationFactory, StaffRoleFactory, UserFactory
from tests.pdf import pdf_text as read_pdf_text
from tests.pdf import pdfa_conformance
from tests.workflows.caseapp.models import Budget, Matter


class MatterFactory(DjangoModelFactory):
    class Meta:
        model = Matter

    organisation = factory.SubFactory(OrganisationFactory)
    requested = Decimal(100000)
    proposed = Decimal(80000)
    motivation = "Verksamheten når många äldre i kommunen."
    score = Decimal("4.5")
    case_number = factory.Sequence(lambda n: f"SN 2026/{n + 10}")


class BudgetFactory(DjangoModelFactory):
    class Meta:
        model = Budget

    amount = Decimal(1000000)


def aware(year, month, day, hour=13, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def member(world, name: str, email: str):
    user = UserFactory(email=email, full_name=name)
    StaffRoleFactory(user=user, municipality=world.municipality, role=StaffRole.Role.MEMBER)
    return user


def meeting_for(world, *, starts_at=None, place="Kommunhuset, Exempelö") -> Meeting:
    return services.meeting_create(
        committee=world.committee,
        starts_at=starts_at or aware(2026, 5, 20),
        place=place,
        by=world.users["secretary"],
    )


def pdf_text(data: bytes) -> str:
    """The text of a PDF (read with pypdf), with whitespace collapsed."""
    return " ".join(read_pdf_text(data).replace("\u00a0", " ").split())


def pdfa_claim(data: bytes) -> str:
    """The PDF/A identification in the XMP metadata (e.g. '3B'), or '' when it claims none."""
    return pdfa_conformance(data) or ""
