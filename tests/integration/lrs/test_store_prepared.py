"""`store_statements` in two halves: a preparation without queries, then the store."""

import pickle
from typing import Any

import pytest
from django.db import connection

from lifelong.lrs.http import XapiError
from lifelong.lrs.models import Statement
from lifelong.lrs.services import create_client
from lifelong.lrs.store import prepare_statements, store_prepared

pytestmark = pytest.mark.django_db


def statement(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "actor": {"mbox": f"mailto:officer{n}@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": f"http://example.org/course/{n}"},
        **extra,
    }


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
