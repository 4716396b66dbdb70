"""Accessibility: every page opened in headless Chromium as the role that may see it."""

import pytest

from ..browser import LOCALE


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "e2e" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def page_as(browser, live_server, client):
    """Open a browser page signed in as ``user`` (or anonymous)."""
    contexts = []

    def open_as(user=None):
        context = browser.new_context(base_url=live_server.url, locale=LOCALE)
        if user is not None:
            client.force_login(user)
            cookie = client.cookies["sessionid"]
            context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        contexts.append(context)
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()
