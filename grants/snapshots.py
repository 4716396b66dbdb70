"""How a program's questions are frozen when a case is opened, so later edits of the form do not
change what an applicant or a reporting organisation was asked."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


def form_fields_snapshot(fields: Iterable[models.Model]) -> list[dict]:
    """Each question (an application's ``FormField`` or a report's ``ReportField``) as it is now."""
    frozen = []
    for f in fields:
        item = {
            "id": f.pk,
            "key": f"field:{f.pk}",
            "kind": f.kind,
            "label": f.label,
            "help_text": f.help_text,
            "required": f.required,
            "choices": [c.strip() for c in f.choices.splitlines() if c.strip()],
        }
        if hasattr(f, "max_length"):  # text answers of an application have a length limit
            item["max_length"] = f.max_length
        frozen.append(item)
    return frozen
