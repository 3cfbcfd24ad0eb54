"""lrs/migrations/0007 computes the index keys of the agent and activity rows stored before it."""

import importlib
from types import SimpleNamespace

from django.db import connection

from lifelong.lrs.indexkey import index_key
from lifelong.lrs.models import StatementActivity, StatementAgent
from lifelong.lrs.store import store_statements
from tests.factories.lrs import numbered_statement

migration = importlib.import_module("lifelong.lrs.migrations.0007_index_keys")


def test_fill_computes_every_rows_key_in_chunks(db, monkeypatch):
    # given: rows as they were before the migration (no key yet), more than one chunk
    store_statements([numbered_statement(n) for n in range(1, 6)], client=None, run_hooks=False)
    StatementAgent.objects.update(ifi_key=0)
    StatementActivity.objects.update(iri_key=0)
    monkeypatch.setattr(migration, "CHUNK", 2)
    editor = SimpleNamespace(connection=connection)

    # when
    migration._fill("lrs_statementagent", "ifi")(None, editor)
    migration._fill("lrs_statementactivity", "iri")(None, editor)

    # then
    agents = list(StatementAgent.objects.values_list("ifi", "ifi_key"))
    activities = list(StatementActivity.objects.values_list("iri", "iri_key"))
    assert len(agents) == 5 and len(activities) == 5
    assert all(key == index_key(text) for text, key in agents + activities)
