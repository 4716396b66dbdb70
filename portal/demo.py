"""Demo data of the one way in: the guiding function, the programs' guide data, listed
organisations, and the board with needs and initiatives in several states.

Idempotent: posts are found by their headline; every state change goes through the services, on
its day in the past weeks (``workflows.demo_story``).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from grants.models import Program
from iop.models import Partnership
from workflows.demo_story import at, happened, registered

from . import services
from .models import BoardPost, GuidingContact, Listing, ProgramGuide, Purpose

GUIDES = {
    "Verksamhetsstöd till sociala föreningar": {
        "purposes": [Purpose.HEALTH, Purpose.ELDERLY, Purpose.INCLUSION],
        "target_groups": "Människor som behöver stöd och gemenskap i vardagen",
        "min_amount": Decimal("5000"),
        "max_amount": Decimal("60000"),
    },
    "Projektbidrag för social gemenskap": {
        "purposes": [Purpose.INCLUSION, Purpose.CHILDREN_YOUTH, Purpose.ELDERLY],
        "target_groups": "Den som är ensam eller står utanför",
        "min_amount": Decimal("10000"),
        "max_amount": Decimal("100000"),
    },
}
LISTED = {
    "Exempelö Idrottsförening": (
        [Purpose.SPORT, Purpose.CHILDREN_YOUTH],
        "kansli@idrott.example",
        "0123-456 70",
    ),
    "Föreningen Trygg Vardag": ([Purpose.ELDERLY, Purpose.HEALTH], "info@tryggvardag.example", ""),
    "Exempelö Pensionärsförening": ([Purpose.ELDERLY], "styrelsen@pension.example", "0123-456 80"),
    "Stadsmissionen Exempelö": ([Purpose.HEALTH, Purpose.INCLUSION], "exemplo@stadsmissionen.example", ""),
    "Exempelö Hembygdsförening": ([Purpose.CULTURE], "hembygd@forening.example", ""),
}


def _guidance(context) -> None:
    municipality = context["municipality"]
    admin = context["users"]["program_admin"]
    if not GuidingContact.objects.filter(municipality=municipality).exists():
        services.guiding_contact_save(
            municipality=municipality,
            data={
                "title": "Föreningsguiden – en väg in",
                "name": "",
                "email": "foreningsguiden@exemplo.se",
                "phone": "0123-100 200",
                "hours": "Vardagar 9–12, torsdagar även 13–16",
                "order": 0,
            },
            by=admin,
        )
    for name, data in GUIDES.items():
        program = Program.objects.filter(municipality=municipality, name=name).first()
        if program is not None and not ProgramGuide.objects.filter(program=program).exists():
            services.program_guide_save(program=program, data={**data, "max_members": None}, by=admin)


def _directory(context) -> None:
    signatory = context["users"]["applicant"]
    from organizations.permissions import forget_permissions

    for organisation in context["organisations"]:
        if organisation.name not in LISTED or Listing.objects.filter(organisation=organisation).exists():
            continue
        purposes, email, phone = LISTED[organisation.name]
        data = {
            "listed": True,
            "description": organisation.purpose,
            "public_email": email,
            "public_phone": phone,
            "website": "",
            "purposes": [str(p) for p in purposes],
        }
        # The signatory decides; organisations without a demo user are listed as by their signatory would.
        if signatory.has_perm("portal.edit_listing", organisation):
            services.listing_save(organisation=organisation, data=data, by=signatory)
        else:
            listing = Listing(organisation=organisation, **data)
            listing.save()
    forget_permissions(signatory)


def _post(context, *, title, organisation, author, days_ago, **data):
    """The post, written ``days_ago`` (a post of the municipality is published as it is written)."""
    existing = BoardPost.objects.filter(municipality=context["municipality"], title=title).first()
    if existing is not None:
        return existing, False
    written = _days_ago(days_ago, 9)
    with happened(written):
        post = services.board_post_create(
            municipality=context["municipality"],
            organisation=organisation,
            data={"title": title, **data},
            by=author,
        )
    BoardPost.objects.filter(pk=post.pk).update(created_at=written)
    if post.published_at is not None:
        BoardPost.objects.filter(pk=post.pk).update(published_at=written)
    return post, True


def _days_ago(days: int, hour: int):
    return at(timezone.localdate() - timedelta(days=days), hour)


def _approve(post, *, days_ago: int, by) -> None:
    approved = _days_ago(days_ago, 11)
    with happened(approved):
        services.board_post_transition(post=post, name="approve", by=by)
    BoardPost.objects.filter(pk=post.pk).update(published_at=approved)


def _board(context) -> None:
    users = context["users"]
    caseworker = users["caseworker"]
    applicant = users["applicant"]
    other = users["other_applicant"]
    orgs = context["organisations"]
    trygg, sports = orgs[1], orgs[0]
    today = timezone.localdate()
    _post(
        context,
        title="Vi söker en förening som kan ordna helgaktiviteter för unga",
        organisation=None,
        author=caseworker,
        kind=BoardPost.Kind.NEED,
        body="Fritidsgårdarna har stängt på helgerna. Vi vill hitta en förening som kan erbjuda "
        "aktiviteter för unga 13–17 år på fredags- och lördagskvällar.",
        area="Norra Exempelö",
        target_group="Unga 13–17 år",
        contact="Föreningsguiden – en väg in\nforeningsguiden@exemplo.se\n0123-100 200",
        expires_on=today + timedelta(days=60),
        days_ago=12,
    )
    post, created = _post(
        context,
        title="Språkcafé två gånger i veckan",
        organisation=trygg,
        author=applicant,
        kind=BoardPost.Kind.INITIATIVE,
        body="Vi kan driva ett språkcafé på tisdagar och torsdagar i vår lokal, med volontärer som "
        "övar svenska med nyanlända.",
        area="Centrum",
        target_group="Nyanlända vuxna",
        contact="info@tryggvardag.example",
        expires_on=today + timedelta(days=90),
        days_ago=20,
    )
    if created:
        _approve(post, days_ago=19, by=caseworker)
    _post(
        context,
        title="Läxhjälp i biblioteket",
        organisation=trygg,
        author=applicant,
        kind=BoardPost.Kind.INITIATIVE,
        body="Vi kan erbjuda läxhjälp två eftermiddagar i veckan om vi får låna ett rum i biblioteket.",
        area="Centrum",
        target_group="Elever i årskurs 4–9",
        contact="info@tryggvardag.example",
        expires_on=today + timedelta(days=45),
        days_ago=2,
    )  # waits for approval
    post, created = _post(
        context,
        title="Fixardagar för äldre",
        organisation=sports,
        author=other,
        kind=BoardPost.Kind.INITIATIVE,
        body="Våra juniorer kan hjälpa äldre med enklare sysslor i trädgården en lördag i månaden.",
        area="Hela kommunen",
        target_group="Äldre som bor hemma",
        contact="kansli@idrott.example",
        expires_on=today + timedelta(days=120),
        days_ago=30,
    )
    if created:
        _approve(post, days_ago=29, by=caseworker)
        committee = context["committees"]["SN"]
        referred = _days_ago(21, 14)
        with happened(referred):
            partnership = services.board_post_refer(
                post=post,
                committee=committee,
                data={
                    "title": "Fixardagar för äldre",
                    "social_need": "Äldre som bor hemma behöver hjälp med sysslor de inte längre klarar.",
                    "proposed_solution": "Föreningens juniorer hjälper till en lördag i månaden, med ledare.",
                    "target_group": "Äldre som bor hemma",
                    "organisation_brings": "Ledare, juniorer och verktyg.",
                    "municipality_asked": "Kontakt med hemtjänsten och försäkring.",
                    "political_goal": "Äldreplanen: trygghet i hemmet.",
                },
                by=caseworker,
            )
        Partnership.objects.filter(pk=partnership.pk).update(created_at=referred)
        registered(partnership, referred)
    post, created = _post(
        context,
        title="Sommarläger för barn i augusti",
        organisation=trygg,
        author=applicant,
        kind=BoardPost.Kind.INITIATIVE,
        body="Vi har plats för tio barn till på vårt sommarläger.",
        area="Havsnära",
        target_group="Barn 8–12 år",
        contact="info@tryggvardag.example",
        expires_on=today + timedelta(days=10),
        days_ago=40,
    )
    if created:
        _approve(post, days_ago=39, by=caseworker)
        with happened(_days_ago(5, 16)):
            services.board_post_transition(post=post, name="close", by=applicant)


def seed(context) -> None:
    _guidance(context)
    _directory(context)
    _board(context)
