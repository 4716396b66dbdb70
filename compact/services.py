"""Changes to the compact (överenskommelse): its text, adoption and renewal, signatories,
commitments, conferences and evaluations.  Its pages, the API and the periodic task call these.

What they guarantee: each checks the user's permission first (``compact.*``); a state change
of the compact or of a line of its action plan goes through ``workflows.services.perform_transition``
(permission, conditions, save and its StateLog row in one transaction); an adopted compact's
text is never edited; joining and leaving are recorded with their dates, never deleted; the
periodic renewal and the evaluation reminder may run twice without doing anything twice.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.deadlines import add_years
from workflows.services import (
    TransitionRefused,
    outbox_enqueue,
    perform_transition,
    require,
    system_user,
)
from workflows.storage import name_delete_on_commit

from .models import (
    Commitment,
    Compact,
    CompactConference,
    CompactEvaluation,
    CompactSignatory,
    Principle,
)


def compact_create(
    *,
    municipality,
    title: str,
    text: str,
    principles: dict[str, str],
    by,
    term_years: int = 4,
    renewal_rule: str = Compact.RenewalRule.AUTOMATIC,
) -> Compact:
    """A draft compact for the municipality, with the six principles in their local wording."""
    draft = Compact(
        municipality=municipality, title=title, text=text, term_years=term_years, renewal_rule=renewal_rule
    )
    require(by, "compact.manage_compact", draft)
    with transaction.atomic():
        if Compact.objects.select_for_update().filter(municipality=municipality).exists():
            raise ValidationError(_("%(m)s already has a compact.") % {"m": municipality.name})
        draft.save()
        Principle.objects.bulk_create(
            Principle(compact=draft, key=key, wording=principles.get(key, "")) for key in Principle.Key.values
        )
    return draft


def compact_update(
    *,
    compact: Compact,
    title: str,
    text: str,
    principles: dict[str, str],
    term_years: int,
    renewal_rule: str,
    by,
) -> Compact:
    """Change a draft compact's text, the local wording of its principles, its term and renewal rule.

    Once adopted, the text is what the council decided: a change is a new decision, not an edit.
    """
    require(by, "compact.manage_compact", compact)
    with transaction.atomic():
        compact = Compact.objects.select_for_update().get(pk=compact.pk)
        if compact.state != Compact.State.DRAFT:
            raise ValidationError(
                _("The compact is adopted: its text changes only by a new decision, not by editing.")
            )
        compact.title = title
        compact.text = text
        compact.term_years = term_years
        compact.renewal_rule = renewal_rule
        compact.save(update_fields=["title", "text", "term_years", "renewal_rule"])
        for principle in compact.principles.all():
            wording = principles.get(principle.key, "")
            if wording != principle.wording:
                principle.wording = wording
                principle.save(update_fields=["wording"])
    return compact


def compact_adopt(
    *, compact: Compact, by, adopted_on: date, reference: str, term_years: int | None = None
) -> Compact:
    """Record the adopting decision; the compact is in force for its term (four years by default)."""
    require(by, "compact.decide_compact", compact)
    if not reference.strip():
        raise ValidationError(_("Give the adopting decision's reference."))
    with transaction.atomic():
        compact = Compact.objects.select_for_update().get(pk=compact.pk)
        compact.adopted_on = adopted_on
        compact.adoption_reference = reference.strip()
        compact.term_years = term_years or compact.term_years
        compact.term_start = adopted_on
        compact.term_end = add_years(adopted_on, compact.term_years)
        perform_transition(compact, "adopt", by=by, reason=reference)
    return compact


def compact_record_renewal_decision(
    *, compact: Compact, renew: bool, decided_on: date, reference: str, by
) -> Compact:
    """A decision about the coming renewal; without one the renewal rule applies."""
    require(by, "compact.decide_compact", compact)
    if not reference.strip():
        raise ValidationError(_("Give the decision's reference."))
    Compact.objects.filter(pk=compact.pk).update(
        renewal_decision="renew" if renew else "end",
        renewal_decision_reference=reference.strip(),
        renewal_decided_on=decided_on,
    )
    compact.refresh_from_db()
    return compact


def compacts_renew_due(*, today: date | None = None) -> list[Compact]:
    """At the end of its term a compact is renewed for the same term, unless a decision says otherwise.

    Run by the periodic task as the system user; running it twice changes nothing more.
    """
    today = today or timezone.localdate()
    system = system_user()
    changed = []
    for compact in Compact.objects.filter(state=Compact.State.IN_FORCE, term_end__lte=today):
        with transaction.atomic():
            compact = Compact.objects.select_for_update().get(pk=compact.pk)
            while compact.state == Compact.State.IN_FORCE and compact.term_end <= today:
                if compact.will_renew:
                    start = compact.term_end
                    perform_transition(
                        compact,
                        "renew",
                        by=system,
                        reason=_("Renewed for %(years)s years from %(start)s under the renewal rule")
                        % {"years": compact.term_years, "start": start.isoformat()},
                    )
                    compact.term_start = start
                    compact.term_end = add_years(start, compact.term_years)
                    compact.renewal_decision = ""
                    compact.renewal_decision_reference = ""
                    compact.renewal_decided_on = None
                    compact.save()
                else:
                    perform_transition(
                        compact,
                        "expire",
                        by=system,
                        reason=_("Ended at the end of its term: %(reference)s")
                        % {"reference": compact.renewal_decision_reference},
                    )
            changed.append(compact)
    return changed


def compact_join(*, compact: Compact, organisation, by, joined_on: date | None = None) -> CompactSignatory:
    require(by, "compact.sign_compact_for", organisation)
    if compact.state != Compact.State.IN_FORCE:
        raise TransitionRefused([_("Organisations join the compact once it is in force.")])
    if compact.signatories.filter(organisation=organisation, left_on=None).exists():
        raise ValidationError(_("%(org)s has already joined the compact.") % {"org": organisation.name})
    return CompactSignatory.objects.create(
        compact=compact, organisation=organisation, joined_on=joined_on or timezone.localdate(), joined_by=by
    )


def compact_leave(*, compact: Compact, organisation, by, left_on: date | None = None) -> CompactSignatory:
    require(by, "compact.sign_compact_for", organisation)
    with transaction.atomic():
        signatory = (
            compact.signatories.select_for_update().filter(organisation=organisation, left_on=None).first()
        )
        if signatory is None:
            raise ValidationError(_("%(org)s has not joined the compact.") % {"org": organisation.name})
        signatory.left_on = left_on or timezone.localdate()
        signatory.left_by = by
        signatory.save(update_fields=["left_on", "left_by"])
    return signatory


def commitment_add(*, compact: Compact, side: str, text: str, owner: str, due_on: date, by) -> Commitment:
    require(by, "compact.manage_compact", compact)
    return Commitment.objects.create(compact=compact, side=side, text=text, owner=owner, due_on=due_on)


def commitment_set_status(*, commitment: Commitment, status: str, by, reason: str = "") -> Commitment:
    """Move a line of the action plan to ``status``: a logged transition (unchanged: nothing)."""
    require(by, "compact.manage_compact", commitment.compact)
    if status not in Commitment.Status.values:
        raise ValidationError(_("Unknown status."))
    with transaction.atomic():
        commitment = (
            Commitment.objects.select_for_update(of=("self",)).select_related("compact").get(pk=commitment.pk)
        )
        if commitment.status != status:
            perform_transition(commitment, Commitment.TRANSITIONS[status], by=by, reason=reason)
    return commitment


def conference_record(
    *,
    compact: Compact,
    held_on: date,
    municipality_report: str,
    organisations_report: str,
    conclusions: str,
    by,
) -> CompactConference:
    require(by, "compact.manage_compact", compact)
    return CompactConference.objects.create(
        compact=compact,
        held_on=held_on,
        municipality_report=municipality_report,
        organisations_report=organisations_report,
        conclusions=conclusions,
        recorded_by=by,
    )


def compact_evaluation_record(
    *, compact: Compact, evaluated_on: date, findings: str, next_steps: str, by, upload=None
) -> CompactEvaluation:
    """Record the evaluation of the compact's current term (made again: the record is replaced)."""
    from organizations.services import document_check_upload

    require(by, "compact.manage_compact", compact)
    if compact.state != Compact.State.IN_FORCE or not compact.term_start:
        raise TransitionRefused([_("The compact is evaluated while it is in force.")])
    if not findings.strip() or not next_steps.strip():
        raise ValidationError(_("Write what the evaluation found and the next steps decided."))
    defaults = {
        "evaluated_on": evaluated_on,
        "findings": findings.strip(),
        "next_steps": next_steps.strip(),
        "recorded_by": by,
        "recorded_at": timezone.now(),
    }
    if upload is not None:
        defaults["content_type"] = document_check_upload(upload)
        defaults["original_name"] = upload.name[:200]
    with transaction.atomic():
        evaluation, _created = CompactEvaluation.objects.update_or_create(
            compact=compact, term_start=compact.term_start, defaults=defaults
        )
        if upload is not None:
            earlier = evaluation.file.name
            evaluation.file.save(upload.name, upload, save=True)
            if earlier:
                # the report uploaded again replaces the earlier one, which leaves the storage
                # once this is committed
                name_delete_on_commit(evaluation.file.storage, earlier)
    return evaluation


def compact_manager_emails(compact: Compact) -> list[str]:
    """Who manages the compact: the caseworkers and program administrators of its municipality."""
    from organizations.models import StaffRole, User

    return list(
        User.objects.filter(
            is_active=True,
            staff_roles__municipality_id=compact.municipality_id,
            staff_roles__role__in=[StaffRole.Role.CASEWORKER, StaffRole.Role.PROGRAM_ADMIN],
        )
        .values_list("email", flat=True)
        .distinct()
        .order_by("email")
    )


def compacts_remind_evaluation(*, today: date | None = None) -> int:
    """Some weeks before a compact's evaluation is due, remind its managers once per term.

    Run by the periodic task; each reminder's outbox key is the compact, the term and the person.
    """
    from workflows.models import OutboxMessage

    today = today or timezone.localdate()
    written = 0
    for compact in Compact.objects.filter(
        state=Compact.State.IN_FORCE, term_end__isnull=False
    ).select_related("municipality"):
        due_on = compact.evaluation_due_on
        if today < due_on - Compact.EVALUATION_NOTICE or compact.current_evaluation() is not None:
            continue
        for email in compact_manager_emails(compact):
            # the key keeps the prefix it had before the compact became an app of its own,
            # so a reminder already sent from a moved installation is not sent again
            key = f"iop:compact-evaluation:{compact.pk}:{compact.term_start}:{email}"
            if OutboxMessage.objects.filter(key=key).exists():
                continue
            outbox_enqueue(
                key=key,
                to=email,
                subject=_("The evaluation of %(title)s is due on %(date)s")
                % {"title": compact.title, "date": due_on.isoformat()},
                template="compact/email/evaluation_reminder.txt",
                context={
                    "compact": compact,
                    "due_on": due_on,
                    "link": settings.SITE_URL
                    + reverse("compact:compact_evaluation", kwargs={"slug": compact.municipality.slug}),
                },
            )
            written += 1
    return written


__all__ = ["PermissionDenied", "TransitionRefused", "ValidationError"]
