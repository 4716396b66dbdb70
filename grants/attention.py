"""Start-page panels of grants: applications that wait for the applicant, tasks for the caseworker."""

from organizations.permissions import active_org_roles, staff_municipality_ids
from workflows.attention import panel

from .models import Application
from .permissions import CASEWORKER


@panel(order=20)
def my_applications(request):
    if not active_org_roles(request.user):
        return None
    applications = list(
        Application.objects.filter(organisation_id__in=list(active_org_roles(request.user)))
        .exclude(state__in=[Application.State.WITHDRAWN])
        .select_related("round__program", "organisation")
        .order_by("-created_at")[:10]
    )
    return {
        "template": "grants/panels/my_applications.html",
        "applications": applications,
        "to_complete": [a for a in applications if a.state == Application.State.COMPLETION_REQUESTED],
    }


@panel(order=15)
def inbox(request):
    if not staff_municipality_ids(request.user, (CASEWORKER,)):
        return None
    from .fl_selectors import applications_at_risk, decision_requests_open
    from .selectors import inbox_tasks

    tasks = inbox_tasks(user=request.user)
    return {
        "template": "grants/panels/inbox.html",
        "open": tasks.count(),
        "mine": tasks.filter(owner=request.user).count(),
        "unclaimed": tasks.filter(owner__isnull=True).count(),
        # förvaltningslagen 12 § and 11 §
        "decision_requests": decision_requests_open(user=request.user).count(),
        "at_risk": applications_at_risk(user=request.user).count(),
    }


@panel(order=21)
def my_letters(request):
    from .selectors import letters_of_applicant

    if not active_org_roles(request.user):
        return None
    letters = list(letters_of_applicant(user=request.user)[:5])
    if not letters:
        return None
    return {"template": "grants/panels/my_letters.html", "letters": letters}


@panel(order=17)
def letters_to_make(request):
    """For the secretary: meetings with posted minutes whose grant decisions still lack their letters."""
    from meetings.models import Meeting
    from meetings.permissions import SECRETARY

    from .services import letters_ready_count, meeting_grant_items

    if not staff_municipality_ids(request.user, (SECRETARY,)):
        return None
    from meetings.selectors import committees_visible

    meetings = []
    recent = Meeting.objects.filter(
        committee__in=committees_visible(user=request.user),
        state=Meeting.State.POSTED,
    ).select_related("committee")
    for meeting in recent.order_by("-starts_at")[:5]:
        total = meeting_grant_items(meeting).count()
        if total and letters_ready_count(meeting) < total:
            meetings.append(meeting)
    if not meetings:
        return None
    return {"template": "grants/panels/letters_to_make.html", "meetings": meetings}


@panel(order=14)
def programs_to_set_up(request):
    """The program administrator: their programs, and what each still lacks before it can take
    applications (an open or coming round, questions, criteria, this year's budget)."""
    from django.db.models import Count, Exists, OuterRef, Q
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from .models import ProgramBudget, Round
    from .permissions import PROGRAM_ADMIN
    from .selectors import programs_visible

    if not staff_municipality_ids(request.user, (PROGRAM_ADMIN,)):
        return None
    now = timezone.now()
    programs = (
        programs_visible(user=request.user)
        .filter(is_active=True)
        .select_related("committee")
        .annotate(
            open_rounds=Count(
                "rounds", filter=Q(rounds__opens_at__lte=now, rounds__closes_at__gt=now), distinct=True
            ),
            field_count=Count("form_fields", distinct=True),
            criterion_count=Count("criteria", distinct=True),
            has_coming_round=Exists(Round.objects.filter(program=OuterRef("pk"), opens_at__gt=now)),
            has_budget=Exists(
                ProgramBudget.objects.filter(program=OuterRef("pk"), year=timezone.localdate().year)
            ),
        )
        .order_by("name")
    )
    rows = []
    for program in programs:
        if not request.user.has_perm("grants.manage_program", program):
            continue
        missing = []
        if not program.open_rounds and not program.has_coming_round:
            missing.append(("rounds", _("no open or coming round")))
        if not program.field_count:
            missing.append(("fields", _("no questions in the application form")))
        if not program.criterion_count:
            missing.append(("criteria", _("no assessment criteria")))
        if not program.has_budget:
            missing.append(("budgets", _("no budget for this year")))
        rows.append({"program": program, "missing": missing})
    return {"template": "grants/panels/programs_to_set_up.html", "rows": rows}
