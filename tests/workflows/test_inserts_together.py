"""New rows kept for one statement: ``workflows.db.inserts_together`` and ``insert_later``, as a
submission writes its diarium entry, log row, receipt and flow together."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from workflows.db import Insert, insert_later, insert_together, inserts_together
from workflows.models import OutboxMessage
from workflows.services import outbox_enqueue

pytestmark = pytest.mark.django_db


def _message(key, to="kassor@example.se"):
    return OutboxMessage(key=key, to=to, subject="Kvitto", body="Vi har tagit emot ansökan.")


def _receipt(key):
    """A receipt the caller's own task sends (``send=False``), as a submission's."""
    return outbox_enqueue(
        key=key,
        to="kassor@example.se",
        subject="Kvitto",
        template="organizations/email/role_decided.txt",
        context={"role": None, "approved": True},
        send=False,
    )


def _inserts(ctx):
    return [
        q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "WITH"))
    ]


def test_outside_a_block_a_row_is_written_at_once():
    message = _message("direkt")
    with transaction.atomic():
        insert_later([(message, {})])
        assert message.pk is not None
    assert OutboxMessage.objects.get(pk=message.pk).key == "direkt"


def test_rows_kept_in_a_block_are_written_together_at_its_end():
    first, second = _message("först"), _message("sedan")
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        with inserts_together():
            insert_later([(first, {})])
            insert_later([(second, {})])
            assert (first.pk, second.pk) == (None, None)  # not written yet
            assert not OutboxMessage.objects.exists()
        assert first.pk and second.pk and first.pk < second.pk
    assert len(_inserts(ctx)) == (1 if connection.vendor == "postgresql" else 2)
    assert list(OutboxMessage.objects.order_by("pk").values_list("key", flat=True)) == ["först", "sedan"]
    assert not first._state.adding


def test_the_next_insert_together_takes_the_kept_rows_first_in_its_statement():
    kept, own = _message("kvar"), _message("egen")
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        with inserts_together():
            insert_later([(kept, {})])
            insert_together([(own, {})])
            assert kept.pk and own.pk and kept.pk < own.pk
            written = len(_inserts(ctx))
        assert len(_inserts(ctx)) == written  # nothing left for the end of the block
    assert written == (1 if connection.vendor == "postgresql" else 2)


def test_a_block_that_raises_writes_nothing():
    message = _message("ångrad")
    with transaction.atomic():
        with pytest.raises(ZeroDivisionError), inserts_together():
            insert_later([(message, {})])
            1 / 0  # noqa: B018
        # the block is gone: a row given now is written at once
        insert_later([(_message("efteråt"), {})])
    assert message.pk is None
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == ["efteråt"]


@pytest.mark.django_db(transaction=True)
def test_a_block_needs_a_transaction():
    with pytest.raises(RuntimeError, match="transaction"), inserts_together():
        pass


def test_a_row_whose_key_exists_is_left_out_and_keeps_no_id():
    existing = OutboxMessage.objects.create(key="kvitto:1", to="forst@example.se", subject="Först", body="B")
    again, new = _message("kvitto:1", to="andra@example.se"), _message("kvitto:2")
    with transaction.atomic():
        insert_together([Insert(again, ignore_conflict=True), Insert(new, ignore_conflict=True)])
    assert again.pk is None and again._state.adding
    assert new.pk is not None
    assert OutboxMessage.objects.get(key="kvitto:1").to == existing.to  # not overwritten
    assert OutboxMessage.objects.filter(key="kvitto:2").exists()


def test_no_row_may_refer_to_one_that_may_be_left_out():
    from workflows.models import DiariumEntry

    message = _message("kvitto:3")
    entry = DiariumEntry(year=2026, number=1, case_number="KFN 2026/1", title="T")
    with pytest.raises(ValueError, match="may not be written"):
        insert_together([Insert(message, ignore_conflict=True), Insert(entry, {"object_id": message})])
    assert message.pk is None


def test_a_message_for_the_callers_own_task_is_written_with_the_blocks_rows(
    django_capture_on_commit_callbacks,
):
    OutboxMessage.objects.create(key="kvitto:skickat", to="a@example.se", subject="S", body="B")
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        with inserts_together():
            fresh, before = (_receipt("kvitto:nytt"), _receipt("kvitto:skickat"))
            assert fresh.pk is None
        assert fresh.pk == OutboxMessage.objects.get(key="kvitto:nytt").pk
        assert before.pk is None  # written before: the outbox's periodic task sends that one
    assert callbacks == []  # the caller's own task sends it
    assert OutboxMessage.objects.filter(key="kvitto:skickat").count() == 1
