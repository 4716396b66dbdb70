from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from organizations.models import User


class Command(BaseCommand):
    help = "Print the API token of a user (created if missing)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the e-mail address {email}.")
        token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
