"""The demo build's speed measures: they change how it writes, never what it leaves."""

from typing import Any

import pytest
from django.db import connection, transaction

from lifelong.demo import builder
from lifelong.learning.models import EnrolmentStatement, LearningRecord, SelfStudy, Topic
from lifelong.lrs.models import Statement
from lifelong.lrs.store import insert_rows_returning_keys


def _pragmas() -> dict[str, Any]:
    """The connection's durability settings (SQLite pragmas; PostgreSQL's own)."""
    names = (
        ("journal_mode", "synchronous", "cache_size", "temp_store", "foreign_keys")
        if connection.vendor == "sqlite"
        else ("synchronous_commit", "fsync")
    )
    statement = "PRAGMA {}" if connection.vendor == "sqlite" else "SHOW {}"
    with connection.cursor() as cursor:
        found = {}
        for name in names:
            cursor.execute(statement.format(name))
            found[name] = cursor.fetchone()[0]
    return found


_BULK_TABLES = (
    "lrs_statement",
    "lrs_statementagent",
    "lrs_statementactivity",
    "learning_learningrecord",
    "learning_ledgerclaim",
    "learning_ledgeryear",
)


def _statement_indexes() -> list[tuple[str, list[str], bool]]:
    with connection.cursor() as cursor:
        found = []
        for table in _BULK_TABLES:
            constraints = connection.introspection.get_constraints(cursor, table)
            found += [
                (name, list(c["columns"]), bool(c["unique"]))
                for name, c in constraints.items()
                if c["index"]
            ]
    return sorted(found)


@pytest.mark.django_db(transaction=True)
def test_relaxed_build_connection_is_restored_afterwards() -> None:
    # Given the connection as settings open it
    before = _pragmas()
    # When a build runs relaxed
    with builder.relaxed_sqlite_build():
        during = _pragmas()
    # Then on SQLite it ran without fsync and with a large cache (PostgreSQL is never
    # relaxed), and the connection got its settings back after
    if connection.vendor == "sqlite":
        assert during["synchronous"] == 0
        assert during["cache_size"] == -builder.BUILD_CACHE_KIB
        assert during["temp_store"] == 2
        assert during["foreign_keys"] == 0  # checked once, before the build commits
    else:
        assert during == before
    assert _pragmas() == before


@pytest.mark.django_db
def test_relaxed_build_changes_nothing_inside_a_transaction() -> None:
    # Given a connection inside a transaction (tests, a caller's atomic block)
    before = _pragmas()
    # When a relaxed build is asked for
    with builder.relaxed_sqlite_build():
        # Then the connection keeps its durability
        assert _pragmas() == before


@pytest.mark.django_db
def test_history_build_leaves_the_statement_indexes_as_migrations_made_them() -> None:
    # Given the statement and ledger tables' indexes as migrated
    before = _statement_indexes()
    assert ("learning_record_actor", ["actor_ifi"], False) in before
    # When the demo and its history are built (indexes dropped while statements are loaded
    # and while they are projected)
    with transaction.atomic():
        builder.build_demo(seed=3, officers=200, history="standard")
        # Then every index is back, with its own definition, and the history is projected
        assert _statement_indexes() == before
        assert Statement.objects.count() > 1000
        assert LearningRecord.objects.exists()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_raw_rows_of_the_build_are_tied_to_their_own_keys() -> None:
    # When the demo and its history are built (enrolments and declarations as raw rows)
    with transaction.atomic():
        builder.build_demo(seed=5, officers=200, history="standard")
        # Then each declaration's statement names the declaration itself
        studies = list(SelfStudy.objects.exclude(statement_id=None)[:50])
        assert studies
        for study in studies:
            payload = Statement.objects.get(id=study.statement_id).payload
            assert payload["object"]["id"].endswith(f"/self-study/{study.pk}")
        # and each enrolment's statements carry that enrolment's registration
        links = list(EnrolmentStatement.objects.select_related("enrolment")[:200])
        assert links
        for link in links:
            payload = Statement.objects.get(id=link.statement_id).payload
            assert payload["context"]["registration"] == str(link.enrolment.registration)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_inserted_rows_keys_come_back_in_row_order() -> None:
    # Given rows for a table with an auto-incremented key, after one already there
    first = Topic.objects.create(code="t0", name="Chủ đề 0")
    rows = [(f"t{n}", f"Chủ đề {n}", "", f"chu de {n}") for n in range(1, 40)]
    # When they are inserted raw
    keys = insert_rows_returning_keys(Topic, ("code", "name", "name_en", "sort_key"), rows)
    # Then each key is its own row's
    assert len(set(keys)) == len(rows) and first.pk not in keys
    assert [Topic.objects.get(pk=k).code for k in keys] == [row[0] for row in rows]
