"""Send today's follow-up report reminders (also scheduled): safe to run twice, or after a crash."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Move follow-up reports to due or overdue and send today's reminders, each once."

    def handle(self, *args, **options):
        from reporting.services import reminders_send_due, reports_advance, reports_create_due

        created = reports_create_due()
        moved = reports_advance()
        sent = reminders_send_due()
        self.stdout.write(
            f"reports created: {created}, opened: {moved['opened']}, overdue: {moved['overdue']}, "
            f"reminders sent: {sent}"
        )
