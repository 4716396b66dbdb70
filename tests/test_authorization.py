"""Every URL, every role: the expected allow or deny (DESIGN.md, invariant 9)."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .authz import Excluded, Page, all_entries
from .conftest import ROLES, build_world

ENTRIES = all_entries()
CHECKED = [e for e in ENTRIES if not isinstance(e, Excluded)]


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_url_is_in_the_matrix():
    covered = {e.name for e in ENTRIES}
    missing = sorted(set(_url_names()) - covered)
    assert not missing, f"URLs without an authorization entry in tests/<app>/authz.py: {missing}"


class _Rollback(Exception):
    pass


def _request(client, entry, url, data):
    if entry.method == "get":
        return client.get(url)
    if getattr(entry, "format", None) == "json":
        return client.post(url, data=data, content_type="application/json")
    return client.post(url, data=data)


def _outcome(entry, role, response) -> str | None:
    """None when the response is what the matrix expects, else what went wrong."""
    status = response.status_code
    login_redirect = status == 302 and "/logga-in/" in response.get("Location", "")
    denied = status in (401, 403, 404) or login_redirect
    if role in entry.allow:
        if isinstance(entry, Page):
            expected = {302} if role in entry.redirect else {entry.status}
            return None if status in expected else f"expected {sorted(expected)}, got {status}"
        refused = (
            status in (401, 403, 404)
            or status >= 500
            or (login_redirect and role != "anonymous" and not entry.login_redirect_ok)
        )
        return f"allowed but refused with {status}" if refused else None
    if role == "anonymous" and status in (401, 403, 302):
        return None if status != 302 or login_redirect else f"expected sign-in redirect, got {status}"
    return None if denied else f"expected refusal, got {status}"


@pytest.mark.django_db
@pytest.mark.parametrize("entry", CHECKED, ids=[e.id for e in CHECKED])
def test_each_role_gets_what_the_matrix_says(entry):
    world = build_world()
    if entry.setup:
        entry.setup(world)
    url = reverse(entry.name, kwargs=entry.kwargs(world)) + (getattr(entry, "query", "") or "")
    data = entry.data(world) if entry.method == "post" else None
    failures = []
    for role in ROLES:
        client = Client(raise_request_exception=False)
        try:
            with transaction.atomic():
                if world.user(role) is not None:
                    client.force_login(world.user(role))
                response = _request(client, entry, url, data)
                problem = _outcome(entry, role, response)
                if problem:
                    failures.append(f"{role}: {problem}")
                raise _Rollback
        except _Rollback:
            pass
    assert not failures, f"{entry.id}: " + "; ".join(failures)
