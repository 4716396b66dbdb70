"""Award settings, nominations and candidates, and the screening of candidates."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from grants.models import Application, Program, Round
from grants.services import round_snapshot
from organizations.models import Organisation
from organizations.validators import org_number_compact
from workflows.services import (
    TransitionRefused,
    case_number_register,
    outbox_enqueue,
    perform_transition,
    require,
    system_user,
)

from ..models import AwardSettings, Candidate, Nomination, NomineeKind
from ..selectors import award_settings, candidate_eligibility
from .jury import _update_score

C = Candidate.State
LANGUAGE = "sv"  # letters, diplomas and e-mails to nominators are written in Swedish


# ---- settings ----


def award_settings_save(
    *, program: Program, by, amount, recipients: int, nominators: str, **flags
) -> AwardSettings:
    """Make a program an award (or change its award settings)."""
    require(by, "grants.manage_program", program)
    if program.kind != Program.Kind.AWARD:
        raise ValidationError(_("Only a program of the kind “award” has award settings."))
    settings = award_settings(program)
    settings.amount = Decimal(str(amount))
    settings.recipients = recipients
    settings.nominators = nominators
    for name in ("require_registered", "allow_informal", "allow_individuals"):
        if name in flags:
            setattr(settings, name, bool(flags[name]))
    settings.full_clean()
    if settings.amount <= 0:
        raise ValidationError(_("The award amount must be above 0 kr."))
    settings.save()
    return settings


# ---- nominations ----


@dataclass
class NominationData:
    kind: str
    nominee_name: str
    motivation: str
    nominator_name: str
    nominator_email: str
    nominee_org_number: str = ""
    nominator_phone: str = ""


def _match_organisation(*, program: Program, kind: str, name: str, org_number: str) -> Organisation | None:
    """The register's organisation: by org number, else by exact name among those active in the municipality."""
    if kind == NomineeKind.PERSON:
        return None
    if org_number:
        return Organisation.objects.filter(org_number=org_number).first()
    matches = list(
        Organisation.objects.filter(
            name__iexact=name.strip(), activities__municipality_id=program.municipality_id
        ).distinct()[:2]
    )
    return matches[0] if len(matches) == 1 else None


def _candidate_for(*, round: Round, kind: str, organisation, name: str, org_number: str, by) -> Candidate:
    """The round's candidate for this nominee, created and registered if it is the first nomination.

    The caller holds the round's row lock, so two nominations of the same
    nominee at once make one candidate.
    """
    qs = Candidate.objects.filter(round=round)
    if organisation is not None:
        existing = qs.filter(organisation=organisation).first()
    elif org_number:
        existing = qs.filter(organisation=None, org_number=org_number).first()
    else:
        existing = qs.filter(organisation=None, org_number="", kind=kind, name__iexact=name.strip()).first()
    if existing is not None:
        return existing
    candidate = Candidate.objects.create(
        round=round,
        kind=kind,
        organisation=organisation,
        name=(organisation.name if organisation is not None else name.strip())[:200],
        org_number=organisation.org_number if organisation is not None else org_number,
        snapshot=round_snapshot(round=round),
    )
    program = round.program
    case_number_register(
        committee=program.committee,
        title=f"{program.name}: {candidate.name}",
        case=candidate,
        by=by if getattr(by, "is_authenticated", False) else system_user(),
    )
    return candidate


def nomination_submit(*, round: Round, data: NominationData, by) -> Nomination:
    """Nominate someone for the award while the round is open.

    The nominee is matched against the register; nominations of the same
    nominee are grouped into one candidate, which is registered with a case
    number when the first nomination arrives.  A nominee already found not
    eligible keeps the nomination, and the nominator is told why.
    """
    if not by.has_perm("grants.nominate", round):
        raise PermissionDenied(_("You may not nominate for this award."))
    program = round.program
    errors = []
    if not round.is_open():
        errors.append(_("Nominations for this award are not open now."))
    if data.kind not in NomineeKind.values:
        errors.append(_("Choose who you nominate."))
    name = (data.nominee_name or "").strip()
    org_number = ""
    if data.kind != NomineeKind.PERSON and (data.nominee_org_number or "").strip():
        try:
            org_number = org_number_compact(data.nominee_org_number.strip())
        except ValidationError as exc:
            errors.extend(exc.messages)
    if not name and not org_number:
        errors.append(_("Write the name of the one you nominate."))
    if not (data.motivation or "").strip():
        errors.append(_("Write why they deserve the award."))
    if not (data.nominator_name or "").strip() or not (data.nominator_email or "").strip():
        errors.append(_("Write your name and e-mail address, so that we can tell you how it went."))
    if errors:
        raise ValidationError(errors)
    organisation = _match_organisation(program=program, kind=data.kind, name=name, org_number=org_number)
    if not name and organisation is None:
        name = org_number
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round.pk)
        candidate = _candidate_for(
            round=round, kind=data.kind, organisation=organisation, name=name, org_number=org_number, by=by
        )
        nomination = Nomination.objects.create(
            candidate=candidate,
            kind=data.kind,
            nominee_name=(name or candidate.name)[:200],
            nominee_org_number=org_number,
            motivation=data.motivation.strip(),
            nominator_name=data.nominator_name.strip()[:200],
            nominator_email=data.nominator_email.strip(),
            nominator_phone=(data.nominator_phone or "").strip()[:40],
            nominated_by=by if by.is_authenticated else None,
        )
        if candidate.state == C.INELIGIBLE:
            _notify_ineligible(candidate, [nomination])
    return nomination


def candidate_from_application(*, application: Application, by) -> Candidate | None:
    """A submitted application in an award round makes (or joins) the organisation's candidate.  Idempotent."""
    existing = Candidate.objects.filter(application=application).first()
    if existing is not None:
        return existing
    round = application.round
    if round.program.kind != Program.Kind.AWARD or not application.case_number:
        return None
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round.pk)
        candidate = _candidate_for(
            round=round,
            kind=NomineeKind.ORGANISATION,
            organisation=application.organisation,
            name=application.organisation.name,
            org_number=application.organisation.org_number,
            by=by,
        )
        if candidate.application_id is None:
            candidate.application = application
            candidate.save(update_fields=["application"])
    return candidate


def candidates_sync_applications(*, round: Round, by) -> int:
    """Make candidates of submitted applications that have none yet (a safety net; idempotent)."""
    if round.program.kind != Program.Kind.AWARD:
        return 0
    count = 0
    pending = (
        Application.objects.filter(round=round, award_candidate__isnull=True)
        .exclude(case_number="")
        .exclude(state__in=[Application.State.DRAFT, Application.State.WITHDRAWN])
        .select_related("organisation", "round__program")
    )
    for application in pending:
        if (
            Candidate.objects.filter(round=round, organisation=application.organisation)
            .exclude(application=None)
            .exists()
        ):
            continue
        count += candidate_from_application(application=application, by=by) is not None
    return count


# ---- screening ----


def candidate_screen(*, candidate: Candidate, by, reason: str = "") -> Candidate:
    """Check the candidate against the award's rules: eligible, or not eligible with the failing rules.

    Nominators (and a self-applicant) of a candidate that is not eligible are told why, once each.
    """
    with transaction.atomic():
        candidate = (
            Candidate.objects.select_for_update(of=("self",))
            .select_related("round__program__award", "organisation", "application")
            .get(pk=candidate.pk)
        )
        require(by, "grants.handle_award_candidate", candidate)
        if candidate.state != C.RECEIVED:
            raise TransitionRefused([_("The candidate has been screened already.")])
        results = candidate_eligibility(candidate=candidate)
        failing = [r for r in results if not r.ok]
        candidate.eligibility = [r.as_dict() for r in results]
        candidate.ineligible_reason = " ".join(r.reason for r in failing)
        name = "mark_ineligible" if failing else "mark_eligible"
        perform_transition(candidate, name, by=by, reason=reason or candidate.ineligible_reason)
        if failing:
            _notify_ineligible(candidate, list(candidate.nominations.all()), include_applicant=True)
        else:
            _update_score(candidate)
    return candidate


def candidates_screen_round(*, round: Round, by) -> dict[str, int]:
    """Screen every candidate of the round that is still received."""
    counts = {"eligible": 0, "ineligible": 0}
    for candidate in Candidate.objects.filter(round=round, state=C.RECEIVED).order_by("pk"):
        candidate = candidate_screen(candidate=candidate, by=by)
        counts[candidate.state] += 1
    return counts


def _notify_ineligible(candidate: Candidate, nominations: list[Nomination], include_applicant=False) -> None:
    program = candidate.round.program
    recipients = [(f"award-ineligible:{n.pk}", n.nominator_email, n.nominator_name) for n in nominations]
    if include_applicant and candidate.application is not None:
        user = candidate.application.created_by
        recipients.append((f"award-ineligible-applicant:{candidate.pk}", user.email, user.full_name))
    with translation.override(LANGUAGE):
        for key, email, name in recipients:
            outbox_enqueue(
                key=key,
                to=email,
                subject=_("Your nomination for %(award)s") % {"award": program.name},
                template="awards/email/ineligible.txt",
                context={"candidate": candidate, "program": program, "name": name},
            )
