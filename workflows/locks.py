"""Whether the process doing a piece of background work is still alive.

The processes running the work hold its lock for as long as they run (``held_while_running``);
a process that dies loses the lock with it, because the lock belongs to the process and not to
a row: on PostgreSQL a session advisory lock, released by the server when the session's
connection ends; on SQLite (one machine) an ``flock`` on a file, released by the kernel when the
process ends.  Work marked "running" whose lock nobody holds (``is_running`` is False) was
stopped half-way, and can be taken over at once instead of after a heartbeat has gone stale.

Limits: the lock is the database connection's on PostgreSQL, so a pooler in transaction mode
(which hands the session to others between transactions) must not sit between the workers and
the database; with another database ``is_running`` answers None (the caller goes by its
heartbeat).
"""

from __future__ import annotations

import hashlib
import os
import zlib
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection


def _keys(name: str, key: int) -> tuple[int, int]:
    """PostgreSQL's two 32-bit keys of an advisory lock: the kind of work and its id."""
    return zlib.crc32(name.encode()) - 2**31, key % 2**32 - 2**31


def _lock_file(name: str, key: int) -> Path:
    database = str(connection.settings_dict["NAME"])
    # an in-memory database (the tests') belongs to this process alone
    database = f"memory:{os.getpid()}" if "memory" in database else str(Path(database).resolve())
    folder = Path(settings.VAR_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(database.encode()).hexdigest()[:16]
    return folder / f"{name}-{digest}-{key}.lock"


@contextmanager
def held_while_running(name: str, key: int):
    """Hold the lock of the work ``name``/``key`` while the block runs; several processes may
    hold it at once (they share the work)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock_shared(%s, %s)", _keys(name, key))
        try:
            yield
        finally:
            if connection.connection is not None:  # a lost connection took the lock with it
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock_shared(%s, %s)", _keys(name, key))
    elif connection.vendor == "sqlite":
        import fcntl

        with _lock_file(name, key).open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_SH)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    else:
        yield


def is_running(name: str, key: int) -> bool | None:
    """Whether any process (another connection than this one) holds the lock of the work now;
    None when the database cannot tell.

    On PostgreSQL inside a transaction, an answer of False keeps the work's lock until that
    transaction ends: no process starts the work meanwhile, so the caller can mark it stopped."""
    if connection.vendor == "postgresql":
        keys = _keys(name, key)
        with connection.cursor() as cursor:
            if connection.in_atomic_block:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", keys)
                return not cursor.fetchone()[0]
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", keys)
            free = cursor.fetchone()[0]
            if free:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", keys)
            return not free
    if connection.vendor == "sqlite":
        import fcntl

        with _lock_file(name, key).open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False
    return None
