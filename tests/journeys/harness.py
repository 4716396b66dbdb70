"""The vocabulary of a journey: a person with a browser who signs in, reads, fills in and presses.

Every page a person opens is checked as a person would notice it: no server error, no developer
text (template tags, raw Python values, ``None``), and, at each ``look``, no WCAG 2.1 A/AA
violation found by axe-core.  Each step is counted; with ``JOURNEY_SCREENSHOTS=<folder>`` every
step leaves a screenshot there, so a person can look at the journey afterwards.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from ..browser import LOCALE
from ..factories import PASSWORD  # noqa: E402 - every factory user has it
from ..pdf import pdf_text

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

#: text that must never reach a person: template syntax, Python reprs, empty values
DEVELOPER_TEXT = re.compile(
    r"\{#|#\}|\{%|%\}|\{\{|\}\}|\bNone\b|\[\]|\{'|'\}|<bound method|Traceback|-{9}|object at 0x"
)


class Journey:
    """The people of one journey and what they did."""

    def __init__(self, *, browser, base_url: str, name: str):
        self.browser = browser
        self.base_url = base_url
        self.name = name
        self.people: list[Person] = []
        self.steps = 0
        self.axe = Axe()
        folder = os.environ.get("JOURNEY_SCREENSHOTS")
        self.screenshots = Path(folder) / re.sub(r"\W+", "-", name) if folder else None
        if self.screenshots:
            self.screenshots.mkdir(parents=True, exist_ok=True)

    def person(self, user=None, *, password: str = PASSWORD, label: str = "") -> Person:
        context = self.browser.new_context(base_url=self.base_url, locale=LOCALE, accept_downloads=True)
        context.set_default_timeout(15_000)
        person = Person(self, context, user, password, label or (user.email if user else "anonymous"))
        self.people.append(person)
        return person

    def step(self, person: Person, what: str) -> None:
        self.steps += 1
        if self.screenshots:
            slug = re.sub(r"\W+", "-", what)[:60].strip("-")
            person.page.screenshot(path=self.screenshots / f"{self.steps:03d}-{slug}.png", full_page=True)

    def close(self) -> None:
        for person in self.people:
            person.context.close()
        summary = os.environ.get("JOURNEY_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as out:
                out.write(f"{self.name}\t{self.steps}\n")


class Person:
    def __init__(self, journey: Journey, context, user, password: str, label: str):
        self.journey = journey
        self.context = context
        self.user = user
        self.password = password
        self.label = label
        self.page: Page = context.new_page()
        self.page.on("response", self._no_server_error)
        self.server_errors: list[str] = []

    def _no_server_error(self, response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.url}")

    # --- moving about -------------------------------------------------------------------------

    def open(self, path: str) -> Person:
        response = self.page.goto(path)
        assert response is not None and response.status < 400, f"{path}: HTTP {response and response.status}"
        self.check(f"open {path}")
        return self

    def click(self, name: str, *, role: str | None = None, exact: bool = False) -> Person:
        """Press the button or follow the link a person reads as ``name``."""
        target = self._target(name, role=role, exact=exact)
        target.click()
        self.page.wait_for_load_state()
        self.check(f"click {name}")
        return self

    def _target(self, name: str, *, role: str | None, exact: bool):
        page = self.page
        if role:
            return page.get_by_role(role, name=name, exact=exact).first
        button = page.get_by_role("button", name=name, exact=exact)
        if button.count():
            return button.first
        return page.get_by_role("link", name=name, exact=exact).first

    def field(self, label: str, *, exact: bool = False):
        """The form control a person finds by its label."""
        controls = self.page.locator("input, textarea, select")
        return self.page.get_by_label(label, exact=exact).and_(controls).first

    def fill(self, label: str, value: str, *, exact: bool = False) -> Person:
        self.field(label, exact=exact).fill(value)
        return self

    def choose(self, label: str, option: str, *, exact: bool = False) -> Person:
        self.field(label, exact=exact).select_option(label=option)
        return self

    def tick(self, label: str, *, exact: bool = False) -> Person:
        self.field(label, exact=exact).check()
        return self

    def upload(self, label: str, name: str, content: bytes, mime: str = "application/pdf") -> Person:
        self.field(label).set_input_files({"name": name, "mimeType": mime, "buffer": content})
        return self

    def fill_in(self, group: str, label: str, value: str, *, exact: bool = False) -> Person:
        """Fill the field ``label`` inside the fieldset (or other group) a person reads as ``group``."""
        self._in_group(group, label, exact=exact).fill(value)
        return self

    def tick_in(self, group: str, label: str, *, exact: bool = False) -> Person:
        self._in_group(group, label, exact=exact).check()
        return self

    def choose_in(self, group: str, label: str, option: str, *, exact: bool = False) -> Person:
        self._in_group(group, label, exact=exact).select_option(label=option)
        return self

    def _in_group(self, group: str, label: str, *, exact: bool):
        controls = self.page.locator("input, textarea, select")
        scope = self.page.get_by_role("group", name=group)
        return scope.get_by_label(label, exact=exact).and_(controls).first

    def confirm_next_dialog(self) -> Person:
        """Accept the browser's confirm() of the next irreversible action."""
        self.page.once("dialog", lambda dialog: dialog.accept())
        return self

    # --- reading ------------------------------------------------------------------------------

    def text(self) -> str:
        return self.page.locator("main").inner_text()

    def sees(self, *texts: str) -> Person:
        main = self.page.locator("main")
        for text in texts:
            expect(main).to_contain_text(text)
        return self

    def does_not_see(self, *texts: str) -> Person:
        main = self.page.locator("main")
        for text in texts:
            expect(main).not_to_contain_text(text)
        return self

    def check(self, what: str) -> None:
        """What every page owes a person: no server error and no developer text."""
        assert not self.server_errors, f"{self.label}: server error after {what}: {self.server_errors}"
        body = self.page.locator("body").inner_text()
        leak = DEVELOPER_TEXT.search(body)
        assert leak is None, (
            f"{self.label} sees developer text after {what}: …{body[max(0, leak.start() - 80) : leak.end() + 80]}…"
        )
        self.journey.step(self, what)

    def look(self) -> Person:
        """Check the page as it stands with axe-core (WCAG 2.1 A and AA)."""
        results = self.journey.axe.run(self.page, options=AXE_OPTIONS)
        assert results.violations_count == 0, f"{self.page.url}:\n{results.generate_report()}"
        return self

    def download(self, name: str) -> bytes:
        """Follow the link ``name`` to a file and return its bytes."""
        link = self.page.get_by_role("link", name=name).first
        href = link.get_attribute("href")
        response = self.context.request.get(href)
        assert response.ok, f"{href}: HTTP {response.status}"
        return response.body()

    def download_from(self, button: str) -> bytes:
        """Press the form's button ``button``, which answers with a file, and return the file's bytes."""
        with self.page.expect_download() as download:
            self._target(button, role="button", exact=False).click()
        return Path(download.value.path()).read_bytes()

    def pdf(self, name: str) -> str:
        """The text of the PDF behind the link ``name``, checked for developer text."""
        data = self.download(name)
        assert data.startswith(b"%PDF"), f"{name} is not a PDF"
        text = pdf_text(data)
        leak = DEVELOPER_TEXT.search(text)
        assert leak is None, (
            f"developer text in {name}: …{text[max(0, leak.start() - 80) : leak.end() + 80]}…"
        )
        return text

    # --- signing in ---------------------------------------------------------------------------

    def sign_in(self) -> Person:
        """Sign in on the sign-in page; staff then type the code of their authenticator app."""
        page = self.page
        page.goto("/logga-in/")
        page.locator("[name=username]").fill(self.user.email)
        page.locator("[name=password]").fill(self.password)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state()
        if "/logga-in/kod/ny-app/" in page.url:
            device = TOTPDevice.objects.filter(user=self.user, confirmed=False).latest("pk")
            self.fill("Kod", totp_code(device)).click("Koppla appen")
        elif "/logga-in/kod/" in page.url:
            device = TOTPDevice.objects.get(user=self.user, confirmed=True)
            self.fill("Kod", totp_code(device)).click("Bekräfta")
        assert "/logga-in/" not in page.url, f"{self.label} could not sign in: {self.text()[:400]}"
        self.check("sign in")
        return self

    def sign_out(self) -> Person:
        self.page.locator("header").get_by_role("button", name="Logga ut").click()
        self.page.wait_for_load_state()
        return self


def totp_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now (the next one if this one was just used)."""
    device.refresh_from_db()
    now = time.time()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = now
    if device.last_t is not None and totp.t() <= device.last_t:
        totp.time = now + device.step  # the app's next code: accepted within the tolerance
    return f"{totp.token():0{device.digits}d}"
