"""Gallring: what the e-archive holds of an exported case is removed from Bidra.

Only cases exported (``ArchivedCase``) are culled, ``ARCHIVE_CULL_AFTER_DAYS`` after the export
(90 by default, time for the archive to confirm it took the package); each culling is a logged
transition of the archived case.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from accounts.retention import rule


@rule("archive.archived_cases", _("What the e-archive holds of exported cases, 90 days after the export"))
def archived_cases(now: datetime) -> int:
    from workflows.services import system_user

    from .services import archived_cases_cull_due

    return archived_cases_cull_due(now=now, by=system_user())
