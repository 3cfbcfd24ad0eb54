"""In-write delivery: an up-to-date consumer gets a page inside the transaction storing it.

On SQLite, where the group commit is the only write under way. PostgreSQL writers run side by
side, so there the same writes leave every page to the runners, after the commit: each test
checks what its database does (`IN_WRITE`).
"""

from typing import Any

import pytest
from django.db import connection, transaction

from lifelong.lrs import hooks
from lifelong.lrs.models import HookCursor, SequenceCounter, Statement
from lifelong.lrs.sequence import SEQUENCE
from lifelong.lrs.store import store_statements
from tests.factories.lrs import numbered_statement as statement

pytestmark = pytest.mark.django_db(transaction=True)


def in_write() -> bool:
    """Whether this database delivers in the write (SQLite) or leaves it to the runners."""
    return connection.vendor == "sqlite"


@pytest.fixture
def registry() -> Any:
    with hooks.isolated():
        yield hooks


def test_an_up_to_date_consumer_gets_the_page_in_the_write_and_its_cursor_moves_with_it(
    registry, settings, monkeypatch
):
    settings.XAPI_HOOK_DELIVERY = "background"
    woken: list[bool] = []
    monkeypatch.setattr(hooks._dispatcher, "wake", lambda: woken.append(True))
    monkeypatch.setattr(hooks, "_last_housekeeping", 0.0)
    seen: list[tuple[list[int], bool]] = []

    def consumer(page: Any) -> None:
        # Inside the storing transaction: the statements are there, not yet committed.
        seen.append(([s.seq for s in page], transaction.get_connection().in_atomic_block))

    registry.register("test.in_write", consumer, in_write=True)
    store_statements([statement(1)], client=None, run_hooks=False)
    hooks.run_consumer("test.in_write")  # the cursor exists and is up to date
    seen.clear()
    store_statements([statement(2), statement(3)], client=None, background=True)
    seqs = sorted(Statement.objects.values_list("seq", flat=True))
    if not in_write():
        # PostgreSQL: nothing in the write; the runner is woken and delivers after the commit
        assert (seen, woken) == ([], [True])
        assert hooks.run_consumers() == {"test.in_write": 2}
        assert [page for page, _ in seen] == [seqs[1:]]  # in the runner's transaction
        assert HookCursor.objects.get(consumer="test.in_write").position == seqs[-1]
        return
    assert seen == [(seqs[1:], True)]
    assert HookCursor.objects.get(consumer="test.in_write").position == seqs[-1]
    # every consumer got the page in the write: the background thread is woken only for its
    # housekeeping, and finds nothing to deliver
    assert woken == [True]
    assert hooks.run_consumers() == {"test.in_write": 0}
    # and not again before its next checkpoint is due
    store_statements([statement(4)], client=None, background=True)
    assert woken == [True]


def test_a_consumer_behind_its_cursor_is_left_to_the_runners_which_deliver_in_order(
    registry, settings
):
    settings.XAPI_HOOK_DELIVERY = "inline"
    pages: list[list[str]] = []
    registry.register(
        "test.in_write", lambda page: pages.append([s.id[-1] for s in page]), in_write=True
    )
    # given: a statement stored while the consumer did not take it (run_hooks off)
    store_statements([statement(1)], client=None, run_hooks=False)
    # when: the next batch is stored with the hooks
    store_statements([statement(2)], client=None)
    # then: not delivered in the write (the cursor was behind); the runner delivered both
    assert pages == [["1", "2"]]


def test_a_consumer_failing_in_the_write_loses_nothing_and_the_ingest_stands(
    registry, settings, monkeypatch
):
    settings.XAPI_HOOK_DELIVERY = "inline"
    monkeypatch.setattr(hooks, "_schedule_retry", lambda: None)
    state = {"broken": False, "pages": []}

    def consumer(page: Any) -> None:
        if state["broken"]:
            raise RuntimeError("projection down")
        state["pages"].append([s.id[-1] for s in page])
        HookCursor.objects.filter(consumer="never").update(position=0)  # a write of its own

    registry.register("test.in_write", consumer, in_write=True)
    store_statements([statement(1)], client=None)
    state["broken"] = True
    store_statements([statement(2)], client=None)
    # the statement is stored although its consumer failed, in the write and after it
    assert Statement.objects.filter(id=statement(2)["id"]).exists()
    position = HookCursor.objects.get(consumer="test.in_write").position
    assert position == Statement.objects.get(id=statement(1)["id"]).seq
    state["broken"] = False
    store_statements([statement(3)], client=None)
    assert state["pages"] == [["1"], ["2", "3"]]


def test_a_consumer_without_in_write_is_still_delivered_after_the_commit(registry, settings):
    settings.XAPI_HOOK_DELIVERY = "inline"
    pages: list[list[str]] = []
    registry.register("test.after", lambda page: pages.append([s.id[-1] for s in page]))
    store_statements([statement(1), statement(2)], client=None)
    assert pages == [["1", "2"]]


def test_a_batch_re_sending_a_stored_statement_moves_the_cursor_to_the_sequences_end(
    registry, settings
):
    settings.XAPI_HOOK_DELIVERY = "inline"
    pages: list[list[str]] = []
    registry.register(
        "test.in_write", lambda page: pages.append([s.id[-1] for s in page]), in_write=True
    )
    store_statements([statement(1)], client=None)  # the cursor starts, delivered after commit
    store_statements([statement(1), statement(2)], client=None)  # 1 re-sent: a no-op
    if in_write():
        # the numbers reserved for the re-sent statement included
        end = SequenceCounter.objects.get(name=SEQUENCE).value
    else:  # the runner moves it to the last statement it read
        end = Statement.objects.get(id=statement(2)["id"]).seq
    assert HookCursor.objects.get(consumer="test.in_write").position == end
    store_statements([statement(3)], client=None)
    assert pages == [["1"], ["2"], ["3"]]
    assert (
        HookCursor.objects.get(consumer="test.in_write").position
        == Statement.objects.get(id=statement(3)["id"]).seq
    )


def test_a_consumer_a_little_behind_is_caught_up_in_the_next_write_far_behind_it_is_not(
    registry, settings, monkeypatch
):
    settings.XAPI_HOOK_DELIVERY = "background"
    woken: list[bool] = []
    monkeypatch.setattr(hooks._dispatcher, "wake", lambda: woken.append(True))
    monkeypatch.setattr(hooks, "_last_housekeeping", float("inf"))  # no housekeeping wake
    monkeypatch.setattr(hooks, "IN_WRITE_BACKLOG", 2)
    pages: list[list[str]] = []
    registry.register(
        "test.in_write", lambda page: pages.append([s.id[-1] for s in page]), in_write=True
    )
    store_statements([statement(1)], client=None, run_hooks=False)
    hooks.run_consumer("test.in_write")
    # given: two statements the consumer missed (stored without the hooks)
    store_statements([statement(2), statement(3)], client=None, run_hooks=False)
    # when: the next write comes: the two missed ones come first, in the same page
    store_statements([statement(4)], client=None, background=True)
    if not in_write():
        # PostgreSQL: every write is left to the runner, which delivers them in order
        store_statements([statement(5)], client=None, background=True)
        assert (pages, woken) == ([["1"]], [True, True])
        hooks.run_consumers()
        assert pages == [["1"], ["2", "3", "4", "5"]]
        return
    assert pages == [["1"], ["2", "3", "4"]]
    assert woken == []
    # given: three missed ones, more than the backlog a write catches up
    store_statements([statement(5), statement(6), statement(7)], client=None, run_hooks=False)
    store_statements([statement(8)], client=None, background=True)
    # then: left to the runner, which is woken
    assert pages == [["1"], ["2", "3", "4"]]
    assert woken == [True]
