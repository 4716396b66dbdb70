"""Demo staff get an authenticator device with a known key, so a newcomer can sign in.

``manage.py demo_code <email>`` prints the current one-time code of such a demo
device; it refuses outside DEBUG and for any account that is not a demo account.
"""

from django_otp.plugins.otp_totp.models import TOTPDevice

from organizations.demo import COMMITTEE, STAFF

#: a fixed key, only ever given to demo accounts (hex, 20 bytes)
DEMO_KEY = "3132333435363738393031323334353637383930"
DEMO_DEVICE_NAME = "Demo (manage.py demo_code)"


def demo_staff_emails() -> list[str]:
    staff = [email for email, _name, _role in STAFF] + [email for email, _name, _party in COMMITTEE]
    return list(dict.fromkeys(staff)) + ["handlaggare@grannby.se", "admin@exemplo.se"]


def seed(context):
    from organizations.models import User

    for user in User.objects.filter(email__in=demo_staff_emails()):
        TOTPDevice.objects.get_or_create(
            user=user, name=DEMO_DEVICE_NAME, defaults={"key": DEMO_KEY, "confirmed": True}
        )
