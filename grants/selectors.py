"""Queries of programs, rounds and applications.  A list costs a fixed number of queries."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task

from organizations.models import Organisation
from organizations.permissions import active_org_roles, staff_committee_ids, staff_municipality_ids
from workflows.templatetags.bidra import kr

from . import eligibility as elig
from .models import Application, FormField, Program, ProgramBudget, Round, budget_free
from .permissions import CASEWORKER, applicant_municipality_ids

S = Application.State
#: what list pages never show: the per-application copies of the form and its results
LIST_DEFERRED = ("snapshot", "answers", "eligibility", "round__snapshot")


def programs_visible(*, user) -> QuerySet[Program]:
    if user.is_superuser:
        return Program.objects.all()
    staff = staff_municipality_ids(user)
    committees = staff_committee_ids(user)
    staff_q = Q(municipality_id__in=staff)
    if committees is not None:
        staff_q &= Q(committee_id__in=committees)
    return Program.objects.filter(staff_q | Q(municipality_id__in=applicant_municipality_ids(user)))


def programs_list(*, user) -> QuerySet[Program]:
    return (
        programs_visible(user=user)
        .select_related("municipality", "committee")
        .annotate(round_count=Count("rounds"))
        .order_by("municipality__name", "name")
    )


def rounds_open_for_applicant(*, user) -> list[dict]:
    """Open rounds in the municipalities where the user's organisations are active, with a pre-check."""
    from .services import eligibility_precheck, lateness

    org_ids = list(active_org_roles(user))
    organisations = list(
        Organisation.objects.filter(pk__in=org_ids)
        .prefetch_related("activities", "documents")
        .order_by("name")
    )
    now = timezone.now()
    rounds = (
        Round.objects.filter(
            program__municipality__in=applicant_municipality_ids(user),
            program__is_active=True,
            opens_at__lte=now,
        )
        .select_related("program__municipality", "program__committee")
        .prefetch_related("program__eligibility_rules")
        .order_by("closes_at")
    )
    drafts = {
        (a.round_id, a.organisation_id): a
        for a in Application.objects.filter(organisation_id__in=org_ids)
        .exclude(state__in=[S.WITHDRAWN])
        .order_by("created_at")
    }
    result = []
    for round in rounds:
        if not lateness(round, now).accepted:
            continue
        rows = []
        for organisation in organisations:
            active_here = any(
                a.municipality_id == round.program.municipality_id for a in organisation.activities.all()
            )
            if not active_here:
                continue
            checks = eligibility_precheck(round=round, organisation=organisation)
            rows.append(
                {
                    "organisation": organisation,
                    "checks": checks,
                    "eligible": all(c.ok for c in checks),
                    "application": drafts.get((round.pk, organisation.pk)),
                }
            )
        if rows:
            result.append({"round": round, "late": now >= round.closes_at, "rows": rows})
    return result


def applications_visible(*, user) -> QuerySet[Application]:
    if user.is_superuser:
        return Application.objects.all()
    staff = staff_municipality_ids(user)
    committees = staff_committee_ids(user)
    staff_q = Q(round__program__municipality_id__in=staff) & ~Q(case_number="")
    if committees is not None:
        staff_q &= Q(round__program__committee_id__in=committees)
    return Application.objects.filter(Q(organisation_id__in=list(active_org_roles(user))) | staff_q)


def applications_of_applicant(*, user) -> QuerySet[Application]:
    return (
        Application.objects.filter(organisation_id__in=list(active_org_roles(user)))
        .select_related("round__program", "organisation")
        .defer(*LIST_DEFERRED)
        .order_by("-created_at")
    )


SORTS = {
    "case_number": ("registered_at", "pk"),
    "-case_number": ("-registered_at", "-pk"),
    "organisation": ("organisation__name", "pk"),
    "-organisation": ("-organisation__name", "-pk"),
    "amount": ("requested_amount", "pk"),
    "-amount": ("-requested_amount", "-pk"),
    "score": ("score", "pk"),
    "-score": ("-score", "-pk"),
    "state": ("state", "pk"),
    "submitted": ("submitted_at", "pk"),
    "-submitted": ("-submitted_at", "-pk"),
}


def applications_for_round(
    *, round: Round, user, query: str = "", state: str = "", sort: str = ""
) -> QuerySet[Application]:
    qs = (
        applications_visible(user=user)
        .filter(round=round)
        .exclude(case_number="")
        .select_related("organisation", "round__program")
        .defer(*LIST_DEFERRED)
    )
    if query:
        qs = qs.filter(Q(organisation__name__icontains=query) | Q(case_number__icontains=query))
    if state:
        qs = qs.filter(state=state)
    return qs.order_by(*SORTS.get(sort, ("-submitted_at", "-pk")))


def round_overview(*, round: Round) -> dict:
    """Requested, proposed and free budget of a round."""
    registered = round.applications.exclude(case_number="")
    totals = registered.exclude(state__in=[S.WITHDRAWN, S.DISMISSED]).aggregate(
        requested=Sum("requested_amount"),
        proposed=Sum("proposed_amount", filter=Q(state=S.PROPOSED)),
        count=Count("pk"),
    )
    by_state = dict(registered.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    budget = ProgramBudget.objects.filter(program_id=round.program_id, year=round.year).first()
    money = budget_free(budget) if budget else None
    proposed = totals["proposed"] or Decimal("0")
    return {
        "count": totals["count"],
        "requested": totals["requested"] or Decimal("0"),
        "proposed": proposed,
        "budget": money,
        "free_after_proposals": (money["free"] - proposed) if money else None,
        "by_state": [(label, by_state.get(value, 0)) for value, label in S.choices],
    }


def application_eligibility(*, application: Application) -> list[elig.RuleResult]:
    overrides = {o.rule: o.reason for o in application.overrides.all()}
    if application.state == S.DRAFT or not application.eligibility:
        from .services import eligibility_precheck

        return (
            elig.evaluate(
                rules=application.snapshot.get("rules", []),
                organisation=application.organisation,
                municipality_id=application.round.program.municipality_id,
                declaration=application.democracy_declaration,
                year=application.round.year,
                overrides=overrides,
            )
            if application.snapshot
            else eligibility_precheck(round=application.round, organisation=application.organisation)
        )
    return elig.from_stored(application.eligibility, overrides)


def application_answers_display(*, application: Application) -> list[dict]:
    """The questions of the snapshot with the answers, for pages and the PDF."""
    yes_no = {"yes": "Ja", "no": "Nej"}
    rows = []
    files = None
    for field in application.snapshot.get("fields", []):
        value = application.answers.get(field["key"])
        if field["kind"] == FormField.Kind.FILE:
            if files is None:
                files = {f.key: f for f in application.files.all()}
            value = files[field["key"]].original_name if field["key"] in files else ""
        elif field["kind"] == FormField.Kind.MULTIPLE_CHOICE and value:
            value = ", ".join(value)
        elif field["kind"] == FormField.Kind.YES_NO and value:
            value = yes_no.get(value, value)
        rows.append({"field": field, "value": value})
    return rows


def application_timeline(*, application: Application, staff: bool = False) -> list[dict]:
    """What happened to the case, oldest first: every state change and message, the decision
    letters, the day the decision became final (laga kraft) and the payments made.  The staff's
    internal notes are in it only for ``staff``."""
    from django_fsm_log.models import StateLog

    from correspondence.services import LOGGED_MESSAGE, LOGGED_NOTE
    from payments.models import Payment

    labels = dict(S.choices)
    entries = (
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Application), object_id=application.pk
        )
        .select_related("by")
        .order_by("timestamp", "pk")
    )
    if not staff:
        entries = entries.exclude(transition=LOGGED_NOTE)
    # rows of the history that change no state: what happened, in words
    happenings = {
        "delay_notice": _("The applicant was told that the case is delayed"),
        "decision_request": _("The applicant asked that the case be decided"),
        "decision_request_refused": _("The request for a decision was refused"),
    }
    events = [
        {
            "at": e.timestamp,
            "by": e.by,
            "text": happenings[e.transition]
            if e.transition in happenings
            else e.description
            if e.transition in (LOGGED_MESSAGE, LOGGED_NOTE)
            else _("%(source)s → %(target)s")
            % {
                "source": labels.get(e.source_state, e.source_state or "–"),
                "target": labels.get(e.state, e.state),
            },
            "note": "" if e.transition in (LOGGED_MESSAGE, LOGGED_NOTE) else e.description or "",
        }
        for e in entries
    ]
    for letter in application.decision_letters.select_related("document").order_by("created_at", "pk"):
        events.append(
            {
                "at": letter.created_at,
                "by": None,
                "text": _("Decision letter sent (version %(version)s)")
                % {"version": letter.document.version},
                "note": letter.subject,
            }
        )
    if application.state == S.DISMISSED:
        from .services import dismissal_letter

        letter = dismissal_letter(application)
        if letter is not None:
            events.append(
                {
                    "at": letter.created_at,
                    "by": None,
                    "text": _("Decision letter on the dismissal sent (version %(version)s)")
                    % {"version": letter.version},
                    "note": letter.title,
                }
            )
    decision = application.decision if application.decision_id else None
    if decision is not None and decision.final_at and not decision.annulled:
        events.append(
            {"at": decision.final_at, "by": None, "text": _("The decision is final (laga kraft)"), "note": ""}
        )
    for payment in application.payments.filter(state=Payment.State.PAID).order_by("paid_on", "pk"):
        events.append(
            {
                "at": timezone.make_aware(datetime.combine(payment.paid_on, time(12))),
                "by": None,
                "text": _("Payment %(part)s of %(parts)s paid: %(amount)s")
                % {"part": payment.instalment, "parts": payment.instalments, "amount": kr(payment.amount)},
                "note": "",
            }
        )
    return sorted(events, key=lambda e: e["at"])


def inbox_tasks(
    *, user, program_id: int | None = None, round_id: int | None = None, state: str = "", mine: bool = False
) -> QuerySet[Task]:
    """Open human tasks of applications the user may handle (a viewflow Task queryset)."""
    from .flows import WAITING_STATES

    # Start from the municipality's applications that can have an open task (an index on
    # round and state), not from every open task in the country.
    handled = (
        applications_visible(user=user)
        .filter(
            round__program__municipality_id__in=staff_municipality_ids(user, (CASEWORKER,)),
            state__in=WAITING_STATES,
        )
        # an application for an award is handled as its candidate, on the award's pages
        .exclude(round__program__kind=Program.Kind.AWARD)
    )
    if program_id:
        handled = handled.filter(round__program_id=program_id)
    if round_id:
        handled = handled.filter(round_id=round_id)
    if state:
        handled = handled.filter(state=state)
    qs = Task.objects.filter(
        flow_task_type="HUMAN",
        status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED],
        process__artifact_content_type=ContentType.objects.get_for_model(Application),
        process__artifact_object_id__in=handled.values("pk"),
    ).select_related("owner", "process")
    if mine:
        qs = qs.filter(owner=user)
    # Only the columns the inbox shows: a task row with its owner and process in full is some
    # forty columns, a dozen of them timestamps parsed one by one.
    return qs.only(*INBOX_TASK_FIELDS).order_by("created", "pk")


INBOX_TASK_FIELDS = (
    "flow_task",
    "flow_task_type",
    "status",
    "created",
    "owner_id",
    "process_id",
    "owner__full_name",
    "process__artifact_object_id",
)
#: what a list row of an application shows (the inbox, with its round and organisation)
INBOX_APPLICATION_FIELDS = (
    "case_number",
    "state",
    "completion_deadline",
    "round_id",
    "organisation_id",
    "round__decision_date",
    "round__program_id",
    "round__program__name",
    "organisation__name",
)


def inbox_rounds(*, programs) -> QuerySet[Round]:
    """The rounds the inbox can be filtered by: those with applications that can wait for a caseworker."""
    from .flows import WAITING_STATES

    waiting = Application.objects.filter(round=OuterRef("pk"), state__in=WAITING_STATES)
    return (
        Round.objects.filter(program__in=programs)
        .filter(Exists(waiting))
        .select_related("program")
        .only("name", "program_id", "opens_at", "program__name")
    )


def attach_applications(tasks) -> list[dict]:
    """Each task with its application (one query for the whole page)."""
    tasks = list(tasks)
    ids = {t.process.artifact_object_id for t in tasks}
    applications = {
        a.pk: a
        for a in Application.objects.filter(pk__in=ids)
        .select_related("organisation", "round__program")
        .only(*INBOX_APPLICATION_FIELDS)
    }
    return [{"task": t, "application": applications.get(t.process.artifact_object_id)} for t in tasks]


def caseworkers_for(*, application: Application):
    from organizations.models import StaffRole, User

    program = application.round.program
    return (
        User.objects.filter(
            staff_roles__role=StaffRole.Role.CASEWORKER,
            staff_roles__municipality_id=program.municipality_id,
            staff_roles__state=StaffRole.State.ACTIVE,
        )
        .filter(Q(staff_roles__committee__isnull=True) | Q(staff_roles__committee_id=program.committee_id))
        .distinct()
        .order_by("full_name")
    )


def program_detail_queryset():
    return Program.objects.select_related("municipality", "committee").prefetch_related(
        "form_fields",
        "attachments",
        "eligibility_rules",
        "criteria",
        Prefetch("budgets", queryset=ProgramBudget.objects.prefetch_related("commitments")),
        "rounds",
    )


# ---- decisions, letters and payments ----


def letters_of_applicant(*, user) -> QuerySet:
    """Decision letters of the user's organisations, newest first."""
    from .models import DecisionLetter

    return (
        DecisionLetter.objects.filter(application__organisation_id__in=list(active_org_roles(user)))
        .select_related("application__organisation", "application__round__program", "document", "decision")
        .order_by("-created_at", "-pk")
    )


def application_decision(*, application: Application) -> dict | None:
    """The standing decision of the case with where it stands (final, appeal period, payments)."""
    from meetings.models import Decision

    from .services import decision_state

    if application.decision_id is None:
        return None
    decision = (
        Decision.objects.select_related("item__meeting", "decided_by", "delegation")
        .prefetch_related("appeals")
        .get(pk=application.decision_id)
    )
    return decision_state(decision)


def application_letters(*, application: Application) -> list:
    return list(application.decision_letters.select_related("document").order_by("-created_at", "-pk"))


def application_payments(*, application: Application) -> list:
    return list(application.payments.order_by("instalment", "pk"))


def meeting_letter_rows(*, meeting) -> list[dict]:
    """Each decided grant application of the meeting with its latest letter (for the job page)."""
    from meetings.models import Decision

    from .models import DecisionLetter
    from .services import meeting_grant_items

    items = list(meeting_grant_items(meeting).select_related("organisation"))
    ids = [i.object_id for i in items]
    decisions = {d.item_id: d for d in Decision.objects.filter(item__in=items)}
    letters: dict[int, DecisionLetter] = {}
    for letter in (
        DecisionLetter.objects.filter(application_id__in=ids, decision__item__meeting=meeting)
        .select_related("document")
        .order_by("created_at", "pk")
    ):
        letters[letter.application_id] = letter
    return [{"item": i, "decision": decisions.get(i.pk), "letter": letters.get(i.object_id)} for i in items]
