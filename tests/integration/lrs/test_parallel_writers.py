"""Writers side by side (lrs/0006): what a reader may see while a write is in flight.

The tests marked `postgres_only` hold one write open in a thread of its own (its own
connection), do something from another, then let the first commit. What they check, the
high-water mark and the advisory locks, exists on PostgreSQL only: SQLite has one writer at a
time (its gate), and its pass's in-memory database cannot be shared between threads. So they
are collected in the PostgreSQL pass only (tests/conftest.py). Two writers of one id at once
on SQLite are checked through a real server on a database file
(test_durability.py::test_the_same_id_posted_by_two_clients_at_once_is_stored_once). The
others here run on both databases.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg.errors
import pytest
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from lifelong.lrs import hooks, sequence, store
from lifelong.lrs.http import XapiError
from lifelong.lrs.models import Statement
from lifelong.lrs.query import StatementQuery, find_statements
from lifelong.lrs.sequence import SEQ_BLOCK
from lifelong.lrs.store import _insert_side_by_side, prepare_statements, store_statements
from tests.factories.lrs import numbered_statement as statement

pytestmark = pytest.mark.django_db(transaction=True)

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


@contextmanager
def write_in_flight(
    batch: list[dict[str, Any]], *, exclusive: bool = False
) -> Iterator[dict[str, Any]]:
    """Store `batch` in a transaction of another thread and keep it open for the block.

    Yields what the thread saw ("seq" and "stored" of the batch's first statement); the
    transaction commits when the block ends (or rolls back if it raised).
    """
    stored, release, seen = threading.Event(), threading.Event(), {}

    def run() -> None:
        try:
            with transaction.atomic():
                prepared = prepare_statements(batch, client=None, postgres=True)
                _insert_side_by_side(prepared, None, {}, exclusive)
                first = Statement.objects.get(id=batch[0]["id"])
                seen["seq"], seen["stored"] = first.seq, first.stored
                stored.set()
                if not release.wait(30):
                    raise RuntimeError("never released")
        except BaseException as exc:  # handed to the test
            seen["error"] = exc
            stored.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    assert stored.wait(30)
    if "error" in seen:
        raise seen["error"]
    try:
        yield seen
    finally:
        release.set()
        thread.join(30)
    if "error" in seen:
        raise seen["error"]


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Start `work` in a thread with a connection of its own; its result or error lands in
    the dict."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.postgres_only
def test_a_write_in_flight_holds_back_what_readers_and_cursors_may_read():
    pages: list[list[int]] = []
    with hooks.isolated():
        hooks.register("test.cursor", lambda page: pages.append([s.seq for s in page]))
        hooks.run_consumer("test.cursor")  # the cursor starts at the store's beginning
        with write_in_flight([statement(1)]) as slow:
            # given: a later write commits while the earlier one is still in flight
            store_statements([statement(2)], client=None, run_hooks=False)
            later = Statement.objects.get(id=statement(2)["id"]).seq
            assert later > slow["seq"]
            # then: the readable mark stops below the write in flight (here one block lower
            # at most: its lock names the last block drawn before its own)
            assert slow["seq"] - 2 * SEQ_BLOCK <= sequence.readable_through() < slow["seq"]
            # a runner delivers nothing past it, so its cursor cannot skip the first write
            assert hooks.run_consumer("test.cursor") == 0
            # a query pages only up to it, so `more` cannot jump over it either
            payloads, _ = find_statements(StatementQuery(limit=10), client=None)
            assert payloads == []
            # and Consistent-Through is no later than the stored time of that write
            assert sequence.consistent_through(timezone.now()) <= slow["stored"]
        # when: the first write commits, both are read, in number order
        assert sequence.readable_through() >= later
        assert hooks.run_consumer("test.cursor") == 2
        assert pages == [[slow["seq"], later]]
        payloads, _ = find_statements(StatementQuery(limit=10), client=None)
        assert [p["id"] for p in payloads] == [statement(2)["id"], statement(1)["id"]]


def test_with_no_write_in_flight_every_committed_statement_is_readable_and_consistent():
    store_statements([statement(11), statement(12)], client=None, run_hooks=False)
    payloads, _ = find_statements(StatementQuery(limit=10), client=None)
    assert {p["id"] for p in payloads} == {statement(11)["id"], statement(12)["id"]}
    now = timezone.now()
    assert sequence.consistent_through(now) == now


def test_a_transactions_own_statements_are_readable_inside_it():
    with transaction.atomic():
        store_statements([statement(3)], client=None, run_hooks=False)
        payloads, _ = find_statements(StatementQuery(limit=10), client=None)
        assert [p["id"] for p in payloads] == [statement(3)["id"]]


@pytest.mark.postgres_only
def test_a_write_rolled_back_to_a_savepoint_still_holds_back_readers_with_its_next_batch():
    holding, release = threading.Event(), threading.Event()
    seen: dict[str, int] = {}

    def run() -> None:
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        sequence.reserve(1, exclusive=False)
                        raise RuntimeError("rolled back")
                except RuntimeError:
                    pass
                seen["seq"] = sequence.reserve(1, exclusive=False)
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert holding.wait(30)
        assert sequence.readable_through() < seen["seq"]
    finally:
        release.set()
        thread.join(30)
    assert sequence.readable_through() >= seen["seq"]


@pytest.mark.postgres_only
def test_the_same_id_sent_twice_at_once_is_stored_once_and_the_second_is_a_no_op():
    with write_in_flight([statement(4)]):
        # given: a second request with the same statement, while the first is in flight
        thread, outcome = in_thread(lambda: store_statements([statement(4)], client=None))
        time.sleep(0.3)
        assert thread.is_alive()  # it waits for the first write, not fails
    thread.join(30)
    # then: the second found it stored (equivalent): a no-op, not a 500
    assert outcome == {"result": [statement(4)["id"]]}
    assert Statement.objects.filter(id=statement(4)["id"]).count() == 1


@pytest.mark.postgres_only
def test_the_same_id_sent_twice_at_once_with_other_content_is_a_409():
    other = statement(5, verb={"id": "http://example.org/verbs/read"})
    with write_in_flight([statement(5)]):
        thread, outcome = in_thread(lambda: store_statements([other], client=None))
        time.sleep(0.3)
    thread.join(30)
    error = outcome.get("error")
    assert isinstance(error, XapiError) and error.status == 409
    stored = Statement.objects.get(id=statement(5)["id"])
    assert stored.payload["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"


@pytest.mark.postgres_only
def test_a_voiding_statement_waits_for_a_write_in_flight_and_voids_its_target():
    voiding = {
        "id": "00000000-0000-4000-8000-000000000099",
        "actor": {"mbox": "mailto:admin@example.org"},
        "verb": {"id": VOIDED},
        "object": {"objectType": "StatementRef", "id": statement(6)["id"]},
    }
    with write_in_flight([statement(6)]):
        # given: the target in flight; a voiding statement sent meanwhile writes alone
        thread, outcome = in_thread(lambda: store_statements([voiding], client=None))
        time.sleep(0.3)
        assert thread.is_alive()
    thread.join(30)
    assert "error" not in outcome
    # then: it saw the target once committed, and voided it
    assert Statement.objects.get(id=statement(6)["id"]).voided is True


@pytest.mark.postgres_only
def test_a_shared_write_waits_for_an_exclusive_one_and_sees_the_statement_it_voided():
    target = statement(7)
    store_statements([target], client=None, run_hooks=False)
    voiding = {
        "id": "00000000-0000-4000-8000-000000000098",
        "actor": {"mbox": "mailto:admin@example.org"},
        "verb": {"id": VOIDED},
        "object": {"objectType": "StatementRef", "id": target["id"]},
    }
    with write_in_flight([voiding], exclusive=True):
        thread, outcome = in_thread(lambda: store_statements([statement(8)], client=None))
        time.sleep(0.3)
        assert thread.is_alive()  # a shared writer waits for the exclusive one
    thread.join(30)
    assert "error" not in outcome
    assert Statement.objects.get(id=target["id"]).voided is True
    assert Statement.objects.filter(id=statement(8)["id"]).exists()


def test_a_batch_failed_to_break_a_deadlock_is_stored_again(monkeypatch):
    # given: the first attempt is the one PostgreSQL fails (two batches of shared ids, each
    # waiting for the other), with the error Django raises for it
    real, calls = store._insert_locked, []

    def deadlocked_once(*args: Any, **kwargs: Any) -> list[str]:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("deadlock detected") from psycopg.errors.DeadlockDetected()
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "_insert_locked", deadlocked_once)
    # when / then: stored on the second attempt, once
    prepared = prepare_statements([statement(9)], client=None, postgres=_postgres())
    assert _insert_side_by_side(prepared, None, {}, False) == [statement(9)["id"]]
    assert len(calls) == 2
    assert Statement.objects.filter(id=statement(9)["id"]).count() == 1


def test_any_other_database_error_still_fails_the_batch(monkeypatch):
    def broken(*args: Any, **kwargs: Any) -> list[str]:
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(store, "_insert_locked", broken)
    prepared = prepare_statements([statement(10)], client=None, postgres=_postgres())
    with pytest.raises(OperationalError, match="disk I/O error"):
        _insert_side_by_side(prepared, None, {}, False)
    assert not Statement.objects.filter(id=statement(10)["id"]).exists()


def _postgres() -> bool:
    return connection.vendor == "postgresql"
