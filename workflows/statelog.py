"""The transition log (django-fsm-log's ``StateLog``), written row by row or a batch at once.

Every transition writes its log row in the transaction of the state change.  One
transition at a time, the row is inserted as the transition happens (django-fsm-log's
``SimpleBackend``).  A service that performs many transitions in one transaction (a
meeting recording a thousand decisions) wraps them in ``state_logs_batched()``: the rows
are collected as the transitions happen and inserted with one statement at the end of
the block (``bulk_create``), still inside the transaction, so the log and the states commit
together.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone
from django_fsm_log.backends import BaseBackend
from django_fsm_log.helpers import FSMLogDescriptor

_batch: ContextVar[list | None] = ContextVar("bidra_state_log_batch", default=None)
_history_at: ContextVar = ContextVar("bidra_state_log_history_at", default=None)


def _attribute(instance, name: str, default):
    try:
        return FSMLogDescriptor(instance, name).get()
    except AttributeError:
        return default


class Backend(BaseBackend):
    """``DJANGO_FSM_LOG_STORAGE_METHOD``: one ``StateLog`` row per transition, written at once,
    or kept until the end of ``state_logs_batched()``.  Who and why come from django-fsm-log's
    ``FSMLogDescriptor``; the time is now, or the moment ``history_at()`` names."""

    @staticmethod
    def setup_model(model):
        pass

    @staticmethod
    def pre_transition_callback(sender, **kwargs):
        pass

    @staticmethod
    def post_transition_callback(sender, instance, name, source, target, **kwargs):

        if target is None:
            return
        log_transition(
            instance,
            name,
            source,
            target,
            by=_attribute(instance, "by", None),
            reason=_attribute(instance, "description", None),
        )


def log_transition(instance, name: str, source, target, *, by, reason: str | None = None) -> None:
    """Write the log row of one state change: at once, or at the end of ``state_logs_batched()``.

    django-fsm transitions reach it through the backend above; a state machine of another
    library (viewflow's task status, changed by viewflow's own transitions) calls it in the
    transaction of the change, so its history is in the same log."""
    from django_fsm_log.models import StateLog

    row = StateLog(
        timestamp=_history_at.get() or timezone.now(),
        source_state=source,
        state=target,
        transition=name,
        content_object=instance,
        by=by,
        description=reason,
    )
    rows = _batch.get()
    if rows is None:
        row.save()
    else:
        rows.append(row)


@contextmanager
def history_at(moment):
    """Stamp the log rows of the transitions in this block with ``moment`` instead of now.

    For building a history that happened earlier (the demo's cases over the past year and a
    half, imported records); the log stays append-only, so the time is set as the row is made.
    """
    token = _history_at.set(moment)
    try:
        yield
    finally:
        _history_at.reset(token)


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
    if rows:
        from django_fsm_log.models import StateLog

        StateLog.objects.bulk_create(rows, batch_size=1000)
