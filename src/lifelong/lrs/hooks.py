"""The `statements_stored` hook: an explicit registry of consumers, driven by `seq`.

A higher app (the learning projection) registers a callback in its `AppConfig.ready()`:

    hooks.register("learning.records", project_statements)

Each consumer keeps its own `HookCursor`: the highest `seq` it has processed. After every
commit that stores statements, from `lifelong lrs hooks run`, and from the `catch_up` task
that the background worker runs after a consumer failed, `run_consumers()` hands each
consumer the statements after its cursor, in `seq` order and in pages, then moves the
cursor. Delivery is at least once: consumers must be idempotent (key their writes on the
statement id). No Django signals: the flow is visible here.

A consumer registered with `in_write=True` (the learning projection: it writes only to this
database) is handed each page inside the very transaction that stores it, when its cursor
is up to date (`deliver_in_write`, called by the store's group commit on SQLite, where that
group is the only write under way): the page, what the consumer made of it and the moved
cursor commit together, and no runner need read the page back. A consumer that is behind,
or fails there, is left to the runners below. On PostgreSQL, where writes run side by side,
the runners deliver every page, never past the high-water mark (`lrs.sequence`).

Who runs the consumers after a commit (`statements_stored`):

- inline, in the thread that committed, when the write asks for it (Lifelong's own
  statements: an approved self-study shows in the ledger on the next page) or when
  settings.XAPI_HOOK_DELIVERY is "inline" (the tests);
- otherwise, for statements received over HTTP, a background thread of the same process
  (`_Dispatcher`), woken by the commit: the request answers without waiting for the
  projection, and the commits that arrive while the thread works are delivered together in
  one larger page. A statement is delivered well within a second of its commit unless the
  consumers fall behind a sustained load (docs/xapi-operations.md measures it).

Runners never deliver the same page twice at once: each page is delivered, and the cursor
moved past it, in one transaction that holds the cursor row (`SELECT ... FOR UPDATE`; on
SQLite the IMMEDIATE transaction). A consumer that writes only to this database therefore
sees each statement once; a crash mid-page rolls the page and the cursor back together.
"""

import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.tasks import task
from django.utils import timezone

from lifelong.lrs import sequence
from lifelong.lrs.models import HookCursor, Statement
from lifelong.lrs.writegate import CHECKPOINT_SECONDS, checkpoint_wal, delivery_gate, write_gate

__all__ = [
    "RETRY_SECONDS",
    "StoredStatement",
    "background_delivery",
    "catch_up",
    "clear",
    "consumers",
    "deliver_in_write",
    "delivered_in_write",
    "isolated",
    "positions",
    "register",
    "run_consumer",
    "run_consumers",
    "statements_stored",
    "stop_background",
    "unregister",
]

logger = logging.getLogger(__name__)

PAGE_SIZE = 500
# How far behind (in sequence numbers) an `in_write` consumer may be and still be caught up
# inside a write (`deliver_in_write`).
IN_WRITE_BACKLOG = PAGE_SIZE
# Above any sequence number (a signed 64-bit column).
_NO_END = 2**63 - 1
# The background thread also looks for undelivered statements this often when nothing woke
# it (statements committed by a process that died before delivering them).
IDLE_CHECK_SECONDS = 10.0
# A consumer that failed is retried by the background worker this long after (docs/xapi.md).
RETRY_SECONDS = 60
_last_retry_enqueued = 0.0
_last_housekeeping = 0.0


@dataclass(frozen=True)
class StoredStatement:
    """One statement handed to a consumer: its sequence number, id, payload and voided flag."""

    seq: int
    id: str
    payload: dict[str, Any]
    voided: bool


Callback = Callable[[Sequence[StoredStatement]], None]
_registry: dict[str, Callback] = {}
# The consumers that may also be handed statements inside the transaction storing them.
_in_write: set[str] = set()


def register(consumer: str, callback: Callback, *, in_write: bool = False) -> None:
    """Register `callback` under the durable name `consumer` (its cursor's key).

    `in_write`: the consumer writes only to this database, so a page may also be delivered
    inside the transaction that stores it (`deliver_in_write`), when its cursor is up to
    date. Registering the same name again replaces the callback (module reloads in
    development).
    """
    _registry[consumer] = callback
    if in_write:
        _in_write.add(consumer)
    else:
        _in_write.discard(consumer)


def unregister(consumer: str) -> None:
    """Forget a consumer; its cursor stays, so registering it again resumes where it was."""
    _registry.pop(consumer, None)
    _in_write.discard(consumer)


def clear() -> None:
    """Forget every consumer (tests)."""
    _registry.clear()
    _in_write.clear()


@contextmanager
def isolated() -> Iterator[None]:
    """Run with no consumer registered, then restore the registered ones (tests)."""
    saved, saved_in_write = dict(_registry), set(_in_write)
    clear()
    try:
        yield
    finally:
        clear()
        _registry.update(saved)
        _in_write.update(saved_in_write)


def deliver_in_write(before: int, page: Sequence[StoredStatement], through: int) -> bool:
    """Hand `page` to the `in_write` consumers inside the transaction storing it.

    Called by the store (SQLite) in the group's write, after its inserts: `page` is every
    statement stored with a `seq` after `before`, up to `through`. A consumer whose cursor
    is at `before` gets the page and its cursor moves to `through`, under a savepoint of its
    own, so the page, its projection and the cursor commit together (no second transaction,
    no page read back and decoded again). A consumer at most IN_WRITE_BACKLOG numbers behind
    gets the statements it misses first, in the same page: under a steady load some write
    is always under way, so a runner alone would never quite catch up for the next write to
    find the cursor at `before`. A consumer further behind, never run yet, being run by a
    runner (PostgreSQL: its cursor row is locked), or failing here (logged; its savepoint
    rolls back) is left to the runners. Returns whether every registered consumer got the
    page, so that no runner need be woken.
    """
    everyone = True
    for consumer in consumers():
        if consumer not in _in_write:
            everyone = False
            continue
        position = _cursor_in_write(consumer)
        if position is None or not 0 <= before - position <= IN_WRITE_BACKLOG:
            everyone = False
            continue
        try:
            with transaction.atomic():
                missed = _page_after(position, before - position, through=before)
                if missed or page:
                    _registry[consumer]([*missed, *page])
                _move_cursor_in_write(consumer, through)
        except Exception:
            logger.exception("statements_stored consumer %s failed in the write", consumer)
            everyone = False
    return everyone


# The in-write delivery reads and moves a cursor in SQL of its own, as
# `HookCursor.objects.filter(...)` would: the ORM's query building cost a tenth of the
# delivery's time, spent under the store's write gate.
_CURSOR_TABLE = HookCursor._meta.db_table


def _cursor_in_write(consumer: str) -> int | None:
    """Return a consumer's cursor position (None: no cursor, or PostgreSQL: locked)."""
    table = connection.ops.quote_name(_CURSOR_TABLE)
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT position FROM {table} WHERE consumer = %s{lock}", [consumer])  # noqa: S608 - identifiers only
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _move_cursor_in_write(consumer: str, position: int) -> None:
    table = connection.ops.quote_name(_CURSOR_TABLE)
    updated = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET position = %s, updated_at = %s WHERE consumer = %s",  # noqa: S608 - identifiers only
            [position, updated, consumer],
        )


def consumers() -> list[str]:
    """Return the registered consumer names."""
    return sorted(_registry)


def run_consumer(consumer: str, *, limit: int | None = None, page_size: int = PAGE_SIZE) -> int:
    """Deliver the statements after `consumer`'s cursor; return how many were delivered.

    `page_size` (default PAGE_SIZE) suits the commits of a running store; a one-off catch-up
    over a large backlog (the demo build) passes a larger one: fewer, larger pages.

    Each page is delivered and the cursor moved past it in one transaction that holds the
    cursor row, so two runners (threads or processes) never deliver the same page at once.
    On PostgreSQL the row is locked first and the page read under it: the second runner
    waits, then reads on from the moved cursor. On SQLite the lock is the database's write
    lock, which every ingest request waits for, so the page is read (and decoded) before it,
    under the runners' own gate (`writegate.delivery_gate`): the other runner waits there
    instead of reading the same page for nothing. An exception from the callback stops this
    consumer's run and propagates; the page's writes and the cursor roll back together, and
    the cursor stays before the failed page.
    """
    callback = _registry[consumer]
    HookCursor.objects.get_or_create(consumer=consumer)
    read_first = connection.vendor == "sqlite"
    delivered = 0
    while limit is None or delivered < limit:
        size = page_size if limit is None else min(page_size, limit - delivered)
        with delivery_gate():
            page: list[StoredStatement] = []
            position = None
            if read_first:
                position = _position(consumer)
                page = _page_after(position, size)
                if not page:
                    break
            with write_gate(), transaction.atomic():
                locked = _position(consumer, lock=True)
                if locked != position:  # not read yet, or another runner delivered meanwhile
                    page = _page_after(locked, size)
                if page:
                    callback(page)
                    HookCursor.objects.filter(consumer=consumer).update(
                        position=page[-1].seq, updated_at=timezone.now()
                    )
        if not page:
            break
        delivered += len(page)
    return delivered


def _position(consumer: str, *, lock: bool = False) -> int:
    rows = HookCursor.objects.filter(consumer=consumer)
    if lock:
        rows = rows.select_for_update()
    return int(rows.values_list("position", flat=True).get())


def _page_after(position: int, size: int, *, through: int | None = None) -> list[StoredStatement]:
    """Return up to `size` stored statements after `position` (to `through`), in `seq` order.

    Never past the high-water mark (`sequence.readable_through`): a cursor moved past a
    number that a transaction still in flight holds would skip its statements for good.
    Raw SQL: the rows are decoded once here (the ORM's per-value conversions cost as much
    as the consumer's work on a large catch-up). Same values as the ORM would give.
    """
    end = _NO_END if through is None else through
    readable = sequence.readable_through()
    if readable is not None:
        end = min(end, readable)
    table = connection.ops.quote_name(Statement._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT seq, id, payload, voided FROM {table} WHERE seq > %s AND seq <= %s "  # noqa: S608 - identifiers only
            "ORDER BY seq LIMIT %s",
            [position, end, size],
        )
        rows = cursor.fetchall()
    loads = json.loads
    return [
        StoredStatement(
            int(seq),
            str(ident) if isinstance(ident, uuid.UUID) else str(uuid.UUID(ident)),
            loads(payload) if isinstance(payload, (str, bytes)) else payload,
            bool(voided),
        )
        for seq, ident, payload, voided in rows
    ]


def run_consumers(*, page_size: int = PAGE_SIZE) -> dict[str, int]:
    """Run every registered consumer from its cursor; return how many each received.

    A failing consumer is logged and left behind its cursor (-1 in the result); the others
    still run, and a `catch_up` task is queued for the background worker to retry it.
    """
    result: dict[str, int] = {}
    for consumer in consumers():
        try:
            result[consumer] = run_consumer(consumer, page_size=page_size)
        except Exception:
            logger.exception(
                "statements_stored consumer %s failed; it will catch up later", consumer
            )
            result[consumer] = -1
    if any(count < 0 for count in result.values()):
        _schedule_retry()
    return result


def positions() -> dict[str, int]:
    """Return each registered consumer's cursor (0 for one that never ran)."""
    known = dict(HookCursor.objects.values_list("consumer", "position"))
    return {consumer: known.get(consumer, 0) for consumer in consumers()}


@task()
def catch_up() -> dict[str, int]:
    """Background task: run every consumer from its cursor (queued after a failure)."""
    return run_consumers()


def _schedule_retry() -> None:
    """Queue `catch_up` RETRY_SECONDS from now, at most once per RETRY_SECONDS per process.

    The queued task is durable (django_tasks_db), so a worker that restarts still runs it;
    if the consumer fails again, that run queues the next retry: the worker keeps retrying
    until the consumer has caught up. Never raises: a queue that refuses deferred tasks (the
    tests' immediate backend) leaves the retry to the next commit or `lifelong lrs hooks run`.
    """
    global _last_retry_enqueued  # a per-process throttle
    now = time.monotonic()
    if _last_retry_enqueued and now - _last_retry_enqueued < RETRY_SECONDS:
        return
    # Set first: a backend that runs tasks at once must not recurse through here.
    _last_retry_enqueued = now
    try:
        catch_up.using(run_after=timezone.now() + timedelta(seconds=RETRY_SECONDS)).enqueue()
    except Exception:
        logger.warning("could not queue the statements_stored catch-up task", exc_info=True)


def statements_stored(*, background: bool = False) -> None:
    """Run the consumers after a commit that stored statements (no-op without consumers).

    `background`: the write may be delivered by this process's background thread, unless
    settings.XAPI_HOOK_DELIVERY is "inline"; otherwise the consumers run here, now.
    """
    if not _registry:
        return
    if background and background_delivery():
        _dispatcher.wake()
    else:
        run_consumers()


def delivered_in_write() -> None:
    """After a commit whose statements every consumer got in the write (`deliver_in_write`).

    Nothing is left to deliver, but the background thread still runs its housekeeping: the
    WAL checkpoint (SQLite), which would otherwise fall to the request that crosses
    `wal_autocheckpoint`, under the write gate, with a WAL grown large meanwhile. At most
    one wake-up per CHECKPOINT_SECONDS, the checkpoints' own pace.
    """
    global _last_housekeeping  # a per-process throttle
    now = time.monotonic()
    if not _registry or not background_delivery() or now - _last_housekeeping < CHECKPOINT_SECONDS:
        return
    _last_housekeeping = now
    _dispatcher.wake()


def background_delivery() -> bool:
    """Whether writes that allow it are delivered by the background thread (the setting)."""
    return getattr(settings, "XAPI_HOOK_DELIVERY", "background") != "inline"


def stop_background(timeout: float = 10.0) -> None:
    """Stop this process's background delivery thread, if it runs (tests, shutdown)."""
    _dispatcher.stop(timeout)


class _Dispatcher:
    """One daemon thread per process that runs the consumers when a commit wakes it.

    Started on the first wake-up in a process (after gunicorn forked its workers: the
    process id is checked, since threads do not survive a fork). Wake-ups that arrive while
    it works are coalesced into the next run, which delivers everything committed by then.
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def wake(self) -> None:
        with self._guard:
            if self._thread is None or not self._thread.is_alive() or self._pid != os.getpid():
                self._wake, self._stop = threading.Event(), threading.Event()
                self._pid = os.getpid()
                self._thread = threading.Thread(
                    target=self._loop,
                    args=(self._wake, self._stop),
                    name="lrs-hooks",
                    daemon=True,
                )
                self._thread.start()
            self._wake.set()

    def stop(self, timeout: float) -> None:
        with self._guard:
            thread, self._thread = self._thread, None
            if thread is None or self._pid != os.getpid():
                return
            self._stop.set()
            self._wake.set()
        thread.join(timeout)

    @staticmethod
    def _loop(wake: threading.Event, stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                wake.wait(IDLE_CHECK_SECONDS)
                wake.clear()
                if stop.is_set():
                    return
                try:
                    run_consumers()
                    checkpoint_wal(every=CHECKPOINT_SECONDS)
                except Exception:  # the database is away: log, and try again when woken
                    logger.exception("statements_stored background delivery failed")
                finally:
                    # Drop a broken connection, or one past LIFELONG_DB_CONN_MAX_AGE.
                    close_old_connections()
        finally:
            connection.close()


_dispatcher = _Dispatcher()
