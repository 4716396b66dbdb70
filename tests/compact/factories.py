"""Building compacts through the services, so every state change has its log row."""

from __future__ import annotations

from datetime import date

from compact import services
from compact.models import Compact, Principle

PRINCIPLES = {key: f"Lokal formulering av {label}." for key, label in Principle.Key.choices}


def compact(world, *, adopted_on: date | None = None) -> Compact:
    compact = services.compact_create(
        municipality=world.municipality,
        title="Överenskommelsen i Exempelö",
        text="Kommunen och den idéburna sektorn samverkar.",
        principles=PRINCIPLES,
        by=world.users["caseworker"],
    )
    if adopted_on:
        compact = services.compact_adopt(
            compact=compact,
            by=world.users["secretary"],
            adopted_on=adopted_on,
            reference="KF 2026-02-20 § 12",
        )
    return compact
