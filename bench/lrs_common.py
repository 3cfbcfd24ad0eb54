"""Shared pieces of the LRS benchmarks: a throwaway PostgreSQL, a fresh `lifelong serve`.

Everything listens on loopback only (PostgreSQL on a Unix socket, no TCP at all) and every
wait is bounded. Used by `lrs_conformance.py`, `lrs_load.py` and `lrs_fill.py`.
"""

import glob
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[1]
SHARED_BENCH = Path(os.environ.get("LIFELONG_SHARED_BENCH", ROOT.parent / "shared" / "bench"))


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so that the `finally` blocks stop what was started."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def free_port() -> int:
    """Return a TCP port that is free on the loopback interface."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


#
# PostgreSQL
#


@contextmanager
def throwaway_postgres(*, durable: bool = True) -> Iterator[str]:
    """Start a PostgreSQL cluster on a Unix socket in a temporary folder; yield its URL.

    Debian's binaries, as tests/conftest.py does. `durable` keeps PostgreSQL's defaults
    (fsync on, synchronous_commit on) so that benchmark figures are those of durable commits.
    """
    bins = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[-3])
    )
    if not bins:
        raise SystemExit("no PostgreSQL binaries under /usr/lib/postgresql")
    bindir = os.path.dirname(bins[-1])
    tmp = tempfile.mkdtemp(prefix="lifelong-bench-pg-")
    pre: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        shutil.chown(tmp, "postgres")
        pre = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [
            *pre,
            f"{bindir}/initdb",
            "-D",
            f"{tmp}/data",
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    opts = f"-k {tmp} -c listen_addresses='' -c max_connections=200 -c shared_buffers=256MB"
    if not durable:
        opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    pg_ctl = [*pre, f"{bindir}/pg_ctl", "-D", f"{tmp}/data"]
    subprocess.run(
        [*pg_ctl, "-l", f"{tmp}/log", "-w", "-o", opts, "start"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield f"postgres://postgres@/postgres?host={tmp}"
    finally:
        subprocess.run(
            [*pg_ctl, "-m", "fast", "-w", "stop"], stdout=subprocess.DEVNULL, check=False
        )
        shutil.rmtree(tmp, ignore_errors=True)


#
# Lifelong
#


def lifelong_env(data_dir: Path, database_url: str | None, port: int) -> dict[str, str]:
    """Return the environment of a production-like Lifelong on loopback (DEBUG off)."""
    dropped = {"DATABASE_URL", "LIFELONG_DEMO", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        LIFELONG_DATA_DIR=str(data_dir),
        LIFELONG_SECRET_KEY=secrets.token_urlsafe(50),
        LIFELONG_DEBUG="0",
        LIFELONG_SECURE="0",  # plain HTTP on loopback: no HTTPS redirect, no HSTS
        LIFELONG_SITE_URL=f"http://{HOST}:{port}",
        LIFELONG_ALLOWED_HOSTS=f"{HOST},localhost",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def lifelong(*args: str, env: dict[str, str]) -> str:
    """Run `lifelong ARGS…` to completion; return its stdout (exit on failure)."""
    done = subprocess.run(
        [sys.executable, "-m", "lifelong", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise SystemExit(f"lifelong {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def create_client(env: dict[str, str], name: str, scopes: str = "all") -> tuple[str, str]:
    """Create an LRS client through the CLI (`--json`); return its key and secret."""
    created = json.loads(
        lifelong("lrs", "client", "create", name, "--scopes", scopes, "--json", env=env)
    )
    return created["key"], created["secret"]


def wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 120) -> None:
    """Wait until `url` answers any HTTP status; exit if the server dies or takes too long."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited during start-up (status {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # any HTTP answer means it is serving
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer {url} within {seconds:.0f} s")


def stop(server: subprocess.Popen[bytes], seconds: float = 20) -> None:
    """Stop a server politely (SIGTERM), then with SIGKILL if it does not exit in time."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=seconds)


@dataclass
class Served:
    """A running `lifelong serve`, with an LRS client of scope `all`."""

    base: str  # http://127.0.0.1:P
    xapi: str  # http://127.0.0.1:P/xapi
    key: str
    secret: str
    data_dir: Path
    server: subprocess.Popen[bytes]


@contextmanager
def serve_fresh(
    *,
    database_url: str | None = None,
    workers: int = 2,
    threads: int = 4,
    client_name: str = "bench",
    log_path: Path | None = None,
) -> Iterator[Served]:
    """Migrate a fresh data dir, create a client, serve it on a free loopback port; stop after.

    SQLite in the fresh data dir unless `database_url` is given (it must name an empty or
    disposable database: it is migrated).
    """
    data_dir = Path(tempfile.mkdtemp(prefix="lifelong-lrs-bench-"))
    port = free_port()
    env = lifelong_env(data_dir, database_url, port)
    lifelong("migrate", "-v0", env=env)
    key, secret = create_client(env, client_name)
    log = open(log_path or data_dir / "serve.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lifelong",
            "serve",
            "--no-worker",
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://{HOST}:{port}"
    try:
        wait_until_up(f"{base}/xapi/about", server)
        yield Served(base, f"{base}/xapi", key, secret, data_dir, server)
    finally:
        stop(server)
        log.close()
        if os.environ.get("LIFELONG_BENCH_KEEP") != "1":
            shutil.rmtree(data_dir, ignore_errors=True)


@contextmanager
def serve_data_dir(env: dict[str, str], *, workers: int = 2, threads: int = 4) -> Iterator[Served]:
    """Serve an already-migrated store (the environment of `lifelong_env`) with a new client."""
    port = free_port()
    env = {**env, "LIFELONG_SITE_URL": f"http://{HOST}:{port}"}
    data_dir = Path(env["LIFELONG_DATA_DIR"])
    key, secret = create_client(env, f"serve-{port}")
    with open(data_dir / "serve.log", "ab") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "lifelong",
                "serve",
                "--no-worker",
                "--host",
                HOST,
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://{HOST}:{port}"
    try:
        wait_until_up(f"{base}/xapi/about", server)
        yield Served(base, f"{base}/xapi", key, secret, data_dir, server)
    finally:
        stop(server)


#
# How far the statements_stored consumers are behind the store
#


class ProjectionLag:
    """Sample, while a load runs, how far the hook consumers are behind the store.

    Reads the served database directly (`sqlite3` on the data dir's file, psycopg on the
    PostgreSQL URL) every `interval` seconds: the store's last `seq`, the lowest consumer
    cursor and how many statements lie past it (PostgreSQL's numbers have gaps, lrs/0006,
    so they are counted, not subtracted). The delay of a sample is how long ago the oldest
    undelivered statement could have been committed: now minus the first sample that saw the
    store past the cursor (to within `interval`). `drain()` waits until the consumers have
    caught up.
    """

    SQL_SEQ = "SELECT COALESCE(MAX(seq), 0) FROM lrs_statement"
    SQL_CURSOR = "SELECT MIN(position) FROM lrs_hookcursor"
    SQL_BEHIND = "SELECT COUNT(*) FROM lrs_statement WHERE seq > ?"

    def __init__(self, data_dir: Path, database_url: str | None, interval: float = 0.5) -> None:
        self.data_dir = data_dir
        self.database_url = database_url
        self.interval = interval
        self.history: list[tuple[float, int]] = []  # (time, store's last seq)
        self.delays: list[float] = []
        self.max_behind = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _connect(self):
        if self.database_url:
            import psycopg

            return psycopg.connect(self.database_url, autocommit=True)
        import sqlite3

        path = self.data_dir / "lifelong.sqlite3"
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)

    def sample(self, db) -> int:
        """Take one sample; return how many statements are not delivered yet."""
        cur = db.cursor()
        cur.execute(self.SQL_SEQ)
        last = int(cur.fetchone()[0])
        cur.execute(self.SQL_CURSOR)
        row = cur.fetchone()
        position = int(row[0]) if row and row[0] is not None else 0
        now = time.monotonic()
        self.history.append((now, last))
        behind = 0
        if last > position:
            marker = "%s" if self.database_url else "?"
            cur.execute(self.SQL_BEHIND.replace("?", marker), [position])
            behind = int(cur.fetchone()[0])
        self.max_behind = max(self.max_behind, behind)
        if behind:
            # The oldest undelivered statement (seq position + 1) was committed after the
            # last sample that had not seen it yet.
            seen = [t for t, s in self.history if s > position]
            self.delays.append(now - seen[0] if seen else 0.0)
        else:
            self.delays.append(0.0)
        return behind

    def _run(self) -> None:
        db = self._connect()
        try:
            while not self._stop.wait(self.interval):
                self.sample(db)
        finally:
            db.close()

    def start(self) -> "ProjectionLag":
        self._thread.start()
        return self

    def drain(self, timeout: float = 300) -> float:
        """Stop sampling in the background; wait until caught up; return the seconds taken."""
        self._stop.set()
        self._thread.join()
        started = time.monotonic()
        db = self._connect()
        try:
            while self.sample(db) and time.monotonic() - started < timeout:
                time.sleep(0.1)
        finally:
            db.close()
        return time.monotonic() - started

    def figures(self, drain_s: float) -> dict[str, str]:
        ordered = sorted(self.delays) or [0.0]
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        return {
            "projection_behind_max_stmts": str(self.max_behind),
            "projection_delay_p95_s": f"{p95:.1f}",
            "projection_delay_max_s": f"{ordered[-1]:.1f}",
            "projection_drain_s": f"{drain_s:.1f}",
        }
