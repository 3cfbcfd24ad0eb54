"""The `statements_stored` hook: an explicit registry of consumers, driven by `seq`.

A higher app (the learning projection) registers a callback in its `AppConfig.ready()`:

    hooks.register("learning.records", project_statements)

Each consumer keeps its own `HookCursor`: the highest `seq` it has processed. After every
commit that stores statements, from `lifelong lrs hooks run`, and from the `catch_up` task
that the background worker runs after a consumer failed, `run_consumers()` hands each
consumer the statements after its cursor, in `seq` order and in pages, then moves the
cursor. Delivery is at least once: a consumer that fails mid-page sees that page again, so
consumers must be idempotent (key their writes on the statement id). No Django signals: the
flow is visible here.
"""

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.tasks import task
from django.utils import timezone

from lifelong.lrs.models import HookCursor, Statement

__all__ = [
    "RETRY_SECONDS",
    "StoredStatement",
    "catch_up",
    "clear",
    "consumers",
    "isolated",
    "positions",
    "register",
    "run_consumer",
    "run_consumers",
    "unregister",
]

logger = logging.getLogger(__name__)

PAGE_SIZE = 500
# A consumer that failed is retried by the background worker this long after (docs/xapi.md).
RETRY_SECONDS = 60
_last_retry_enqueued = 0.0


@dataclass(frozen=True)
class StoredStatement:
    """One statement handed to a consumer: its sequence number, id, payload and voided flag."""

    seq: int
    id: str
    payload: dict[str, Any]
    voided: bool


Callback = Callable[[Sequence[StoredStatement]], None]
_registry: dict[str, Callback] = {}


def register(consumer: str, callback: Callback) -> None:
    """Register `callback` under the durable name `consumer` (its cursor's key).

    Registering the same name again replaces the callback (module reloads in development).
    """
    _registry[consumer] = callback


def unregister(consumer: str) -> None:
    """Forget a consumer; its cursor stays, so registering it again resumes where it was."""
    _registry.pop(consumer, None)


def clear() -> None:
    """Forget every consumer (tests)."""
    _registry.clear()


@contextmanager
def isolated() -> Iterator[None]:
    """Run with no consumer registered, then restore the registered ones (tests)."""
    saved = dict(_registry)
    _registry.clear()
    try:
        yield
    finally:
        _registry.clear()
        _registry.update(saved)


def consumers() -> list[str]:
    """Return the registered consumer names."""
    return sorted(_registry)


def run_consumer(consumer: str, *, limit: int | None = None, page_size: int = PAGE_SIZE) -> int:
    """Deliver the statements after `consumer`'s cursor; return how many were delivered.

    `page_size` (default PAGE_SIZE) suits the commits of a running store; a one-off catch-up
    over a large backlog (the demo build) passes a larger one: fewer, larger pages.

    Each page is delivered, then the cursor moves past it in its own transaction, so a crash
    between the two re-delivers that page (at least once). An exception from the callback
    stops this consumer's run and propagates; the cursor stays before the failed page.
    """
    callback = _registry[consumer]
    cursor, _ = HookCursor.objects.get_or_create(consumer=consumer)
    position = cursor.position
    delivered = 0
    while limit is None or delivered < limit:
        size = page_size if limit is None else min(page_size, limit - delivered)
        page = _page_after(position, size)
        if not page:
            break
        callback(page)
        position = page[-1].seq
        with transaction.atomic():
            HookCursor.objects.filter(consumer=consumer).update(position=position)
        delivered += len(page)
    return delivered


def _page_after(position: int, size: int) -> list[StoredStatement]:
    """Return up to `size` stored statements after `position`, in `seq` order.

    Raw SQL: the rows are decoded once here (the ORM's per-value conversions cost as much
    as the consumer's work on a large catch-up). Same values as the ORM would give.
    """
    table = connection.ops.quote_name(Statement._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT seq, id, payload, voided FROM {table} WHERE seq > %s "  # noqa: S608 - identifiers only
            "ORDER BY seq LIMIT %s",
            [position, size],
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


def statements_stored() -> None:
    """Run the consumers after a commit that stored statements (no-op without consumers)."""
    if _registry:
        run_consumers()
