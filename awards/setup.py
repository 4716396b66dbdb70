"""Imported once from ``GrantsConfig.ready()``: the awards' permissions, agenda adapter,
signal receivers, start-page panel, admin and background tasks register themselves."""

from . import admin, agenda, attention, permissions, signals, tasks, transitions  # noqa: F401
