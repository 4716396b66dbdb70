"""Fixtures of the compact's tests."""

from ..iop.conftest import travel  # noqa: F401 - moves the clock to noon of a given day
