"""Imported once from ``AwardsConfig.ready()``: the awards' permissions, agenda adapter,
signal receivers, start-page panel, admin, background tasks, steps and what an award round's
application causes on submission register themselves."""

from grants import consequences
from grants.models import Program

from . import admin, agenda, attention, permissions, signals, tasks, transitions  # noqa: F401
from .services import candidate_from_application

consequences.register_submitted(Program.Kind.AWARD, candidate_from_application)
