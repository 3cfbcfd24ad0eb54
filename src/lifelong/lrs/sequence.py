"""`seq`, the store's order of statements: how writers draw it, how far readers may read it.

Paging (`more`), the `statements_stored` cursors and X-Experience-API-Consistent-Through all
rest on one promise: once a reader has seen the statements up to some `seq`, no statement
with a lower `seq` appears later.

- SQLite lets one transaction write at a time, so numbers drawn from the `statements`
  counter row (`lrs_sequencecounter`) inside it follow commit order: a reader may read up to
  the highest `seq` there is.
- PostgreSQL writers run side by side (migration `lrs/0006`): each batch draws a block of
  SEQ_BLOCK numbers from `lrs_statement_seq`, and a transaction that draws holds, until it
  ends, an advisory lock named by a block no higher than its lowest. A reader asks
  `lrs_safe_seq()` for the high-water mark: every `seq` up to it belongs to a transaction
  that has ended. A transaction's own statements are always visible to itself (the demo
  build projects inside its own transaction).

Writers also choose how they share the write: `exclusive` for a batch that voids or refers
to other statements (it must see every statement committed before it, and no other batch
may store a target meanwhile), shared otherwise. On SQLite the write is always exclusive.
"""

from datetime import datetime

from django.db import connection

__all__ = ["SEQUENCE", "SEQ_BLOCK", "consistent_through", "readable_through", "reserve"]

# The counter row's name (SQLite).
SEQUENCE = "statements"
# The numbers one batch draws on PostgreSQL (the sequence's increment: lrs/0006), which is
# also the largest batch the store accepts (store.MAX_BATCH).
SEQ_BLOCK = 1000


def reserve(count: int, *, exclusive: bool) -> int:
    """Reserve `count` consecutive numbers for a batch; return the first.

    Call it inside the write's transaction, before reading what the batch depends on: on
    PostgreSQL it takes the writers' lock (`exclusive` or shared) and keeps the block
    in flight until the transaction ends; on SQLite it locks and advances the counter row.
    """
    if connection.vendor == "postgresql":
        if count > SEQ_BLOCK:
            raise ValueError(f"a batch holds at most {SEQ_BLOCK} statements")
        with connection.cursor() as cursor:
            cursor.execute("SELECT lrs_reserve_seq(%s)", [exclusive])
            return int(cursor.fetchone()[0])
    return _advance_counter(count)


def readable_through() -> int | None:
    """The highest `seq` a reader may read now, or None when any may (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    return _safe(with_oldest=False)[0]


def consistent_through(now: datetime) -> datetime:
    """The X-Experience-API-Consistent-Through time (Communication 2.1.3) for a read at `now`.

    Every statement stored before it can be read: `now`, or on PostgreSQL when the oldest
    write still in flight began, if earlier (its statements' `stored` time comes later).
    """
    if connection.vendor != "postgresql":
        return now
    oldest = _safe(with_oldest=True)[1]
    return min(now, oldest) if oldest is not None else now


def _safe(*, with_oldest: bool) -> tuple[int, datetime | None]:
    # Its own statement: the reads after it take a snapshot in which every transaction
    # the mark counts as ended is visible (READ COMMITTED).
    with connection.cursor() as cursor:
        cursor.execute("SELECT through, oldest FROM lrs_safe_seq(%s)", [with_oldest])
        through, oldest = cursor.fetchone()
    return int(through), oldest


def _advance_counter(count: int) -> int:
    """Advance the counter row by `count`; return the first number. Locks the row to commit."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE lrs_sequencecounter SET value = value + %s WHERE name = %s RETURNING value",
            [count, SEQUENCE],
        )
        row = cursor.fetchone()
        if row is None:
            # The migration creates the row; a store emptied by hand gets it back here. Two
            # first writers may race: ON CONFLICT lets the loser wait on the winner's row
            # lock instead of failing, and the UPDATE then advances the committed row.
            cursor.execute(
                "INSERT INTO lrs_sequencecounter (name, value) VALUES (%s, 0) "
                "ON CONFLICT (name) DO NOTHING",
                [SEQUENCE],
            )
            cursor.execute(
                "UPDATE lrs_sequencecounter SET value = value + %s WHERE name = %s RETURNING value",
                [count, SEQUENCE],
            )
            row = cursor.fetchone()
    return int(row[0]) - count + 1
