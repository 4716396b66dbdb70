"""Fixtures every test may use: a small world with one user per role."""

from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.test.client import ClientMixin

from organizations.models import StaffRole
from organizations.permissions import forget_permissions

from . import factories as f

pytest_plugins = ["tests.browser"]  # the session's one Chromium, for accessibility and journeys

ROLES = [
    "anonymous",
    "applicant",
    "other_applicant",
    "other_caseworker",
    "caseworker",
    "secretary",
    "member",
    "program_admin",
    "municipality_admin",
]
STAFF_ROLES = {"caseworker", "secretary", "member", "program_admin"}


@dataclass
class World:
    municipality: object
    other_municipality: object
    committee: object
    other_committee: object
    organisation: object
    other_organisation: object
    users: dict
    objects: dict = field(default_factory=dict)

    def user(self, role):
        return self.users.get(role)

    @property
    def shared_organisation(self):
        """An organisation active in both municipalities (Exempelö and Grannby), made when first
        asked for: the applicant is its signatory, and it has a verified bankgiro account.  Each
        municipality's staff see it; each changes only its own record of it."""
        if "shared_organisation" not in self.objects:
            organisation = f.OrganisationFactory(
                name="Föreningen Gränslös",
                active_in=[self.municipality, self.other_municipality],
                account_type="bankgiro",
                account_number="56781230",
            )
            f.active_role(self.users["applicant"], organisation)
            forget_permissions(self.users["applicant"])  # the roles read before are one short now
            self.objects["shared_organisation"] = organisation
        return self.objects["shared_organisation"]


def build_world() -> World:
    municipality = f.MunicipalityFactory(name="Exempelö kommun", slug="exemplo")
    other_municipality = f.MunicipalityFactory(name="Grannby kommun", slug="grannby")
    committee = f.CommitteeFactory(municipality=municipality, code="SN", name="Socialnämnden")
    other_committee = f.CommitteeFactory(municipality=other_municipality, code="SN", name="Socialnämnden")
    organisation = f.OrganisationFactory(name="Föreningen Trygg Vardag", active_in=[municipality])
    other_organisation = f.OrganisationFactory(name="Grannby IF", active_in=[other_municipality])
    users = {"anonymous": None}
    users["applicant"] = f.UserFactory(email="sokande@example.se", full_name="Siv Sökande")
    f.active_role(users["applicant"], organisation)
    users["other_applicant"] = f.UserFactory(email="annan@example.se", full_name="Olle Annan")
    f.active_role(users["other_applicant"], other_organisation)
    users["other_caseworker"] = f.UserFactory(email="handlaggare@grannby.se", full_name="Gustav Grannby")
    f.StaffRoleFactory(
        user=users["other_caseworker"], municipality=other_municipality, role=StaffRole.Role.CASEWORKER
    )
    for role, value in [
        ("caseworker", StaffRole.Role.CASEWORKER),
        ("secretary", StaffRole.Role.SECRETARY),
        ("member", StaffRole.Role.MEMBER),
        ("program_admin", StaffRole.Role.PROGRAM_ADMIN),
    ]:
        users[role] = f.UserFactory(email=f"{role}@exemplo.se", full_name=f"{role.title()} Exempelö")
        f.StaffRoleFactory(user=users[role], municipality=municipality, committee=None, role=value)
    users["municipality_admin"] = f.UserFactory(email="admin@exemplo.se", full_name="Ada Administratör")
    f.StaffRoleFactory(
        user=users["municipality_admin"], municipality=municipality, role=StaffRole.Role.MUNICIPALITY_ADMIN
    )
    f.DelegationFactory(user=users["caseworker"], committee=committee, max_amount=30000)
    return World(
        municipality, other_municipality, committee, other_committee, organisation, other_organisation, users
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _private_media(tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _swedish(settings):
    settings.LANGUAGE_CODE = "sv"
    from django.utils import translation

    translation.activate("sv")
    yield
    translation.deactivate()


@pytest.fixture
def mailoutbox_sent(mailoutbox, django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the outbox sends after commit) and return the sent mail."""
    return mailoutbox


def is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


# --- Signing in within tests -----------------------------------------------------------------
#
# ``client.force_login(user)`` stands for a completed sign-in.  For staff that includes the
# second factor (a confirmed authenticator app and a verified session), so every test that
# signs staff in this way reaches their pages.  A test of the second factor itself uses
# ``force_login_without_second_factor`` or the real sign-in pages.

_force_login = ClientMixin.force_login


def force_login_without_second_factor(client, user):
    _force_login(client, user)


def verify_second_factor(client, user) -> None:
    """Give ``user`` a confirmed authenticator app and mark the client's session as verified."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.twofactor import requires_second_factor

    if not requires_second_factor(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Bidra", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _force_login_includes_second_factor(monkeypatch):
    def force_login(self, user, backend=None):
        _force_login(self, user, backend)
        if not getattr(user, "second_factor_pending", False):
            verify_second_factor(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and throttles count in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- a real Celery worker on Redis, for the tests marked celery_worker ----------------------


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return ""
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """Start ``celery worker`` as a separate process on the test database and a private queue.

    Needs PostgreSQL (the worker must share the test database) and BIDRA_TEST_BROKER_URL.
    Under CI=true with both available it always runs; elsewhere it is skipped with the reason.
    """
    import os
    import subprocess
    import sys
    import time
    import uuid

    broker = os.environ.get("BIDRA_TEST_BROKER_URL", "")
    database_url = _database_url()
    if not broker or not database_url:
        pytest.skip(
            "needs PostgreSQL and BIDRA_TEST_BROKER_URL (a Redis URL): CI runs these with a real worker"
        )
    queue = f"bidra-test-{uuid.uuid4().hex[:8]}"
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_URL": "dummymail://",
        "PYTHONUNBUFFERED": "1",
        "BIDRA_VAR_DIR": str(log.parent),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "-c",
            "2",
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{queue}@%h",
        ],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the Celery worker did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    yield {"process": process, "queue": queue, "broker": broker, "log": log, "env": env}
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@contextmanager
def tasks_sent_to(broker: str, queue: str | None = None):
    """Inside the block, tasks are sent to ``broker`` (instead of running in process)."""
    from config.celery import app

    previous = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "task_default_queue")}
    app.conf.update(
        task_always_eager=False, broker_url=broker, task_default_queue=queue or previous["task_default_queue"]
    )
    app.__dict__.pop("amqp", None)  # queues and routes are cached on first use
    try:
        yield
    finally:
        app.conf.update(previous)
        app.__dict__.pop("amqp", None)


@pytest.fixture
def celery_worker(celery_worker_process, settings):
    """Send tasks to the real worker (instead of running them in process) during one test."""
    with tasks_sent_to(celery_worker_process["broker"], celery_worker_process["queue"]):
        yield celery_worker_process


@pytest.fixture
def broker_down():
    """The message broker is configured but does not answer: a Redis URL on a port nobody listens on."""
    import socket

    with socket.socket() as probe:  # a port that was free a moment ago, and is closed now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tasks_sent_to(f"redis://127.0.0.1:{port}/0"):
        yield


def wait_for(condition, timeout: float = 30.0, interval: float = 0.2, explain=lambda: ""):
    """Poll until ``condition()`` is truthy (for work done by another process); return its value."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"not done within {timeout} s\n{explain()}")
