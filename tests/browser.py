"""Headless Chromium for browser tests (accessibility and journeys): started once per test session.

Where Chromium is missing the browser tests are skipped with a visible notice;
under CI=true a missing browser is a failure.

The browser speaks Swedish, as a Swedish user's does: its own texts (a file field's "Välj fil",
a required field's message) come from Debian's chromium-l10n in the language that ``LANGUAGE``
names (Chromium on Linux takes its UI language from the environment, ``--lang`` is for the rest),
and every page is opened in a context with ``LOCALE`` (Accept-Language, dates and numbers).
"""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--lang=sv-SE",
]
#: the locale of every browser context (``browser.new_context(locale=LOCALE)``)
LOCALE = "sv-SE"
#: Chromium's own texts in Swedish (needs Debian's chromium-l10n; English without it)
ENV = {"LANGUAGE": "sv_SE:sv", "LANG": "sv_SE.UTF-8"}


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = f"Chromium not found at {CHROMIUM}: browser tests (accessibility, journeys) are skipped."
        if os.environ.get("CI") == "true":
            pytest.fail(message + " Under CI a missing browser is a failure.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=ARGS, headless=True, env={**os.environ, **ENV}
        )
        yield browser
        browser.close()
