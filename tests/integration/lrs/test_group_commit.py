"""Group commit on a real database: batches that share a transaction keep their own outcome."""

import threading
from typing import Any

import pytest
from django.db import connection, connections

from lifelong.lrs.groupcommit import Job
from lifelong.lrs.http import XapiError
from lifelong.lrs.models import Statement
from lifelong.lrs.sequence import SEQ_BLOCK
from lifelong.lrs.services import create_client
from lifelong.lrs.store import _store_group, prepare_statements, store_statements
from tests.factories.lrs import numbered_statement as statement

pytestmark = pytest.mark.django_db(transaction=True)


def job(client, *statements: dict[str, Any]) -> Job:
    prepared = prepare_statements(
        list(statements), client=client, postgres=connection.vendor == "postgresql"
    )
    return Job((prepared, client, {}, False))


def test_a_conflicting_batch_in_a_group_is_refused_alone_and_the_others_are_stored():
    # given: a stored statement, and three batches that commit as one group, the middle one
    # re-sending that statement's id with other content
    client, _ = create_client(acting_user=None, name="lms", scopes=["all"])
    store_statements([statement(1)], client=client, run_hooks=False)
    first = job(client, statement(2), statement(3))
    conflicting = job(client, statement(4), statement(1, verb={"id": "http://example.org/v"}))
    last = job(client, statement(5))
    # when: the group runs
    _store_group([first, conflicting, last])
    # then: the conflict is that batch's error; nothing of it is stored, the rest is
    assert isinstance(conflicting.error, XapiError)
    assert conflicting.error.status == 409
    assert first.result == ([statement(2)["id"], statement(3)["id"]], False)
    assert last.result == ([statement(5)["id"]], False)
    stored = dict(Statement.objects.values_list("id", "seq"))
    assert {str(i)[-1] for i in stored} == {"1", "2", "3", "5"}
    seqs = sorted(stored.values())
    if connection.vendor == "sqlite":
        # and the sequence has no hole where the refused batch was rolled back
        assert seqs == list(range(seqs[0], seqs[0] + 4))
    else:
        # PostgreSQL: each batch its own block of numbers, from the block's start
        assert blocks(seqs[1:]) == [[0, 1], [0]]


def blocks(seqs: list[int]) -> list[list[int]]:
    """The numbers of each block drawn (PostgreSQL), as offsets from the block's start."""
    found: dict[int, list[int]] = {}
    for seq in sorted(seqs):
        found.setdefault(seq // SEQ_BLOCK, []).append(seq % SEQ_BLOCK)
    return list(found.values())


def test_the_same_statement_in_two_batches_of_one_group_is_stored_once():
    client, _ = create_client(acting_user=None, name="lms", scopes=["all"])
    one, again = job(client, statement(7)), job(client, statement(7))
    _store_group([one, again])
    assert one.error is None and again.error is None
    assert one.result == again.result == ([statement(7)["id"]], False)
    assert Statement.objects.count() == 1


def test_concurrent_writers_each_get_their_own_ids_and_every_batch_is_stored():
    client, _ = create_client(acting_user=None, name="lms", scopes=["all"])
    results: dict[int, list[str]] = {}

    def write(n: int) -> None:
        try:
            results[n] = store_statements(
                [statement(100 + 10 * n + k) for k in range(5)], client=client, run_hooks=False
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert {n: len(ids) for n, ids in results.items()} == {n: 5 for n in range(6)}
    assert Statement.objects.count() == 30
    seqs = sorted(Statement.objects.values_list("seq", flat=True))
    if connection.vendor == "sqlite":  # one writer at a time: no hole
        assert seqs == list(range(seqs[0], seqs[0] + 30))
    else:  # side by side: a block each, the batch's numbers at its start
        assert blocks(seqs) == [[0, 1, 2, 3, 4]] * 6
    by_batch = {
        n: sorted(Statement.objects.filter(id__in=ids).values_list("seq", flat=True))
        for n, ids in results.items()
    }
    assert all(b == list(range(b[0], b[0] + 5)) for b in by_batch.values())
