"""Benchmark: fill the xAPI store with N statements through its bulk path, then time queries.

Fills a fresh store (SQLite in a fresh data dir, or a throwaway PostgreSQL with durable
commits: `--db postgres`) by calling `lifelong.lrs.store.store_statements` directly, in
batches of `--batch` (at most the store's MAX_BATCH), each its own transaction, as the
Statement resource does for one POST, without HTTP. Statements look like the shared load
generator's (`lrs_load.py`: the same 10,000 agents `officer00000@customs.example.org`…, 500
activities, timestamps over a year), so its query phase can run against the filled store
afterwards (`--http-query`).

Then times the query the issue sets a target for (agent + since, default page) directly:
`parse_query` + `find_statements` + `format_statement` + JSON encoding, sequentially, and
prints:

    fill_stmts_per_s: X
    direct_query_p95_ms: Y          (target at 1,000,000 statements: <= 50 ms)

    .venv/bin/python bench/lrs_fill.py [--count 1000000] [--db sqlite|postgres]
        [--queries 300] [--http-query]
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lrs_common import (
    SHARED_BENCH,
    exit_on_sigterm,
    free_port,
    lifelong_env,
    serve_data_dir,
    throwaway_postgres,
)

AGENTS = 10_000
ACTIVITIES = 500


def mbox(i: int) -> str:
    return f"mailto:officer{i:05d}@customs.example.org"


def make_statement(rng: random.Random, now: datetime) -> dict[str, Any]:
    """Return one statement shaped like the shared load generator's."""
    a = rng.randrange(AGENTS)
    c = rng.randrange(ACTIVITIES)
    completed = rng.random() < 0.5
    verb = "completed" if completed else "experienced"
    ts = now - timedelta(seconds=rng.uniform(0, 365 * 86400))
    raw = rng.randint(40, 100)
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "actor": {"objectType": "Agent", "name": f"Cán bộ {a:05d}", "mbox": mbox(a)},
        "verb": {
            "id": f"http://adlnet.gov/expapi/verbs/{verb}",
            "display": {"en-US": verb, "vi-VN": "hoàn thành" if completed else "đã học"},
        },
        "object": {
            "objectType": "Activity",
            "id": f"https://lms.customs.example.org/course/{c // 10}/module/{c}",
            "definition": {
                "type": "http://adlnet.gov/expapi/activities/module",
                "name": {"vi-VN": f"Học phần {c}", "en-US": f"Module {c}"},
            },
        },
        "result": {
            "score": {"scaled": round(raw / 100, 2), "raw": raw, "min": 0, "max": 100},
            "success": raw >= 50,
            "completion": completed,
            "duration": f"PT{rng.randint(3, 90)}M{rng.randint(0, 59)}S",
        },
        "context": {
            "registration": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "platform": "Customs e-Learning",
            "language": "vi-VN",
            "contextActivities": {
                "parent": [
                    {
                        "objectType": "Activity",
                        "id": f"https://lms.customs.example.org/course/{c // 10}",
                    }
                ]
            },
        },
        "timestamp": ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z",
    }


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def fill(args: argparse.Namespace) -> tuple[Any, float]:
    """Fill the store; return the client and the statements/s of the fill."""
    from django.core.management import call_command

    from lifelong.lrs.models import Statement
    from lifelong.lrs.services import create_client
    from lifelong.lrs.store import MAX_BATCH, store_statements

    call_command("migrate", interactive=False, verbosity=0)
    client, _secret = create_client(acting_user=None, name="fill", scopes=["all"])
    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    batch = min(args.batch, MAX_BATCH)
    done = 0
    started = time.monotonic()
    last_report = started
    while done < args.count and time.monotonic() - started < args.max_s:
        size = min(batch, args.count - done)
        store_statements(
            [make_statement(rng, now) for _ in range(size)], client=client, run_hooks=False
        )
        done += size
        if time.monotonic() - last_report >= 15:
            last_report = time.monotonic()
            rate = done / (last_report - started)
            print(f"  filled {done:,} ({rate:,.0f} stmts/s)", flush=True)
    elapsed = time.monotonic() - started
    total = Statement.objects.count()
    print(f"fill: {done:,} statements in {elapsed:.0f} s; the store holds {total:,}")
    if done < args.count:
        print(f"fill: WARNING stopped at {done:,} < {args.count:,} (--max-s reached)")
    return client, done / elapsed if elapsed else 0.0


def direct_queries(args: argparse.Namespace, client: Any) -> list[float]:
    """Time agent + since queries through the query functions, as GET /statements runs them."""
    from django.db import connection

    from lifelong.lrs import query as q

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rng = random.Random(args.seed + 1)
    now = datetime.now(UTC)
    latencies: list[float] = []
    returned: list[int] = []
    for _ in range(args.queries):
        agent = json.dumps({"mbox": mbox(rng.randrange(AGENTS))}, separators=(",", ":"))
        since = now - timedelta(days=rng.uniform(1, 90))
        params = {"agent": agent, "since": since.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
        t0 = time.perf_counter()
        query = q.parse_query(params)
        found, _next = q.find_statements(query, client=client)
        body = q.dumps(
            {
                "statements": [
                    q.format_statement(s, query.format, canonical=None, languages=[]) for s in found
                ],
                "more": "",
            }
        )
        latencies.append((time.perf_counter() - t0) * 1000)
        returned.append(len(found))
        assert body
    print(
        f"direct query: n={len(latencies)} p50={pct(latencies, 50):.1f}ms "
        f"p95={pct(latencies, 95):.1f}ms max={max(latencies):.1f}ms "
        f"mean_statements_returned={statistics.mean(returned):.1f}"
    )
    return latencies


def http_queries(args: argparse.Namespace, env: dict[str, str]) -> None:
    """Serve the filled store and run the shared load generator's query phase against it."""
    from lrs_load import load_python

    python = load_python(args.load_python)
    with serve_data_dir(env, workers=2) as served:
        proc = subprocess.run(
            [
                python,
                str(SHARED_BENCH / "lrs_load.py"),
                "--url",
                served.xapi,
                "--user",
                served.key,
                "--password",
                served.secret,
                "--phases",
                "query",
                "--store-size",
                "0",
                "--queries",
                str(args.queries),
                "--seed",
                str(args.seed),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=1800,
        )
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr[-2000:])


def main() -> int:
    exit_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=20260301)
    parser.add_argument("--max-s", type=float, default=3600, help="cap on the fill")
    parser.add_argument(
        "--http-query",
        action="store_true",
        help="also serve the store and run lrs_load.py's query phase",
    )
    parser.add_argument("--load-python", default=None)
    args = parser.parse_args()
    with ExitStack() as stack:
        url = stack.enter_context(throwaway_postgres()) if args.db == "postgres" else None
        data_dir = Path(tempfile.mkdtemp(prefix="lifelong-lrs-fill-"))
        env = lifelong_env(data_dir, url, free_port())
        os.environ.update(env)
        if url is None:
            os.environ.pop("DATABASE_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "lifelong.settings"
        import django

        django.setup()
        print(f"== {args.db}: filling {args.count:,} statements (data {data_dir})", flush=True)
        client, rate = fill(args)
        latencies = direct_queries(args, client)
        if args.http_query:
            from django.db import connections

            connections.close_all()
            http_queries(args, env)
        print(f"fill_stmts_per_s: {rate:.0f}")
        print(f"direct_query_p95_ms: {pct(latencies, 95):.1f}")
        if os.environ.get("LIFELONG_BENCH_KEEP") != "1":
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
