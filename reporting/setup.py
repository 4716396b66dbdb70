"""Imported once from ``GrantsConfig.ready()``: follow-up reports' and reclaims' permissions, agenda
adapter, signal receivers, start-page panels, admin, tasks and eligibility hooks register themselves."""

from grants import eligibility

from . import admin, agenda, attention, permissions, signals, tasks, transitions  # noqa: F401
from .services import overdue_report_reason, unpaid_reclaim_reason

eligibility.register_hook("no_overdue_report", overdue_report_reason)
eligibility.register_hook("no_unpaid_reclaim", unpaid_reclaim_reason)
