"""PostgreSQL: writers take `seq` from a sequence instead of holding one row lock to commit.

Until now every PostgreSQL writer held the `statements` counter row's lock from its first
insert to its durable commit, so that `seq` followed commit order; with the machine a third
idle, ingest was bound by that one lock (docs/xapi-operations.md). From here on (PostgreSQL
only; SQLite has one writer anyway and keeps the counter row):

- `lrs_statement_seq` hands each batch a block of 1,000 numbers (INCREMENT BY 1000, the
  largest batch): a batch stores its statements at `v, v+1, ...`; the rest of the block is a
  gap, as a rolled-back batch's numbers are.
- `lrs_reserve_seq(exclusive)` takes the writers' lock (shared, or exclusive for a batch that
  voids or refers to statements) and draws a block. Before its first draw, a transaction
  takes a shared advisory lock named by the last block drawn so far, which is no higher than
  any it will draw, and holds it until it ends.
- `lrs_safe_seq(with_oldest)` gives readers the high-water mark: every `seq` up to it
  belongs to a transaction that has ended, so a statement with a lower `seq` can no longer
  appear. It reads the sequence first and the locks after, so a writer that drew a block
  the reader counts had locked before: the mark is one below the lowest block locked by
  another transaction, or else the end of the last block drawn. `oldest` (when asked) is
  when the oldest such transaction began (X-Experience-API-Consistent-Through).

Advisory lock keys (bigint): 0x4C57 << 48 the writers' lock, and (0x4C42 << 48) | block for a
transaction's lowest block (its number divided by 1,000).
"""

from django.db import migrations

BLOCK = 1000

CREATE = f"""
CREATE SEQUENCE lrs_statement_seq INCREMENT BY {BLOCK} MINVALUE {BLOCK} START WITH %(start)s;

CREATE FUNCTION lrs_reserve_seq(exclusive boolean) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    floor bigint;
BEGIN
    IF exclusive THEN
        PERFORM pg_advisory_xact_lock(x'4C57000000000000'::bigint);
    ELSE
        PERFORM pg_advisory_xact_lock_shared(x'4C57000000000000'::bigint);
    END IF;
    -- Once per transaction (a GUC set locally reverts with the (sub)transaction, as the
    -- lock does): lock a block no higher than the one about to be drawn, before drawing.
    IF coalesce(current_setting('lrs.block_held', true), '') = '' THEN
        SELECT s.last_value INTO floor FROM lrs_statement_seq s;
        PERFORM pg_advisory_xact_lock_shared(x'4C42000000000000'::bigint | (floor / {BLOCK}));
        PERFORM set_config('lrs.block_held', floor::text, true);
    END IF;
    RETURN nextval('lrs_statement_seq');
END
$$;

CREATE FUNCTION lrs_safe_seq(with_oldest boolean, OUT through bigint, OUT oldest timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    last bigint;
    called boolean;
    lowest bigint;
BEGIN
    -- The sequence first, the locks after: a writer locks before it draws.
    SELECT s.last_value, s.is_called INTO last, called FROM lrs_statement_seq s;
    SELECT min(((l.classid::bigint & 65535) << 32) | l.objid::bigint) INTO lowest
      FROM pg_locks l
     WHERE l.locktype = 'advisory' AND l.objsubid = 1
       AND (l.classid::bigint >> 16) = x'4C42'::int
       AND l.pid <> pg_backend_pid()
       AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database());
    IF lowest IS NOT NULL THEN
        through := lowest * {BLOCK} - 1;
        IF with_oldest THEN
            SELECT min(a.xact_start) INTO oldest
              FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.objsubid = 1
               AND (l.classid::bigint >> 16) = x'4C42'::int
               AND l.pid <> pg_backend_pid()
               AND l.database = (
                   SELECT d.oid FROM pg_database d WHERE d.datname = current_database());
        END IF;
    ELSIF called THEN
        through := last + {BLOCK} - 1;
    ELSE
        through := last - 1;
    END IF;
END
$$;
"""  # noqa: S608 - constants only

DROP = """
DROP FUNCTION IF EXISTS lrs_safe_seq(boolean);
DROP FUNCTION IF EXISTS lrs_reserve_seq(boolean);
DROP SEQUENCE IF EXISTS lrs_statement_seq;
"""


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT GREATEST((SELECT COALESCE(MAX(seq), 0) FROM lrs_statement), "
            "(SELECT COALESCE(MAX(value), 0) FROM lrs_sequencecounter WHERE name = 'statements'))"
        )
        (highest,) = cursor.fetchone()
        start = (int(highest) // BLOCK + 1) * BLOCK
        cursor.execute(CREATE.replace("%(start)s", str(start)))


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # The counter row takes over again from the highest number stored.
        cursor.execute(
            "UPDATE lrs_sequencecounter SET value = "
            "(SELECT COALESCE(MAX(seq), 0) FROM lrs_statement) WHERE name = 'statements'"
        )
        cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("lrs", "0005_drop_actor_index")]

    operations = [migrations.RunPython(forwards, backwards)]
