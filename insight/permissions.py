"""Who may see the staff dashboards: staff, for their own municipality only.

The public register and the open data need no permission: they hold only decisions
whose minutes are posted, and no personal data.
"""

from __future__ import annotations

import rules

from organizations.permissions import is_staff, staff_municipality_ids


@rules.predicate
def staff_of_municipality(user, municipality) -> bool:
    return municipality is not None and municipality.pk in staff_municipality_ids(user)


@rules.predicate
def staff_of_committee_municipality(user, committee) -> bool:
    return committee is not None and committee.municipality_id in staff_municipality_ids(user)


rules.add_perm("insight.view_statistics", is_staff)
rules.add_perm("insight.view_municipality_statistics", staff_of_municipality)
rules.add_perm("insight.view_committee_summary", staff_of_committee_municipality)
