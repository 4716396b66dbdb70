import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_DEVICE_NAME, DEMO_KEY, demo_staff_emails


class Command(BaseCommand):
    help = "Print the current one-time code of a demo staff account (only with DEBUG on)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code only works with DEBUG=true (the demo).")
        device = TOTPDevice.objects.filter(
            user__email__iexact=email, name=DEMO_DEVICE_NAME, key=DEMO_KEY, confirmed=True
        ).first()
        if device is None or email.lower() not in demo_staff_emails():
            raise CommandError(f"{email} is not a demo staff account.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        remaining = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(f"{code:0{device.digits}d}  (valid for {remaining} more seconds)")
