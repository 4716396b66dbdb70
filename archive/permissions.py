"""Who may hand cases to the e-archive: the program administrators of the committee's municipality.

A committee's closed cases are exported by the staff who configure its programs (Bidra has no
role of archivist of its own: a municipality gives that work to a program administrator).
The operator's command acts as Bidra's system user, which cannot sign in.
"""

from __future__ import annotations

import rules

from organizations.models import StaffRole
from organizations.permissions import staff_committee_ids, staff_municipality_ids

ARCHIVE_ROLES = (StaffRole.Role.PROGRAM_ADMIN,)


@rules.predicate
def is_system_user(user) -> bool:
    return bool(getattr(user, "is_system", False))


@rules.predicate
def archivist_of_committee(user, committee) -> bool:
    if committee is None or committee.municipality_id not in staff_municipality_ids(user, ARCHIVE_ROLES):
        return False
    committees = staff_committee_ids(user, ARCHIVE_ROLES)
    return committees is None or committee.pk in committees


@rules.predicate
def archivist(user) -> bool:
    return bool(staff_municipality_ids(user, ARCHIVE_ROLES))


@rules.predicate
def archivist_of_job(user, job) -> bool:
    return job is not None and archivist_of_committee(user, job.committee)


rules.add_perm("archive.view_archive", archivist)
rules.add_perm("archive.export", archivist_of_committee | is_system_user)
rules.add_perm("archive.view_export_job", archivist_of_job)
rules.add_perm("archive.view_archived_case", archivist_of_job)
