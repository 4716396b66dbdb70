"""factory_boy factories for every model.  Later apps add theirs in tests/<app>/factories.py."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from stdnum import luhn

from organizations.models import (
    Committee,
    Delegation,
    Municipality,
    Organisation,
    OrganisationActivity,
    OrganisationDocument,
    OrganisationRole,
    Person,
    StaffRole,
    User,
)

PASSWORD = "correct-horse-battery"


def valid_org_number(n: int, group: str = "8") -> str:
    body = f"{group}02{n % 1000000:06d}"
    return body + luhn.calc_check_digit(body)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.se")
    full_name = factory.Faker("name", locale="sv_SE")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(PASSWORD)


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Kommun {n}")
    slug = factory.Sequence(lambda n: f"kommun-{n}")
    org_number = factory.Sequence(lambda n: valid_org_number(n + 1, "2"))


class CommitteeFactory(DjangoModelFactory):
    class Meta:
        model = Committee

    municipality = factory.SubFactory(MunicipalityFactory)
    name = "Socialnämnden"
    code = factory.Sequence(lambda n: f"SN{n}" if n else "SN")


class StaffRoleFactory(DjangoModelFactory):
    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = StaffRole.Role.CASEWORKER


class DelegationFactory(DjangoModelFactory):
    class Meta:
        model = Delegation

    user = factory.SubFactory(UserFactory)
    committee = factory.SubFactory(CommitteeFactory)
    matter = Delegation.Matter.GRANT
    max_amount = 30000
    # adopted years ago: a test that sets its clock to a fixed day is not before the delegation
    valid_from = datetime.date(2020, 1, 1)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Förening {n}")
    org_number = factory.Sequence(lambda n: valid_org_number(1000 + n))
    kind = Organisation.Kind.NONPROFIT
    member_count = 50
    city = "Exempelö"

    @factory.post_generation
    def active_in(self, create, extracted, **kwargs):
        for municipality in extracted or []:
            OrganisationActivity.objects.create(
                organisation=self, municipality=municipality, resident_members=40
            )


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Person.Kind.BOARD
    name = factory.Faker("name", locale="sv_SE")
    email = factory.Faker("email")


class OrganisationDocumentFactory(DjangoModelFactory):
    class Meta:
        model = OrganisationDocument

    organisation = factory.SubFactory(OrganisationFactory)
    doc_type = OrganisationDocument.Type.STATUTES
    year = factory.LazyFunction(lambda: timezone.localdate().year - 1)
    file = factory.django.FileField(filename="doc.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_name = "stadgar.pdf"
    content_type = "application/pdf"
    size = 15
    sha256 = "0" * 64


class OrganisationRoleFactory(DjangoModelFactory):
    class Meta:
        model = OrganisationRole

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = OrganisationRole.Kind.MEMBER


def active_role(user, organisation, kind=OrganisationRole.Kind.SIGNATORY) -> OrganisationRole:
    """A role made active through the service path, so its log row exists."""
    from workflows.services import perform_transition

    role = OrganisationRole.objects.create(user=user, organisation=organisation, kind=kind)
    perform_transition(role, "grant_on_registration", by=user, reason="test")
    return role
