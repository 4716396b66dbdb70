"""Run the benchmarks: ``python -m bench.run --scale 100000``.

Creates (or reuses) a dedicated PostgreSQL database, migrates it, fills it
with ``bench.generate`` at the chosen scale and measures, in process with
Django's test client, every list and detail page a caseworker, applicant or
secretary uses daily (median and 95th percentile server time, SQL queries),
the Django admin's change list of applications on the same data as a
baseline, submissions over HTTP against gunicorn, and the periodic timer and
finality scans.  Writes ``bench/results/<scale>.md`` and ``<scale>.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"

#: the Celery queue of the benchmark's tasks (on Redis database 14)
QUEUE = "bidra-bench"
#: targets (ms) for pages, submissions and scans
PAGE_P95_MS = 100.0
SUBMIT_RATE = 80.0
SUBMIT_P95_MS = 200.0
SCAN_S = 2.0
DECISIONS_S = 5.0
LETTERS_S = 60.0
WORKER_MB = 500.0


def _database_url(args) -> str:
    return args.database_url or f"postgres://postgres@127.0.0.1:5432/bidra_bench_{args.scale}"


def _prepare_database(url: str, *, fresh: bool) -> None:
    """Create the PostgreSQL database (dropped first unless it is reused)."""
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return
    import psycopg

    name = parsed.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SystemExit(f"refusing an unusual database name: {name!r}")
    admin = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# ---------------------------------------------------------------------------------------------
# Pages, in process
# ---------------------------------------------------------------------------------------------


def measure_page(client, url: str, *, repetitions: int, warmup: int) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times, cpu, sql, queries = [], [], [], []
    for i in range(warmup + repetitions):
        reset_queries()  # the query log keeps 9 000 entries: a full one would count no query
        with CaptureQueriesContext(connection) as ctx:
            started, cpu_started = time.perf_counter(), time.thread_time()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            cpu_ms = (time.thread_time() - cpu_started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        if i >= warmup:
            times.append(elapsed)
            cpu.append(cpu_ms)
            sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
            queries.append(len(ctx.captured_queries))
    return {
        "url": url,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(_percentile(times, 95), 1),
        "python_cpu_p50_ms": round(statistics.median(cpu), 1),
        "sql_p50_ms": round(statistics.median(sql), 1),
        "queries": sorted(set(queries)),
        "repetitions": repetitions,
        "bytes": len(response.content),
    }


def signed_in(client, user):
    """``client`` signed in as ``user``, staff with their second factor passed (as in the tests)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.twofactor import requires_second_factor

    client.force_login(user)
    if requires_second_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="Bidra", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def subjects() -> dict:
    """The people and objects the pages are measured on: the largest municipality's."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count, Q
    from django.utils import timezone

    from grants.models import Application, Round
    from meetings.models import Decision, Meeting
    from organizations.models import Committee, OrganisationRole, StaffRole, User

    now = timezone.now()
    municipality_id = (
        Round.objects.values("program__municipality_id")
        .annotate(n=Count("applications"))
        .order_by("-n")
        .values_list("program__municipality_id", flat=True)
        .first()
    )
    rounds = Round.objects.filter(program__municipality_id=municipality_id)
    open_round = rounds.filter(opens_at__lte=now, closes_at__gt=now).order_by("-opens_at").first()
    largest_round = (
        rounds.annotate(n=Count("applications", filter=~Q(applications__case_number="")))
        .order_by("-n", "-opens_at")
        .first()
    )
    open_round = open_round or largest_round
    caseworker = (
        User.objects.filter(
            staff_roles__municipality_id=municipality_id, staff_roles__role=StaffRole.Role.CASEWORKER
        )
        .order_by("pk")
        .first()
    )
    committee = Committee.objects.filter(municipality_id=municipality_id).order_by("pk").first()
    secretary = (
        User.objects.filter(staff_roles__committee=committee, staff_roles__role=StaffRole.Role.SECRETARY)
        .order_by("pk")
        .first()
    )
    busiest_org = (
        Application.objects.filter(round__program__municipality_id=municipality_id)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation_id")
        .values_list("organisation_id", flat=True)
        .first()
    )
    applicant = (
        OrganisationRole.objects.filter(organisation_id=busiest_org, state="active")
        .order_by("pk")
        .first()
        .user
    )
    registered = Application.objects.exclude(case_number="")
    in_assessment = registered.filter(round=open_round, state=Application.State.IN_ASSESSMENT).first() or (
        registered.filter(round=open_round).first()
    )
    decided_ids = Decision.objects.filter(
        content_type=ContentType.objects.get_for_model(Application),
        item__meeting__committee__municipality_id=municipality_id,
    ).values("object_id")
    decided = (
        registered.filter(round=largest_round, pk__in=decided_ids).first()
        or registered.filter(pk__in=decided_ids).order_by("-pk").first()
    )
    if in_assessment is None:  # a very small data set: any registered application will do
        in_assessment = registered.filter(round__program__municipality_id=municipality_id).first()
    meeting = (
        Meeting.objects.filter(committee=committee)
        .annotate(n=Count("items"))
        .order_by("-n", "-starts_at")
        .first()
    )
    planned = (
        Meeting.objects.filter(committee=committee, state=Meeting.State.PLANNED).order_by("starts_at").first()
        or meeting
    )
    with_org_noun = registered.filter(round=largest_round).select_related("organisation").first()
    return {
        "municipality_id": municipality_id,
        "open_round": open_round,
        "largest_round": largest_round,
        "caseworker": caseworker,
        "secretary": secretary,
        "applicant": applicant,
        "committee": committee,
        "in_assessment": in_assessment,
        "decided": decided,
        "meeting": meeting,
        "meeting_items": meeting.n,
        "planned": planned,
        "org_word": with_org_noun.organisation.name.split()[1],
        "case_number": with_org_noun.case_number,
        "superuser": User.objects.filter(is_superuser=True).order_by("pk").first(),
    }


def page_scenarios(s: dict) -> list[tuple[str, str, str]]:
    """(name, who, url) of every page measured."""
    from django.urls import reverse

    from grants.selectors import applications_for_round

    def last_page(round):
        n = applications_for_round(round=round, user=s["caseworker"]).count()
        return max(1, math.ceil(n / 25))

    inbox = reverse("grants:inbox")
    open_list = reverse("grants:round_applications", args=[s["open_round"].pk])
    big_list = reverse("grants:round_applications", args=[s["largest_round"].pk])
    from grants.selectors import inbox_tasks

    inbox_last = max(1, math.ceil(inbox_tasks(user=s["caseworker"]).count() / 25))
    slug = s["committee"].municipality.slug
    return [
        ("Caseworker's inbox", "caseworker", inbox),
        ("Caseworker's inbox, last page", "caseworker", f"{inbox}?page={inbox_last}"),
        ("Caseworker's inbox, only mine", "caseworker", f"{inbox}?mine=on"),
        ("Round applications (open round)", "caseworker", open_list),
        ("Round applications (largest round), by organisation", "caseworker", f"{big_list}?sort=organisation"),
        ("Round applications (largest round), last page", "caseworker", f"{big_list}?page={last_page(s['largest_round'])}"),
        ("Round applications, filtered by state", "caseworker", f"{open_list}?state=in_assessment&sort=-amount"),
        ("Round applications, search organisation name", "caseworker", f"{big_list}?q={s['org_word']}"),
        ("Round applications, search case number", "caseworker", f"{big_list}?q={s['case_number']}"),
        ("Organisation search by name", "caseworker", f"{reverse('organizations:search')}?q={s['org_word']}"),
        ("Application page (in assessment)", "caseworker", reverse("grants:application_detail", args=[s["in_assessment"].pk])),
        ("Application page (decided)", "caseworker", reverse("grants:application_detail", args=[s["decided"].pk])),
        ("Application history", "caseworker", reverse("workflows:history", args=["grants", "application", s["decided"].pk])),
        ("Staff start page (caseworker)", "caseworker", reverse("home")),
        ("Staff start page (secretary)", "secretary", reverse("home")),
        ("Applicant's start page", "applicant", reverse("home")),
        ("Applicant's applications", "applicant", reverse("grants:my_applications")),
        ("Open rounds for the applicant", "applicant", reverse("grants:rounds")),
        ("Meeting page (the largest agenda)", "secretary", reverse("meetings:meeting_detail", args=[s["meeting"].pk])),
        ("Meeting agenda (planned meeting)", "secretary", reverse("meetings:meeting_agenda", args=[s["planned"].pk])),
        ("Meeting list of the committee", "secretary", reverse("meetings:meeting_list", args=[s["committee"].pk])),
        ("Meetings start page", "secretary", reverse("meetings:meetings")),
        ("Public start page of the municipality", "applicant", reverse("portal:start", args=[slug])),
        ("Public start page, guide answered", "applicant", reverse("portal:start", args=[slug]) + "?kind=nonprofit&size=small&amount=20000"),
        ("Public directory of organisations", "applicant", reverse("portal:directory", args=[slug])),
        ("Board of needs and initiatives", "applicant", reverse("portal:board", args=[slug])),
        *insight_scenarios(s),
    ]  # fmt: skip


def insight_scenarios(s: dict) -> list[tuple[str, str, str]]:
    """The public register, its open-data page and the staff dashboard of the largest municipality."""
    from django.urls import reverse

    from insight.selectors import register_entries
    from organizations.models import Municipality

    municipality = Municipality.objects.get(pk=s["municipality_id"])
    slug = municipality.slug
    register = reverse("insight:register", kwargs={"slug": slug})
    register_last = max(1, math.ceil(register_entries(municipality=municipality).count() / 25))
    organisation = s["decided"].organisation_id
    year = s["largest_round"].year
    return [
        ("Public register", "applicant", register),
        ("Public register, last page", "applicant", f"{register}?page={register_last}"),
        ("Public register, search organisation name", "applicant", f"{register}?q={s['org_word']}"),
        ("Public register, one program and year", "applicant", f"{register}?program={s['largest_round'].program_id}&year={year}"),
        ("Public register of an organisation", "applicant", reverse("insight:organisation", kwargs={"slug": slug, "pk": organisation})),
        ("Open data files", "applicant", reverse("insight:open_data", kwargs={"slug": slug})),
        ("Staff dashboard", "caseworker", f"{reverse('insight:dashboard')}?ar={year}"),
    ]  # fmt: skip


def run_pages(s: dict, *, repetitions: int, warmup: int, log) -> tuple[list[dict], dict]:
    from django.test import Client
    from django.urls import reverse

    clients = {}
    for who in ("caseworker", "secretary", "applicant", "superuser"):
        clients[who] = signed_in(Client(), s[who])
    results = []
    for name, who, url in page_scenarios(s):
        result = measure_page(clients[who], url, repetitions=repetitions, warmup=warmup)
        result.update(name=name, who=who)
        log(
            f"  {name}: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms (python {result['python_cpu_p50_ms']},"
            f" sql {result['sql_p50_ms']}), {result['queries']} queries"
        )
        results.append(result)
    admin = measure_page(
        clients["superuser"],
        reverse("admin:grants_application_changelist"),
        repetitions=repetitions,
        warmup=warmup,
    )
    admin.update(name="Django admin change list of applications (baseline)", who="superuser")
    log(f"  admin: p50 {admin['p50_ms']} ms, p95 {admin['p95_ms']} ms, {admin['queries']} queries")
    return results, admin


# ---------------------------------------------------------------------------------------------
# Submissions over HTTP
# ---------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _broker_url() -> str:
    """A Redis broker when one answers on localhost (as in production), else Celery's in-memory one."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(16).startswith(b"+PONG"):
                return "redis://127.0.0.1:6379/14"
    except OSError:
        pass
    return "memory://"


def _town_for_submissions(count: int, s: dict, now):
    """A municipality of its own for the submissions, with ``count`` organisations whose
    signatories apply, and a round open now with the form of the largest municipality's latest
    round.  The submitted applications stay in the data set; in the measured municipality they
    would fill its caseworkers' inbox a little more with every run and slow the pages measured
    next time (the June meeting has a municipality of its own for the same reason)."""
    from django.contrib.auth.hashers import make_password
    from django.db.models import Max

    from bench.generate import PASSWORD, _org_number
    from bench.june import signatory_organisations
    from grants.models import Program, Round
    from organizations.models import Committee, Municipality, OrganisationDocument

    latest = (
        Round.objects.filter(program__municipality_id=s["municipality_id"])
        .select_related("program")
        .order_by("-closes_at")
        .first()
    )
    n = (Municipality.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    town = f"Inlämningsby {n}"
    municipality = Municipality.objects.create(
        name=f"{town} kommun", slug=f"inlamningsby-{n}", org_number=_org_number(f"2128{n:05d}")
    )
    committee = Committee.objects.create(
        municipality=municipality, name="Kultur- och fritidsnämnden", code="KFN"
    )
    program = Program.objects.create(
        municipality=municipality,
        committee=committee,
        kind=latest.program.kind,
        name=latest.program.name,
        rules_reference=latest.program.rules_reference,
        description=latest.program.description,
    )
    round = Round.objects.create(
        program=program,
        name=latest.name,
        year=now.year,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        decision_date=(now + timedelta(days=60)).date(),
        snapshot=latest.snapshot,
        snapshot_taken_at=now,
    )
    organisations, users, roles = signatory_organisations(
        municipality=municipality,
        town=town,
        tag=f"inl{n}",
        count=count,
        password=make_password(PASSWORD),
        series=5,
    )
    # the register documents every generated organisation has (statutes, last year's annual
    # report): a submission links them to the application instead of an upload
    OrganisationDocument.objects.bulk_create(
        OrganisationDocument(
            organisation=o,
            doc_type=doc_type,
            year=now.year - age,
            file=f"documents/bench-{doc_type}",
            original_name=f"{doc_type}-{now.year - age}.pdf",
            content_type="application/pdf",
            size=48213,
            sha256="0" * 64,
            uploaded_by=u,
        )
        for u, o in zip(users, organisations, strict=True)
        for doc_type, age in (
            (OrganisationDocument.Type.STATUTES, 3),
            (OrganisationDocument.Type.ANNUAL_REPORT, 1),
        )
    )
    return round, roles


def prepare_drafts(count: int, s: dict) -> list[dict]:
    """Filled-in drafts in a round of a municipality of its own, each with a signed-in session of
    its applicant."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import transaction
    from django.utils import timezone

    from grants.models import Application, ApplicationAttachment

    now = timezone.now()
    drafts = []
    with transaction.atomic():
        round, roles = _town_for_submissions(count, s, now)
        snapshot = round.snapshot
        fields = {f["label"]: f for f in snapshot["fields"]}
        budget = next(a for a in snapshot["attachments"] if not a["doc_type"])
        for role in roles:
            application = Application.objects.create(
                round=round,
                organisation=role.organisation,
                title="Träffpunkt för äldre",
                requested_amount=40000,
                snapshot=snapshot,
                democracy_declaration=True,
                created_by=role.user,
            )
            ApplicationAttachment.objects.create(
                application=application,
                key=budget["key"],
                file="applications/bench-budget",
                original_name="budget.pdf",
                content_type="application/pdf",
                size=1000,
                sha256="0" * 64,
                uploaded_by=role.user,
            )
            session = import_module(settings.SESSION_ENGINE).SessionStore()
            session[SESSION_KEY] = str(role.user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
            session[HASH_SESSION_KEY] = role.user.get_session_auth_hash()
            session.create()
            data = {
                "title": "Träffpunkt för äldre",
                "requested_amount": "40000",
                f"f{fields['Vad ska stödet användas till?']['id']}": "Veckoträffar med lunch.",
                f"f{fields['Antal deltagare']['id']}": "25",
                f"f{fields['Målgrupp']['id']}": "Äldre",
                "democracy_declaration": "on",
                "submit": "1",
            }
            drafts.append({"pk": application.pk, "session": session.session_key, "data": data})
    return drafts


def _process_cpu_seconds(pid: int) -> tuple[int, float]:
    """(parent pid, user + system CPU seconds) of a process, from /proc (Linux)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_by_process(server_pid: int) -> dict:
    """CPU seconds used so far by the web server (gunicorn and its workers), by each of
    PostgreSQL's processes, by this process (the load generator) and by the whole machine (busy,
    from /proc/stat); an empty dict where /proc is missing."""
    if not Path("/proc/stat").exists():
        return {}
    app = 0.0
    database = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
            parent, seconds = _process_cpu_seconds(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue  # ended meanwhile
        if int(entry.name) == server_pid or parent == server_pid:
            app += seconds
        elif comm == "postgres" or comm.startswith("postgres:"):
            database[int(entry.name)] = seconds
    usage = os.times()
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return {
        "app": app,
        "database": database,
        "load": usage.user + usage.system,
        "busy": (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK"),
    }


def _server_env(database_url: str, broker: str) -> dict:
    return {
        **os.environ,
        # persistent database connections, as a production deployment has (or a pooler in front)
        "DATABASE_URL": f"{database_url}{'&' if '?' in database_url else '?'}conn_max_age=60",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "ERROR",
    }


@contextlib.contextmanager
def gunicorn_server(database_url: str, broker: str, *, cwd: Path = ROOT, settings: str = ""):
    """gunicorn (2 sync workers) serving the checkout at ``cwd``; yields (port, pid) once it answers.

    ``settings``: a settings module instead of Bidra's own (``bench.settings``: Bidra's pages
    and the baseline's form)."""
    import requests

    port = _free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    server = subprocess.Popen(
        [gunicorn, "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=cwd,
        env={
            **_server_env(database_url, broker),
            "PYTHONPATH": str(cwd),
            **({"DJANGO_SETTINGS_MODULE": settings} if settings else {}),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"http://127.0.0.1:{port}/logga-in/", timeout=30)
                break
            except (requests.ConnectionError, requests.Timeout):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"gunicorn did not start: {server.stderr.read().decode()[-2000:]}"
                    ) from None
                time.sleep(0.3)
        yield port, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def csrf_tokens(port: int, drafts: list[dict], *, clients: int) -> None:
    """Open each draft's edit page as its applicant, as a browser would before submitting."""
    import requests

    base = f"http://127.0.0.1:{port}"
    local = threading.local()

    def edit_page(draft):
        if not hasattr(local, "session"):
            local.session = requests.Session()
        http = local.session
        http.cookies.clear()
        http.cookies.set("sessionid", draft["session"])
        response = http.get(f"{base}/ansokningar/{draft['pk']}/andra/", timeout=30)
        response.raise_for_status()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)
        draft["cookies"] = {"sessionid": draft["session"], "csrftoken": http.cookies.get("csrftoken")}
        draft["data"]["csrfmiddlewaretoken"] = token

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(edit_page, drafts))


def submit_drafts(port: int, drafts: list[dict], *, clients: int) -> tuple[list[float], list, float]:
    """POST every draft's form with ``clients`` concurrent clients: (latencies in ms of the
    accepted ones, failures, seconds in all)."""
    latencies, failures = [], []

    def submit(draft):
        # The request is built beforehand and sent with the standard library's client: the
        # load generator shares the two cores with the server and should take little of them.
        path = f"/ansokningar/{draft['pk']}/andra/"
        body = urlencode(draft["data"]).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in draft["cookies"].items()),
            "Referer": f"http://127.0.0.1:{port}{path}",
        }
        http = HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        try:
            http.request("POST", path, body=body, headers=headers)
            response = http.getresponse()
            response.read()
        finally:
            http.close()
        elapsed = (time.perf_counter() - started) * 1000
        ok = response.status == 302 and (response.getheader("Location") or "").endswith(
            f"/ansokningar/{draft['pk']}/"
        )
        (latencies if ok else failures).append(elapsed if ok else (draft["pk"], response.status))

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(submit, drafts))
    return latencies, failures, time.perf_counter() - started


def cpu_delta_ms(before: dict, after: dict, count: int) -> dict[str, float]:
    """CPU milliseconds per submission, by whom: where the machine's two cores go.  PostgreSQL's
    is the sum over its processes alive at the end (one that ended meanwhile, such as an
    autovacuum worker, would otherwise take its whole life's CPU away from the sum)."""
    if not after:
        return {}
    database = sum(seconds - before["database"].get(pid, 0.0) for pid, seconds in after["database"].items())
    delta = {k: after[k] - before[k] for k in after if k != "database"}
    delta["database"] = database
    return {k: round(delta[k] * 1000 / max(1, count), 1) for k in ("app", "database", "load", "busy")}


def run_submissions(drafts: list[dict], *, database_url: str, clients: int, log) -> dict:
    broker = _broker_url()
    with gunicorn_server(database_url, broker, settings="bench.settings") as (port, pid):
        log(f"  opening {len(drafts)} drafts' edit pages for their CSRF tokens")
        csrf_tokens(port, drafts, clients=clients)
        log(f"  the baseline: {len(drafts)} minimal form POSTs that insert one row each")
        cpu_before = cpu_by_process(pid)
        base_latencies, base_failures, base_wall = post_minimal(port, drafts, clients=clients)
        cpu_after = cpu_by_process(pid)
        baseline = _rates(base_latencies, base_failures, base_wall, cpu_before, cpu_after)
        log(f"  submitting {len(drafts)} applications with {clients} concurrent clients")
        cpu_before = cpu_by_process(pid)
        latencies, failures, wall = submit_drafts(port, drafts, clients=clients)
        cpu_after = cpu_by_process(pid)
    if broker.startswith("redis://"):
        _purge_queue(broker)
    _remove_baseline_rows()
    result = {
        "submitted": len(latencies),
        **_rates(latencies, failures, wall, cpu_before, cpu_after),
        "clients": clients,
        "workers": 2,
        "broker": broker.split(":")[0],
        "baseline": baseline,
    }
    result["cost_ratio"] = _cost_ratio(result, baseline)
    return result


def _rates(latencies, failures, wall, cpu_before, cpu_after) -> dict:
    return {
        "requests": len(latencies),
        "failed": len(failures),
        "failures": failures[:5],
        "seconds": round(wall, 2),
        "per_second": round(len(latencies) / wall, 1) if wall else 0,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(_percentile(latencies, 95), 1) if latencies else None,
        "cpu_ms_per_submission": cpu_delta_ms(cpu_before, cpu_after, len(latencies)),
    }


def _cost_ratio(submissions: dict, baseline: dict) -> dict:
    """A submission as a multiple of the minimal form POST: web server CPU, database CPU, the
    whole machine, and the median time."""
    ratio = {}
    for key in ("app", "database", "busy"):
        mine = submissions["cpu_ms_per_submission"].get(key)
        base = baseline["cpu_ms_per_submission"].get(key)
        ratio[key] = round(mine / base, 1) if mine and base else None
    if submissions["p50_ms"] and baseline["p50_ms"]:
        ratio["p50"] = round(submissions["p50_ms"] / baseline["p50_ms"], 1)
    return ratio


def post_minimal(port: int, drafts: list[dict], *, clients: int) -> tuple[list[float], list, float]:
    """POST the baseline's form once per draft, as that draft's applicant (same session, same
    CSRF token), with ``clients`` concurrent clients."""
    latencies, failures = [], []
    path = "/bench/minimal/"

    def post(draft):
        body = urlencode(
            {"csrfmiddlewaretoken": draft["data"]["csrfmiddlewaretoken"], "name": str(draft["pk"])}
        ).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in draft["cookies"].items()),
            "Referer": f"http://127.0.0.1:{port}{path}",
        }
        http = HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        try:
            http.request("POST", path, body=body, headers=headers)
            response = http.getresponse()
            response.read()
        finally:
            http.close()
        elapsed = (time.perf_counter() - started) * 1000
        ok = response.status == 302
        (latencies if ok else failures).append(elapsed if ok else (draft["pk"], response.status))

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(post, drafts))
    return latencies, failures, time.perf_counter() - started


def _remove_baseline_rows() -> None:
    from django.contrib.auth.models import Group

    from bench.baseline import PREFIX

    Group.objects.filter(name__startswith=PREFIX).delete()


def _purge_queue(broker: str) -> None:
    try:
        from kombu import Connection

        with Connection(broker) as conn:
            conn.default_channel.queue_purge(QUEUE)
    except Exception:  # noqa: BLE001, S110 - a leftover queue is harmless
        pass


def check_submitted(drafts: list[dict]) -> dict:
    """Every submitted application got its case number, process, log row and receipt."""
    from django.contrib.contenttypes.models import ContentType
    from django_fsm_log.models import StateLog
    from viewflow.workflow.models import Process

    from grants.models import Application
    from workflows.models import OutboxMessage

    ids = [d["pk"] for d in drafts]
    ct = ContentType.objects.get_for_model(Application)
    return {
        "submitted_state": Application.objects.filter(pk__in=ids, state="submitted")
        .exclude(case_number="")
        .count(),
        "processes": Process.objects.filter(artifact_content_type=ct, artifact_object_id__in=ids).count(),
        "log_rows": StateLog.objects.filter(content_type=ct, object_id__in=ids, transition="submit").count(),
        "receipts": OutboxMessage.objects.filter(key__in=[f"grant-receipt:{i}" for i in ids]).count(),
    }


# ---------------------------------------------------------------------------------------------
# The June meeting: 1 000 decisions at once, then 1 000 letters with two real workers
# ---------------------------------------------------------------------------------------------


def run_june(*, size: int, database_url: str, workers: int, log) -> dict:
    from bench import june

    broker = _broker_url()
    started = time.perf_counter()
    data = june.build(size=size)
    log(f"  built a held meeting of {size} proposed applications in {time.perf_counter() - started:.0f} s")
    result = {"size": size, "decisions": june.record_decisions(data)}
    log(f"  decisions: {result['decisions']}")
    if broker.startswith("redis://"):
        _purge_queue(broker)  # the minutes PDF the decisions queued is not part of the letters' figure
        result["letters"] = june.make_letters(
            data,
            database_url=f"{database_url}{'&' if '?' in database_url else '?'}conn_max_age=60",
            broker=broker,
            queue=QUEUE,
            workers=workers,
        )
        _purge_queue(broker)
        log(f"  letters: {result['letters']}")
    else:
        result["letters"] = None
        log("  letters not measured: no Redis on 127.0.0.1:6379")
    return result


# ---------------------------------------------------------------------------------------------
# Periodic scans
# ---------------------------------------------------------------------------------------------


def run_scans(*, due_timers: int, repetitions: int, log) -> dict:
    """Timer and finality scans: a run with nothing due, and a run with work due (rolled back after)."""
    from django.db import transaction
    from django.utils import timezone
    from viewflow.workflow.models import Task

    from meetings.models import Meeting
    from meetings.services import meetings_finalise_due
    from workflows import tasks

    def timed(func):
        started = time.perf_counter()
        value = func()
        return (time.perf_counter() - started) * 1000, value

    tasks.timers_fire_due()  # warm-up: the first run imports and builds the flows
    idle = [timed(tasks.timers_fire_due)[0] for _ in range(repetitions)]
    result = {
        "timers_idle_p50_ms": round(statistics.median(idle), 1),
        "timers_idle_max_ms": round(max(idle), 1),
        "timers_scheduled": Task.objects.filter(flow_task_type="TIMER", status="SCHEDULED").count(),
    }
    with transaction.atomic():
        ids = list(
            Task.objects.filter(flow_task_type="TIMER", status="SCHEDULED")
            .order_by("pk")
            .values_list("pk", flat=True)[:due_timers]
        )
        Task.objects.filter(pk__in=ids).update(scheduled=timezone.now() - timedelta(minutes=1))
        ms, _ = timed(tasks.timers_fire_due)
        fired = Task.objects.filter(pk__in=ids, status="DONE").count()
        transaction.set_rollback(True)
    result.update(timers_due=len(ids), timers_fired=fired, timers_due_ms=round(ms, 1))
    log(f"  timers: idle {result['timers_idle_p50_ms']} ms, {fired} due fired in {ms:.0f} ms")

    idle = [timed(meetings_finalise_due)[0] for _ in range(repetitions)]
    result["finality_idle_p50_ms"] = round(statistics.median(idle), 1)
    posted = Meeting.objects.filter(state=Meeting.State.POSTED)
    if posted.exists():
        with transaction.atomic():
            # the day every posted meeting's appeal period has passed
            posted.update(appeal_ends_on=timezone.localdate() - timedelta(days=1))
            ms, finalised = timed(meetings_finalise_due)
            transaction.set_rollback(True)
        result.update(finality_due=finalised, finality_due_ms=round(ms, 1))
        log(
            f"  finality: idle {result['finality_idle_p50_ms']} ms, {finalised} meetings made final in {ms:.0f} ms"
        )
    result["periodic"] = run_periodic(repetitions=repetitions, log=log)
    return result


#: The periodic tasks of the beat schedule that scan the whole installation: (name, task path).
#: Each runs as Celery beat runs it, over the whole data set, rolled back afterwards.  A task
#: that does not exist yet is left out, so the follow-up reports' reminders are measured as soon
#: as ``reporting/tasks.py`` has ``send_due_reminders``.
PERIODIC = [
    ("Viewflow timers (`workflows.tasks.timers_fire_due`)", "workflows.tasks.timers_fire_due"),
    ("Meetings made final (`meetings.tasks.meetings_finalise_due`)", "meetings.tasks.meetings_finalise_due"),
    ("Partnerships: terms, follow-ups (`iop.tasks.iop_run_due`)", "iop.tasks.iop_run_due"),
    ("The compact: renewal, evaluation reminders (`compact.tasks.compact_run_due`)",
     "compact.tasks.compact_run_due"),
    ("Payments planned (`grants.tasks.payments_create_due`)", "grants.tasks.payments_create_due"),
    ("Outbox retries (`workflows.tasks.outbox_send_pending`)", "workflows.tasks.outbox_send_pending"),
    ("Follow-up reports created (`reporting.tasks.reports_create_due`)",
     "reporting.tasks.reports_create_due"),
    ("Follow-up reports: opened, overdue, reminders (`reporting.tasks.reports_run_due`)",
     "reporting.tasks.reports_run_due"),
]  # fmt: skip


#: what a run's scenarios measured (a partial run replaces these in the last full report)
SCENARIO_KEYS = ("pages", "admin", "scans", "june", "submissions", "submission_check")
#: at most this many runs of a periodic task to catch up on a reused data set's backlog
CATCH_UP_ROUNDS = 50


def _did_something(result) -> bool:
    """Whether a periodic task's result says it did some work (a count, or a dict of counts)."""
    if isinstance(result, dict):
        return any(isinstance(v, int) and v for v in result.values())
    return isinstance(result, int) and result > 0


def run_periodic(*, repetitions: int, log) -> list[dict]:
    """Each periodic scan as the beat runs it: milliseconds per run (median and worst) and queries."""
    import importlib

    from django.db import connection, reset_queries, transaction
    from django.test.utils import CaptureQueriesContext

    results = []
    for name, path in PERIODIC:
        module, _dot, attr = path.rpartition(".")
        try:
            task = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError):
            results.append({"name": name, "task": path, "missing": True})
            log(f"  {name}: not there yet")
            continue
        # What is due since the beat last ran (after an earlier run's June meeting: its payments,
        # follow-up reports and e-mails) is done first, committed, as the beat would have done it
        # in the hours after; the measured runs are then an ordinary hour.  A task that works in
        # batches (the outbox sends 500 e-mails a run) runs until it finds nothing more to do.
        started = time.perf_counter()
        results_of_rounds = []
        while len(results_of_rounds) < CATCH_UP_ROUNDS:
            with transaction.atomic():
                results_of_rounds.append(task())
            if not _did_something(results_of_rounds[-1]):
                break
        catch_up_ms = (time.perf_counter() - started) * 1000
        caught_up = results_of_rounds[0]
        if len(results_of_rounds) > 1:
            caught_up = f"{caught_up}, then {len(results_of_rounds) - 1} more runs"
        times, queries, value = [], 0, None
        for _ in range(repetitions + 1):
            reset_queries()  # the query log holds 9 000 entries: a full one would count nothing
            with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                value = task()
                times.append((time.perf_counter() - started) * 1000)
                transaction.set_rollback(True)
            queries = len(ctx.captured_queries)
        times = times[1:]  # the first run imports and warms up
        results.append(
            {
                "name": name,
                "task": path,
                "p50_ms": round(statistics.median(times), 1),
                "max_ms": round(max(times), 1),
                "queries": queries,
                "result": str(value)[:200],
                "catch_up_ms": round(catch_up_ms, 1),
                "catch_up_result": str(caught_up)[:200],
            }
        )
        log(
            f"  {name}: p50 {results[-1]['p50_ms']} ms, max {results[-1]['max_ms']} ms, {queries} queries "
            f"(catching up first: {catch_up_ms:.0f} ms, {str(caught_up)[:80]})"
        )
    return results


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


def machine() -> dict:
    from django.db import connection

    memory = ""
    try:
        memory = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False).stdout.split(
            "\n"
        )[1]
        memory = memory.split()[1]
    except (OSError, IndexError):
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            database = f"SQLite {connection.Database.sqlite_version}"
    return {
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "database": database,
        "platform": platform.platform(),
        "reference_loop_s": reference_loop_seconds(),
    }


def reference_loop_seconds() -> float:
    """The best of three runs of a fixed pure-Python loop: how fast this machine is today, so that
    runs on different days (a shared machine's speed varies) can be compared."""
    best = math.inf
    for _ in range(3):
        started = time.perf_counter()
        sum(i * i for i in range(10_000_000))
        best = min(best, time.perf_counter() - started)
    return round(best, 2)


#: tables with at least this many rows are reported by PostgreSQL's estimate, not counted
ESTIMATED_FROM = 200_000


def counts() -> dict:
    from django.db import connection
    from django_fsm_log.models import StateLog
    from viewflow.workflow.models import Process, Task

    from grants.models import Application, Assessment
    from meetings.models import AgendaItem, Meeting
    from organizations.models import Municipality, Organisation, User
    from workflows.models import DiariumEntry

    models = [Application, Assessment, Organisation, User, Municipality, Meeting, AgendaItem, DiariumEntry,
              StateLog, Process, Task]  # fmt: skip
    result = {}
    with connection.cursor() as cursor:
        for model in models:
            estimate = None
            if connection.vendor == "postgresql":
                # PostgreSQL's estimate for a large table (counting its millions of rows takes
                # seconds); a small one is counted, so that it agrees with what the run added
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table]
                )
                estimate = int(cursor.fetchone()[0])
            if estimate is not None and estimate >= ESTIMATED_FROM:
                result[model._meta.label] = estimate
            else:
                result[model._meta.label] = model._default_manager.count()
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            result["database size"] = cursor.fetchone()[0]
    return result


def _verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def write_report(report: dict, scale: int) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{scale}.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
    )
    m = report["machine"]
    estimated = str(m.get("database", "")).startswith("PostgreSQL")  # see counts()
    lines = [
        f"# Bidra benchmark at {scale:,} applications".replace(",", " "),
        "",
        f"Run {report['finished']} on {m['cores']} cores, {m['memory']} memory, {m['database']}, "
        f"Python {m['python']} (a reference loop took {m.get('reference_loop_s', '?')} s); "
        f"load average (1, 5, 15 min) {m['load_average']} at the start and "
        f"{report.get('load_average_end', m['load_average'])} at the end "
        "(the machine is shared: other work ran at the same time, so times are pessimistic).",
        f"Data: {report['municipalities']} municipalities; "
        + ", ".join(
            f"{k.split('.')[-1]} {'≈' if estimated and v >= ESTIMATED_FROM else ''}{v:,}".replace(",", " ")
            for k, v in report["rows"].items()
            if k != "database size"
        )
        + (f"; database {report['rows'].get('database size')}" if report["rows"].get("database size") else "")
        + ".",
    ]
    for run in report.get("partial_runs", []):
        lines.append(
            f"Measured again by a later run of {', '.join(run['scenarios'])} only: {run['finished']}, "
            f"a reference loop of {run['machine'].get('reference_loop_s', '?')} s, load average "
            f"{run['machine']['load_average']} at the start and {run['load_average_end']} at the end."
        )
    if report.get("generated_seconds"):
        lines.append(f"Generated in {report['generated_seconds']:.0f} s.")
    lines += [
        "",
        f"Pages: server time in process (Django test client, {report['repetitions']} requests after "
        f"{report['warmup']} warm-up), as the largest municipality's staff and one of its applicants. "
        f"Target: p95 ≤ {PAGE_P95_MS:.0f} ms and a query count that does not grow with the data.",
        "",
        "| Page | p50 ms | p95 ms | of p50: Python CPU ms | of p50: SQL ms | SQL queries | p95 ≤ 100 ms |",
        "|---|---:|---:|---:|---:|---:|:---:|",
    ]
    for r in report["pages"]:
        q = (
            "–".join(str(x) for x in (r["queries"][0], r["queries"][-1]))
            if len(r["queries"]) > 1
            else r["queries"][0]
        )
        lines.append(
            f"| {r['name']} | {r['p50_ms']} | {r['p95_ms']} | {r['python_cpu_p50_ms']} | {r['sql_p50_ms']} | {q} | "
            f"{_verdict(r['p95_ms'] <= PAGE_P95_MS)} |"
        )
    subj = report["subjects"]
    lines += [
        "",
        f"The largest municipality: its open round has {subj['open_round_applications']} registered applications, "
        f"its largest round {subj['largest_round_applications']}, its largest meeting {subj['meeting_items']} agenda items.",
    ]
    admin = report["admin"]
    reference = next(
        r for r in report["pages"] if r["name"].startswith("Round applications (largest round), by")
    )
    lines += [
        "",
        "Baseline: the Django admin's change list of all applications (`/admin/grants/application/`) as a superuser, same run.",
        "",
        "| Page | p50 ms | p95 ms | SQL queries | p95 vs. our round list |",
        "|---|---:|---:|---:|---:|",
        f"| {admin['name']} | {admin['p50_ms']} | {admin['p95_ms']} | {admin['queries'][0]} | "
        f"{admin['p95_ms'] / reference['p95_ms']:.1f}× |",
    ]
    sub = report.get("submissions")
    lines += [
        "",
        "Submissions over HTTP (gunicorn, 2 sync workers, `bench.settings`: Bidra's settings and pages plus the "
        "baseline form; load generator on the same machine):",
        "",
    ]
    if sub:
        lines += [
            f"| Submitted | Failed | Clients | Seconds | Per second | p50 ms | p95 ms | ≥ {SUBMIT_RATE:.0f}/s | p95 ≤ 200 ms |",
            "|---:|---:|---:|---:|---:|---:|---:|:---:|:---:|",
            f"| {sub['submitted']} | {sub['failed']} | {sub['clients']} | {sub['seconds']} | {sub['per_second']} | "
            f"{sub['p50_ms']} | {sub['p95_ms']} | {_verdict(sub['per_second'] >= SUBMIT_RATE)} | "
            f"{_verdict((sub['p95_ms'] or 1e9) <= SUBMIT_P95_MS)} |",
            "",
            f"Each POST is the applicant's real form submission with a signed-in session and CSRF token; the receipt "
            f"e-mail and the application PDF are queued to Celery ({sub['broker']} broker), as in production. "
            f"Checked afterwards: {report.get('submission_check')}.",
        ]
        if cpu := sub.get("cpu_ms_per_submission"):
            cores = report["machine"]["cores"]
            lines += [
                "",
                f"CPU per submission: web server {cpu['app']} ms, PostgreSQL {cpu['database']} ms, load generator "
                f"{cpu['load']} ms; the machine was busy {cpu['busy']} ms per submission of the "
                f"{cores * 1000 / max(sub['per_second'], 0.1):.0f} ms its {cores} cores had.",
            ]
        if base := sub.get("baseline"):
            ratio, bcpu = sub["cost_ratio"], base["cpu_ms_per_submission"]
            lines += [
                "",
                f"Baseline, same server and run (`bench.baseline`): {base['requests']} signed-in form POSTs that "
                f"validate one field and insert one row, {base['failed']} failed, {base['per_second']} per second, "
                f"p50 {base['p50_ms']} ms, p95 {base['p95_ms']} ms; CPU per POST: web server {bcpu.get('app')} ms, "
                f"PostgreSQL {bcpu.get('database')} ms, machine {bcpu.get('busy')} ms. "
                f"**A submission costs {ratio.get('app')}× the baseline's web-server CPU, "
                f"{ratio.get('database')}× its PostgreSQL CPU, {ratio.get('busy')}× the machine's and "
                f"{ratio.get('p50')}× its median time.**",
            ]
    else:
        lines.append("Not measured in this run.")
    scans = report.get("scans")
    lines += ["", "Periodic scans (target ≤ 2 s per run):", ""]
    if scans:
        lines += [
            "| Scan | Work due | ms | ≤ 2 s |",
            "|---|---:|---:|:---:|",
            f"| Timers (`workflows.tasks.timers_fire_due`), nothing due, {scans['timers_scheduled']} scheduled | 0 | "
            f"{scans['timers_idle_p50_ms']} | {_verdict(scans['timers_idle_max_ms'] <= SCAN_S * 1000)} |",
            f"| Timers, completion deadlines passed | {scans['timers_fired']} | {scans['timers_due_ms']} | "
            f"{_verdict(scans['timers_due_ms'] <= SCAN_S * 1000)} |",
            f"| Finality (`meetings.tasks.meetings_finalise_due`), nothing due | 0 | {scans['finality_idle_p50_ms']} | "
            f"{_verdict(scans['finality_idle_p50_ms'] <= SCAN_S * 1000)} |",
        ]
        if "finality_due_ms" in scans:
            # Not a day's scan: every posted meeting of the country made final at once, as after a
            # long outage; its figure is the work per meeting, the 2 s target is for the scan.
            per = scans["finality_due_ms"] / scans["finality_due"] if scans["finality_due"] else 0
            lines.append(
                f"| Finality catch-up (not a day's scan): every posted meeting's appeal period passed at once | "
                f"{scans['finality_due']} | {scans['finality_due_ms']} ({per:.0f} per meeting) | – |"
            )
        periodic = scans.get("periodic") or []
        if periodic:
            lines += [
                "",
                "Every periodic scan of the beat schedule, run as the beat runs it over the whole data set "
                "(in a transaction rolled back afterwards; median of the runs after a warm-up). Before "
                "them each task runs once and commits what is due since the beat last ran (on a reused "
                "data set, the payments, follow-up reports and e-mails of an earlier run's June meeting): "
                "that catch-up is in the last column, the measured runs are an ordinary hour.",
                "",
                "| Periodic task | p50 ms | max ms | SQL queries | ≤ 2 s | Catch-up first: ms (result) |",
                "|---|---:|---:|---:|:---:|---|",
            ]
            for p in periodic:
                if p.get("missing"):
                    lines.append(f"| {p['name']} | – | – | – | not there yet | – |")
                else:
                    catch_up = f"{p['catch_up_ms']} ({p['catch_up_result']})" if "catch_up_ms" in p else "–"
                    lines.append(
                        f"| {p['name']} | {p['p50_ms']} | {p['max_ms']} | {p['queries']} | "
                        f"{_verdict(p['max_ms'] <= SCAN_S * 1000)} | {catch_up} |"
                    )
    else:
        lines.append("Not measured in this run.")
    june = report.get("june")
    lines += ["", "The June meeting (a round decided at once, then its decision letters):", ""]
    if june:
        d = june["decisions"]
        lines += [
            "| Step | Count | Seconds | SQL queries | Target | Met |",
            "|---|---:|---:|---:|---|:---:|",
            f"| Recording the decisions of one agenda group (`decisions_record`: one transaction, budget check, "
            f"each application's transition and log row) | {d['decisions']} | {d['seconds']} | {d['queries']} | "
            f"≤ {DECISIONS_S:.0f} s | {_verdict(d['seconds'] <= DECISIONS_S)} |",
        ]
        letters = june.get("letters")
        if letters:
            peak = max(letters["worker_peak_rss_mb"] or [0])
            lines += [
                f"| Making and storing the decision letters (PDF/A) with {letters['workers']} Celery worker processes "
                f"on Redis (job {letters['job_state']}, {letters['job_failed']} failed) | {letters['letters']} | "
                f"{letters['seconds']} | – | ≤ {LETTERS_S:.0f} s | {_verdict(letters['seconds'] <= LETTERS_S)} |",
                "",
                f"Median time per letter in a worker: {letters['median_per_letter_s']} s; peak memory per worker: "
                f"{', '.join(f'{m:.0f} MB' for m in letters['worker_peak_rss_mb'])} (target ≤ {WORKER_MB:.0f} MB: "
                f"{_verdict(peak <= WORKER_MB)}).",
            ]
        else:
            lines.append("Letters not measured in this run (no Redis).")
        lines += [
            "",
            f"The meeting is built for the run in a municipality of its own ({june['size']} proposed applications, "
            "case numbers, transition logs, a held meeting with all of them in one agenda group). The minutes are "
            "marked approved directly before the letters; the minutes PDF the decisions queue is not part of the "
            "letters' figure.",
        ]
    else:
        lines.append("Not measured in this run.")
    lines.append("")
    path = RESULTS / f"{scale}.md"
    path.write_text("\n".join(lines))
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10000, help="number of applications")
    parser.add_argument(
        "--database-url", default="", help="default postgres://postgres@127.0.0.1:5432/bidra_bench_<scale>"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database and its data; do not generate"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repetitions", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--submissions", type=int, default=400, help="applications submitted over HTTP (0: skip)"
    )
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients submitting")
    parser.add_argument("--due-timers", type=int, default=50)
    parser.add_argument("--june", type=int, default=1000, help="applications decided at the June meeting")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes making the letters")
    parser.add_argument("--only", default="", help="comma-separated: pages,scans,june,submissions")
    args = parser.parse_args(argv)

    url = _database_url(args)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # measured as the figures in bench/README.md were: statements prepared (no transaction pooler)
    os.environ.setdefault("POSTGRES_PREPARED_STATEMENTS", "true")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))

    def log(message):
        print(message, flush=True)

    _prepare_database(url, fresh=not args.reuse)
    # Tasks go to the benchmark's own queue on Redis (never run inside the measured process).
    os.environ["CELERY_BROKER_URL"] = _broker_url()
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = QUEUE
    os.environ["EMAIL_URL"] = "dummymail://"  # the benchmark never sends e-mail
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    log(f"migrating {urlparse(url).path.lstrip('/') or url}")
    call_command("migrate", verbosity=0, interactive=False)
    report: dict = {
        "scale": args.scale,
        "seed": args.seed,
        "repetitions": args.repetitions,
        "warmup": args.warmup,
    }
    if not args.reuse:
        from bench.generate import generate

        log(f"generating {args.scale} applications")
        result = generate(args.scale, seed=args.seed, progress=lambda m: log(f"  {m}"))
        report["generated_seconds"] = round(result.seconds, 1)
        log(f"  generated in {result.seconds:.0f} s")
    else:
        from bench.generate import complete_decisions, complete_reports
        from grants.models import DecisionLetter

        if not DecisionLetter.objects.exists():  # generated before letters and payments existed
            from django.db import connection, transaction

            with transaction.atomic():
                log(f"  completing the decided rounds: {complete_decisions()}")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        from django.db import transaction

        with transaction.atomic():  # generated before follow-up reports existed
            if reports := complete_reports():
                log(f"  follow-up reports: {reports}")
        from insight.models import RegisterEntry

        if not RegisterEntry.objects.exists():  # generated before the register was a table
            from bench.generate import complete_register

            with transaction.atomic():
                log(f"  the public register: {complete_register()}")
    only = set(filter(None, args.only.split(","))) or {"pages", "scans", "june", "submissions"}
    s = subjects()
    from organizations.models import Municipality

    report["municipalities"] = Municipality.objects.count()
    report["rows"] = counts()
    report["machine"] = machine()
    report["subjects"] = {
        "municipality_id": s["municipality_id"],
        "open_round_applications": s["open_round"].applications.exclude(case_number="").count(),
        "largest_round_applications": s["largest_round"].applications.exclude(case_number="").count(),
        "meeting_items": s["meeting_items"],
    }
    if "pages" in only:
        log("pages")
        report["pages"], report["admin"] = run_pages(
            s, repetitions=args.repetitions, warmup=args.warmup, log=log
        )
    if "scans" in only:
        log("scans")
        report["scans"] = run_scans(due_timers=args.due_timers, repetitions=5, log=log)
    if "june" in only and args.june:
        log("the June meeting")
        report["june"] = run_june(size=args.june, database_url=url, workers=args.workers, log=log)
    if "submissions" in only and args.submissions:
        log("submissions")
        drafts = prepare_drafts(args.submissions, s)
        report["submissions"] = run_submissions(drafts, database_url=url, clients=args.clients, log=log)
        report["submission_check"] = check_submitted(drafts)
        log(f"  {report['submissions']}")
    report["finished"] = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    report["load_average_end"] = [round(x, 1) for x in os.getloadavg()]
    previous = RESULTS / f"{args.scale}.json"
    if "pages" not in only and previous.exists():
        # A partial run updates what it measured in the last full report, whose header (the
        # machine, its speed and load) stays; the partial run's own are listed after it.
        earlier = json.loads(previous.read_text())
        run = {k: report[k] for k in ("finished", "machine", "load_average_end")}
        measured = {k: v for k, v in report.items() if k in SCENARIO_KEYS}
        report = {
            **earlier,
            **measured,
            "partial_runs": [*earlier.get("partial_runs", []), {"scenarios": sorted(only), **run}],
        }
    if "pages" in report:
        path = write_report(report, args.scale)
        log(f"wrote {path}")
    else:
        log(json.dumps(report, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
