"""Load the demo: Exempelö kommun with its committees, associations, users and cases.

Idempotent.  Each app that has demo data provides ``<app>.demo.seed(context)``;
they run in the order of INSTALLED_APPS after the register.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from organizations.demo import DEMO_PASSWORD, seed_register


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        with transaction.atomic():
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
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Sign in at http://127.0.0.1:8000/ as:"))
        rows = [
            ("applicant (signatory of two organisations)", "sokande@forening.example"),
            ("applicant of another organisation", "sokande2@forening.example"),
            ("user waiting to join an organisation", "ny.medlem@forening.example"),
            ("caseworker (with delegation up to 30 000 kr)", "handlaggare@exemplo.se"),
            ("committee secretary", "sekreterare@exemplo.se"),
            ("committee member", "ledamot@exemplo.se"),
            ("program administrator", "programadmin@exemplo.se"),
            ("caseworker of another municipality", "handlaggare@grannby.se"),
            ("support administrator (Django admin)", "admin@exemplo.se"),
        ]
        for role, email in rows:
            self.stdout.write(f"  {role:48} {email}")
        self.stdout.write(f"  password for every demo login: {DEMO_PASSWORD}")
        self.stdout.write(
            "  staff confirm sign-in with a one-time code: in another terminal run\n"
            "  DEBUG=true .venv/bin/python manage.py demo_code <e-mail>"
        )
