"""A realistic national data set for the benchmarks, built with bulk inserts.

One installation serving every municipality in the country: up to 290
municipalities of different sizes, two committees each, three grant programs
with a budget per year, four rounds a year over ten years, organisations
(about one per eight applications) with their signatories, staff with roles,
and applications in the proportions a real register has: old rounds decided
(or dismissed, withdrawn, abandoned as drafts), the current autumn round in
flight (drafts, submitted, waiting for a completion, in assessment).  Every
registered application has its case number in the diarium, its viewflow
process and tasks, its transition log (django-fsm-log ``StateLog``), its
attachments and assessments; every decided round its committee meeting with
attendance, agenda items and decisions.

Rows are written with PostgreSQL ``COPY`` (``bulk_create`` on SQLite) with
ids chosen here, so a million applications take minutes, not hours.  The
same seed gives the same data.  Nothing goes through the services: the rows
are what the services would have written, which the tests check by running
the pages and the timers on generated data.
"""

from __future__ import annotations

import json
import random
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from django_fsm_log.models import StateLog
from stdnum import luhn
from viewflow.workflow.models import Process, Task
from viewflow.workflow.token import Token

from grants.models import (
    Application,
    ApplicationAttachment,
    Assessment,
    BudgetCommitment,
    CompletionRequest,
    Criterion,
    EligibilityRule,
    FormField,
    Program,
    ProgramBudget,
    RequiredAttachment,
    Round,
)
from meetings.models import AgendaItem, Attendance, Decision, Meeting
from organizations.models import (
    Committee,
    Delegation,
    Municipality,
    Organisation,
    OrganisationActivity,
    OrganisationDocument,
    OrganisationRole,
    StaffRole,
    User,
)
from workflows.models import CaseNumberSequence, DiariumEntry

TZ = ZoneInfo("Europe/Stockholm")
PASSWORD = "bench-bidra-2026"
YEARS = 10
ACTIVE = "active"  # the state of a staff role or delegation in force
APPLICATIONS_PER_MUNICIPALITY = 3450  # a few hundred a year, ten years
MAX_MUNICIPALITIES = 290

STEMS = [
    "Ny", "Öster", "Väster", "Norr", "Söder", "Ek", "Björk", "Al", "Lind", "Sand", "Sten", "Hag", "Mal",
    "Kungs", "Lands", "Falk", "Hall", "Sjö", "Strand", "Ljung", "Berg", "Gran", "Fors", "Åker", "Mark",
]  # fmt: skip
ENDINGS = ["by", "köping", "torp", "hult", "ås", "vik", "holm", "berga", "stad", "sund", "tuna", "näs"]
ORG_PREFIXES = [
    "Idrottsföreningen", "Föreningen", "Scoutkåren", "Hembygdsföreningen", "Kulturföreningen",
    "Musikföreningen", "Byalaget", "Schackklubben", "Hyresgästföreningen", "Pensionärsföreningen",
    "Körföreningen", "Ridklubben", "Fotbollsklubben", "Teaterföreningen", "Konstföreningen",
    "Friluftsföreningen", "Ungdomsföreningen", "Dansklubben", "Brukshundklubben", "Kvinnojouren",
]  # fmt: skip
ORG_NAMES = [
    "Kvarnen", "Eken", "Björken", "Trygg Vardag", "Solstrålen", "Framtiden", "Gemenskapen", "Fyren",
    "Ankaret", "Bron", "Ljuset", "Vågen", "Stjärnan", "Lärkan", "Linden", "Gnistan", "Kompassen",
    "Rosen", "Tranan", "Forsen", "Klockan", "Ugglan", "Måsen", "Hoppet", "Vännerna",
]  # fmt: skip
DISTRICTS = ["Centrum", "Norra", "Södra", "Östra", "Västra", "Strand", "Backen", "Dalen", "Hagen", "Torget"]
FIRST_NAMES = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kerstin", "Ingrid", "Sofia", "Lars", "Erik",
    "Per", "Karl", "Anders", "Johan", "Nils", "Mikael", "Hassan", "Amira", "Ali", "Fatima", "Olle", "Siv",
]  # fmt: skip
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist", "Berg", "Holm", "Ali",
]  # fmt: skip
PURPOSES = [
    "Veckoträffar med lunch för äldre i kommundelen.",
    "Läxhjälp och idrott för barn på eftermiddagarna.",
    "Körsång och konserter för alla åldrar.",
    "Sommarläger för barn som annars inte kommer iväg.",
    "Stöd och samtal för kvinnor som utsatts för våld.",
    "Öppen verksamhet i föreningslokalen tre kvällar i veckan.",
    "Friluftsdagar och naturvandringar med guide.",
    "Språkcafé för nyanlända och etablerade.",
]
PROJECT_TITLES = [
    "Träffpunkt för äldre", "Läxhjälp i Centrum", "Sommarläger", "Öppen fritidsgård", "Språkcafé",
    "Naturvandringar", "Kör för alla", "Trygga kvällar", "Digital vardag", "Ung ledare",
]  # fmt: skip


class JSONText(str):
    """A value that is JSON already (one snapshot shared by thousands of applications)."""


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in ascii_text.lower()).strip("-")


def _org_number(body: str) -> str:
    return body + luhn.calc_check_digit(body)


def _local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


# ---------------------------------------------------------------------------------------------
# Writing rows in bulk
# ---------------------------------------------------------------------------------------------


class Table:
    """Rows of one model, with ids chosen here; missing columns take the field's default."""

    def __init__(self, writer: Writer, model: type[models.Model], columns: list[str]):
        self.writer = writer
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no column(s) {sorted(unknown)}")
        rest = [f for name, f in fields.items() if name not in columns]
        self.attnames = list(columns) + [f.attname for f in rest]
        self.db_columns = [fields[a].column for a in self.attnames]
        self.fill = tuple(self._default(f) for f in rest)
        self.json = [
            (i, fields[a].null)
            for i, a in enumerate(self.attnames)
            if isinstance(fields[a], models.JSONField)
        ]
        self.rows: list[tuple] = []
        self.next_id = writer.first_id(model)
        self.count = 0

    def _default(self, f):
        if f.has_default():
            return f.get_default()
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return self.writer.now
        if f.null:
            return None
        if isinstance(f, models.CharField | models.TextField) and f.blank:
            return ""
        raise ValueError(f"{self.model.__name__}.{f.attname} needs a value")

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def add(self, *values) -> None:
        self.rows.append(values + self.fill if self.fill else values)
        if len(self.rows) >= self.writer.batch:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.writer.write(self)
            self.count += len(self.rows)
            self.rows = []


class Writer:
    def __init__(self, batch: int = 10000):
        self.batch = batch
        self.postgres = connection.vendor == "postgresql"
        self.now = timezone.now()
        self.tables: dict[type, Table] = {}
        self.seconds: dict[str, float] = {}

    def first_id(self, model) -> int:
        return (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1

    def table(self, model, columns: list[str]) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(self, model, columns)
        return self.tables[model]

    def write(self, table: Table) -> None:
        started = time.perf_counter()
        rows = table.rows
        if self.postgres:
            if table.json:
                rows = [self._json_pg(row, table.json) for row in rows]
            qn = connection.ops.quote_name
            sql = "COPY {} ({}) FROM STDIN".format(
                qn(table.model._meta.db_table), ", ".join(qn(c) for c in table.db_columns)
            )
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            qn = connection.ops.quote_name
            sql = "INSERT INTO {} ({}) VALUES ({})".format(
                qn(table.model._meta.db_table),
                ", ".join(qn(c) for c in table.db_columns),
                ", ".join(["%s"] * len(table.db_columns)),
            )
            json_columns = dict(table.json)
            prepared = []
            for row in rows:
                values = []
                for i, value in enumerate(row):
                    if i in json_columns:
                        if not isinstance(value, JSONText) and not (value is None and json_columns[i]):
                            value = json.dumps(value, ensure_ascii=False)
                    elif isinstance(value, datetime):
                        value = value.astimezone(UTC).replace(tzinfo=None)
                    elif isinstance(value, Token):
                        value = value.token
                    values.append(value)
                prepared.append(values)
            with connection.cursor() as cursor:
                cursor.executemany(sql, prepared)
        name = table.model._meta.label
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    @staticmethod
    def _json_pg(row, columns):
        row = list(row)
        for i, nullable in columns:
            value = row[i]
            if value is None and nullable:
                continue
            row[i] = value if isinstance(value, JSONText) else json.dumps(value, ensure_ascii=False)
        return row

    def finish(self) -> dict[str, int]:
        order = [
            User, Municipality, Committee, StaffRole, Delegation, Organisation, OrganisationActivity,
            OrganisationDocument, OrganisationRole, Program, ProgramBudget, BudgetCommitment, FormField,
            RequiredAttachment, EligibilityRule, Criterion, Round, Meeting, Attendance, Application,
            ApplicationAttachment, Assessment, CompletionRequest, CaseNumberSequence, DiariumEntry, Process,
            Task, Task.previous.through, AgendaItem, Decision, StateLog,
        ]  # fmt: skip
        for model in order:
            if model in self.tables:
                self.tables[model].flush()
        for table in self.tables.values():
            table.flush()
        if self.postgres:
            with connection.cursor() as cursor:
                for model in self.tables:
                    db_table = model._meta.db_table
                    pk = model._meta.pk.column
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence(%s, %s), "  # noqa: S608 - names from models
                        f"COALESCE((SELECT MAX({pk}) FROM {connection.ops.quote_name(db_table)}), 1))",
                        [db_table, pk],
                    )
        return {model._meta.label: table.count for model, table in self.tables.items()}


# ---------------------------------------------------------------------------------------------
# The plan: how many of what, where
# ---------------------------------------------------------------------------------------------


@dataclass
class Plan:
    scale: int
    seed: int = 2026
    municipalities: int = 0
    weights: list[float] = field(default_factory=list)

    @classmethod
    def for_scale(cls, scale: int, seed: int = 2026) -> Plan:
        rng = random.Random(seed)
        count = max(2, min(MAX_MUNICIPALITIES, round(scale / APPLICATIONS_PER_MUNICIPALITY)))
        # Municipalities differ in size (log-normal), the largest at most four times the mean.
        raw = sorted((rng.lognormvariate(0, 0.6) for _ in range(count)), reverse=True)
        mean = sum(raw) / count
        clipped = [min(w, 4 * mean) for w in raw]
        total = sum(clipped)
        return cls(scale=scale, seed=seed, municipalities=count, weights=[w / total for w in clipped])

    def applications_of(self) -> list[int]:
        counts = [int(w * self.scale) for w in self.weights]
        for i in range(self.scale - sum(counts)):
            counts[i % len(counts)] += 1
        return counts


# Rounds of a year: (program index, name, opens (month, day), closes (month, day), decided in month, share)
ROUNDS = [
    (0, "Verksamhetsstöd {year}", (1, 15), (3, 1), 6, 0.30),
    (1, "Projektstöd {year} – vår", (2, 1), (4, 1), 5, 0.20),
    (1, "Projektstöd {year} – höst", (9, 1), (11, 30), 12, 0.20),
    (2, "Verksamhetsstöd kultur och fritid {year}", (1, 15), (3, 1), 6, 0.30),
]
# Programs: (committee index, kind, name)
PROGRAMS = [
    (0, Program.Kind.OPERATING, "Verksamhetsstöd till sociala föreningar"),
    (0, Program.Kind.PROJECT, "Projektstöd för social gemenskap"),
    (1, Program.Kind.OPERATING, "Verksamhetsstöd kultur och fritid"),
]
COMMITTEES = [("Socialnämnden", "SN"), ("Kultur- och fritidsnämnden", "KFN")]
MEETING_MONTHS = [1, 2, 3, 4, 5, 6, 9, 10, 11, 12]
MEMBERS_PER_COMMITTEE = 7

S = Application.State
DECIDED_MIX = [("proposed", 0.86), ("dismissed", 0.06), ("withdrawn", 0.05), ("draft", 0.03)]
IN_FLIGHT_MIX = [
    ("draft", 0.18),
    ("submitted", 0.34),
    ("completion_requested", 0.08),
    ("in_assessment", 0.24),
    ("assessed", 0.09),
    ("withdrawn", 0.04),
    ("dismissed", 0.03),
]


def _decided_state(outcome: str) -> str:
    """The application's state after the committee's decision.

    Until grant decisions add their own states the decided end state is
    "proposed" (the proposal the committee decided on).
    """
    values = set(S.values)
    wanted = {"granted": "granted", "partly_granted": "partly_granted", "rejected": "rejected"}[outcome]
    return wanted if wanted in values else S.PROPOSED


#: the application's transition for each outcome of the committee's decision
DECIDE_TRANSITIONS = {"granted": "grant", "partly_granted": "grant_partly", "rejected": "reject"}


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------


@dataclass
class Result:
    scale: int
    municipalities: int
    rows: dict[str, int]
    seconds: float
    largest: dict = field(default_factory=dict)


class Generator:
    def __init__(self, scale: int, seed: int = 2026, batch: int = 10000, progress=None):
        self.plan = Plan.for_scale(scale, seed)
        self.rng = random.Random(seed)
        self.w = Writer(batch=batch)
        self.now = self.w.now
        self.today = timezone.localdate(self.now)
        self.first_year = self.today.year - YEARS + 1
        self.progress = progress or (lambda message: None)
        self.password = make_password(PASSWORD)
        self.ct_application = ContentType.objects.get_for_model(Application).pk
        self.ct_meeting = ContentType.objects.get_for_model(Meeting).pk
        self.ct_decision = ContentType.objects.get_for_model(Decision).pk
        self.ct_role = ContentType.objects.get_for_model(OrganisationRole).pk
        self.largest: dict = {}
        self._tables()

    def _tables(self) -> None:
        t = self.w.table
        self.users = t(User, ["id", "password", "email", "full_name", "is_superuser", "is_staff",
                              "email_verified_at", "date_joined"])  # fmt: skip
        self.municipalities = t(Municipality, ["id", "name", "slug", "org_number"])
        self.committees = t(Committee, ["id", "municipality_id", "name", "code"])
        self.staff_roles = t(StaffRole, ["id", "user_id", "municipality_id", "committee_id", "role", "state"])
        self.delegations = t(
            Delegation, ["id", "user_id", "committee_id", "matter", "max_amount", "valid_from", "state"]
        )
        self.organisations = t(Organisation, ["id", "name", "org_number", "kind", "purpose", "city", "email",
                                              "member_count", "account_type", "account_number"])  # fmt: skip
        self.activities = t(
            OrganisationActivity, ["id", "organisation_id", "municipality_id", "resident_members"]
        )
        self.documents = t(OrganisationDocument, ["id", "organisation_id", "doc_type", "year", "file",
                                                  "original_name", "content_type", "size", "sha256",
                                                  "uploaded_by_id", "uploaded_at"])  # fmt: skip
        self.org_roles = t(
            OrganisationRole, ["id", "user_id", "organisation_id", "kind", "state", "created_at"]
        )
        self.programs = t(Program, ["id", "municipality_id", "committee_id", "kind", "name", "rules_reference",
                                    "description", "delegation_limit", "created_at"])  # fmt: skip
        self.budgets = t(ProgramBudget, ["id", "program_id", "year", "amount"])
        self.commitments = t(BudgetCommitment, ["id", "budget_id", "description", "amount"])
        self.form_fields = t(FormField, ["id", "program_id", "kind", "label", "required", "order", "choices"])
        self.attachments_required = t(RequiredAttachment, ["id", "program_id", "label", "doc_type", "required",
                                                           "order"])  # fmt: skip
        self.rules = t(EligibilityRule, ["id", "program_id", "kind", "enabled", "params"])
        self.criteria = t(Criterion, ["id", "program_id", "name", "weight", "scale_min", "scale_max",
                                      "allow_not_applicable", "order"])  # fmt: skip
        self.rounds = t(Round, ["id", "program_id", "name", "year", "opens_at", "closes_at", "decision_date",
                                "snapshot", "snapshot_taken_at"])  # fmt: skip
        self.meetings = t(Meeting, ["id", "committee_id", "starts_at", "place", "state", "posted_on",
                                    "appeal_ends_on", "created_at", "created_by_id"])  # fmt: skip
        self.attendance = t(Attendance, ["id", "meeting_id", "user_id", "role", "party", "present", "adjuster",
                                         "approved_at"])  # fmt: skip
        self.applications = t(Application, [
            "id", "round_id", "organisation_id", "state", "title", "requested_amount", "answers", "snapshot",
            "democracy_declaration", "created_by_id", "created_at", "updated_at", "submitted_at", "eligibility",
            "completion_deadline", "proposed_amount", "proposal_motivation", "granted_amount", "score",
            "case_number", "registered_at",
        ])  # fmt: skip
        self.files = t(ApplicationAttachment, ["id", "application_id", "key", "file", "register_document_id",
                                               "original_name", "content_type", "size", "sha256",
                                               "uploaded_by_id", "uploaded_at"])  # fmt: skip
        self.assessments = t(Assessment, ["id", "application_id", "assessor_id", "comment", "scores",
                                          "weighted_score", "completed_at", "updated_at"])  # fmt: skip
        self.completions = t(CompletionRequest, ["id", "application_id", "message", "deadline",
                                                 "requested_by_id", "requested_at"])  # fmt: skip
        self.sequences = t(CaseNumberSequence, ["id", "committee_id", "year", "last_number"])
        self.diarium = t(DiariumEntry, ["id", "committee_id", "year", "number", "case_number", "title",
                                        "content_type_id", "object_id", "registered_at", "registered_by_id"])  # fmt: skip
        self.processes = t(Process, ["id", "flow_class", "status", "created", "finished",
                                     "artifact_content_type_id", "artifact_object_id"])  # fmt: skip
        self.tasks = t(Task, ["id", "process_id", "flow_task", "flow_task_type", "status", "created",
                              "assigned", "started", "finished", "scheduled", "token", "owner_id", "owner_permission",
                              "owner_permission_content_type_id", "owner_permission_obj_pk"])  # fmt: skip
        self.previous = t(Task.previous.through, ["id", "from_task_id", "to_task_id"])
        self.items = t(AgendaItem, [
            "id", "meeting_id", "kind", "content_type_id", "object_id", "group", "group_no", "order", "title",
            "case_number", "organisation_id", "requested_amount", "proposed_amount", "proposed_outcome",
            "proposal_text", "case_url", "added_at", "added_by_id",
        ])  # fmt: skip
        self.decisions = t(Decision, ["id", "content_type_id", "object_id", "committee_id", "item_id", "outcome",
                                      "amount", "conditions", "period_start", "period_end", "report_due",
                                      "decided_at", "decided_by_id", "final_at", "state"])  # fmt: skip
        self.logs = t(StateLog, ["id", "timestamp", "by_id", "source_state", "state", "transition",
                                 "content_type_id", "object_id", "description"])  # fmt: skip

    # -- helpers ------------------------------------------------------------------------------

    def _user(self, email: str, *, staff=False, superuser=False, name: str = "") -> int:
        uid = self.users.new_id()
        name = name or f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
        self.users.add(uid, self.password, email, name, superuser, staff or superuser, self.now, self.now)
        return uid

    def _log(self, at, by, source, target, transition, ct, object_id, description="") -> None:
        self.logs.add(self.logs.new_id(), at, by, source, target, transition, ct, object_id, description)

    def _pick(self, mix):
        r = self.rng.random()
        for value, share in mix:
            r -= share
            if r < 0:
                return value
        return mix[-1][0]

    def _between(self, start: datetime, end: datetime) -> datetime:
        return start + (end - start) * self.rng.random()

    # -- the whole country --------------------------------------------------------------------

    def run(self) -> Result:
        started = time.perf_counter()
        with transaction.atomic():
            self._skip_foreign_key_checks()
            self.admin_id = self._user("bench-admin@bidra.invalid", superuser=True, name="Bench Admin")
            counts = self.plan.applications_of()
            for index, applications in enumerate(counts):
                self.municipality(index, applications)
                if index % 10 == 0:
                    self.progress(
                        f"municipality {index + 1}/{len(counts)}: {self.applications.count} applications"
                    )
            rows = self.w.finish()
            rows.update(complete_decisions())
            rows.update(complete_reports())
            rows.update(complete_register())
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Vacuumed as well: the bulk load's updates leave most application rows dead, and
                # autovacuum would otherwise clean them up in the middle of a measured run.  (Not
                # inside a transaction, where VACUUM cannot run: the query-count test's data.)
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        return Result(
            self.plan.scale, self.plan.municipalities, rows, time.perf_counter() - started, self.largest
        )

    def _skip_foreign_key_checks(self) -> None:
        """The rows are consistent by construction: PostgreSQL need not check every foreign key.

        Django's foreign keys are checked at commit (deferred): for a million applications that
        is some thirty million checks queued during the COPYs and run by the COMMIT, longer than
        writing the rows.  A superuser can switch them off for this transaction (the replication
        role); anyone else gets the checks.
        """
        if not self.w.postgres:
            return
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            pass

    def municipality(self, index: int, n_applications: int) -> None:
        stem, ending = STEMS[index % len(STEMS)], ENDINGS[(index // len(STEMS)) % len(ENDINGS)]
        town = f"{stem}{ending}" if index < len(STEMS) * len(ENDINGS) else f"{stem}{ending} {index}"
        town = town[0] + town[1:].lower()
        mid = self.municipalities.new_id()
        slug = _slug(town)
        self.municipalities.add(mid, f"{town} kommun", slug, _org_number(f"2120{mid:05d}"))
        committees = []
        for name, code in COMMITTEES:
            cid = self.committees.new_id()
            self.committees.add(cid, mid, name, code)
            committees.append({"id": cid, "code": code, "members": [], "secretary": None})

        # Staff: caseworkers for the whole municipality, a secretary and members per committee.
        per_year = n_applications / YEARS
        caseworkers = []
        for k in range(max(2, min(12, round(per_year / 150)))):
            uid = self._user(f"handlaggare{k}@{slug}.bench.se")
            self.staff_roles.add(self.staff_roles.new_id(), uid, mid, None, StaffRole.Role.CASEWORKER, ACTIVE)
            self.delegations.add(
                self.delegations.new_id(), uid, committees[0]["id"], Delegation.Matter.GRANT, Decimal(30000),
                date(self.first_year, 1, 1), ACTIVE,
            )  # fmt: skip
            caseworkers.append(uid)
        admin = self._user(f"programadmin@{slug}.bench.se")
        self.staff_roles.add(
            self.staff_roles.new_id(), admin, mid, None, StaffRole.Role.PROGRAM_ADMIN, ACTIVE
        )
        for committee in committees:
            code = committee["code"].lower()
            committee["secretary"] = self._user(f"sekreterare-{code}@{slug}.bench.se")
            self.staff_roles.add(
                self.staff_roles.new_id(),
                committee["secretary"],
                mid,
                committee["id"],
                StaffRole.Role.SECRETARY,
                ACTIVE,
            )
            for k in range(MEMBERS_PER_COMMITTEE):
                uid = self._user(f"ledamot{k}-{code}@{slug}.bench.se")
                self.staff_roles.add(
                    self.staff_roles.new_id(), uid, mid, committee["id"], StaffRole.Role.MEMBER, ACTIVE
                )
                committee["members"].append(uid)

        organisations = self.organisations_of(mid, town, n_applications)
        programs = self.programs_of(mid, committees)
        meetings = self.meetings_of(committees)
        sequence: dict[tuple[int, int], int] = {}

        year_shares = [r[5] for r in ROUNDS]
        per_round_total = n_applications / YEARS
        for year in range(self.first_year, self.today.year + 1):
            for r_index, (p_index, name, opens, closes, decided_month, share) in enumerate(ROUNDS):
                program = programs[p_index]
                committee = committees[PROGRAMS[p_index][0]]
                count = round(per_round_total * share / sum(year_shares))
                self.round_of(
                    year, name.format(year=year), opens, closes, decided_month, program, committee, count,
                    organisations, caseworkers, meetings, sequence, r_index,
                )  # fmt: skip
        for (cid, year), last in sequence.items():
            self.sequences.add(self.sequences.new_id(), cid, year, last)
        if index == 0:
            self.largest.update(
                municipality_id=mid,
                caseworker_email=f"handlaggare0@{slug}.bench.se",
                secretary_email=f"sekreterare-sn@{slug}.bench.se",
                committee_id=committees[0]["id"],
            )

    def organisations_of(self, mid: int, town: str, n_applications: int) -> list[dict]:
        rng = self.rng
        largest_round = max(1, round(n_applications / YEARS * 0.3))
        count = max(10, largest_round, round(n_applications / 8))
        used: set[str] = set()
        result = []
        for _ in range(count):
            oid = self.organisations.new_id()
            name = f"{rng.choice(ORG_PREFIXES)} {rng.choice(ORG_NAMES)} {rng.choice(DISTRICTS)}"
            if name in used:
                name = f"{name} {oid}"
            used.add(name)
            name = f"{name}, {town}"
            kind = Organisation.Kind.NONPROFIT if rng.random() < 0.9 else Organisation.Kind.RELIGIOUS
            self.organisations.add(
                oid, name, _org_number(f"803{oid:06d}"), kind, rng.choice(PURPOSES), town,
                f"styrelsen@org{oid}.bench.se", rng.randint(15, 900), Organisation.AccountType.BANKGIRO,
                _org_number(f"5{oid:06d}"),
            )  # fmt: skip
            self.activities.add(self.activities.new_id(), oid, mid, rng.randint(10, 500))
            user = self._user(f"kassor{oid}@org{oid}.bench.se")
            role = self.org_roles.new_id()
            created = self.now - timedelta(days=rng.randint(30, 3650))
            self.org_roles.add(
                role, user, oid, OrganisationRole.Kind.SIGNATORY, OrganisationRole.State.ACTIVE, created
            )
            self._log(created, user, "requested", "active", "grant_on_registration", self.ct_role, role, "")
            statutes = self.documents.new_id()
            for doc_id, doc_type, year in (
                (statutes, OrganisationDocument.Type.STATUTES, self.today.year - 3),
                (self.documents.new_id(), OrganisationDocument.Type.ANNUAL_REPORT, self.today.year - 1),
            ):
                self.documents.add(
                    doc_id, oid, doc_type, year, f"documents/bench{doc_id:08x}", f"{doc_type}-{year}.pdf",
                    "application/pdf", 48213, "0" * 64, user, created,
                )  # fmt: skip
            result.append({"id": oid, "name": name, "user": user, "statutes": statutes})
        return result

    def programs_of(self, mid: int, committees: list[dict]) -> list[dict]:
        result = []
        for c_index, kind, name in PROGRAMS:
            pid = self.programs.new_id()
            committee = committees[c_index]
            self.programs.add(
                pid, mid, committee["id"], kind, name, f"{committee['code']} {self.first_year}:12",
                "Stöd till föreningar i kommunen.", Decimal(30000), _local(self.first_year, 1, 2),
            )  # fmt: skip
            fields = []
            for order, (f_kind, label, required, choices) in enumerate(
                [
                    (FormField.Kind.LONG_TEXT, "Vad ska stödet användas till?", True, ""),
                    (FormField.Kind.NUMBER, "Antal deltagare", False, ""),
                    (FormField.Kind.CHOICE, "Målgrupp", True, "Barn\nUnga\nÄldre\nAlla"),
                ],
                start=1,
            ):
                fid = self.form_fields.new_id()
                self.form_fields.add(fid, pid, f_kind, label, required, order, choices)
                fields.append(
                    {"id": fid, "key": f"field:{fid}", "kind": str(f_kind), "label": label, "help_text": "",
                     "required": required, "choices": [c for c in choices.splitlines() if c]}
                )  # fmt: skip
            attachments = []
            for order, (label, doc_type) in enumerate([("Stadgar", "statutes"), ("Budget", "")], start=1):
                aid = self.attachments_required.new_id()
                self.attachments_required.add(aid, pid, label, doc_type, True, order)
                attachments.append(
                    {"id": aid, "key": f"attachment:{aid}", "label": label, "doc_type": doc_type,
                     "help_text": "", "required": True}
                )  # fmt: skip
            rules = [
                ("org_kinds", {"kinds": ["nonprofit", "religious", "foundation"]}),
                ("democracy_declaration", {}),
            ]
            for r_kind, params in rules:
                self.rules.add(self.rules.new_id(), pid, r_kind, True, params)
            criteria = []
            for order, (c_name, weight) in enumerate(
                [("Når målgruppen", "2.00"), ("Kvalitet", "1.00")], start=1
            ):
                crid = self.criteria.new_id()
                self.criteria.add(crid, pid, c_name, Decimal(weight), 0, 5, order == 2, order)
                criteria.append(
                    {"id": crid, "name": c_name, "guidance": "", "weight": weight, "scale_min": 0,
                     "scale_max": 5, "allow_na": order == 2}
                )  # fmt: skip
            budgets = {}
            for year in range(self.first_year, self.today.year + 1):
                bid = self.budgets.new_id()
                self.budgets.add(
                    bid, pid, year, Decimal(2_000_000 if kind == Program.Kind.OPERATING else 800_000)
                )
                budgets[year] = bid
                if c_index == 0 and kind == Program.Kind.OPERATING:
                    self.commitments.add(self.commitments.new_id(), bid, "IOP Trygg Vardag", Decimal(84000))
            snapshot = {
                "taken_at": "",
                "program": {
                    "id": pid,
                    "name": name,
                    "kind": str(kind),
                    "rules_reference": "",
                    "rules_url": "",
                },
                "fields": fields,
                "attachments": attachments,
                "rules": [{"kind": k, "params": p} for k, p in rules],
                "criteria": criteria,
            }
            result.append({"id": pid, "name": name, "kind": kind, "snapshot": snapshot, "fields": fields,
                           "attachments": attachments, "criteria": criteria})  # fmt: skip
        return result

    def meetings_of(self, committees: list[dict]) -> dict[tuple[int, int, int], dict]:
        """Ten meetings a year per committee; past ones final, future ones planned."""
        rng = self.rng
        result = {}
        for committee in committees:
            for year in range(self.first_year, self.today.year + 1):
                for month in MEETING_MONTHS:
                    starts = _local(year, month, 10, 18, 0)
                    posted = (starts + timedelta(days=7)).date()
                    appeal_ends = posted + timedelta(days=21)
                    if starts.date() >= self.today:
                        state, posted, appeal_ends = Meeting.State.PLANNED, None, None
                    elif posted > self.today:
                        state, posted, appeal_ends = Meeting.State.MINUTES_APPROVED, None, None
                    elif appeal_ends >= self.today:
                        state = Meeting.State.POSTED
                    else:
                        state = Meeting.State.FINAL
                    meeting_id = self.meetings.new_id()
                    secretary = committee["secretary"]
                    created = starts - timedelta(days=40)
                    self.meetings.add(
                        meeting_id, committee["id"], starts, "Sammanträdesrummet, kommunhuset", state, posted,
                        appeal_ends, created, secretary,
                    )  # fmt: skip
                    steps = [
                        ("planned", "agenda_published", "publish_agenda", starts - timedelta(days=7)),
                        ("agenda_published", "held", "hold", starts + timedelta(hours=3)),
                        ("held", "minutes_approved", "approve_minutes", starts + timedelta(days=3)),
                        ("minutes_approved", "posted", "post", starts + timedelta(days=7)),
                        ("posted", "final", "make_final", starts + timedelta(days=29)),
                    ]
                    for source, target, name, at in steps:
                        if state == Meeting.State.PLANNED:
                            break
                        self._log(at, secretary, source, target, name, self.ct_meeting, meeting_id)
                        if target == state:
                            break
                    if state != Meeting.State.PLANNED:
                        for k, member in enumerate(committee["members"]):
                            present = k < 5 or rng.random() < 0.5
                            adjuster = k in (0, 1)
                            self.attendance.add(
                                self.attendance.new_id(), meeting_id, member, Attendance.Role.MEMBER,
                                rng.choice(["S", "M", "C", "V", "KD", "L", "MP", "SD"]), present or adjuster,
                                adjuster, starts + timedelta(days=3) if adjuster else None,
                            )  # fmt: skip
                    result[(committee["id"], year, month)] = {
                        "id": meeting_id, "starts": starts, "state": state, "items": 0, "groups": 0,
                        "final_at": starts + timedelta(days=29) if state == Meeting.State.FINAL else None,
                    }  # fmt: skip
        return result

    # -- a round and its applications ---------------------------------------------------------

    def round_of(self, year, name, opens, closes, decided_month, program, committee, count, organisations,
                 caseworkers, meetings, sequence, r_index) -> None:  # fmt: skip
        rng = self.rng
        opens_at = _local(year, *opens, 8, 0)
        closes_at = _local(year, *closes, 23, 59)
        meeting = meetings[(committee["id"], year, decided_month)]
        decided = meeting["state"] != Meeting.State.PLANNED
        if opens_at > self.now:
            return
        round_id = self.rounds.new_id()
        snapshot = dict(program["snapshot"], taken_at=opens_at.isoformat())
        self.rounds.add(
            round_id,
            program["id"],
            name,
            year,
            opens_at,
            closes_at,
            meeting["starts"].date(),
            snapshot,
            opens_at,
        )
        snapshot_json = JSONText(json.dumps(snapshot, ensure_ascii=False))
        eligibility = JSONText(
            json.dumps(
                [
                    {"kind": "org_kinds", "label": "Tillåtna organisationsformer", "ok": True, "reason": "",
                     "overridden": False, "override_reason": ""},
                    {"kind": "democracy_declaration", "label": "Demokrativillkoren intygade", "ok": True,
                     "reason": "", "overridden": False, "override_reason": ""},
                ],
                ensure_ascii=False,
            )
        )  # fmt: skip
        mix = DECIDED_MIX if decided else IN_FLIGHT_MIX
        # A round in flight has at least one application in each state, even in a tiny data set.
        first_states = [] if decided else [state for state, _share in IN_FLIGHT_MIX]
        count = max(count, len(first_states))
        still_open = closes_at > self.now
        window_end = min(closes_at, self.now)
        submitted_times = sorted(self._between(opens_at, window_end) for _ in range(count))
        applicants = rng.sample(organisations, min(count, len(organisations)))
        fields = program["fields"]
        purpose, participants, focus = (f["key"] for f in fields)
        budget_key = program["attachments"][1]["key"]
        statutes_key = program["attachments"][0]["key"]
        criteria = program["criteria"]
        items = []
        for index, (organisation, submitted_at) in enumerate(zip(applicants, submitted_times, strict=False)):
            state = first_states[index] if index < len(first_states) else self._pick(mix)
            if state == "draft" and not still_open and not decided:
                state = "withdrawn"
            app_id = self.applications.new_id()
            applicant = organisation["user"]
            created = submitted_at - timedelta(days=rng.randint(0, 10), minutes=rng.randint(1, 600))
            registered = state not in ("draft",) and not (state == "withdrawn" and rng.random() < 0.5)
            requested = Decimal(rng.randrange(5, 200) * 1000)
            title = rng.choice(PROJECT_TITLES) if program["kind"] == Program.Kind.PROJECT else name
            answers = {purpose: rng.choice(PURPOSES), participants: str(rng.randint(5, 300)),
                       focus: rng.choice(["Barn", "Unga", "Äldre", "Alla"])}  # fmt: skip
            case_number = ""
            proposed_amount = score = granted = None
            motivation = ""
            completion_deadline = None
            outcome = None
            t = submitted_at
            if registered:
                key = (committee["id"], year)
                sequence[key] = number = sequence.get(key, 0) + 1
                case_number = f"{committee['code']} {year}/{number}"
                self.diarium.add(
                    self.diarium.new_id(), committee["id"], year, number, case_number,
                    f"{program['name']}: {organisation['name']}"[:300], self.ct_application, app_id,
                    submitted_at, applicant,
                )  # fmt: skip
                self._log(
                    submitted_at, applicant, S.DRAFT, S.SUBMITTED, "submit", self.ct_application, app_id
                )
                self.files.add(
                    self.files.new_id(), app_id, budget_key, f"applications/bench{app_id:010x}", None,
                    "budget.pdf", "application/pdf", 23817, "0" * 64, applicant, created,
                )  # fmt: skip
                self.files.add(
                    self.files.new_id(), app_id, statutes_key, "", organisation["statutes"], "statutes.pdf",
                    "application/pdf", 48213, "0" * 64, applicant, submitted_at,
                )  # fmt: skip
            caseworker = rng.choice(caseworkers)
            if state in ("in_assessment", "assessed", "proposed"):
                t = submitted_at + timedelta(days=rng.randint(1, 20))
                self._log(t, caseworker, S.SUBMITTED, S.IN_ASSESSMENT, "accept", self.ct_application, app_id)
                n_assess = 0 if state == "in_assessment" and rng.random() < 0.6 else rng.choice((1, 1, 2))
                assessors = rng.sample(caseworkers, min(n_assess, len(caseworkers)))
                scores_total = []
                for assessor in assessors:
                    a_scores = {
                        str(c["id"]): {"score": rng.randint(1, 5), "na": False, "comment": ""}
                        for c in criteria
                    }
                    weighted = Decimal(
                        sum(a_scores[str(c["id"])]["score"] * Decimal(c["weight"]) for c in criteria)
                        / sum(Decimal(c["weight"]) for c in criteria)
                    ).quantize(Decimal("0.01"))
                    scores_total.append(weighted)
                    done = state != "in_assessment"
                    self.assessments.add(
                        self.assessments.new_id(), app_id, assessor, "Väl beskriven verksamhet.", a_scores,
                        weighted, t + timedelta(days=3) if done else None, t + timedelta(days=3),
                    )  # fmt: skip
                if scores_total:
                    score = (sum(scores_total) / len(scores_total)).quantize(Decimal("0.01"))
                if state in ("assessed", "proposed"):
                    t += timedelta(days=rng.randint(3, 15))
                    self._log(
                        t,
                        caseworker,
                        S.IN_ASSESSMENT,
                        S.ASSESSED,
                        "finish_assessment",
                        self.ct_application,
                        app_id,
                    )
                if state == "proposed":
                    t += timedelta(days=rng.randint(1, 10))
                    proposed_amount = (
                        requested * Decimal(rng.choice(["1", "0.8", "0.6", "0.5", "0"]))
                    ).quantize(Decimal("1000"))
                    motivation = "Verksamheten når målgruppen och är väl förankrad."
                    self._log(
                        t,
                        caseworker,
                        S.ASSESSED,
                        S.PROPOSED,
                        "propose",
                        self.ct_application,
                        app_id,
                        motivation,
                    )
            elif state == "dismissed":
                t = submitted_at + timedelta(days=rng.randint(2, 20))
                self._log(t, caseworker, S.SUBMITTED, S.DISMISSED, "dismiss", self.ct_application, app_id,
                          "Föreningen uppfyller inte villkoren.")  # fmt: skip
            elif state == "withdrawn":
                t = submitted_at + timedelta(days=rng.randint(1, 20))
                source = S.SUBMITTED if registered else S.DRAFT
                self._log(t, applicant, source, S.WITHDRAWN, "withdraw", self.ct_application, app_id,
                          "Vi har fått stöd på annat sätt.")  # fmt: skip
            elif state == "completion_requested":
                t = min(submitted_at + timedelta(days=rng.randint(1, 10)), self.now - timedelta(hours=1))
                completion_deadline = (t + timedelta(days=14)).date()
                self._log(t, caseworker, S.SUBMITTED, S.COMPLETION_REQUESTED, "request_completion",
                          self.ct_application, app_id, "Skicka verksamhetsberättelsen.")  # fmt: skip
                self.completions.add(
                    self.completions.new_id(), app_id, "Skicka verksamhetsberättelsen.", completion_deadline,
                    caseworker, t,
                )  # fmt: skip
            final_state = state
            if state == "proposed" and decided:
                outcome = (
                    Decision.Outcome.REJECTED if proposed_amount == 0
                    else Decision.Outcome.GRANTED if proposed_amount == requested
                    else Decision.Outcome.PARTLY_GRANTED
                )  # fmt: skip
                final_state = _decided_state(outcome)
                if final_state != S.PROPOSED:
                    self._log(meeting["starts"], committee["secretary"], S.PROPOSED, final_state,
                              DECIDE_TRANSITIONS[str(outcome)], self.ct_application, app_id)  # fmt: skip
                granted = proposed_amount if outcome != Decision.Outcome.REJECTED else None
            self.applications.add(
                app_id, round_id, organisation["id"], final_state, title, requested, answers, snapshot_json, True,
                applicant, created, t, submitted_at if registered else None, eligibility if registered else [],
                completion_deadline, proposed_amount, motivation, granted, score, case_number,
                submitted_at if registered else None,
            )  # fmt: skip
            if registered:
                self.process_of(app_id, state, submitted_at, t, caseworker, completion_deadline)
            if outcome is not None:
                items.append(
                    (
                        app_id,
                        organisation,
                        title,
                        case_number,
                        requested,
                        proposed_amount,
                        outcome,
                        motivation,
                        caseworker,
                    )
                )
        if items:
            self.agenda_of(meeting, committee, name, items)

    def process_of(self, app_id, state, submitted_at, changed_at, caseworker, completion_deadline) -> None:
        """The viewflow process and tasks the services leave behind for an application in ``state``."""
        rng = self.rng
        flow = "grants/flows.ApplicationFlow"
        done = state in ("proposed", "dismissed", "withdrawn")
        pid = self.processes.new_id()
        self.processes.add(pid, flow, "DONE" if done else "NEW", submitted_at, changed_at if done else None,
                           self.ct_application, app_id)  # fmt: skip
        app_pk = str(app_id)
        previous = None

        def task(node, kind, status, created, owner=None, finished=None, scheduled=None, human=False):
            nonlocal previous
            tid = self.tasks.new_id()
            assigned = created if owner else None
            self.tasks.add(
                tid, pid, f"{flow}.{node}", kind, status, created, assigned,
                created if status == "DONE" and human else None, finished, scheduled, "start", owner,
                "grants.handle_application" if human else None, self.ct_application if human else None,
                app_pk if human else None,
            )  # fmt: skip
            if previous is not None:
                self.previous.add(self.previous.new_id(), tid, previous)
            previous = tid
            return tid

        task("start", "START", "DONE", submitted_at, finished=submitted_at)
        if state == "submitted":
            owner = caseworker if rng.random() < 0.5 else None
            task("screen", "HUMAN", "ASSIGNED" if owner else "NEW", submitted_at, owner=owner, human=True)
            return
        task("screen", "HUMAN", "DONE", submitted_at, owner=caseworker, finished=changed_at, human=True)
        task("route", "SWITCH", "DONE", changed_at, finished=changed_at)
        if state == "completion_requested":
            task("await_completion", "FUNCTION", "NEW", changed_at)
            due = datetime.combine(completion_deadline, datetime.max.time(), tzinfo=TZ)
            task("await_completion__timeout", "TIMER", "SCHEDULED", changed_at, scheduled=due)
            return
        if state in ("in_assessment", "assessed"):
            owner = caseworker if rng.random() < 0.6 else None
            task("assess", "HUMAN", "ASSIGNED" if owner else "NEW", changed_at, owner=owner, human=True)
            return
        if state == "proposed":
            task("assess", "HUMAN", "DONE", changed_at, owner=caseworker, finished=changed_at, human=True)
            task("route", "SWITCH", "DONE", changed_at, finished=changed_at)
        task("end", "END", "DONE", changed_at, finished=changed_at)

    def agenda_of(self, meeting: dict, committee: dict, group: str, items: list) -> None:
        meeting["groups"] += 1
        group_no = meeting["groups"]
        starts = meeting["starts"]
        for (
            app_id,
            organisation,
            title,
            case_number,
            requested,
            proposed,
            outcome,
            motivation,
            caseworker,
        ) in items:
            meeting["items"] += 1
            item_id = self.items.new_id()
            self.items.add(
                item_id, meeting["id"], AgendaItem.Kind.DECISION, self.ct_application, app_id, group, group_no,
                meeting["items"], f"{organisation['name']} – {title}"[:300], case_number, organisation["id"],
                requested, proposed, "rejected" if outcome == Decision.Outcome.REJECTED else "granted", motivation,
                f"/ansokningar/{app_id}/", starts - timedelta(days=14), caseworker,
            )  # fmt: skip
            amount = proposed if outcome != Decision.Outcome.REJECTED else None
            year = starts.year
            decision_id = self.decisions.new_id()
            final = meeting["final_at"] is not None
            self.decisions.add(
                decision_id, self.ct_application, app_id, committee["id"], item_id, outcome, amount,
                "", date(year, 7, 1) if amount else None, date(year + 1, 6, 30) if amount else None,
                date(year + 1, 9, 30) if amount else None, starts, committee["secretary"], meeting["final_at"],
                Decision.State.FINAL if final else Decision.State.STANDING,
            )  # fmt: skip
            if final:  # made final by the periodic check, with the meeting
                self._log(meeting["final_at"], committee["secretary"], "standing", "final", "make_final",
                          self.ct_decision, decision_id, "Överklagandetiden har gått ut.")  # fmt: skip


def complete_decisions() -> dict[str, int]:
    """What the services leave after a committee's decision, written in set-based SQL.

    Each decided application points at its decision; every decision of a meeting whose minutes
    are approved has its decision letter (a stored PDF) and, when it grants money, its payment
    (paid once the meeting is final, planned before).  Letters and payments are written only
    into a data set that has none yet (one generated before they existed is completed by
    ``bench.run --reuse``): a statement that inserts into a table while checking that same
    table row by row reads every page it has just written, again for each row.
    """
    from grants.models import DecisionLetter
    from payments.models import Payment
    from workflows.models import StoredDocument

    qn = connection.ops.quote_name
    committee = qn(Committee._meta.db_table)
    app, dec, item, meeting, org = (
        qn(m._meta.db_table) for m in (Application, Decision, AgendaItem, Meeting, Organisation)
    )
    doc, letter, payment = (qn(m._meta.db_table) for m in (StoredDocument, DecisionLetter, Payment))
    ct = ContentType.objects.get_for_model(Application).pk
    approved = "('minutes_approved', 'posted', 'final')"
    decided = (
        f"FROM {dec} d JOIN {app} a ON a.id = d.object_id JOIN {item} i ON i.id = d.item_id "
        f"JOIN {meeting} m ON m.id = i.meeting_id WHERE d.content_type_id = %s AND m.state IN {approved}"
    )
    counts = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Rows written in this transaction have no statistics yet: without them the planner
            # joins a million rows by nested loops.
            cursor.execute(f"ANALYZE {app}, {dec}, {item}, {meeting}, {org}")
        cursor.execute(
            f"UPDATE {app} SET decision_id = d.id FROM {dec} d "  # noqa: S608 - names from models
            f"WHERE d.content_type_id = %s AND d.object_id = {app}.id AND {app}.decision_id IS NULL",
            [ct],
        )
        counts["applications linked to their decision"] = cursor.rowcount
        if not DecisionLetter.objects.exists():
            cursor.execute(
                f"INSERT INTO {doc} (content_type_id, object_id, kind, version, title, file, sha256, "  # noqa: S608
                "source_sha256, size, created_at, created_by_id) "
                f"SELECT d.content_type_id, d.object_id, 'decision_letter', 1, 'Beslut ' || a.case_number, "
                f"'generated/bench/letter-' || d.id || '.pdf', '{'0' * 64}', '{'0' * 64}', 31873, "
                f"d.decided_at, d.decided_by_id {decided}",
                [ct],
            )
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {doc}")
            cursor.execute(
                f"INSERT INTO {letter} (application_id, decision_id, document_id, subject, created_at) "  # noqa: S608
                f"SELECT d.object_id, d.id, x.id, x.title, x.created_at FROM {doc} x "
                f"JOIN {dec} d ON d.content_type_id = x.content_type_id AND d.object_id = x.object_id "
                f"WHERE x.kind = 'decision_letter' AND x.content_type_id = %s",
                [ct],
            )
            counts["decision letters"] = cursor.rowcount
        if not Payment.objects.exists():
            cursor.execute(
                f"INSERT INTO {payment} (content_type_id, object_id, decision_id, period, municipality_id, "  # noqa: S608
                "instalment, instalments, amount, due_on, state, organisation_name, org_number, account_type, "
                "account_number, reference, paid_on, created_at) "
                "SELECT d.content_type_id, a.id, d.id, '', c.municipality_id, 1, 1, d.amount, d.period_start, "
                "CASE WHEN m.state = 'final' THEN 'paid' ELSE 'planned' END, o.name, o.org_number, "
                "o.account_type, o.account_number, a.case_number, "
                "CASE WHEN m.state = 'final' THEN d.period_start END, d.decided_at "
                f"FROM {dec} d JOIN {app} a ON a.id = d.object_id JOIN {item} i ON i.id = d.item_id "
                f"JOIN {meeting} m ON m.id = i.meeting_id JOIN {org} o ON o.id = a.organisation_id "
                f"JOIN {committee} c ON c.id = d.committee_id "
                f"WHERE d.content_type_id = %s AND m.state IN {approved} AND d.amount IS NOT NULL",
                [ct],
            )
            counts["payments"] = cursor.rowcount
    return counts


def complete_reports() -> dict[str, int]:
    """The follow-up reports of every grant whose decision may be executed, in set-based SQL
    (PostgreSQL; the reminder scan is measured there).

    Due on the decision's report date (else a month after the grant period, else a year after the
    decision). Reports due long ago are mostly approved, one in fifty never came in (overdue, its
    overdue reminder sent the day after the due date) and one in fifty was not approved; of those
    due in the last month some are submitted or overdue; the coming ones are upcoming, or due
    once they may be submitted (60 days before), with the reminders whose day has passed sent, so
    that a scan measures one ordinary day.
    """
    from grants.models import Round
    from reporting.models import FollowUpReport, ReportReminder

    if connection.vendor != "postgresql" or FollowUpReport.objects.exists():
        return {}
    qn = connection.ops.quote_name
    app, dec, item, meeting, rnd = (
        qn(m._meta.db_table) for m in (Application, Decision, AgendaItem, Meeting, Round)
    )
    report, reminder = qn(FollowUpReport._meta.db_table), qn(ReportReminder._meta.db_table)
    ct = ContentType.objects.get_for_model(Application).pk
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH x AS (SELECT a.id AS app_id, a.organisation_id, r.program_id, d.id AS dec_id, "  # noqa: S608
            "d.decided_at, COALESCE(d.report_due, d.period_end + 30, d.decided_at::date + 365) AS due "
            f"FROM {dec} d JOIN {app} a ON a.id = d.object_id JOIN {rnd} r ON r.id = a.round_id "
            f"JOIN {item} i ON i.id = d.item_id JOIN {meeting} m ON m.id = i.meeting_id "
            "WHERE d.content_type_id = %s AND d.amount IS NOT NULL AND NOT d.annulled "
            "AND m.state IN ('minutes_approved', 'posted', 'final') "
            "AND a.state IN ('granted', 'partly_granted')) "
            f"INSERT INTO {report} (case_number, state, application_id, organisation_id, program_id, "
            "decision_id, opens_on, due_on, snapshot, answers, review_notes, completion_message, "
            "outcome_reasons, created_at, updated_at) "
            "SELECT '', CASE "
            "WHEN due >= CURRENT_DATE THEN CASE WHEN due - 60 <= CURRENT_DATE THEN 'due' ELSE 'upcoming' END "
            "WHEN due >= CURRENT_DATE - 30 THEN CASE app_id %% 5 WHEN 0 THEN 'overdue' WHEN 1 THEN 'submitted' "
            "ELSE 'approved' END "
            "ELSE CASE app_id %% 50 WHEN 0 THEN 'overdue' WHEN 1 THEN 'not_approved' ELSE 'approved' END END, "
            "app_id, organisation_id, program_id, dec_id, due - 60, due, '{}', '{}', '', '', '', "
            "decided_at, decided_at FROM x",
            [ct],
        )
        counts["follow-up reports"] = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {reminder} (report_id, kind, sent_on, skipped) "  # noqa: S608
            f"SELECT id, 'overdue', due_on + 1, false FROM {report} "
            "WHERE state = 'overdue' AND due_on < CURRENT_DATE - 1"
        )
        counts["overdue reminders already sent"] = cursor.rowcount
        # The default reminders (30 and 7 days before) whose day has passed went out on their day.
        cursor.execute(
            f"INSERT INTO {reminder} (report_id, kind, sent_on, skipped) "  # noqa: S608
            f"SELECT id, 'before:' || n, due_on - n, false FROM {report} CROSS JOIN (VALUES (30), (7)) v(n) "
            "WHERE state IN ('upcoming', 'due') AND due_on >= CURRENT_DATE AND due_on - n < CURRENT_DATE"
        )
        counts["reminders before the due date already sent"] = cursor.rowcount
        cursor.execute(f"ANALYZE {report}, {reminder}")
    return counts


def complete_register() -> dict[str, int]:
    """The public register (``insight.RegisterEntry``) of every municipality, in one set-based
    statement from the register's own definition (what the nightly refresh would write)."""
    from insight.services import register_rebuild

    if connection.vendor == "postgresql":
        from insight.models import RegisterEntry

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the decisions' links and reports just written
        entries = register_rebuild()
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(RegisterEntry._meta.db_table)}")
        return {"register entries": entries}
    return {"register entries": register_rebuild()}


def generate(scale: int, seed: int = 2026, progress=None) -> Result:
    """Build the data set for ``scale`` applications in the current database."""
    return Generator(scale, seed=seed, progress=progress).run()
