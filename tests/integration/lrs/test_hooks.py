"""The statements_stored hook's catch-up: `lifelong lrs hooks run` and the retry task."""

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from lifelong.lrs import hooks
from lifelong.lrs.models import HookCursor, Statement
from lifelong.lrs.services import create_client
from lifelong.lrs.store import store_statements


def statement(n: int) -> dict[str, Any]:
    return {
        "actor": {"mbox": f"mailto:officer{n}@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": f"http://example.org/course/{n}"},
    }


@pytest.fixture
def registry() -> Any:
    with hooks.isolated():
        yield hooks


def run_command(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("lrs", "hooks", "run", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_consumer_that_raised_after_commit_is_caught_up_by_the_command(registry, monkeypatch):
    # given: a consumer that fails on the after-commit delivery of a stored batch
    client, _ = create_client(acting_user=None, name="lms", scopes=["all"])
    received: list[str] = []
    broken = {"on": True}
    queued: list[Any] = []
    monkeypatch.setattr(hooks, "_last_retry_enqueued", 0.0)
    monkeypatch.setattr(hooks, "_schedule_retry", lambda: queued.append(True))

    def consumer(page: Any) -> None:
        if broken["on"]:
            raise RuntimeError("projection down")
        received.extend(s.id for s in page)

    registry.register("test.projection", consumer)
    ids = store_statements([statement(1), statement(2)], client=client)
    assert received == [] and queued == [True]  # failed after commit; a retry was queued
    assert HookCursor.objects.get(consumer="test.projection").position == 0
    # when: the consumer is repaired and the command runs (no new statement arrives)
    broken["on"] = False
    output = json.loads(run_command("--json"))
    # then: it received everything from its cursor; the cursor is at the last seq
    last = Statement.objects.order_by("-seq").values_list("seq", flat=True).first()
    assert received == ids
    assert output == {
        "items": [{"consumer": "test.projection", "delivered": 2, "position": last, "ok": True}],
        "count": 1,
    }
    # and a second run delivers nothing more
    assert "delivered 0, position" in run_command()


@pytest.mark.django_db
def test_the_command_exits_non_zero_while_a_consumer_still_fails(registry, monkeypatch):
    monkeypatch.setattr(hooks, "_schedule_retry", lambda: None)
    client, _ = create_client(acting_user=None, name="lms", scopes=["all"])
    store_statements([statement(1)], client=client, run_hooks=False)

    def consumer(page: Any) -> None:
        raise RuntimeError("still down")

    registry.register("test.down", consumer)
    with pytest.raises(CommandError, match=r"test\.down"):
        run_command()
    assert HookCursor.objects.get(consumer="test.down").position == 0


@pytest.mark.django_db
def test_the_command_without_consumers_says_so(registry):
    assert "No statements_stored consumer" in run_command()
    assert json.loads(run_command("--json")) == {"items": [], "count": 0}


@pytest.mark.django_db
def test_a_failed_run_queues_the_catch_up_task_once_per_interval(registry, monkeypatch):
    # given: a queue that records deferred tasks instead of running them
    queued: list[Any] = []

    class Recorder:
        def using(self, **options: Any) -> "Recorder":
            queued.append(options)
            return self

        def enqueue(self) -> None:
            queued.append(True)

    monkeypatch.setattr(hooks, "_last_retry_enqueued", 0.0)
    monkeypatch.setattr(hooks, "catch_up", Recorder())
    client, _ = create_client(acting_user=None, name="lms", scopes=["all"])
    store_statements([statement(1)], client=client, run_hooks=False)
    registry.register("test.down", lambda page: (_ for _ in ()).throw(RuntimeError("down")))
    # when: two runs fail in a row
    assert hooks.run_consumers() == {"test.down": -1}
    assert hooks.run_consumers() == {"test.down": -1}
    # then: one catch-up task was queued, deferred by RETRY_SECONDS
    assert len(queued) == 2 and "run_after" in queued[0] and queued[1] is True


@pytest.mark.django_db
def test_the_catch_up_task_runs_the_consumers(registry):
    client, _ = create_client(acting_user=None, name="lms", scopes=["all"])
    ids = store_statements([statement(1)], client=client, run_hooks=False)
    received: list[str] = []
    registry.register("test.ok", lambda page: received.extend(s.id for s in page))
    result = hooks.catch_up.enqueue()
    assert result.return_value == {"test.ok": 1} and received == ids
