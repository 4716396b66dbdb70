"""Fixtures of the follow-up report tests."""

from ..workflows.conftest import clock  # noqa: F401 - moves timezone.now() without sleeping
