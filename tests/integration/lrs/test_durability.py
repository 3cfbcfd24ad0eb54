"""Durability: `lifelong serve` killed (SIGKILL) amid a stream of batch POSTs loses nothing.

Issue 3, Storage: "A batch is stored all-or-nothing; an acknowledged statement is durable."
The server runs as a real subprocess (gunicorn, the production path), against the test
PostgreSQL server's test database when TEST_DB=postgres, or against a SQLite file of its own
otherwise (the embedded default; the test's own SQLite database is in memory, which no other
process can open). Two threads stream batches; the whole server process group is killed at
once in the middle; after a restart every acknowledged statement is stored, no batch is
half-stored, and a batch whose outcome the client never learnt can be re-sent safely.
"""

import base64
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

from lifelong.lrs.models import Statement

pytestmark = pytest.mark.django_db(transaction=True)

HOST = "127.0.0.1"
BATCH = 50
THREADS = 2
# Kill once this many batches were acknowledged, then after a random few milliseconds.
KILL_AFTER_ACKED = 12
START_SECONDS = 90
STREAM_SECONDS = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def statement(n: int) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": f"mailto:officer{n % 97}@customs.example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "done"}},
        "object": {"id": f"https://lms.customs.example.org/module/{n % 13}"},
        "result": {"completion": True, "duration": "PT12M"},
        "timestamp": "2026-03-01T08:00:00.000Z",
    }


@dataclass
class Stream:
    """What the client learnt about each batch it sent."""

    batches: list[list[str]] = field(default_factory=list)  # statement ids, by batch
    bodies: list[bytes] = field(default_factory=list)  # what was sent, by batch
    acked: set[int] = field(default_factory=set)  # 200 with the ids
    refused: dict[int, int] = field(default_factory=dict)  # another HTTP status
    in_doubt: set[int] = field(default_factory=set)  # connection lost: outcome unknown
    lock: threading.Lock = field(default_factory=threading.Lock)


class Server:
    """`lifelong serve` as a subprocess in a session of its own, so SIGKILL takes it all."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.port = free_port()
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "lifelong",
                    "serve",
                    "--no-worker",
                    "--host",
                    HOST,
                    "--port",
                    str(self.port),
                    "--workers",
                    "2",
                    "--threads",
                    "4",
                ],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text(errors="replace")[-3000:]
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/xapi/about")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("lifelong serve did not start:\n" + self.log.read_text()[-3000:])

    def errors(self) -> str:
        """Return the server log's error lines (what a refused batch left behind)."""
        lines = self.log.read_text(errors="replace").splitlines()
        return "\n".join(line for line in lines if "Error" in line or "error" in line)[-3000:]

    def kill(self) -> None:
        """SIGKILL the master and its workers at once: no shutdown code runs anywhere."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@dataclass
class Target:
    env: dict[str, str]
    stored_ids: Callable[[], set[str]]


@pytest.fixture
def target(tmp_path: Path) -> Target:
    """Where the server keeps its statements, and how the test reads them back."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "LIFELONG_DEMO"}
    }
    env.update(
        LIFELONG_DATA_DIR=str(tmp_path / "data"),
        LIFELONG_SECRET_KEY="durability-test-" + "k" * 40,
        LIFELONG_DEBUG="0",
        LIFELONG_SECURE="0",
        LIFELONG_ALLOWED_HOSTS=f"{HOST},localhost",
    )
    if connection.vendor == "postgresql":
        # The test database of this session: committed data (transaction=True) both see.
        s = connection.settings_dict
        host = quote(s["HOST"], safe="")
        env["DATABASE_URL"] = f"postgres://{s['USER']}@{host}:{s['PORT'] or 5432}/{s['NAME']}"

        def stored_ids() -> set[str]:
            return {str(i) for i in Statement.objects.values_list("id", flat=True)}

    else:
        database = tmp_path / "data" / "lifelong.sqlite3"

        def stored_ids() -> set[str]:
            with sqlite3.connect(database) as db:
                return {
                    str(uuid.UUID(row[0])) for row in db.execute("SELECT id FROM lrs_statement")
                }

    return Target(env, stored_ids)


@pytest.fixture
def server(target: Target, tmp_path: Path) -> Iterator[Server]:
    running = Server(target.env, tmp_path / "serve.log")
    try:
        yield running
    finally:
        running.stop()


def create_client(env: dict[str, str]) -> str:
    """Create an LRS client through the CLI; return its Basic Authorization header."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "lifelong",
            "lrs",
            "client",
            "create",
            "durability",
            "--scopes",
            "statements/write",
            "statements/read",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    created = json.loads(done.stdout)
    token = base64.b64encode(f"{created['key']}:{created['secret']}".encode()).decode()
    return f"Basic {token}"


def post(port: int, auth: str, body: bytes) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(
            "POST",
            "/xapi/statements",
            body=body,
            headers={
                "Authorization": auth,
                "X-Experience-API-Version": "1.0.3",
                "Content-Type": "application/json",
            },
        )
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def stream(port: int, auth: str, state: Stream, stop: threading.Event, deadline: float) -> None:
    """Post prepared batches one after another until the server dies or `stop` is set."""
    counter = 0
    while not stop.is_set() and time.monotonic() < deadline:
        batch = [statement(counter + i) for i in range(BATCH)]
        counter += BATCH
        body = json.dumps(batch).encode()
        with state.lock:
            state.batches.append([s["id"] for s in batch])
            state.bodies.append(body)
            number = len(state.batches) - 1
        try:
            status, answer = post(port, auth, body)
        except (OSError, http.client.HTTPException):
            with state.lock:
                state.in_doubt.add(number)
            return
        with state.lock:
            if status == 200:
                assert json.loads(answer) == [s["id"] for s in batch]
                state.acked.add(number)
            else:
                state.refused[number] = status


def test_acknowledged_statements_survive_a_sigkill_and_no_batch_is_half_stored(
    target: Target, server: Server
) -> None:
    # given: the server is up with a client that may write
    server.start()
    auth = create_client(target.env)
    state = Stream()
    stop = threading.Event()
    deadline = time.monotonic() + STREAM_SECONDS
    threads = [
        threading.Thread(target=stream, args=(server.port, auth, state, stop, deadline))
        for _ in range(THREADS)
    ]
    for thread in threads:
        thread.start()

    # when: the whole server is SIGKILLed in the middle of the stream
    while time.monotonic() < deadline and len(state.acked) < KILL_AFTER_ACKED:
        time.sleep(0.01)
    time.sleep(random.uniform(0, 0.05))
    server.kill()
    stop.set()
    for thread in threads:
        thread.join(timeout=40)
    assert not any(t.is_alive() for t in threads)
    assert len(state.acked) >= KILL_AFTER_ACKED, (state.refused, server.log.read_text()[-2000:])
    assert not state.refused, (state.refused, server.errors())

    # and: it is started again
    server.start()

    # then: every acknowledged statement is stored, and each batch is stored whole or not at all
    stored = target.stored_ids()
    for number in state.acked:
        missing = set(state.batches[number]) - stored
        assert not missing, f"acknowledged batch {number} lost {len(missing)} statements"
    for number, ids in enumerate(state.batches):
        kept = len(set(ids) & stored)
        assert kept in (0, len(ids)), f"batch {number} is half-stored: {kept} of {len(ids)}"

    # and: a batch whose answer was lost can simply be sent again (equivalent: a no-op)
    for number in sorted(state.in_doubt):
        status, answer = post(server.port, auth, state.bodies[number])
        assert status == 200, answer
        assert set(state.batches[number]) <= target.stored_ids()

    # and: the restarted server goes on storing
    fresh = [statement(i) for i in range(BATCH)]
    status, answer = post(server.port, auth, json.dumps(fresh).encode())
    assert status == 200, answer
    assert {s["id"] for s in fresh} <= target.stored_ids()


#
# Two writers of one id at once, through the same server (both databases: on SQLite its
# write gate and group commit; on PostgreSQL writers side by side, `test_parallel_writers`)
#

ROUNDS = 20


@pytest.mark.parametrize("same_content", [True, False], ids=["same content", "other content"])
def test_the_same_id_posted_by_two_clients_at_once_is_stored_once(
    target: Target, server: Server, same_content: bool
) -> None:
    # given: two requests per id, released together by a barrier, for ROUNDS ids
    server.start()
    auth = create_client(target.env)
    rounds = []
    for n in range(ROUNDS):
        first = statement(n)
        second = dict(first) if same_content else {**first, "result": {"completion": False}}
        rounds.append((first, second))
    answers: list[list[tuple[int, bytes]]] = [[] for _ in range(ROUNDS)]

    def send(n: int, body: dict[str, Any], barrier: threading.Barrier) -> None:
        barrier.wait(timeout=30)
        answers[n].append(post(server.port, auth, json.dumps([body]).encode()))

    # when
    for n, pair in enumerate(rounds):
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=send, args=(n, body, barrier)) for body in pair]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    # then: each id is stored once; an equal re-send is a no-op (200 with the id), another
    # content a 409 for whichever request came second, never a 500
    for n, (first, _second) in enumerate(rounds):
        statuses = sorted(status for status, _body in answers[n])
        if same_content:
            assert statuses == [200, 200], answers[n]
            assert all(json.loads(body) == [first["id"]] for _status, body in answers[n])
        else:
            assert statuses == [200, 409], answers[n]
    assert target.stored_ids() == {first["id"] for first, _second in rounds}
