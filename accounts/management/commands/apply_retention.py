"""Apply the retention rules now (the Celery task does it daily): ``apply_retention [--only NAME]``."""

from django.core.management.base import BaseCommand

from accounts.retention import retention_apply, retention_rules


class Command(BaseCommand):
    help = "Delete or anonymise personal data kept longer than its retention rule allows."

    def add_arguments(self, parser):
        parser.add_argument("--only", action="append", help="apply only this rule (repeatable)")
        parser.add_argument("--list", action="store_true", help="list the rules and do nothing")

    def handle(self, *args, only=None, list=False, **options):
        if list:
            for r in retention_rules():
                self.stdout.write(f"{r.name}: {r.description}")
            return
        for name, count in retention_apply(only=only).items():
            self.stdout.write(f"{name}: {'FAILED' if count < 0 else count}")
