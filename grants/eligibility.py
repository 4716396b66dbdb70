"""Eligibility rules: each a named check of an organisation that says why it fails.

Rules are switched on per program with parameters (``EligibilityRule``); the
round's snapshot keeps which were on.  Two rules depend on modules that come
later (follow-up reports and reclaims): other apps fill them with
``register_hook("no_overdue_report", func)`` where ``func(organisation)``
returns ``None`` when all is well, or a sentence saying what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from organizations.models import Organisation, OrganisationDocument
from organizations.selectors import document_status


@dataclass
class RuleResult:
    kind: str
    label: str
    ok: bool
    reason: str = ""
    overridden: bool = False
    override_reason: str = ""

    @property
    def passes(self) -> bool:
        return self.ok or self.overridden

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Context:
    organisation: Organisation
    municipality_id: int
    params: dict
    declaration: bool | None = None
    year: int | None = None


_checks: dict[str, Callable[[Context], str | None]] = {}
_hooks: dict[str, list[Callable[[Organisation], str | None]]] = {
    "no_overdue_report": [],
    "no_unpaid_reclaim": [],
}


def rule(kind: str):
    def register(func: Callable[[Context], str | None]):
        _checks[kind] = func
        return func

    return register


def register_hook(kind: str, func: Callable[[Organisation], str | None]) -> None:
    """Let another app decide a rule: ``func(organisation)`` returns None (ok) or the reason it fails."""
    if kind not in _hooks:
        raise ValueError(f"No hook named {kind!r}; hooks: {sorted(_hooks)}")
    if func not in _hooks[kind]:
        _hooks[kind].append(func)


def unregister_hook(kind: str, func) -> None:
    if func in _hooks.get(kind, []):
        _hooks[kind].remove(func)


@rule("org_kinds")
def _org_kinds(ctx: Context) -> str | None:
    allowed = ctx.params.get("kinds") or []
    if not allowed or ctx.organisation.kind in allowed:
        return None
    labels = dict(Organisation.Kind.choices)
    return _("The program is open to %(allowed)s; the organisation is registered as %(kind)s.") % {
        "allowed": ", ".join(str(labels.get(k, k)) for k in allowed),
        "kind": ctx.organisation.get_kind_display(),
    }


def _activity(ctx: Context):
    activities = getattr(ctx.organisation, "_activities_cache", None)
    if activities is None:
        activities = {a.municipality_id: a for a in ctx.organisation.activities.all()}
        ctx.organisation._activities_cache = activities
    return activities.get(ctx.municipality_id)


@rule("active_in_municipality")
def _active_in_municipality(ctx: Context) -> str | None:
    if _activity(ctx) is not None:
        return None
    return _("The organisation has not registered any activity in the municipality.")


@rule("min_resident_members")
def _min_resident_members(ctx: Context) -> str | None:
    minimum = int(ctx.params.get("min") or 0)
    activity = _activity(ctx)
    resident = activity.resident_members if activity else 0
    if resident >= minimum:
        return None
    return _("At least %(min)s members must live in the municipality; the register says %(n)s.") % {
        "min": minimum,
        "n": resident,
    }


@rule("documents_current")
def _documents_current(ctx: Context) -> str | None:
    wanted = set(ctx.params.get("doc_types") or OrganisationDocument.Type.values)
    missing = [
        s.label
        for s in document_status(organisation=ctx.organisation, year=ctx.year)
        if s.doc_type in wanted and s.state != "current"
    ]
    if not missing:
        return None
    return _("These documents in the register are missing or out of date: %(docs)s.") % {
        "docs": ", ".join(missing)
    }


def _hooked(kind: str, ctx: Context) -> str | None:
    reasons = [r for r in (hook(ctx.organisation) for hook in _hooks[kind]) if r]
    return " ".join(str(r) for r in reasons) or None


@rule("no_overdue_report")
def _no_overdue_report(ctx: Context) -> str | None:
    return _hooked("no_overdue_report", ctx)


@rule("no_unpaid_reclaim")
def _no_unpaid_reclaim(ctx: Context) -> str | None:
    return _hooked("no_unpaid_reclaim", ctx)


@rule("democracy_declaration")
def _democracy_declaration(ctx: Context) -> str | None:
    if ctx.declaration:
        return None
    return _("The declaration that the organisation respects the democracy conditions has not been made.")


def describe_params(kind: str, params: dict) -> str:
    """A rule's parameters in words (``{"kinds": ["nonprofit"]}`` -> "non-profit association")."""
    from django.utils.translation import ngettext

    params = params or {}
    if kind == "org_kinds":
        labels = dict(Organisation.Kind.choices)
        return ", ".join(str(labels.get(k, k)) for k in params.get("kinds") or [])
    if kind == "min_resident_members":
        minimum = int(params.get("min") or 0)
        return ngettext("at least %(n)s member", "at least %(n)s members", minimum) % {"n": minimum}
    if kind == "documents_current":
        labels = dict(OrganisationDocument.Type.choices)
        wanted = params.get("doc_types") or []
        if not wanted:
            return _("every document of the register")
        return ", ".join(str(labels.get(d, d)) for d in wanted)
    return ""


def evaluate(
    *,
    rules: list[dict],
    organisation: Organisation,
    municipality_id: int,
    declaration: bool | None = None,
    year: int | None = None,
    overrides: dict[str, str] | None = None,
) -> list[RuleResult]:
    """Every enabled rule of a snapshot, with whether it passes and why not."""
    from .models import EligibilityRule

    labels = dict(EligibilityRule.Kind.choices)
    overrides = overrides or {}
    results = []
    for item in rules:
        kind = item["kind"]
        check = _checks.get(kind)
        if check is None:
            continue
        ctx = Context(organisation, municipality_id, item.get("params") or {}, declaration, year)
        if kind == "democracy_declaration" and declaration is None:
            reason = _("Made in the application form.")
            results.append(RuleResult(kind, str(labels.get(kind, kind)), True, reason))
            continue
        reason = check(ctx)
        result = RuleResult(kind, str(labels.get(kind, kind)), reason is None, reason or "")
        if not result.ok and kind in overrides:
            result.overridden = True
            result.override_reason = overrides[kind]
        results.append(result)
    return results


def from_stored(stored: list[dict], overrides: dict[str, str] | None = None) -> list[RuleResult]:
    overrides = overrides or {}
    results = []
    for item in stored or []:
        result = RuleResult(**{k: item[k] for k in ("kind", "label", "ok", "reason")})
        if not result.ok and result.kind in overrides:
            result.overridden = True
            result.override_reason = overrides[result.kind]
        results.append(result)
    return results
