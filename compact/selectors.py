"""Queries of the compact: what its public page and the portal show."""

from __future__ import annotations

from django.db.models import Prefetch

from .models import Compact, CompactSignatory


def compact_for_public(*, municipality) -> Compact | None:
    """The municipality's compact in any state, with its principles and the organisations that
    have joined it and not left (``current_signatories``); None when it has none."""
    return (
        Compact.objects.filter(municipality=municipality)
        .select_related("municipality")
        .prefetch_related(
            "principles",
            Prefetch(
                "signatories",
                queryset=CompactSignatory.objects.filter(left_on=None).select_related("organisation"),
                to_attr="current_signatories",
            ),
        )
        .first()
    )
