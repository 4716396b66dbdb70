"""The "what they have received" section of a directory page, from the public register (app ``insight``).

The register is its own app; when it is not installed the section is left out.
"""

from __future__ import annotations

from django.apps import apps
from django.urls import NoReverseMatch, reverse


def received_section(*, organisation, municipality) -> dict | None:
    """Context for ``portal/_received.html``, or None when the register is not installed."""
    if not apps.is_installed("insight"):
        return None
    from insight.selectors import received_by_organisation  # noqa: PLC0415 - optional app

    try:
        url = reverse("insight:organisation", kwargs={"slug": municipality.slug, "pk": organisation.pk})
    except NoReverseMatch:
        url = ""
    return {"rows": received_by_organisation(organisation), "url": url, "organisation": organisation}
