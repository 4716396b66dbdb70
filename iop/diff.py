"""Comparing two versions of an agreement, section by section, for an accessible side-by-side table."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from workflows.templatetags.bidra import kr

from .models import AgreementVersion


@dataclass
class SectionDiff:
    key: str
    label: str
    changed: bool
    #: (kind, old line, new line) with kind in "same", "changed", "removed", "added"
    rows: list[tuple[str, str, str]] = field(default_factory=list)


def _lines(version: AgreementVersion) -> list[tuple[str, str, list[str]]]:
    sections = []
    for name in AgreementVersion.SECTIONS:
        label = str(AgreementVersion._meta.get_field(name).verbose_name)
        sections.append((name, label, (getattr(version, name) or "").splitlines()))
    sections.append(
        (
            "term",
            _("Term"),
            [
                f"{version.start_date or '–'} – {version.end_date or '–'}",
                _("Notice period: %(n)s months") % {"n": version.notice_months},
            ],
        )
    )
    sections.append(
        (
            "contributions",
            _("Contributions"),
            [
                f"{_('Year')} {c.year}: {c.get_party_display()}, {c.get_kind_display()}"
                f"{' – ' + c.description if c.description else ''}: {kr(c.value)}"
                for c in version.contributions.all()
            ],
        )
    )
    sections.append(
        (
            "indicators",
            _("Indicators"),
            [f"{i.goal}: {i.name} – {i.target} {i.unit}".strip() for i in version.indicators.all()],
        )
    )
    sections.append(
        (
            "members",
            _("Steering group and working group"),
            [
                f"{m.get_group_display()}: {m.name} ({m.get_party_display()}{', ' + m.role if m.role else ''})"
                for m in version.members.all()
            ],
        )
    )
    return sections


def compare_versions(old: AgreementVersion, new: AgreementVersion) -> list[SectionDiff]:
    result = []
    for (key, label, a), (_key, _label, b) in zip(_lines(old), _lines(new), strict=True):
        rows: list[tuple[str, str, str]] = []
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                rows += [("same", x, y) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)]
            elif tag == "replace":
                left, right = a[i1:i2], b[j1:j2]
                for k in range(max(len(left), len(right))):
                    rows.append(
                        ("changed", left[k] if k < len(left) else "", right[k] if k < len(right) else "")
                    )
            elif tag == "delete":
                rows += [("removed", x, "") for x in a[i1:i2]]
            else:
                rows += [("added", "", y) for y in b[j1:j2]]
        result.append(
            SectionDiff(key, label.capitalize(), any(kind != "same" for kind, _x, _y in rows), rows)
        )
    return result
