"""Demo data: the municipality's compact, adopted two years ago, joined by seven organisations (one
has left since), with its action plan under way and its first yearly conference held.

Idempotent, and every change goes through the services, so each state change has its log row,
stamped with its day in the story (``workflows.demo_story``).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from workflows.deadlines import add_years
from workflows.demo_story import at, happened

from . import services
from .models import Compact, Principle

PRINCIPLES = {
    Principle.Key.INDEPENDENCE: (
        "Den idéburna sektorn är självständig och oberoende. Kommunen respekterar organisationernas "
        "rätt att driva opinion och att själva bestämma över sin verksamhet."
    ),
    Principle.Key.DIALOGUE: (
        "Kommunen och organisationerna för en regelbunden dialog i frågor som rör dem båda, "
        "i god tid innan beslut fattas."
    ),
    Principle.Key.QUALITY: (
        "Parterna arbetar för att verksamheten håller hög kvalitet och utgår från människors behov."
    ),
    Principle.Key.LONG_TERM: (
        "Samverkan bygger på långsiktighet: stöd och överenskommelser ges för flera år när det är möjligt."
    ),
    Principle.Key.OPENNESS: (
        "Parterna är öppna om hur pengar används och hur beslut fattas, och ger insyn i samverkan."
    ),
    Principle.Key.DIVERSITY: (
        "Kommunen värnar en mångfald av organisationer, stora som små, och olika sätt att organisera sig."
    ),
}


def _compact(context) -> None:
    municipality = context["municipality"]
    if Compact.objects.filter(municipality=municipality).exists():
        return
    users = context["users"]
    caseworker, secretary = users["caseworker"], users["secretary"]
    today = timezone.localdate()
    compact = services.compact_create(
        municipality=municipality,
        title="Överenskommelsen mellan Exempelö kommun och den idéburna sektorn",
        text=(
            "Överenskommelsen är en gemensam avsiktsförklaring om hur Exempelö kommun och de idéburna "
            "organisationerna ska samverka för ett starkt civilsamhälle och en god välfärd.\n\n"
            "Den bygger på sex principer och följs upp varje år vid en gemensam konferens."
        ),
        principles=PRINCIPLES,
        by=caseworker,
    )
    adopted_on = add_years(today, -2).replace(month=2, day=20)
    Compact.objects.filter(pk=compact.pk).update(created_at=at(adopted_on - timedelta(days=60), 10))
    with happened(at(adopted_on, 19)):
        services.compact_adopt(
            compact=compact,
            by=secretary,
            adopted_on=adopted_on,
            reference=f"Kommunfullmäktige {adopted_on.isoformat()} § 12",
        )
    compact.refresh_from_db()
    organisations = {o.name: o for o in context["organisations"]}
    for offset, name in enumerate(
        [
            "Exempelö församling",
            "Stadsmissionen Exempelö",
            "Föreningen Trygg Vardag",
            "Funktionsrätt Exempelö",
            "Exempelö Idrottsförening",
            "Kvinnojouren Havsnära",
            "Exempelö Hembygdsförening",
        ]
    ):
        services.compact_join(
            compact=compact,
            organisation=organisations[name],
            by=caseworker,
            joined_on=adopted_on + timedelta(days=10 + 7 * offset),
        )
    services.compact_leave(
        compact=compact,
        organisation=organisations["Exempelö Hembygdsförening"],
        by=caseworker,
        left_on=adopted_on + timedelta(days=400),
    )
    for side, text, owner, due, status in [
        (
            "municipality",
            "Ta fram en modell för idéburet offentligt partnerskap",
            "Socialförvaltningen",
            120,
            "done",
        ),
        (
            "municipality",
            "Införa treåriga verksamhetsbidrag",
            "Kultur- och fritidsförvaltningen",
            500,
            "in_progress",
        ),
        (
            "organisations",
            "Sprida kunskap om överenskommelsen till medlemmarna",
            "Föreningsrådet",
            300,
            "done",
        ),
        (
            "joint",
            "Gemensam utbildning om överenskommelsen för politiker och föreningar",
            "Styrgruppen",
            900,
            "planned",
        ),
        ("joint", "Årlig uppföljningskonferens", "Styrgruppen", 700, "planned"),
    ]:
        commitment = services.commitment_add(
            compact=compact,
            side=side,
            text=text,
            owner=owner,
            due_on=adopted_on + timedelta(days=due),
            by=caseworker,
        )
        if status != "planned":  # started a month after the adoption, done by its due date
            moved = adopted_on + timedelta(days=due if status == "done" else 30)
            with happened(at(moved, 10)):
                services.commitment_set_status(commitment=commitment, status=status, by=caseworker)
    services.conference_record(
        compact=compact,
        held_on=add_years(adopted_on, 1) + timedelta(days=60),
        municipality_report="Modellen för IOP är klar och det första partnerskapet har tecknats.",
        organisations_report="Överenskommelsen har presenterats på föreningsrådets alla möten.",
        conclusions="Parterna prioriterar den gemensamma utbildningen under nästa år.",
        by=caseworker,
    )


def seed(context) -> None:
    _compact(context)
