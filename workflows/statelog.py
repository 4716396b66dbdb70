"""The transition log (django-fsm-log's ``StateLog``), written row by row or a batch at once.

Every transition writes its log row in the transaction of the state change.  One
transition at a time, the row is inserted as the transition happens (django-fsm-log's
``SimpleBackend``).  A service that performs many transitions in one transaction (a
meeting recording a thousand decisions) wraps them in ``state_logs_batched()``: the rows
are collected as the transitions happen and inserted with one statement at the end of
the block, still inside the transaction, so the log and the states commit together.  Inside
``workflows.db.inserts_together()`` the rows join the block's other new rows instead.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django_fsm_log.backends import SimpleBackend, _pre_transition_callback

from .db import insert_later, inserts_pending

_batch: ContextVar[list | None] = ContextVar("bidra_state_log_batch", default=None)


class _Collect:
    """Stands in for the StateLog manager: keeps the row instead of inserting it."""

    def __init__(self, rows: list):
        self.rows = rows

    def create(self, **values):
        from django_fsm_log.models import StateLog

        self.rows.append(StateLog(**values))


class Backend(SimpleBackend):
    """``DJANGO_FSM_LOG_STORAGE_METHOD``: SimpleBackend, except inside ``state_logs_batched()``."""

    @staticmethod
    def post_transition_callback(sender, instance, name, source, target, **kwargs):
        rows = _batch.get()
        if rows is None:
            return SimpleBackend.post_transition_callback(sender, instance, name, source, target, **kwargs)
        return _pre_transition_callback(sender, instance, name, source, target, _Collect(rows), **kwargs)


def batching() -> bool:
    """Whether transitions now run inside ``state_logs_batched()``."""
    return _batch.get() is not None


@contextmanager
def state_logs_batched():
    """Collect the log rows of the transitions in this block and insert them at its end.

    Only inside a transaction (the caller's), and all or nothing: when the block raises,
    nothing is inserted and the caller's transaction rolls back the state changes too.
    Nested blocks join the outermost one.
    """
    if batching():
        yield
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("state_logs_batched() needs the caller's transaction.")
    rows: list = []
    token = _batch.set(rows)
    try:
        yield
    finally:
        _batch.reset(token)
    if rows and inserts_pending():  # written with the caller's other new rows
        insert_later((row, {}) for row in rows)
    elif rows:
        from django_fsm_log.models import StateLog

        StateLog.objects.bulk_create(rows, batch_size=1000)
