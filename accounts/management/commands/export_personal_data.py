"""Print (or write) everything Bidra holds about a person, as JSON: ``export_personal_data a@b.se``."""

import json

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.personal_data import personal_data_export
from workflows.services import system_user


class Command(BaseCommand):
    help = "Export everything held about the person with this e-mail address as JSON."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--output", "-o", help="write to this file instead of standard output")

    def handle(self, *args, email, output=None, **options):
        with transaction.atomic():
            data = personal_data_export(email=email, by=system_user())
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
        else:
            self.stdout.write(text)
