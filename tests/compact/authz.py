"""Who may reach each page and action of the compact."""

from datetime import date

from compact import services

from ..authz import EVERYONE, SIGNED_IN, Action, Page
from ..pdf import tiny_pdf
from .factories import compact

DRAFTERS = frozenset({"applicant", "caseworker"})
COMPACT_MANAGERS = frozenset({"caseworker", "program_admin"})


def _compact(world):
    if "compact" not in world.objects:
        world.objects["compact"] = compact(world, adopted_on=date(2026, 1, 15))
    return world.objects["compact"]


def _commitment(world):
    c = _compact(world)
    commitment = c.commitments.first() or services.commitment_add(
        compact=c,
        side="joint",
        text="Gemensam utbildning om överenskommelsen",
        owner="Kommunen och Föreningsrådet",
        due_on=date(2026, 10, 1),
        by=world.users["caseworker"],
    )
    return {"pk": commitment.pk}


def _compact_evaluation(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = _compact(world)
    evaluation = c.current_evaluation() or services.compact_evaluation_record(
        compact=c,
        evaluated_on=date(2029, 10, 1),
        findings="Samverkan har blivit tätare.",
        next_steps="Förnya med en ny handlingsplan.",
        upload=SimpleUploadedFile("utvardering.pdf", tiny_pdf(), "application/pdf"),
        by=world.users["caseworker"],
    )
    return {"slug": world.municipality.slug, "pk": evaluation.pk}


def _slug(world):
    _compact(world)
    return {"slug": world.municipality.slug}


URLS = [
    Page("compact:compact", EVERYONE, kwargs=_slug),
    Action(
        "compact:compact_membership",
        DRAFTERS,
        kwargs=lambda w: {**_slug(w), "action": "join"},
        data=lambda w: {"join-organisation": w.organisation.pk},
    ),
    Page("compact:compact_manage", COMPACT_MANAGERS, kwargs=_slug, setup=_commitment),
    Page(
        "compact:compact_edit",
        COMPACT_MANAGERS,
        kwargs=lambda w: {"slug": w.municipality.slug},
        label="compact:compact_edit (no compact yet)",
    ),
    Page(
        "compact:compact_edit",
        COMPACT_MANAGERS,
        kwargs=lambda w: {"slug": w.municipality.slug},
        setup=lambda w: w.objects.setdefault("compact", compact(w)),
        label="compact:compact_edit (draft)",
    ),
    Action(
        "compact:compact_edit",
        COMPACT_MANAGERS,
        kwargs=lambda w: {"slug": w.municipality.slug},
        data=lambda w: {"title": ""},
    ),
    Page("compact:compact_evaluation", COMPACT_MANAGERS, kwargs=_slug),
    Page("compact:compact_evaluation_document", COMPACT_MANAGERS, kwargs=_compact_evaluation, html=False),
    Action(
        "compact:commitment_status", COMPACT_MANAGERS, kwargs=_commitment, data=lambda w: {"status": "done"}
    ),
    Page(
        "workflows:history",
        SIGNED_IN,
        label="workflows:history (compact)",
        kwargs=lambda w: {"app_label": "compact", "model": "compact", "pk": _compact(w).pk},
    ),
    # The API
    Page("api:compact-list", SIGNED_IN, html=False, setup=_compact),
    Page("api:compact-detail", SIGNED_IN, kwargs=lambda w: {"pk": _compact(w).pk}, html=False),
    Page("api:compact-transitions", SIGNED_IN, kwargs=lambda w: {"pk": _compact(w).pk}, html=False),
    Page("api:compact-history", SIGNED_IN, kwargs=lambda w: {"pk": _compact(w).pk}, html=False),
    # The compact changes state only by decisions and the renewal task, never through the API.
    Action(
        "api:compact-do-transition",
        frozenset(),
        kwargs=lambda w: {"pk": _compact(w).pk, "name": "renew"},
        data=lambda w: {"reason": ""},
        format="json",
    ),
]
