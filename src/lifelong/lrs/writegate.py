"""One writer at a time on SQLite, queued by the operating system instead of by sleeping.

SQLite lets one transaction write at a time. A connection that finds the write lock taken
retries through SQLite's busy handler, which sleeps 1, 2, 5, 10... up to 100 ms between
tries: with several request threads and processes writing batches, the lock often sits
free while every waiter sleeps. The store's write transactions and the hook runners'
deliveries (the heaviest writers) therefore queue first on a lock of their own: a thread
lock within the process, then `flock` on a file beside the database across processes
(gunicorn's workers), which wakes the next waiter as soon as the holder lets go. Other
writers (a form saved by a user) still go through the busy handler, unchanged.

`delivery_gate()` is a second lock of the same kind for the hook runners alone: the runner
that holds it reads the next page of statements, delivers it and moves the cursor, while the
other process's runner waits instead of reading and decoding the same page for nothing. It
is taken before `write_gate()`, never under it, so ingest requests never wait for it.

`checkpoint_wal()` copies the WAL back into the database file (a PASSIVE checkpoint, which
never waits for or blocks a writer); the hooks' background thread runs it at most every
CHECKPOINT_SECONDS, so that the request that happens to cross `wal_autocheckpoint`
(settings) rarely pays for a checkpoint and its sync, and the thread does not pay for one
after every small page either.

PostgreSQL needs nothing of this (row locks queue properly): `write_gate()` is a no-op
there, and for an in-memory SQLite database (the tests).
"""

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.db import connection

__all__ = ["CHECKPOINT_SECONDS", "checkpoint_wal", "delivery_gate", "write_gate"]

CHECKPOINT_SECONDS = 1.0

_thread_locks = {"writegate": threading.Lock(), "hooks": threading.Lock()}
_files: dict[tuple[int, str], IO[bytes]] = {}
_last_checkpoint: dict[tuple[int, str], float] = {}


def _lock_file(path: str) -> IO[bytes]:
    """Return this process's open lock file `path`."""
    key = (os.getpid(), path)
    handle = _files.get(key)
    if handle is None:
        # After a fork the parent's descriptors are shared: each process opens its own.
        handle = _files[key] = open(path, "ab")  # noqa: SIM115 - kept open
    return handle


def _database_file() -> str | None:
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return name


@contextmanager
def write_gate() -> Iterator[None]:
    """Hold the SQLite write gate (no-op on PostgreSQL and in-memory SQLite).

    Also a no-op inside a transaction: that transaction may already hold SQLite's write lock
    (IMMEDIATE), and waiting for the gate under it could wait on a writer that waits for it.
    """
    with _gate("writegate"):
        yield


@contextmanager
def delivery_gate() -> Iterator[None]:
    """Hold the SQLite hook runners' gate (no-op where `write_gate()` is one).

    Take it before `write_gate()`, outside any transaction.
    """
    with _gate("hooks"):
        yield


@contextmanager
def _gate(name: str) -> Iterator[None]:
    path = _database_file()
    if path is None or connection.in_atomic_block:
        yield
        return
    with _thread_locks[name]:
        handle = _lock_file(f"{path}-{name}")
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def checkpoint_wal(*, every: float = 0.0) -> bool:
    """Run a PASSIVE WAL checkpoint on a SQLite database file (no-op otherwise).

    `every`: skip it if this process ran one less than that many seconds ago. Returns whether
    it ran.
    """
    path = _database_file()
    if path is None or connection.in_atomic_block:
        return False
    key = (os.getpid(), path)
    now = time.monotonic()
    if every and now - _last_checkpoint.get(key, -every) < every:
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    _last_checkpoint[key] = time.monotonic()
    return True
