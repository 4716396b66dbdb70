"""Queries of the organisation register."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone

from .models import AccountChange, AccountVerification, Organisation, OrganisationDocument, OrganisationRole
from .permissions import ACCOUNT_VERIFIERS, active_org_roles, staff_municipality_ids

DOC = OrganisationDocument.Type

#: which year a current document must be valid for, relative to this year
CURRENT_YEAR_OFFSET = {
    DOC.STATUTES: None,  # any year: valid until replaced
    DOC.ANNUAL_REPORT: -1,
    DOC.ACCOUNTS: -1,
    DOC.AUDIT_REPORT: -1,
    DOC.AGM_MINUTES: -1,
    DOC.ACTIVITY_PLAN: 0,
    DOC.BUDGET: 0,
}


def organisations_visible(*, user) -> QuerySet[Organisation]:
    """Applicants see their own organisations; staff those active in their municipalities."""
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        Q(pk__in=list(active_org_roles(user))) | Q(activities__municipality__in=staff_municipality_ids(user))
    ).distinct()


def organisations_search(
    *, user, query: str = "", municipality_id: int | None = None, kind: str = ""
) -> QuerySet[Organisation]:
    qs = organisations_visible(user=user)
    if query:
        digits = "".join(c for c in query if c.isdigit())
        condition = Q(name__icontains=query)
        if len(digits) >= 4:
            condition |= Q(org_number__startswith=digits)
        qs = qs.filter(condition)
    if municipality_id:
        qs = qs.filter(activities__municipality_id=municipality_id)
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        # Sorted on the same expression as the trigram index (upper(name)), not on the column's
        # btree: otherwise PostgreSQL walks every organisation of the country in name order,
        # hoping to find the first page's matches early, instead of using the trigram index.
        return qs.order_by(Upper("name"), "pk")
    return qs.order_by("name", "pk")


def organisations_of_user(*, user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=list(active_org_roles(user))).order_by("name")


@dataclass
class DocumentStatus:
    doc_type: str
    label: str
    required_year: int | None
    current: OrganisationDocument | None
    latest: OrganisationDocument | None

    @property
    def state(self) -> str:
        if self.current is not None:
            return "current"
        return "outdated" if self.latest is not None else "missing"


def document_status(
    *,
    organisation: Organisation,
    year: int | None = None,
    documents: list[OrganisationDocument] | None = None,
) -> list[DocumentStatus]:
    """For every document type: the current one, or whether it is missing or out of date."""
    year = year or timezone.localdate().year
    if documents is None:
        documents = list(organisation.documents.all())
    result = []
    for doc_type, label in DOC.choices:
        of_type = sorted((d for d in documents if d.doc_type == doc_type), key=lambda d: (-d.year, -d.pk))
        offset = CURRENT_YEAR_OFFSET[doc_type]
        required_year = None if offset is None else year + offset
        current = next((d for d in of_type if required_year is None or d.year >= required_year), None)
        result.append(
            DocumentStatus(doc_type, str(label), required_year, current, of_type[0] if of_type else None)
        )
    return result


def documents_current(
    *, organisation: Organisation, doc_types: list[str] | None = None, year: int | None = None
) -> bool:
    wanted = set(doc_types) if doc_types else None
    return all(
        s.state == "current"
        for s in document_status(organisation=organisation, year=year)
        if wanted is None or s.doc_type in wanted
    )


def role_requests_pending(*, user) -> QuerySet[OrganisationRole]:
    """Join requests the user can decide as a signatory."""
    signatory_of = [
        o for o, kind in active_org_roles(user).items() if kind == OrganisationRole.Kind.SIGNATORY
    ]
    return (
        OrganisationRole.objects.filter(
            organisation_id__in=signatory_of, state=OrganisationRole.State.REQUESTED
        )
        .exclude(user=user)
        .select_related("user", "organisation")
    )


def account_change_waiting(*, organisation: Organisation) -> AccountChange | None:
    """The change of payment account that waits for verification, with each municipality's part."""
    return (
        AccountChange.objects.filter(organisation=organisation, state=AccountChange.State.PENDING)
        .select_related("requested_by")
        .prefetch_related(
            Prefetch(
                "verifications",
                queryset=AccountVerification.objects.select_related("municipality", "verified_by"),
            )
        )
        .first()
    )


def account_changes_visible(*, user) -> QuerySet[AccountChange]:
    """Changes of payment account the user may see: those of the organisations they act for, and
    (staff who handle payments) those their municipality is asked to verify."""
    return (
        AccountChange.objects.filter(
            Q(organisation_id__in=list(active_org_roles(user)))
            | Q(verifications__municipality_id__in=staff_municipality_ids(user, ACCOUNT_VERIFIERS))
        )
        .distinct()
        .select_related("organisation")
        .prefetch_related(
            Prefetch("verifications", queryset=AccountVerification.objects.select_related("municipality"))
        )
        .order_by("-created_at", "-pk")
    )


def account_verifications_waiting(*, user) -> QuerySet[AccountVerification]:
    """New payment accounts that the user's municipalities are still to verify, oldest first;
    not those of an organisation the user acts for nor those the user asked for (four eyes)."""
    return (
        AccountVerification.objects.filter(
            state=AccountVerification.State.PENDING,
            change__state=AccountChange.State.PENDING,
            municipality_id__in=staff_municipality_ids(user, ACCOUNT_VERIFIERS),
        )
        .exclude(change__organisation_id__in=list(active_org_roles(user)))
        .exclude(change__requested_by=user)
        .select_related("change__organisation", "municipality")
        .order_by("change__created_at", "pk")
    )


def organisation_user_emails(organisation) -> list[str]:
    """The e-mail addresses of the organisation's users with an active role, signatories first."""
    return list(
        OrganisationRole.objects.filter(organisation=organisation, state=OrganisationRole.State.ACTIVE)
        .order_by("-kind", "pk")
        .values_list("user__email", flat=True)
    )


# ---- the municipality's set-up ----


def municipalities_administered(*, user) -> QuerySet:
    from .models import Municipality
    from .permissions import admin_municipality_ids

    return Municipality.objects.filter(pk__in=admin_municipality_ids(user)).order_by("name")


def committees_overview(*, municipality) -> QuerySet:
    """The municipality's committees with how many officials serve each (active roles)."""
    from django.db.models import Count

    from .models import StaffRole

    return municipality.committees.annotate(
        staff_count=Count("staff_roles", filter=Q(staff_roles__state=StaffRole.State.ACTIVE))
    ).order_by("name")


def staff_of_municipality(*, municipality) -> list[dict]:
    """Everyone with an active role in the municipality, each with their roles, by name."""
    from .models import StaffRole

    roles = (
        StaffRole.objects.filter(municipality=municipality, state=StaffRole.State.ACTIVE)
        .select_related("user", "committee")
        .order_by("user__full_name", "user__email", "role", "committee__name")
    )
    people: dict[int, dict] = {}
    for role in roles:
        person = people.setdefault(role.user_id, {"user": role.user, "roles": []})
        person["roles"].append(role)
    return list(people.values())


def delegations_of_municipality(*, municipality, today=None) -> dict:
    """The delegations in force (or starting later) and those that have ended, newest first."""
    from .models import Delegation

    today = today or timezone.localdate()
    qs = Delegation.objects.filter(committee__municipality=municipality).select_related("user", "committee")
    current = qs.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today)).exclude(
        state=Delegation.State.PENDING
    )
    ended = qs.filter(valid_until__lt=today).order_by("-valid_until", "-pk")[:20]
    return {
        "current": list(current.order_by("committee__name", "matter", "user__full_name")),
        "ended": list(ended),
    }
