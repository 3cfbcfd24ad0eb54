"""GroupCommitter: jobs that wait at the same time run as one group; errors stay per job."""

import threading
from contextlib import contextmanager

import pytest

from lifelong.lrs.groupcommit import GroupCommitter, Job

WAIT = 5.0


@contextmanager
def _open_gate():
    yield


class Recorder:
    """A run_group that records each group's works and doubles them (an error for "bad")."""

    def __init__(self, *, fail_group: bool = False) -> None:
        self.groups: list[list[object]] = []
        self.fail_group = fail_group
        self.running = threading.Event()

    def __call__(self, jobs: list[Job]) -> None:
        self.groups.append([job.work for job in jobs])
        for job in jobs:
            if job.work == "bad":
                job.error = ValueError("bad work")
            else:
                job.result = job.work * 2
        if self.fail_group:
            raise RuntimeError("commit failed")


class HeldGate:
    """A gate the test holds closed, to let jobs queue behind the first leader."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.entered = threading.Event()
        self.entries = 0

    @contextmanager
    def __call__(self):
        self.entries += 1
        self.entered.set()
        assert self.open.wait(WAIT)
        yield


def submit_in_threads(
    committer: GroupCommitter, works: list[object]
) -> tuple[dict[object, object], list[threading.Thread]]:
    outcomes: dict[object, object] = {}

    def run(work: object) -> None:
        try:
            outcomes[work] = committer.submit(work)
        except Exception as exc:
            outcomes[work] = exc

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    return outcomes, threads


def wait_queued(committer: GroupCommitter, count: int) -> None:
    for _ in range(500):
        with committer._mutex:
            if len(committer._pending) >= count:
                return
        threading.Event().wait(0.01)
    raise AssertionError(f"{count} jobs never queued")


def test_a_lone_job_runs_as_a_group_of_one_and_returns_its_result():
    recorder = Recorder()
    committer = GroupCommitter(recorder, gate=_open_gate)
    assert committer.submit(21) == 42
    assert recorder.groups == [[21]]


def test_jobs_that_queue_while_the_leader_waits_for_the_gate_run_together():
    recorder = Recorder()
    gate = HeldGate()
    committer = GroupCommitter(recorder, gate=gate)
    outcomes, threads = submit_in_threads(committer, [1])
    assert gate.entered.wait(WAIT)
    wait_queued(committer, 1)
    more, more_threads = submit_in_threads(committer, [2, 3, 4])
    wait_queued(committer, 4)
    gate.open.set()
    for thread in threads + more_threads:
        thread.join(WAIT)
    assert recorder.groups == [[1, 2, 3, 4]]
    assert gate.entries == 1
    assert {**outcomes, **more} == {1: 2, 2: 4, 3: 6, 4: 8}


def test_one_jobs_error_fails_that_job_alone():
    recorder = Recorder()
    gate = HeldGate()
    committer = GroupCommitter(recorder, gate=gate)
    outcomes, threads = submit_in_threads(committer, [1])
    wait_queued(committer, 1)
    more, more_threads = submit_in_threads(committer, ["bad", 5])
    wait_queued(committer, 3)
    gate.open.set()
    for thread in threads + more_threads:
        thread.join(WAIT)
    everything = {**outcomes, **more}
    assert isinstance(everything["bad"], ValueError)
    assert everything[1] == 2
    assert everything[5] == 10


def test_a_failed_commit_fails_every_job_of_the_group_even_those_with_a_result():
    recorder = Recorder(fail_group=True)
    gate = HeldGate()
    committer = GroupCommitter(recorder, gate=gate)
    outcomes, threads = submit_in_threads(committer, [1])
    wait_queued(committer, 1)
    more, more_threads = submit_in_threads(committer, [2, "bad"])
    wait_queued(committer, 3)
    gate.open.set()
    for thread in threads + more_threads:
        thread.join(WAIT)
    everything = {**outcomes, **more}
    assert isinstance(everything[1], RuntimeError)
    assert isinstance(everything[2], RuntimeError)
    assert isinstance(everything["bad"], ValueError)  # its own error is kept
    # The committer is free again: the next job leads a new group.
    recorder.fail_group = False
    assert committer.submit(7) == 14


def test_groups_hold_at_most_max_jobs_and_the_rest_lead_the_next_group():
    recorder = Recorder()
    gate = HeldGate()
    committer = GroupCommitter(recorder, gate=gate, max_jobs=2)
    outcomes, threads = submit_in_threads(committer, [1])
    wait_queued(committer, 1)
    more, more_threads = submit_in_threads(committer, [2, 3, 4, 5])
    wait_queued(committer, 5)
    gate.open.set()
    for thread in threads + more_threads:
        thread.join(WAIT)
        assert not thread.is_alive()
    assert [len(group) for group in recorder.groups] == [2, 2, 1]
    assert sorted(work for group in recorder.groups for work in group) == [1, 2, 3, 4, 5]
    assert recorder.groups[0][0] == 1
    assert {**outcomes, **more} == {1: 2, 2: 4, 3: 6, 4: 8, 5: 10}


def test_a_gate_that_fails_fails_the_queued_jobs_and_frees_the_committer():
    recorder = Recorder()

    @contextmanager
    def broken_gate():
        raise OSError("lock file gone")
        yield  # pragma: no cover

    committer = GroupCommitter(recorder, gate=broken_gate)
    with pytest.raises(OSError, match="lock file gone"):
        committer.submit(1)
    committer._gate = _open_gate
    assert committer.submit(2) == 4


def test_max_jobs_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        GroupCommitter(Recorder(), gate=_open_gate, max_jobs=0)
