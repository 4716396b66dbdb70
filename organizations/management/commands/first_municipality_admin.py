"""Support procedure (SECURITY.md): give a municipality its first administrator.

    manage.py first_municipality_admin "Exempelö kommun" anna.admin@exempelo.se "Anna Admin" \\
        --operator support@bidra.example --grounds "KS 2026-11-02 § 45" [--org-number 212000-0001]

With --org-number the municipality is created when Bidra does not have it yet.  The person is
invited by e-mail to choose a password (or told of the role, if they have an account), and the
grant is a logged transition of the role, by the operator, with the grounds as reason.  From then
on the administrator sets up committees, staff, roles and delegations on the municipality's pages;
the procedure is refused for a municipality that already has an active administrator.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from organizations import services, validators
from organizations.models import Municipality, User


class Command(BaseCommand):
    help = "Give a municipality without an administrator its first one (logged, with the grounds)."

    def add_arguments(self, parser):
        parser.add_argument("municipality", help="the municipality's name, e.g. 'Exempelö kommun'")
        parser.add_argument("email", help="the administrator's e-mail address")
        parser.add_argument("full_name", help="the administrator's name")
        parser.add_argument("--operator", required=True, help="the e-mail address of the support person")
        parser.add_argument(
            "--grounds", required=True, help="the decision or order that names the administrator"
        )
        parser.add_argument("--org-number", help="create the municipality with this organisation number")

    def handle(self, *args, municipality, email, full_name, operator, grounds, org_number, **options):
        by = User.objects.filter(email__iexact=operator, is_active=True).first()
        if by is None:
            raise CommandError(f"No active account with the e-mail address {operator}.")
        try:
            with transaction.atomic():
                place = self._municipality(municipality, org_number)
                role = services.first_municipality_admin(
                    municipality=place, email=email, full_name=full_name, by=by, reason=grounds
                )
        except PermissionDenied as exc:
            raise CommandError(f"{operator} is not support staff (admin access): {exc}") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{role.user.email} is the administrator of {place.name}; the invitation is sent.")

    def _municipality(self, name: str, org_number: str | None) -> Municipality:
        place = Municipality.objects.filter(name__iexact=name).first()
        if place is not None:
            return place
        if not org_number:
            raise CommandError(f"Bidra has no municipality named {name}: give --org-number to create it.")
        number = validators.org_number_compact(org_number)
        if Municipality.objects.filter(org_number=number).exists():
            raise CommandError(f"Another municipality has the organisation number {org_number}.")
        return Municipality.objects.create(name=name, slug=slugify(name), org_number=number)
