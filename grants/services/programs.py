"""Programs and rounds: the round's snapshot of its program, lateness, and the administrator's edits.

A round's snapshot is taken once, when it opens, and never changes after; applications are
checked against the snapshot, not the program as it is later edited.  Program edits are
permission-checked and saved in one transaction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.services import (
    require,
)

from ..models import (
    Program,
    Round,
)
from ..snapshots import form_fields_snapshot

# ---- the round's snapshot ----


def program_snapshot(program: Program) -> dict:
    """The program's form, attachments, eligibility rules and criteria as they are now."""
    return {
        "taken_at": timezone.now().isoformat(),
        "program": {
            "id": program.pk,
            "name": program.name,
            "kind": program.kind,
            "rules_reference": program.rules_reference,
            "rules_url": program.rules_url,
            "min_amount": None if program.min_amount is None else str(program.min_amount),
            "max_amount": None if program.max_amount is None else str(program.max_amount),
            "several_per_round": program.several_per_round,
        },
        "fields": form_fields_snapshot(program.form_fields.order_by("order", "pk")),
        "attachments": [
            {
                "id": a.pk,
                "key": f"attachment:{a.pk}",
                "label": a.label,
                "doc_type": a.doc_type,
                "help_text": a.help_text,
                "required": a.required,
            }
            for a in program.attachments.order_by("order", "pk")
        ],
        "rules": [
            {"kind": r.kind, "params": r.params or {}}
            for r in program.eligibility_rules.filter(enabled=True).order_by("pk")
        ],
        "criteria": [
            {
                "id": c.pk,
                "name": c.name,
                "guidance": c.guidance,
                "weight": str(c.weight),
                "scale_min": c.scale_min,
                "scale_max": c.scale_max,
                "allow_na": c.allow_not_applicable,
            }
            for c in program.criteria.order_by("order", "pk")
        ],
    }


def round_snapshot(*, round: Round) -> dict:
    """The round's snapshot; taken once, the first time it is needed after the round opens."""
    if round.snapshot:
        return round.snapshot
    with transaction.atomic():
        locked = Round.objects.select_for_update(of=("self",)).select_related("program").get(pk=round.pk)
        if not locked.snapshot:
            locked.snapshot = program_snapshot(locked.program)
            locked.snapshot_taken_at = timezone.now()
            locked.save(update_fields=["snapshot", "snapshot_taken_at"])
    round.snapshot, round.snapshot_taken_at = locked.snapshot, locked.snapshot_taken_at
    return round.snapshot


def rounds_take_due_snapshots() -> int:
    """Periodic: snapshot every round that has opened without one."""
    count = 0
    for round in Round.objects.filter(snapshot__isnull=True, opens_at__lte=timezone.now()):
        round_snapshot(round=round)
        count += 1
    return count


@dataclass
class Lateness:
    accepted: bool
    weeks: int = 0
    percent: Decimal = Decimal("0")


def lateness(round: Round, at: datetime | None = None) -> Lateness:
    """Whether the round accepts an application now, and the deduction the late rule gives."""
    at = at or timezone.now()
    if at < round.opens_at:
        return Lateness(False)
    if at < round.closes_at:
        return Lateness(True)
    weeks = max(1, math.ceil((at - round.closes_at).total_seconds() / (7 * 24 * 3600)))
    if round.late_rule == Round.LateRule.REFUSE or round.program.kind == Program.Kind.AWARD:
        # An award is decided among those nominated or applying in time: it takes none late.
        return Lateness(False, weeks)
    if round.late_rule == Round.LateRule.DEDUCT:
        return Lateness(True, weeks, min(Decimal("100"), round.late_deduction_percent * weeks))
    return Lateness(True, weeks)


# ---- program administration ----


def program_save(*, program: Program, by) -> Program:
    if program.pk:
        require(by, "grants.manage_program", program)
    else:
        require(by, "grants.create_program")
        if not by.has_perm("grants.manage_program", program):
            raise PermissionDenied(_("You can only create programs of your own municipality."))
    program.full_clean()
    program.save()
    return program


def program_settings_save(*, program: Program, saved: list, deleted: list, by) -> None:
    """Save one section of a program's settings (rounds, questions, criteria, rules...), as a whole.

    ``saved`` and ``deleted`` are the rows a page's formset changed; each must belong to the program."""
    from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry

    require(by, "grants.manage_program", program)
    with transaction.atomic():
        # who changed which setting, in Django's change log (settings have no states to log)
        added = {id(i) for i in saved if i.pk is None}
        for instance in saved:
            if hasattr(instance, "program_id"):
                instance.program = program
            elif instance.budget.program_id != program.pk:  # an earmarked commitment
                raise PermissionDenied(_("You do not have permission to do this."))
            instance.save()
        for instance in deleted:
            owner = getattr(instance, "program_id", None) or instance.budget.program_id
            if owner != program.pk:
                raise PermissionDenied(_("You do not have permission to do this."))
            LogEntry.objects.log_actions(
                user_id=by.pk, queryset=[instance], action_flag=DELETION, change_message=program.name
            )
            instance.delete()
        for instance in saved:
            LogEntry.objects.log_actions(
                user_id=by.pk,
                queryset=[instance],
                action_flag=ADDITION if id(instance) in added else CHANGE,
                change_message=program.name,
            )
