"""Group commit: the writes that wait for the store at the same moment share one transaction.

Every statement batch the store writes waits for the one writer SQLite allows, then pays
for its own commit (on PostgreSQL, where writers run side by side, a group still shares
one commit among a process's batches): on SQLite the commit
writes every page the batch touched to the WAL, and the random keys of the index tables
touch a different leaf page per row, so two batches committed together write far fewer
pages than two commits (measured in docs/xapi-operations.md).

`GroupCommitter.submit(work)` queues `work` and blocks until it is done. The first thread
to find no write under way leads: it takes the gate (the SQLite write gate, which may wait
for another process), then takes every job queued by then, at most `max_jobs`, and hands
them to `run_group`, which runs them in one transaction, each under a savepoint of its own,
and records each job's result or error before the commit. Only after the commit does any
thread return: an acknowledged write is committed. A job's error (a 409, say) rolls back
its own savepoint and nothing else; an error of the commit itself fails every job of the
group. Then the next queued thread, if any, leads the next group, so no thread waits
behind more than the group before its own.

Plain threading, no database: `run_group` and `gate` are given (lrs.store gives them).
"""

import threading
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

__all__ = ["GroupCommitter", "Job"]


class Job:
    """One queued write: its `work`, then its `result` or `error` (set by `run_group`)."""

    __slots__ = ("_done", "_event", "_leads", "error", "result", "work")

    def __init__(self, work: Any) -> None:
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None
        self._event = threading.Event()
        self._leads = False
        self._done = False


class GroupCommitter:
    """Run the jobs submitted at the same time in groups, one group at a time.

    `run_group(jobs)` must set each job's `result` or `error`; an exception it raises
    (the commit failed, say) becomes the error of every job that has none. `gate()` is
    entered before the queue is drained, so the jobs that arrive while the leader waits for
    it join the group.
    """

    def __init__(
        self,
        run_group: Callable[[list[Job]], None],
        *,
        gate: Callable[[], AbstractContextManager[Any]],
        max_jobs: int = 16,
    ) -> None:
        if max_jobs < 1:
            raise ValueError("max_jobs must be at least 1")
        self._run_group = run_group
        self._gate = gate
        self._max_jobs = max_jobs
        self._mutex = threading.Lock()
        self._pending: deque[Job] = deque()
        self._leading = False

    def submit(self, work: Any) -> Any:
        """Queue `work`, wait until its group is committed; return its result or raise."""
        job = Job(work)
        with self._mutex:
            self._pending.append(job)
            if not self._leading:
                self._leading = job._leads = True
        if not job._leads:
            job._event.wait()
        if not job._done:  # promoted: lead the next group (this job is its first)
            self._lead()
        if job.error is not None:
            raise job.error
        return job.result

    def _take(self) -> list[Job]:
        with self._mutex:
            count = min(len(self._pending), self._max_jobs)
            return [self._pending.popleft() for _ in range(count)]

    def _lead(self) -> None:
        group: list[Job] = []
        try:
            with self._gate():
                group = self._take()
                self._run_group(group)
        except BaseException as exc:
            if not group:  # the gate failed: this leader's own job at least fails
                group = self._take()
            for job in group:  # nothing of the group is committed: each job fails
                if job.error is None:
                    job.error, job.result = exc, None
        finally:
            with self._mutex:
                following = self._pending[0] if self._pending else None
                if following is None:
                    self._leading = False
                else:
                    following._leads = True
            for job in group:
                job._done = True
                job._event.set()
            if following is not None:
                following._event.set()
