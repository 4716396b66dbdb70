"""Support procedure (SECURITY.md): give an organisation that has lost its signatory a new one.

    manage.py give_signatory_role 802012-3454 ny.ordforande@example.se \\
        --operator support@kommun.se --grounds "Årsmötesprotokoll 2026-03-02, ärende KS 2026/14"

The person must have a confirmed account in Bidra.  The role is a logged transition of the
organisation role (by the operator, with the grounds as reason), and every user of the
organisation is told by e-mail.  Nothing else changes: the new signatory manages the other users
on the organisation's pages, and a new payment account still needs every municipality's check.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from organizations import services, validators
from organizations.models import Organisation, User


class Command(BaseCommand):
    help = "Make a person the authorised signatory of an organisation that has lost its own (logged)."

    def add_arguments(self, parser):
        parser.add_argument("org_number", help="the organisation's number, e.g. 802012-3454")
        parser.add_argument("email", help="the e-mail address of the person's confirmed account")
        parser.add_argument(
            "--operator", required=True, help="the e-mail address of the support person running this"
        )
        parser.add_argument(
            "--grounds", required=True, help="the case and the document that shows who signs for it"
        )

    def handle(self, *args, org_number, email, operator, grounds, **options):
        try:
            number = validators.org_number_compact(org_number)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        organisation = Organisation.objects.filter(org_number=number).first()
        if organisation is None:
            raise CommandError(f"No organisation with the number {org_number} is registered.")
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {email}: the person signs up first.")
        by = User.objects.filter(email__iexact=operator, is_active=True).first()
        if by is None:
            raise CommandError(f"No active account with the e-mail address {operator}.")
        try:
            role = services.signatory_by_support(organisation=organisation, user=user, by=by, reason=grounds)
        except PermissionDenied as exc:
            raise CommandError(f"{operator} is not support staff (admin access): {exc}") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"{user.email} is now an authorised signatory of {organisation.name} "
            f"({organisation.org_number_display}); logged on organisation role {role.pk}."
        )
