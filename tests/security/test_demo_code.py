"""Demo staff can sign in with a one-time code from ``manage.py demo_code``; nothing else can use it."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.demo import seed
from organizations.demo import seed_register

pytestmark = pytest.mark.django_db


def test_demo_code_prints_a_code_that_the_demo_account_s_device_accepts(settings, capsys):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.DEBUG = True
    seed(seed_register())
    call_command("demo_code", "handlaggare@exemplo.se")
    code = capsys.readouterr().out.split()[0]
    device = TOTPDevice.objects.get(user__email="handlaggare@exemplo.se")
    assert device.verify_token(code)


def test_demo_code_refuses_outside_debug_and_for_other_accounts(settings):
    seed(seed_register())
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_code", "handlaggare@exemplo.se")
    settings.DEBUG = True
    with pytest.raises(CommandError, match="not a demo"):
        call_command("demo_code", "sokande@forening.example")
