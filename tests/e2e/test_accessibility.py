"""Every page of Bidra, opened in headless Chromium, shows no developer text and has no WCAG 2.1
A/AA violation found by axe-core."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from ..authz import Page, all_entries
from ..browser import LOCALE
from ..conftest import build_world
from ..journeys.harness import DEVELOPER_TEXT

PAGES = [e for e in all_entries() if isinstance(e, Page) and e.html]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _role(entry) -> str:
    if entry.a11y_role:
        return entry.a11y_role
    for role in (
        "applicant",
        "caseworker",
        "secretary",
        "member",
        "program_admin",
        "other_caseworker",
        "other_applicant",
        "anonymous",
    ):
        if role in entry.allow and role not in entry.redirect:
            return role
    return "anonymous"


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("entry", PAGES, ids=[e.id for e in PAGES])
def test_page_has_no_wcag_violations(entry, page_as, axe):
    world = build_world()
    if entry.setup:
        entry.setup(world)
    role = _role(entry)
    page = page_as(world.user(role))
    url = reverse(entry.name, kwargs=entry.kwargs(world)) + entry.query
    response = page.goto(url)
    assert response.status == entry.status, f"{url} as {role}: HTTP {response.status}"
    folder = os.environ.get("JOURNEY_SCREENSHOTS")
    if folder:  # for a person to look at every page of the matrix
        Path(folder, "pages").mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=Path(folder, "pages", f"{entry.id.replace(':', '-')}-{role}.png"), full_page=True
        )
    body = page.locator("body").inner_text()
    leak = DEVELOPER_TEXT.search(body)
    assert leak is None, (
        f"{url} as {role} shows developer text: …{body[max(0, leak.start() - 80) : leak.end() + 80]}…"
    )
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{url} as {role}:\n{results.generate_report()}"


def test_the_check_finds_a_violation_when_there_is_one(browser, axe):
    """The accessibility check itself works: an unlabelled field and a missing language are reported."""
    page = browser.new_page(locale=LOCALE)
    page.set_content("<html><body><main><input type='text'></main></body></html>")
    results = axe.run(page, options=AXE_OPTIONS)
    page.close()
    ids = {v["id"] for v in results.response["violations"]}
    assert {"label", "html-has-lang"} <= ids
