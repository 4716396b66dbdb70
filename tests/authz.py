"""The authorization matrix: every URL of Bidra, and who may reach it.

Each app lists its URLs in ``tests/<app>/authz.py`` as ``URLS = [Page(...), Action(...)]``.
``tests/test_authorization.py`` checks every role against every entry and fails
when a URL pattern exists that no entry covers; ``tests/e2e/test_accessibility.py``
opens every Page in Chromium.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from .conftest import ROLES, STAFF_ROLES

EVERYONE = frozenset(ROLES)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
APPLICANT = frozenset({"applicant"})
STAFF = frozenset(STAFF_ROLES)


@dataclass
class Page:
    """A GET page.  Allowed roles get ``status``; others are sent to sign in (anonymous) or get 403/404."""

    name: str
    allow: frozenset[str]
    kwargs: Callable = lambda world: {}
    query: str = ""
    status: int = 200
    #: roles that are allowed but redirected (e.g. the login page for someone signed in)
    redirect: frozenset[str] = frozenset()
    #: an HTML page the accessibility test opens (not a file download or an API response)
    html: bool = True
    #: the role the accessibility test views it as (default: the first allowed role)
    a11y_role: str | None = None
    setup: Callable | None = None
    label: str = ""

    method = "get"

    @property
    def id(self) -> str:
        return self.label or self.name


@dataclass
class Action:
    """A POST endpoint: allowed roles are not refused; others are sent to sign in or get 403/404."""

    name: str
    allow: frozenset[str]
    kwargs: Callable = lambda world: {}
    data: Callable = lambda world: {}
    setup: Callable | None = None
    label: str = ""
    format: str | None = None
    #: a redirect to the sign-in page is success (signing out)
    login_redirect_ok: bool = False

    method = "post"
    html = False

    @property
    def id(self) -> str:
        return self.label or self.name


@dataclass
class Excluded:
    """A URL that is not ours to check (the Django admin, a library's own page), with why."""

    name: str
    why: str = field(default="")


def all_entries() -> list:
    entries = []
    for module_path in sorted(Path(__file__).parent.glob("*/authz.py")):
        module = import_module(f"tests.{module_path.parent.name}.authz")
        entries.extend(module.URLS)
    return entries
