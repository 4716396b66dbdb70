"""Queries of awards.  A list costs a fixed number of queries."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from grants import eligibility as elig
from grants.models import Program, Round
from organizations.models import Organisation
from organizations.permissions import staff_committee_ids, staff_municipality_ids

from .models import AwardSettings, Candidate, CandidateAssessment, Nomination, NomineeKind

C = Candidate.State


def award_settings(program: Program) -> AwardSettings:
    """The program's award settings, or the defaults (one recipient, public nominations) when none are saved."""
    try:
        return program.award
    except AwardSettings.DoesNotExist:
        return AwardSettings(program=program, amount=0)


def candidate_eligibility(*, candidate: Candidate) -> list[elig.RuleResult]:
    """Whether the candidate may receive the award, rule by rule.

    Who may receive it comes from the award's settings (no private persons or
    informal networks where the rules exclude them; a registered organisation
    where the rules require one).  An organisation in the register is also
    checked with the program's eligibility rules as they were when the round
    opened.  After screening, the stored result is shown.
    """
    if candidate.state != C.RECEIVED and candidate.eligibility:
        return elig.from_stored(candidate.eligibility)
    cached = getattr(candidate, "_eligibility", None)
    if cached is not None:
        return cached
    program = candidate.round.program
    settings = award_settings(program)
    rules_ref = program.rules_reference or _("the award's rules")
    who = _("Who may receive the award")
    results: list[elig.RuleResult] = []
    organisation = candidate.organisation
    informal = candidate.kind == NomineeKind.INFORMAL or (
        organisation is not None and organisation.kind == Organisation.Kind.INFORMAL
    )
    if candidate.kind == NomineeKind.PERSON and not settings.allow_individuals:
        results.append(
            elig.RuleResult(
                "nominee_kind",
                who,
                False,
                _(
                    "Under %(rules)s the award goes to an association or organisation, not to a private person."
                )
                % {"rules": rules_ref},
            )
        )
    elif informal and not settings.allow_informal:
        results.append(
            elig.RuleResult(
                "nominee_kind",
                who,
                False,
                _(
                    "Under %(rules)s the award goes to an association or organisation, "
                    "not to an informal network."
                )
                % {"rules": rules_ref},
            )
        )
    elif candidate.kind != NomineeKind.PERSON:
        results.append(elig.RuleResult("nominee_kind", who, True))
    if organisation is None and candidate.kind == NomineeKind.ORGANISATION:
        registered = _("Registered organisation")
        if settings.require_registered:
            results.append(
                elig.RuleResult(
                    "registered",
                    registered,
                    False,
                    _(
                        "%(name)s is not in the register of organisations; under %(rules)s the recipient "
                        "must be a registered organisation."
                    )
                    % {"name": candidate.name, "rules": rules_ref},
                )
            )
        else:
            results.append(elig.RuleResult("registered", registered, True, _("Not in the register.")))
    if organisation is not None:
        rules = (candidate.snapshot or {}).get("rules", [])
        application = candidate.application
        if application is None:
            # A nominated organisation has made no declaration; the rule applies to those who apply.
            rules = [r for r in rules if r["kind"] != "democracy_declaration"]
        results += elig.evaluate(
            rules=rules,
            organisation=organisation,
            municipality_id=program.municipality_id,
            declaration=application.democracy_declaration if application is not None else None,
            year=candidate.round.year,
        )
    candidate._eligibility = results
    return results


def award_programs_visible(*, user) -> QuerySet[Program]:
    """Award programs of the user's municipalities (and committees)."""
    if user.is_superuser:
        return Program.objects.filter(kind=Program.Kind.AWARD)
    committees = staff_committee_ids(user)
    query = Q(municipality_id__in=staff_municipality_ids(user))
    if committees is not None:
        query &= Q(committee_id__in=committees)
    return Program.objects.filter(query, kind=Program.Kind.AWARD)


def award_rounds_for_staff(*, user) -> QuerySet[Round]:
    return (
        Round.objects.filter(program__in=award_programs_visible(user=user))
        .select_related("program__municipality", "program__committee", "program__award")
        .annotate(
            candidate_count=Count("award_candidates", distinct=True),
            received_count=Count(
                "award_candidates", filter=Q(award_candidates__state=C.RECEIVED), distinct=True
            ),
            nomination_count=Count("award_candidates__nominations", distinct=True),
        )
        .order_by("-opens_at", "pk")
    )


def candidates_for_round(*, round: Round, state: str = "") -> QuerySet[Candidate]:
    qs = (
        Candidate.objects.filter(round=round)
        .select_related("organisation", "application")
        .annotate(nomination_count=Count("nominations"))
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("name", "pk")


def candidate_counts(*, round: Round) -> dict[str, int]:
    """How many of the round's candidates are in each state (one query)."""
    return dict(Candidate.objects.filter(round=round).values_list("state").annotate(n=Count("pk")).order_by())


def candidate_detail_queryset() -> QuerySet[Candidate]:
    return Candidate.objects.select_related(
        "round__program__municipality",
        "round__program__committee",
        "round__program__award",
        "organisation",
        "application__created_by",
    ).prefetch_related(
        Prefetch("nominations", queryset=Nomination.objects.order_by("created_at", "pk")),
        Prefetch(
            "assessments", queryset=CandidateAssessment.objects.select_related("assessor").order_by("pk")
        ),
        "conflicts__user",
    )


def candidate_timeline(*, candidate: Candidate) -> list[dict]:
    from django_fsm_log.models import StateLog

    labels = dict(C.choices)
    entries = (
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Candidate), object_id=candidate.pk
        )
        .select_related("by")
        .order_by("timestamp", "pk")
    )
    return [
        {
            "entry": e,
            "source": labels.get(e.source_state, e.source_state or ""),
            "target": labels.get(e.state, e.state),
        }
        for e in entries
    ]


def recipients_public(*, municipality) -> QuerySet[Candidate]:
    """Announced recipients of a municipality's awards, newest first (no nominator's data)."""
    return (
        Candidate.objects.filter(state=C.ANNOUNCED, round__program__municipality=municipality)
        .select_related("round__program__committee")
        .only(
            "name",
            "motivation",
            "awarded_amount",
            "announced_at",
            "round__year",
            "round__name",
            "round__program__name",
            "round__program__committee__name",
        )
        .order_by("-round__year", "round__program__name", "name")
    )


def award_rounds_open(*, municipality) -> list[Round]:
    now = timezone.now()
    return list(
        Round.objects.filter(
            program__municipality=municipality,
            program__kind=Program.Kind.AWARD,
            program__is_active=True,
            opens_at__lte=now,
            closes_at__gt=now,
        )
        .select_related("program__award", "program__committee")
        .order_by("closes_at")
    )


def nominator_addresses(*, round: Round) -> list[str]:
    """Every distinct e-mail address that nominated (or applied) in the round."""
    emails = {
        e.strip().lower()
        for e in Nomination.objects.filter(candidate__round=round).values_list("nominator_email", flat=True)
    }
    emails |= {
        e.strip().lower()
        for e in Candidate.objects.filter(round=round, application__isnull=False).values_list(
            "application__created_by__email", flat=True
        )
    }
    return sorted(e for e in emails if e)


def award_documents_of_applicant(*, user, limit: int = 50) -> list[dict]:
    """The award decision letters (and diplomas) of the user's organisations, newest award first (two queries)."""
    from organizations.permissions import active_org_roles
    from workflows.models import StoredDocument

    candidates = list(
        Candidate.objects.filter(
            organisation_id__in=list(active_org_roles(user)),
            state__in=[*Candidate.AWARDED_STATES, C.NOT_AWARDED, C.INELIGIBLE],
        )
        .select_related("round__program", "organisation")
        .order_by("-decided_at", "-pk")[:limit]
    )
    if not candidates:
        return []
    latest: dict[tuple[int, str], StoredDocument] = {}
    for document in StoredDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Candidate),
        object_id__in=[c.pk for c in candidates],
        kind__in=("award_letter", "award_diploma"),
    ).order_by("object_id", "kind", "-version"):
        latest.setdefault((document.object_id, document.kind), document)
    return [
        {
            "candidate": c,
            "documents": [
                latest[(c.pk, kind)] for kind in ("award_letter", "award_diploma") if (c.pk, kind) in latest
            ],
        }
        for c in candidates
        if c.is_awarded or (c.pk, "award_letter") in latest
    ]
