"""Concurrent writers of one document (Communication 3.1): ETags decide, nothing is lost.

Real threads, each with its own database connection, write through the HTTP layer at the
same moment. On PostgreSQL (TEST_DB=postgres) they run here, against the test database, and
the row lock orders them. The SQLite test database is in memory with a shared cache, whose
table locks fail at once instead of waiting, unlike a deployed store; so on SQLite each
scenario runs in a child process against a file database configured as `settings.py`
configures it (WAL, `BEGIN IMMEDIATE`, a busy timeout), where the database lock orders them.
"""

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.http import HttpResponse

from lifelong.lrs.models import Document
from tests.integration.lrs.test_documents import (
    ACTIVITY,
    ACTIVITY_PROFILE,
    AGENT,
    AGENT_PROFILE,
    STATE,
    Xapi,
    etag_of,
    make_xapi,
)


def run_together(calls: list[Callable[[], HttpResponse]]) -> list[HttpResponse]:
    """Run `calls` in threads released at once; return their responses in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = calls[index]()
        except BaseException as exc:  # reported by the assertion below
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for result in results:
        assert isinstance(result, HttpResponse), result
    return results


def scenario_one_writer_wins_when_two_put_with_the_same_if_match(xapi: Xapi) -> None:
    # given a stored agent profile and its ETag, read by two writers
    params = {"agent": AGENT, "profileId": "concurrent"}
    xapi.put(AGENT_PROFILE, params, {"v": 0}, headers={"If-None-Match": "*"})
    etag = etag_of(xapi.get(AGENT_PROFILE, params))
    # when both PUT their change with that ETag at the same moment
    responses = run_together(
        [
            partial(xapi.put, AGENT_PROFILE, params, {"v": v}, headers={"If-Match": etag})
            for v in (1, 2)
        ]
    )
    # then one wins (204) and the other is refused (412); the winner's content is stored
    statuses = [r.status_code for r in responses]
    assert sorted(statuses) == [204, 412]
    winner = statuses.index(204) + 1
    assert json.loads(xapi.get(AGENT_PROFILE, params).content) == {"v": winner}


def scenario_one_creator_wins_when_two_put_if_none_match_star(xapi: Xapi) -> None:
    # given no document yet
    params = {"activityId": ACTIVITY, "profileId": "first-come"}
    # when two writers create it at the same moment
    responses = run_together(
        [
            partial(xapi.put, ACTIVITY_PROFILE, params, {"v": v}, headers={"If-None-Match": "*"})
            for v in (1, 2)
        ]
    )
    # then exactly one creates it, the other gets 412, and there is one row
    assert sorted(r.status_code for r in responses) == [204, 412]
    assert Document.objects.count() == 1


def scenario_no_merge_is_lost_when_posts_run_concurrently(xapi: Xapi) -> None:
    # given one State document
    params = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "merged"}
    xapi.post(STATE, params, {"start": True})
    # when eight writers POST a property each at the same moment
    responses = run_together([partial(xapi.post, STATE, params, {f"k{i}": i}) for i in range(8)])
    # then every POST succeeded and every property is in the document
    assert [r.status_code for r in responses] == [204] * 8
    stored = json.loads(xapi.get(STATE, params).content)
    assert stored == {"start": True, **{f"k{i}": i for i in range(8)}}


def scenario_every_first_post_lands_when_they_race_on_a_new_document(xapi: Xapi) -> None:
    # given no document yet
    params = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "racing"}
    # when four writers POST a property each to the missing document at the same moment
    responses = run_together([partial(xapi.post, STATE, params, {f"k{i}": i}) for i in range(4)])
    # then the losers of the insert race merge into the winner's row
    assert [r.status_code for r in responses] == [204] * 4
    assert json.loads(xapi.get(STATE, params).content) == {f"k{i}": i for i in range(4)}


SCENARIOS: dict[str, Callable[[Xapi], None]] = {
    name.removeprefix("scenario_"): function
    for name, function in dict(globals()).items()
    if name.startswith("scenario_")
}
ROOT = Path(__file__).resolve().parents[3]
CHILD = """
import sys
import django
from django.core.management import call_command

django.setup()
call_command("migrate", verbosity=0)
from tests.integration.lrs.test_documents import make_xapi
from tests.integration.lrs.test_documents_concurrency import SCENARIOS

SCENARIOS[sys.argv[1]](make_xapi(["all"]))
print("scenario passed")
"""


def run_on_sqlite_file(name: str, data_dir: Path) -> None:
    """Run one scenario in a child process on a file SQLite database set up as deployed."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lifelong.settings",
        "LIFELONG_DATA_DIR": str(data_dir),
        "LIFELONG_DEBUG": "1",
        "LIFELONG_ALLOWED_HOSTS": "testserver",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "scenario passed" in done.stdout


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_concurrent_document_writers_when_run_together(
    name: str, transactional_db: None, tmp_path: Path
) -> None:
    """Run each scenario above: in-process on PostgreSQL, in a child process on SQLite."""
    if connection.vendor == "sqlite":
        run_on_sqlite_file(name, tmp_path)
    else:
        SCENARIOS[name](make_xapi(["all"]))
