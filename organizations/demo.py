"""Demo data of the organisation register: Exempelö kommun and its associations.

Idempotent: running it again finds what is there and adds what is missing.
Other apps extend the demo through ``DEMO_STEPS`` in their own ``demo`` module.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from stdnum import luhn

from workflows.demo_story import at, happened
from workflows.services import perform_transition

from .models import (
    Committee,
    Delegation,
    Municipality,
    Organisation,
    OrganisationActivity,
    OrganisationDocument,
    OrganisationRole,
    Person,
    StaffRole,
    User,
)

DEMO_PASSWORD = "demo-bidra-2026"  # noqa: S105 - printed for newcomers, demo data only


def org_number(serial: int, group: str = "8") -> str:
    body = f"{group}02{serial:06d}"
    return body + luhn.calc_check_digit(body)


ORGANISATIONS = [
    (
        "Exempelö Idrottsförening",
        Organisation.Kind.NONPROFIT,
        420,
        380,
        "Fotboll, friidrott och simning för barn och unga.",
    ),
    (
        "Föreningen Trygg Vardag",
        Organisation.Kind.NONPROFIT,
        85,
        80,
        "Stöd och gemenskap för äldre som bor ensamma.",
    ),
    (
        "Exempelö Pensionärsförening",
        Organisation.Kind.NONPROFIT,
        310,
        300,
        "Träffar, resor och friskvård för pensionärer.",
    ),
    (
        "Stadsmissionen Exempelö",
        Organisation.Kind.FOUNDATION,
        40,
        30,
        "Stöd till människor i utsatta livssituationer.",
    ),
    ("Exempelö församling", Organisation.Kind.RELIGIOUS, 2100, 2000, "Diakoni, öppet kafé och läxhjälp."),
    ("Kulturföreningen Fyren", Organisation.Kind.NONPROFIT, 120, 110, "Konserter, teater och skrivarkurser."),
    ("Ungdomens Hus", Organisation.Kind.NONPROFIT, 60, 58, "Fritidsgård som drivs av unga själva."),
    (
        "Funktionsrätt Exempelö",
        Organisation.Kind.NONPROFIT,
        230,
        215,
        "Samarbetsorgan för funktionsrättsföreningar.",
    ),
    (
        "Brottsofferjouren Exempelö",
        Organisation.Kind.NONPROFIT,
        35,
        30,
        "Stöd till brottsutsatta och vittnen.",
    ),
    (
        "Kvinnojouren Havsnära",
        Organisation.Kind.NONPROFIT,
        45,
        40,
        "Skydd och stöd för våldsutsatta kvinnor och barn.",
    ),
    ("Exempelö Scoutkår", Organisation.Kind.NONPROFIT, 150, 148, "Friluftsliv och ledarskap för barn."),
    (
        "Stiftelsen Ljusglimten",
        Organisation.Kind.FOUNDATION,
        0,
        0,
        "Stipendier och lägerverksamhet för barn.",
    ),
    (
        "Hyresgästföreningen Norra",
        Organisation.Kind.NONPROFIT,
        900,
        850,
        "Boinflytande och aktiviteter i bostadsområdet.",
    ),
    ("Språkcaféet", Organisation.Kind.INFORMAL, 12, 12, "Ett nätverk som samtalar på svenska varje tisdag."),
    ("Exempelö Konstförening", Organisation.Kind.NONPROFIT, 75, 70, "Utställningar och konstlotteri."),
    ("Föräldranätverket", Organisation.Kind.INFORMAL, 20, 20, "Nattvandringar i centrum."),
    ("Exempelö Schackklubb", Organisation.Kind.NONPROFIT, 40, 35, "Schack för alla åldrar."),
    ("Lokala Matkassen ek. för.", Organisation.Kind.ECONOMIC, 30, 30, "Matbutik som säljer överskottsmat."),
    ("Träffpunkt Öster", Organisation.Kind.NONPROFIT, 55, 50, "Mötesplats för nyanlända och etablerade."),
    (
        "Exempelö Hembygdsförening",
        Organisation.Kind.NONPROFIT,
        260,
        250,
        "Hembygdsgården och ortens historia.",
    ),
]

STAFF = [
    ("handlaggare@exemplo.se", "Hanna Handläggare", StaffRole.Role.CASEWORKER),
    ("sekreterare@exemplo.se", "Sara Sekreterare", StaffRole.Role.SECRETARY),
    ("ledamot@exemplo.se", "Lars Ledamot", StaffRole.Role.MEMBER),
    ("programadmin@exemplo.se", "Petra Programansvarig", StaffRole.Role.PROGRAM_ADMIN),
    ("kommunadmin@exemplo.se", "Maja Kommunadministratör", StaffRole.Role.MUNICIPALITY_ADMIN),
]

#: Socialnämnden's nine members (e-mail, name, party): the first two adjust the demo's minutes,
#: the third chairs.  Every one of them can sign in, as every person in the demo can.
COMMITTEE = [
    ("ledamot@exemplo.se", "Lars Ledamot", "S"),
    ("ledamot2@exemplo.se", "Åsa Öberg", "M"),
    ("ordforande@exemplo.se", "Karin Ek", "S"),
    ("ledamot4@exemplo.se", "Johan Berg", "M"),
    ("ledamot5@exemplo.se", "Fatima Yilmaz", "S"),
    ("ledamot6@exemplo.se", "Per Lindqvist", "SD"),
    ("ledamot7@exemplo.se", "Maria Nilsson", "C"),
    ("ledamot8@exemplo.se", "Erik Sandberg", "V"),
    ("ledamot9@exemplo.se", "Eva Holm", "KD"),
]


def _user(email: str, name: str, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=name, email_verified_at=timezone.now(), **extra
        )
    return user


def seed_register() -> dict:
    """Create the municipality, committees, organisations and one user per role."""
    exemplo, _ = Municipality.objects.get_or_create(
        slug="exemplo",
        defaults={
            "name": "Exempelö kommun",
            "org_number": org_number(1, "2"),
            # the account grants are paid from, for the payment file (an example IBAN, not a real account)
            "payment_iban": "SE4550000000058398257466",
            "payment_bic": "ESSESESS",
        },
    )
    grannby, _ = Municipality.objects.get_or_create(
        slug="grannby", defaults={"name": "Grannby kommun", "org_number": org_number(2, "2")}
    )
    sn, _ = Committee.objects.get_or_create(
        municipality=exemplo,
        code="SN",
        defaults={"name": "Socialnämnden", "registry_email": "socialnamnden@exemplo.se"},
    )
    kfn, _ = Committee.objects.get_or_create(
        municipality=exemplo,
        code="KFN",
        defaults={"name": "Kultur- och fritidsnämnden", "registry_email": "kulturochfritid@exemplo.se"},
    )
    grannby_sn, _ = Committee.objects.get_or_create(
        municipality=grannby,
        code="SN",
        defaults={"name": "Socialnämnden", "registry_email": "socialnamnden@grannby.se"},
    )

    users = {}
    for email, name, role in STAFF:
        user = _user(email, name)
        StaffRole.objects.get_or_create(user=user, municipality=exemplo, committee=None, role=role)
        users[role] = user
    for email, name, _party in COMMITTEE:
        member = _user(email, name)
        StaffRole.objects.get_or_create(
            user=member, municipality=exemplo, committee=None, role=StaffRole.Role.MEMBER
        )
    Delegation.objects.get_or_create(
        user=users[StaffRole.Role.CASEWORKER],
        committee=sn,
        matter=Delegation.Matter.GRANT,
        defaults={"max_amount": 30000},
    )
    other = _user("handlaggare@grannby.se", "Gustav Grannbyhandläggare")
    StaffRole.objects.get_or_create(
        user=other, municipality=grannby, committee=None, role=StaffRole.Role.CASEWORKER
    )
    users["other_caseworker"] = other
    admin = User.objects.filter(email="admin@exemplo.se").first() or User.objects.create_superuser(
        email="admin@exemplo.se", password=DEMO_PASSWORD, full_name="Ada Administratör"
    )
    users["admin"] = admin

    year = timezone.localdate().year
    organisations = []
    for index, (name, kind, members, resident, purpose) in enumerate(ORGANISATIONS, start=1):
        organisation, created = Organisation.objects.get_or_create(
            org_number=org_number(100 + index),
            defaults={
                "name": name,
                "kind": kind,
                "member_count": members,
                "purpose": purpose,
                "street_address": f"Storgatan {index}",
                "postal_code": f"123 {index:02d}",
                "city": "Exempelö",
                "email": f"info@forening{index}.example",
            },
        )
        organisations.append(organisation)
        if not created:
            continue
        # registered in Bidra in the autumn two years ago, before the demo's first round
        Organisation.objects.filter(pk=organisation.pk).update(
            created_at=at(date(year - 2, 9, 1) + timedelta(days=7 * index), 9 + index % 7)
        )
        OrganisationActivity.objects.create(
            organisation=organisation, municipality=exemplo, resident_members=resident
        )
        if index % 5 == 0:
            OrganisationActivity.objects.create(
                organisation=organisation, municipality=grannby, resident_members=5
            )
        if kind != Organisation.Kind.INFORMAL:
            body = f"5{index:03d}01"[:6]
            organisation.account_type = Organisation.AccountType.BANKGIRO
            organisation.account_number = body + luhn.calc_check_digit(body)
            organisation.save(update_fields=["account_type", "account_number"])
        Person.objects.create(
            organisation=organisation,
            kind=Person.Kind.BOARD,
            name=f"Ordförande {index}",
            position="ordförande",
            email=f"ordf{index}@forening.example",
        )
        Person.objects.create(
            organisation=organisation,
            kind=Person.Kind.CONTACT,
            name=f"Kontakt {index}",
            email=f"kontakt{index}@forening.example",
        )
        # Most organisations keep their documents current; every fourth lags a year, every seventh has none.
        if index % 7 == 0:
            continue
        lag = 1 if index % 4 == 0 else 0
        for doc_type in OrganisationDocument.Type.values:
            doc_year = year - lag if doc_type in ("activity_plan", "budget") else year - 1 - lag
            document = OrganisationDocument(
                organisation=organisation,
                doc_type=doc_type,
                year=doc_year,
                original_name=f"{doc_type}-{doc_year}.pdf",
                content_type="application/pdf",
                size=0,
                sha256="",
                uploaded_at=timezone.now() - timedelta(days=30),
            )
            pdf = _tiny_pdf(f"{name} {doc_type} {doc_year}")
            document.size = len(pdf)
            document.file.save("upload", ContentFile(pdf), save=False)
            document.save()

    applicant = _user("sokande@forening.example", "Siv Sökande")
    second = _user("sokande2@forening.example", "Olle Annanförening")
    for user, organisation in (
        (applicant, organisations[1]),
        (applicant, organisations[5]),
        (second, organisations[0]),
    ):
        if not OrganisationRole.objects.filter(user=user, organisation=organisation).exists():
            role = OrganisationRole.objects.create(
                user=user, organisation=organisation, kind=OrganisationRole.Kind.SIGNATORY
            )
            signatory_since_registration(role)
    joiner = _user("ny.medlem@forening.example", "Nina Nymedlem")
    if not OrganisationRole.objects.filter(user=joiner, organisation=organisations[1]).exists():
        OrganisationRole.objects.create(
            user=joiner, organisation=organisations[1], message="Jag är ny kassör och behöver kunna ansöka."
        )
    users["applicant"] = applicant
    users["other_applicant"] = second
    return {
        "municipality": exemplo,
        "other_municipality": grannby,
        "committees": {"SN": sn, "KFN": kfn},
        "other_committee": grannby_sn,
        "organisations": organisations,
        "users": users,
    }


def signatory_since_registration(role: OrganisationRole) -> None:
    """The person who registered the organisation is its signatory since the day it was registered."""
    registered = Organisation.objects.values_list("created_at", flat=True).get(pk=role.organisation_id)
    with happened(registered):
        perform_transition(role, "grant_on_registration", by=role.user, reason="Registrerade organisationen")
    OrganisationRole.objects.filter(pk=role.pk).update(created_at=registered)


def _tiny_pdf(text: str) -> bytes:
    """A minimal valid PDF so that demo downloads open."""
    stream = f"BT /F1 12 Tf 50 780 Td ({text.encode('latin-1', 'replace').decode('latin-1')}) Tj ET".encode(
        "latin-1"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out
