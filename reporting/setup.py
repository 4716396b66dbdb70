"""Imported once from ``ReportingConfig.ready()``: follow-up reports' and reclaims' permissions, agenda
adapter, signal receivers, start-page panels, admin, tasks, steps, eligibility hooks and the report a
grant owes register themselves."""

from correspondence.adapters import register as register_correspondence_adapter
from grants import consequences, eligibility
from grants.models import Application

from . import admin, agenda, attention, permissions, signals, tasks, transitions  # noqa: F401
from .adapters import register as register_follow_up_adapter
from .correspondence_adapter import ReclaimCorrespondenceAdapter, ReportCorrespondenceAdapter
from .grant_adapter import ApplicationFollowUpAdapter
from .models import FollowUpReport, Reclaim
from .services import overdue_report_reason, report_create, unpaid_reclaim_reason

eligibility.register_hook("no_overdue_report", overdue_report_reason)
eligibility.register_hook("no_unpaid_reclaim", unpaid_reclaim_reason)
consequences.register_granted(report_create)
register_follow_up_adapter(Application, ApplicationFollowUpAdapter())
register_correspondence_adapter(FollowUpReport, ReportCorrespondenceAdapter())
register_correspondence_adapter(Reclaim, ReclaimCorrespondenceAdapter())
