"""Queries of the one-way-in pages: the catalogue and its guide, the directory and the board.

Every list is built with a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.models import EligibilityRule, Program, Round
from organizations.models import Municipality, Organisation, OrganisationActivity
from organizations.permissions import active_org_roles

from .models import SIZE_MAX_MEMBERS, BarrierReport, BoardPost, GuidingContact, Purpose, Size

#: organisation kinds that may propose a partnership (IOP): idéburna organisations with a legal form
PARTNERSHIP_KINDS = [
    Organisation.Kind.NONPROFIT,
    Organisation.Kind.RELIGIOUS,
    Organisation.Kind.FOUNDATION,
    Organisation.Kind.ECONOMIC,
]
SIZE_MIN_MEMBERS = {Size.SMALL: 0, Size.MEDIUM: 30, Size.LARGE: 151}


def municipalities_public() -> QuerySet[Municipality]:
    return Municipality.objects.order_by("name")


def guiding_contacts(*, municipality: Municipality) -> list[GuidingContact]:
    return list(GuidingContact.objects.filter(municipality=municipality).order_by("order", "pk"))


# -- the catalogue and the guide -------------------------------------------------------------------


@dataclass
class Answers:
    """The guide's questions; empty means "not answered" and narrows nothing."""

    kind: str = ""
    purpose: str = ""
    size: str = ""
    amount: Decimal | None = None

    @property
    def given(self) -> bool:
        return bool(self.kind or self.purpose or self.size or self.amount is not None)


@dataclass
class Entry:
    """One way to get support: a grant program, an award or the partnership route."""

    kind: str  # "grant", "award" or "partnership"
    kind_label: str
    name: str
    description: str = ""
    easy_read: str = ""
    who_may_apply: str = ""
    purposes: list[str] = field(default_factory=list)
    purpose_labels: list[str] = field(default_factory=list)
    target_groups: str = ""
    org_kinds: list[str] = field(default_factory=list)
    org_kind_labels: list[str] = field(default_factory=list)
    min_members: int | None = None
    max_members: int | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    award_amount: Decimal | None = None
    rules_reference: str = ""
    rules_url: str = ""
    current_round: Round | None = None
    next_round: Round | None = None
    days_left: int | None = None
    program: Program | None = None
    anchor: str = ""

    def fits(self, answers: Answers) -> bool:
        if answers.kind and self.org_kinds and answers.kind not in self.org_kinds:
            return False
        if answers.purpose and self.purposes and answers.purpose not in self.purposes:
            return False
        if answers.size:
            largest = SIZE_MAX_MEMBERS.get(answers.size)
            smallest = SIZE_MIN_MEMBERS.get(answers.size, 0)
            if self.min_members and largest is not None and self.min_members > largest:
                return False
            if self.max_members is not None and smallest > self.max_members:
                return False
        if answers.amount is not None and self.kind == "grant":
            if self.max_amount is not None and answers.amount > self.max_amount:
                return False
            if self.min_amount is not None and answers.amount < self.min_amount:
                return False
        return True


def _rounds(program: Program, now) -> tuple[Round | None, Round | None]:
    rounds = sorted(program.rounds.all(), key=lambda r: r.opens_at)
    current = next((r for r in rounds if r.opens_at <= now < r.closes_at), None)
    upcoming = next((r for r in rounds if r.opens_at > now), None)
    return current, upcoming


def _program_entry(program: Program, now, today: date) -> Entry:
    kind_labels = dict(Organisation.Kind.choices)
    rules = {r.kind: r.params or {} for r in program.eligibility_rules.all() if r.enabled}
    kinds = list(rules.get(EligibilityRule.Kind.ORG_KINDS, {}).get("kinds") or [])
    award = getattr(program, "award", None) if program.kind == Program.Kind.AWARD else None
    if award is not None:
        if not kinds:
            kinds = [
                k for k in Organisation.Kind.values if k != Organisation.Kind.INFORMAL or award.allow_informal
            ]
        elif award.allow_informal and Organisation.Kind.INFORMAL not in kinds:
            kinds.append(Organisation.Kind.INFORMAL)
    guide = getattr(program, "guide", None)
    try:
        min_members = int(rules.get(EligibilityRule.Kind.MIN_RESIDENT_MEMBERS, {}).get("min") or 0) or None
    except (TypeError, ValueError):
        min_members = None
    current, upcoming = _rounds(program, now)
    return Entry(
        kind="award" if award is not None else "grant",
        kind_label=str(program.get_kind_display()),
        name=program.name,
        description=program.description,
        easy_read=program.easy_read,
        who_may_apply=program.who_may_apply,
        purposes=list(guide.purposes) if guide else [],
        purpose_labels=guide.get_purposes_display() if guide else [],
        target_groups=guide.target_groups if guide else "",
        org_kinds=kinds,
        org_kind_labels=[str(kind_labels.get(k, k)) for k in kinds],
        min_members=min_members,
        max_members=guide.max_members if guide else None,
        # the program's own range, which submission holds to; the guide's where the program has none
        min_amount=program.min_amount
        if program.min_amount is not None
        else guide.min_amount
        if guide
        else None,
        max_amount=program.max_amount
        if program.max_amount is not None
        else guide.max_amount
        if guide
        else None,
        award_amount=award.amount if award is not None else None,
        rules_reference=program.rules_reference,
        rules_url=program.rules_url,
        current_round=current,
        next_round=upcoming,
        days_left=(timezone.localtime(current.closes_at).date() - today).days if current else None,
        program=program,
        anchor=f"program-{program.pk}",
    )


def partnership_entry(*, municipality: Municipality) -> Entry:
    kind_labels = dict(Organisation.Kind.choices)
    return Entry(
        kind="partnership",
        kind_label=_("partnership (IOP)"),
        name=_("Idea-based public partnership (IOP)"),
        description=_(
            "For a long-term need that the municipality and an idea-based organisation take on together, "
            "as equal partners. The organisation describes the need and what it brings; the municipality "
            "looks at whether a partnership is the right form, and the two write an agreement together."
        ),
        who_may_apply=_(
            "Idea-based organisations with a legal form that are active in %(municipality)s. "
            "Initiatives are welcome at any time."
        )
        % {"municipality": municipality.name},
        org_kinds=list(PARTNERSHIP_KINDS),
        org_kind_labels=[str(kind_labels[k]) for k in PARTNERSHIP_KINDS],
        rules_reference=_("The local compact between the municipality and civil society"),
        anchor="partnership",
    )


def catalogue(*, municipality: Municipality, answers: Answers | None = None) -> list[Entry]:
    """Every way to support of the municipality, narrowed by the guide's answers (three queries)."""
    now = timezone.now()
    today = timezone.localdate()
    programs = _public_programs(municipality=municipality, now=now)
    order = {Program.Kind.OPERATING: 0, Program.Kind.PROJECT: 1, Program.Kind.OTHER: 2, Program.Kind.AWARD: 3}
    programs = sorted(programs, key=lambda p: (order.get(p.kind, 9), p.name))
    entries = [_program_entry(p, now, today) for p in programs]
    entries.append(partnership_entry(municipality=municipality))
    if answers is not None and answers.given:
        entries = [e for e in entries if e.fits(answers)]
    return entries


def catalogue_entry(*, municipality: Municipality, pk: int) -> Entry | None:
    """One active program of the municipality as the public sees it, or None."""
    now = timezone.now()
    program = _public_programs(municipality=municipality, now=now).filter(pk=pk).first()
    return _program_entry(program, now, timezone.localdate()) if program is not None else None


def _public_programs(*, municipality: Municipality, now) -> QuerySet[Program]:
    return (
        Program.objects.filter(municipality=municipality, is_active=True)
        .select_related("guide", "award")
        .prefetch_related(
            Prefetch(
                "rounds",
                queryset=Round.objects.filter(closes_at__gt=now).only(
                    "pk", "program_id", "name", "opens_at", "closes_at", "decision_date"
                ),
            ),
            Prefetch("eligibility_rules", queryset=EligibilityRule.objects.filter(enabled=True)),
        )
    )


# -- the directory ---------------------------------------------------------------------------------

#: the only fields of an organisation the directory reads: nothing private is even loaded
DIRECTORY_FIELDS = (
    "pk",
    "name",
    "kind",
    "listing__description",
    "listing__public_email",
    "listing__public_phone",
    "listing__website",
    "listing__purposes",
    "listing__listed",
)


def directory(*, municipality: Municipality, query: str = "") -> QuerySet[Organisation]:
    """Organisations active in the municipality that chose to be listed."""
    qs = (
        Organisation.objects.filter(listing__listed=True, activities__municipality=municipality)
        .select_related("listing")
        .only(*DIRECTORY_FIELDS)
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=OrganisationActivity.objects.select_related("municipality").only(
                    "pk", "organisation_id", "municipality__name", "municipality__slug"
                ),
            )
        )
        .order_by("name", "pk")
    )
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(listing__description__icontains=query))
    return qs


def directory_entry(*, municipality: Municipality, pk: int) -> Organisation | None:
    return directory(municipality=municipality).filter(pk=pk).first()


def organisations_for_board(*, user, municipality: Municipality) -> QuerySet[Organisation]:
    """The user's organisations that are active in the municipality (they may post for these)."""
    return Organisation.objects.filter(
        pk__in=list(active_org_roles(user)), activities__municipality=municipality
    ).order_by("name")


def listable_organisations(*, user) -> QuerySet[Organisation]:
    """Organisations whose listing the user decides (as authorised signatory)."""
    ids = [pk for pk, kind in active_org_roles(user).items() if kind == "signatory"]
    return Organisation.objects.filter(pk__in=ids).select_related("listing").order_by("name")


# -- the board -------------------------------------------------------------------------------------


def board_public(*, municipality: Municipality, kind: str = "", query: str = "") -> QuerySet[BoardPost]:
    """Published posts that have not expired (the filter keeps them off even before the nightly task)."""
    qs = BoardPost.objects.filter(
        municipality=municipality, state=BoardPost.State.PUBLISHED, expires_on__gte=timezone.localdate()
    ).select_related("organisation", "program")
    if kind in BoardPost.Kind.values:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(
            Q(title__icontains=query)
            | Q(body__icontains=query)
            | Q(area__icontains=query)
            | Q(target_group__icontains=query)
        )
    return qs.order_by("-published_at", "-pk")


def board_of_user(*, user, municipality: Municipality) -> QuerySet[BoardPost]:
    """The posts a signed-in user wrote or that belong to their organisations, in any state."""
    if not user.is_authenticated:
        return BoardPost.objects.none()
    return (
        BoardPost.objects.filter(municipality=municipality)
        .filter(Q(author=user) | Q(organisation_id__in=list(active_org_roles(user))))
        .select_related("organisation")
        .order_by("-created_at", "-pk")
    )


def board_moderation(*, municipality: Municipality, state: str = "") -> QuerySet[BoardPost]:
    qs = BoardPost.objects.filter(municipality=municipality).select_related("organisation", "partnership")
    states = [state] if state in BoardPost.State.values else [BoardPost.State.PENDING, BoardPost.State.HIDDEN]
    return qs.filter(state__in=states).order_by("created_at", "pk")


def post_detail_queryset() -> QuerySet[BoardPost]:
    return BoardPost.objects.select_related("municipality", "organisation", "program", "partnership")


def post_responses(*, post: BoardPost):
    return post.responses.select_related("author", "organisation").order_by("created_at", "pk")


def programs_for_pointing(*, municipality: Municipality) -> QuerySet[Program]:
    return Program.objects.filter(municipality=municipality, is_active=True).order_by("name")


PURPOSE_CHOICES = Purpose.choices


# -- open calls as data ----------------------------------------------------------------------------


@dataclass
class OpenCall:
    """A round of a program that is open now or opens later: one item of the JSON and the feed."""

    municipality: Municipality
    program: Program
    round: Round
    entry: Entry

    @property
    def status(self) -> str:
        return "open" if self.round.opens_at <= timezone.now() else "coming"

    def apply_path(self) -> str:
        from django.urls import reverse

        return reverse("portal:start", kwargs={"slug": self.municipality.slug}) + f"#{self.entry.anchor}"


def open_calls(*, municipality: Municipality | None = None) -> list[OpenCall]:
    """Open and coming rounds of active programs, soonest closing first (three queries)."""
    now = timezone.now()
    today = timezone.localdate()
    programs = Program.objects.filter(is_active=True, rounds__closes_at__gt=now).distinct()
    if municipality is not None:
        programs = programs.filter(municipality=municipality)
    programs = programs.select_related("municipality", "guide", "award").prefetch_related(
        Prefetch(
            "rounds",
            queryset=Round.objects.filter(closes_at__gt=now).only(
                "pk", "program_id", "name", "year", "opens_at", "closes_at", "decision_date"
            ),
        ),
        Prefetch("eligibility_rules", queryset=EligibilityRule.objects.filter(enabled=True)),
    )
    calls = []
    for program in programs:
        entry = _program_entry(program, now, today)
        for round_ in program.rounds.all():
            calls.append(
                OpenCall(municipality=program.municipality, program=program, round=round_, entry=entry)
            )
    calls.sort(key=lambda c: (c.round.opens_at > now, c.round.closes_at, c.municipality.name, c.program.name))
    return calls


# -- reports of accessibility barriers -------------------------------------------------------------


def barrier_reports(*, state: str = "") -> QuerySet[BarrierReport]:
    """Reports, the oldest unanswered first; ``state`` narrows to received or answered."""
    qs = BarrierReport.objects.select_related("answered_by")
    if state in BarrierReport.State.values:
        qs = qs.filter(state=state)
    return qs.order_by("-state", "created_at", "pk")  # received before answered
