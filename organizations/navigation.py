"""The main menu: what each person's roles lead to, in the order of their daily work.

Each entry is shown only to those whose role allows the page, so the menu never offers a page
that answers "not allowed".  The current section is marked for assistive technology.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import active_org_roles, admin_municipality_ids, staff_roles


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def _entries(user) -> list[tuple[str, str, str]]:
    """(label, url name or (name, args), path prefix that marks it current) for ``user``."""
    roles = {role for _m, _c, role in staff_roles(user)}
    entries = [(_("Start"), "home", "")]
    if "caseworker" in roles:
        entries.append((_("Inbox"), "grants:inbox", "/handlaggning/"))
    if roles & {"caseworker", "secretary", "member"}:
        entries.append((_("Meetings"), "meetings:meetings", "/sammantraden/"))
    if roles & {"caseworker", "program_admin", "secretary"}:
        entries.append((_("Programs"), "grants:programs", "/bidrag/program/"))
    if roles:
        entries.append((_("Partnerships"), "iop:list", "/partnerskap/"))
        entries.append((_("Organisations"), "organizations:search", "/organisationer/"))
        entries.append((_("Follow-up reports"), "reporting:index", "/aterrapportering/"))
        entries.append((_("Statistics"), "insight:dashboard", "/statistik/"))
    # the e-archive's page asks this permission itself (archive/permissions.py); the menu asks the
    # same rule by its name, so the register need not import the archive above it
    if user.has_perm("archive.view_archive"):
        entries.append((_("E-archive"), "archive:index", "/e-arkiv/"))
    administered = admin_municipality_ids(user)
    if administered:
        entries.append(
            (_("Administration"), ("organizations:setup", [min(administered)]), "/administration/")
        )
    if active_org_roles(user):
        entries.append((_("Apply"), "grants:rounds", "/bidrag/"))
        entries.append((_("My applications"), "grants:my_applications", "/ansokningar/"))
        entries.append((_("Decision letters"), "portal:my_letters", "/beslutsbrev/"))
        entries.append((_("Reports"), "reporting:my_reports", "/aterrapportering/mina/"))
        if not roles:
            entries.append((_("Partnerships"), "iop:list", "/partnerskap/"))
    return entries


def nav_items(request) -> list[NavItem]:
    user = request.user
    if not user.is_authenticated:
        return []
    entries = _entries(user)
    path = request.path
    # the longest matching prefix is the current section ("/aterrapportering/mina/" over "/aterrapportering/")
    matches = [prefix for _l, _n, prefix in entries if prefix and path.startswith(prefix)]
    current = max(matches, key=len) if matches else ("" if path == "/" else None)
    return [
        NavItem(
            str(label),
            reverse(name) if isinstance(name, str) else reverse(name[0], args=name[1]),
            prefix == current,
        )
        for label, name, prefix in entries
    ]
