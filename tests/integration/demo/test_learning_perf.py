"""The demo build's speed measures: they change how it writes, never what it leaves."""

from typing import Any

import pytest
from django.db import connection, transaction

from lifelong.demo import builder
from lifelong.learning.models import LearningRecord
from lifelong.lrs.models import Statement


@pytest.fixture(autouse=True)
def sqlite_only() -> None:
    """These measures are SQLite's (pragmas, sqlite_master); PostgreSQL builds as before."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite pragmas and sqlite_master")


def _pragmas() -> dict[str, Any]:
    with connection.cursor() as cursor:
        found = {}
        for pragma in ("journal_mode", "synchronous", "cache_size", "temp_store"):
            cursor.execute(f"PRAGMA {pragma}")
            found[pragma] = cursor.fetchone()[0]
    return found


def _statement_indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
            "('lrs_statement', 'lrs_statementagent', 'lrs_statementactivity') ORDER BY name"
        )
        return list(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_relaxed_build_connection_is_restored_afterwards() -> None:
    # Given the connection as settings open it
    before = _pragmas()
    # When a build runs relaxed
    with builder.relaxed_sqlite_build():
        during = _pragmas()
    # Then it ran without fsync and with a large cache, and got its settings back after
    assert during["synchronous"] == 0
    assert during["cache_size"] == -builder.BUILD_CACHE_KIB
    assert during["temp_store"] == 2
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
    # Given the statement tables' indexes as migrated
    before = _statement_indexes()
    # When the demo and its history are built (indexes dropped while statements are loaded)
    with transaction.atomic():
        builder.build_demo(seed=3, officers=200, history="standard")
        # Then every index is back, with its own definition, and the history is projected
        assert _statement_indexes() == before
        assert Statement.objects.count() > 1000
        assert LearningRecord.objects.exists()
        transaction.set_rollback(True)
