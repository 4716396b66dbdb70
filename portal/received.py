"""The "what they have received" section of a directory page, from the public register (app ``insight``)."""

from __future__ import annotations

from django.urls import reverse

from insight.selectors import received_by_organisation

SHOWN = 10


def received_section(*, organisation, municipality) -> dict:
    """Context for ``portal/_received.html``: the newest rows of the register and a link to all of them."""
    rows = received_by_organisation(organisation, municipality=municipality)
    return {
        "rows": rows[:SHOWN],
        "more": len(rows) > SHOWN,
        "url": reverse("insight:organisation", kwargs={"slug": municipality.slug, "pk": organisation.pk}),
        "organisation": organisation,
    }
