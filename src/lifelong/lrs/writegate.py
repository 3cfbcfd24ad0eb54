"""One writer at a time on SQLite, queued by the operating system instead of by sleeping.

SQLite lets one transaction write at a time. A connection that finds the write lock taken
retries through SQLite's busy handler, which sleeps 1, 2, 5, 10... up to 100 ms between
tries: with several request threads and processes writing batches, the lock often sits
free while every waiter sleeps. The store's write transactions and the hook runners'
deliveries (the heaviest writers) therefore queue first on a lock of their own: a thread
lock within the process, then `flock` on a file beside the database across processes
(gunicorn's workers), which wakes the next waiter as soon as the holder lets go. Other
writers (a form saved by a user) still go through the busy handler, unchanged.

`checkpoint_wal()` copies the WAL back into the database file (a PASSIVE checkpoint, which
never waits for or blocks a writer); the hooks' background thread runs it after each
delivery, so that the request that happens to cross `wal_autocheckpoint` (settings) rarely
pays for a checkpoint and its sync.

PostgreSQL needs nothing of this (row locks queue properly): `write_gate()` is a no-op
there, and for an in-memory SQLite database (the tests).
"""

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.db import connection

__all__ = ["checkpoint_wal", "write_gate"]

_thread_lock = threading.Lock()
_files: dict[tuple[int, str], IO[bytes]] = {}


def _lock_file(path: str) -> IO[bytes]:
    """Return this process's open lock file for the database at `path`."""
    key = (os.getpid(), path)
    handle = _files.get(key)
    if handle is None:
        # After a fork the parent's descriptors are shared: each process opens its own.
        handle = _files[key] = open(f"{path}-writegate", "ab")  # noqa: SIM115 - kept open
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
    path = _database_file()
    if path is None or connection.in_atomic_block:
        yield
        return
    with _thread_lock:
        handle = _lock_file(path)
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def checkpoint_wal() -> None:
    """Run a PASSIVE WAL checkpoint on a SQLite database file (no-op otherwise)."""
    if _database_file() is None or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
