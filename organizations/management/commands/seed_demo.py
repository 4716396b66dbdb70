"""Load the demo: Exempelö kommun with its committees, associations, users and cases.

Idempotent.  Each app that has demo data provides ``<app>.demo.seed(context)``;
they run in the order of INSTALLED_APPS after the register.  Each case is built through the
services with each step at the moment it has in the story (``workflows.demo_story``), so the
histories run over the past year and a half.  What the demo's cases send by
e-mail goes to the configured backend as always; with the development console backend that
would fill the terminal, so the command keeps it out of its own output and ends with the logins.
"""

import contextlib
import io
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from organizations.demo import COMMITTEE, DEMO_PASSWORD, seed_register

LOGINS = [
    ("association: signatory of two organisations", "sokande@forening.example"),
    ("association: another organisation", "sokande2@forening.example"),
    ("association: waiting to join an organisation", "ny.medlem@forening.example"),
    ("caseworker (delegation up to 30 000 kr)", "handlaggare@exemplo.se"),
    ("committee secretary", "sekreterare@exemplo.se"),
    ("program administrator", "programadmin@exemplo.se"),
    ("municipality administrator (committees, staff)", "kommunadmin@exemplo.se"),
    ("caseworker of another municipality", "handlaggare@grannby.se"),
    ("support administrator (Django admin)", "admin@exemplo.se"),
]


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        console = io.StringIO()
        with contextlib.redirect_stdout(console), transaction.atomic():
            context = seed_register()
            for config in apps.get_app_configs():
                if config.name == "organizations":
                    continue
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(context)
        mails = console.getvalue().count("\nMessage-ID: ")
        if mails:
            self.stdout.write(f"The demo's cases sent {mails} e-mails to the console (not shown here).")
        self.stdout.write(self.style.SUCCESS(f"Demo data is loaded. Sign in at {settings.SITE_URL}/ as:"))
        for role, email in LOGINS:
            self.stdout.write(f"  {role:48} {email}")
        members = ", ".join(email for email, _name, _party in COMMITTEE)
        self.stdout.write(f"  {'Socialnämnden (adjusters first, chair third)':48} {members}")
        self.stdout.write(f"  password for every demo login: {DEMO_PASSWORD}")
        self.stdout.write(
            "  staff confirm sign-in with a one-time code: in another terminal run\n"
            "  DEBUG=true .venv/bin/python manage.py demo_code <e-mail>"
        )
