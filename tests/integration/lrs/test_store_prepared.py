"""`store_statements` in two halves: a preparation without queries, then the store."""

import datetime
import pickle
import uuid
from typing import Any

import pytest
from django.db import connection, transaction

from lifelong.lrs import store
from lifelong.lrs.http import XapiError
from lifelong.lrs.models import Statement
from lifelong.lrs.services import create_client
from lifelong.lrs.store import (
    canonical_definitions,
    format_stored,
    prepare_statements,
    store_prepared,
)
from tests.factories.lrs import numbered_statement as statement

pytestmark = pytest.mark.django_db


def test_preparing_runs_no_query_and_its_result_survives_a_trip_to_another_process(
    django_assert_num_queries,
):
    # given: an LMS client (its authority goes on every statement)
    client, _ = create_client(acting_user=None, name="lms", scopes=["all"])
    postgres = connection.vendor == "postgresql"
    # when: a batch is prepared, pickled and unpickled (as a worker process hands it back)
    with django_assert_num_queries(0):
        prepared = prepare_statements(
            [statement(1), statement(2)], client=client, postgres=postgres
        )
    ids = store_prepared(pickle.loads(pickle.dumps(prepared)), client=client, run_hooks=False)
    # then: stored as store_statements stores them, enriched with the client's authority
    assert ids == [statement(1)["id"], statement(2)["id"]]
    stored = Statement.objects.get(id=statement(2)["id"])
    assert stored.payload["authority"] == client.authority
    assert stored.payload["version"] == "1.0.0"
    assert stored.seq == Statement.objects.get(id=statement(1)["id"]).seq + 1


def test_an_invalid_statement_is_refused_while_preparing_with_its_path():
    bad = statement(3, verb={"id": "not an IRI"})
    with pytest.raises(XapiError) as refused:
        prepare_statements([statement(1), bad], client=None, postgres=False)
    assert refused.value.status == 400
    assert "statements[1].verb" in str(refused.value.path)
    assert not Statement.objects.exists()


def test_values_prepared_without_a_connection_are_stored_as_the_model_fields_would_store_them():
    # given: a timestamp with an offset, a registration in capitals, a voiding reference
    # and non-ASCII text, all converted before the lock without the connection's help
    registration = "6B1D2B0E-6B3A-4C43-8D4B-2B3C4D5E6F70"
    first = statement(
        1,
        timestamp="2026-03-01T12:34:56.789+07:00",
        context={"registration": registration},
        result={"response": "Luật Hải quan — thông quan điện tử"},
    )
    voiding = {
        "id": "00000000-0000-4000-8000-000000000099",
        "actor": {"mbox": "mailto:officer1@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
        "object": {"objectType": "StatementRef", "id": first["id"]},
    }
    postgres = connection.vendor == "postgresql"
    prepared = prepare_statements([first, voiding], client=None, postgres=postgres)
    # when: stored
    store_prepared(prepared, client=None, run_hooks=False)
    # then: the ORM reads back the same instants, UUIDs and text
    row = Statement.objects.get(id=first["id"])
    assert row.timestamp == datetime.datetime(2026, 3, 1, 5, 34, 56, 789000, tzinfo=datetime.UTC)
    assert row.registration == uuid.UUID(registration)
    assert row.payload["result"]["response"] == "Luật Hải quan — thông quan điện tử"
    assert row.payload["stored"] == format_stored(row.stored)
    assert row.voided and row.voided_by == uuid.UUID(voiding["id"])
    target = Statement.objects.get(id=voiding["id"])
    assert target.ref_id == uuid.UUID(first["id"]) and target.is_voiding
    # a statement without a timestamp has its stored time in both
    assert target.timestamp == target.stored
    assert target.payload["timestamp"] == target.payload["stored"]


def test_a_definition_sent_again_after_another_in_one_batch_still_wins():
    # given: one batch where a course's name changes and then changes back
    def named(n: int, name: str) -> dict[str, Any]:
        return statement(
            n, object={"id": "http://example.org/course/x", "definition": {"name": {"en": name}}}
        )

    batch = [named(1, "Customs law"), named(2, "Customs law"), named(3, "Valuation")]
    batch.append(named(4, "Customs law"))
    prepared = prepare_statements(batch, client=None, postgres=connection.vendor == "postgresql")
    # then: only the definitions that change the batch's merge are carried to the lock
    assert [len(p.definitions) for p in prepared] == [1, 0, 1, 1]
    # and the last one received is the canonical one (Data 2.4.4.1)
    store_prepared(prepared, client=None, run_hooks=False)
    assert canonical_definitions(["http://example.org/course/x"]) == {
        "http://example.org/course/x": {"name": {"en": "Customs law"}}
    }


COURSE = "http://example.org/course/x"


def _send(n: int, name: str) -> None:
    batch = [
        statement(n, object={"id": COURSE, "definition": {"name": {"en": name}}}),
    ]
    store_prepared(
        prepare_statements(batch, client=None, postgres=connection.vendor == "postgresql"),
        client=None,
        run_hooks=False,
    )


def test_a_definition_changed_by_another_process_is_not_hidden_by_this_ones_copy(monkeypatch):
    # given: this process has seen (and keeps a copy of) the course's definition
    _send(1, "Customs law")
    _send(2, "Customs law")
    # when: another process (its own copy) changes it, and this one then receives the old
    # definition again, which is now the newest
    ours = store._known
    monkeypatch.setattr(store, "_known", store._KnownDefinitions())
    _send(3, "Valuation")
    monkeypatch.setattr(store, "_known", ours)
    _send(4, "Customs law")
    # then: the newest received wins (Data 2.4.4.1), not what this process's copy said
    assert canonical_definitions([COURSE])[COURSE] == {"name": {"en": "Customs law"}}


def test_a_definition_change_rolled_back_is_forgotten_by_this_processes_copy():
    # given: a stored definition, then a change in a transaction that is rolled back
    _send(1, "Customs law")
    with transaction.atomic():
        _send(2, "Valuation")
        transaction.set_rollback(True)
    assert canonical_definitions([COURSE])[COURSE] == {"name": {"en": "Customs law"}}
    # when: the rolled-back definition is received again
    _send(3, "Valuation")
    # then: it is stored this time (the copy that had it is not trusted any more)
    assert canonical_definitions([COURSE])[COURSE] == {"name": {"en": "Valuation"}}
