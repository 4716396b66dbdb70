"""Who may reach the public register, the open data and the staff dashboards."""

from ..authz import EVERYONE, STAFF, Page
from .factories import scenario

#: staff who handle payments, each their own municipality's (the bookkeeping file)
PAYMENT_USERS = frozenset({"caseworker", "program_admin", "other_caseworker"})

#: staff of the other municipality see their own municipality's dashboard
ANY_STAFF = STAFF | {"other_caseworker"}


def _slug(world):
    return {"slug": world.municipality.slug}


def _year():
    from django.utils import timezone

    return timezone.localdate().year


URLS = [
    Page("insight:register", EVERYONE, kwargs=_slug, setup=scenario),
    Page(
        "insight:register",
        EVERYONE,
        kwargs=_slug,
        setup=scenario,
        query="?q=Trygg&kind=grant",
        label="insight:register (search)",
    ),
    Page(
        "insight:organisation",
        EVERYONE,
        kwargs=lambda w: {"slug": w.municipality.slug, "pk": w.organisation.pk},
        setup=scenario,
    ),
    Page("insight:open_data", EVERYONE, kwargs=_slug, setup=scenario),
    Page(
        "insight:open_data_file",
        EVERYONE,
        kwargs=lambda w: {"slug": w.municipality.slug, "year": _year(), "fmt": "json"},
        setup=scenario,
        html=False,
    ),
    Page(
        "insight:open_data_file",
        EVERYONE,
        kwargs=lambda w: {"slug": w.municipality.slug, "year": _year(), "fmt": "csv"},
        html=False,
        label="insight:open_data_file (csv)",
    ),
    Page("insight:dashboard", ANY_STAFF, setup=scenario),
    Page(
        "insight:dashboard_export",
        ANY_STAFF,
        kwargs=lambda w: {"key": "budget", "fmt": "csv"},
        html=False,
    ),
    Page(
        "insight:dashboard_export",
        ANY_STAFF,
        kwargs=lambda w: {"key": "states", "fmt": "xlsx"},
        html=False,
        label="insight:dashboard_export (xlsx)",
    ),
    Page(
        "insight:committee_summary",
        STAFF,
        kwargs=lambda w: {"pk": w.committee.pk, "year": _year()},
        html=False,
    ),
    Page(
        "insight:sie_export",
        PAYMENT_USERS,
        query="?start=2026-01-01&end=2026-12-31",
        html=False,
        label="insight:sie_export (each their own municipality's bookkeeping file)",
    ),
]
