"""Browser protections on every response, and the production settings pass Django's deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

BASE = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_pages_forbid_inline_script_framing_and_device_features(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_no_page_template_carries_inline_script_or_event_handlers(client, world):
    client.force_login(world.users["caseworker"])
    for url in [reverse("login"), reverse("home"), reverse("accounts:otp_setup"), "/admin/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and " onclick=" not in html and " onload=" not in html, url


#: what a production deployment sets, besides the settings module
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.production",
    "SECRET_KEY": "x" * 20 + "a-long-random-production-key-for-the-test-0123456789",
    "ALLOWED_HOSTS": "bidra.example.se",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def _environment(**env):
    # The browser tests allow async-unsafe calls in this process; a deployment never does.
    base = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_BROKER_URL")
    }
    return {k: v for k, v in {**base, **env}.items() if v is not None}


def _manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env=_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("broker", [None, "", "memory://"])
def test_production_settings_refuse_to_start_without_a_message_broker(broker):
    """Without a broker every task would run inside the request: letters in the secretary's click."""
    result = _manage("check", **{**PRODUCTION, "CELERY_BROKER_URL": broker})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "CELERY_BROKER_URL" in result.stderr


def test_production_settings_make_cookies_secure_and_send_hsts():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000,"
        " s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_HTTPONLY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=BASE,
        env=_environment(**{**PRODUCTION, "SECRET_KEY": "y" * 64}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True"] * 5, result.stderr


@pytest.mark.django_db
def test_signed_in_pages_and_downloads_are_kept_by_no_browser_or_proxy_cache(client, world):
    from grants.models import ApplicationAttachment

    from ..grants.factories import draft_application

    application = draft_application(world)
    attachment = ApplicationAttachment.objects.get(application=application)
    public = client.get(reverse("portal:municipalities"))
    assert public.status_code == 200 and "no-store" not in public.get("Cache-Control", "")

    client.force_login(world.users["applicant"])
    for url in [
        reverse("home"),
        reverse("grants:application_edit", args=[application.pk]),
        f"/api/v1/applications/{application.pk}/",
        reverse("grants:attachment_download", args=[attachment.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url
