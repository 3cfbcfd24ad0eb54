"""Micro-benchmark: what one batch POST costs in-process, stored and projected.

Fills a fresh store (SQLite in a fresh data dir, or a throwaway PostgreSQL with durable
commits: `--db postgres`) with `--prefill` statements shaped like the shared load
generator's (`lrs_fill.make_statement`), then, `--rounds` times over:

- stores `--batches` batches of `--batch` statements through `store_statements` (no hooks),
  timing each, as the Statement resource does for one POST without HTTP;
- delivers them to the registered `statements_stored` consumers (the learning projection)
  in pages of `--page`, timing each page: `--page 100` is one delivery per POST (what the
  request did inline before), a larger page is what the background delivery coalesces.

Optionally `--http` also times the whole request through Django's test client (parsing,
authentication, the view, the JSON answer), and `--profile FILE` writes a cProfile of the
store calls. Prints (figures vary with the machine's other load):

    store_ms_per_batch: X     (mean of the batches: what bounds throughput)
    store_ms_per_batch_median: X
    project_ms_per_100: Y     (page time scaled to 100 statements)
    http_ms_per_batch: Z      (mean, with --http)

    .venv/bin/python bench/lrs_batch.py [--db sqlite|postgres] [--prefill 20000]
        [--batch 100] [--batches 20] [--rounds 3] [--page 500] [--http] [--profile FILE]
"""

import argparse
import base64
import cProfile
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lrs_common import exit_on_sigterm, free_port, lifelong_env, throwaway_postgres
from lrs_fill import make_statement


def run(args: argparse.Namespace) -> dict[str, float]:
    from django.core.management import call_command
    from django.test import Client as HttpClient

    from lifelong.lrs import hooks
    from lifelong.lrs.services import create_client
    from lifelong.lrs.store import store_statements

    call_command("migrate", interactive=False, verbosity=0)
    client, secret = create_client(acting_user=None, name="batch", scopes=["all"])
    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    for _ in range(args.prefill // 1000):
        store_statements(
            [make_statement(rng, now) for _ in range(1000)], client=client, run_hooks=False
        )
    started = time.monotonic()
    hooks.run_consumers(page_size=5000)
    print(f"prefilled {args.prefill:,} and projected them in {time.monotonic() - started:.1f} s")
    http = HttpClient(
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode(),
        HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
        HTTP_HOST="127.0.0.1",
    )
    profiler = cProfile.Profile() if args.profile else None
    store_ms: list[float] = []
    project_ms: list[float] = []
    http_ms: list[float] = []
    for _round in range(args.rounds):
        for _ in range(args.batches):
            batch = [make_statement(rng, now) for _ in range(args.batch)]
            t0 = time.perf_counter()
            if profiler:
                profiler.enable()
            store_statements(batch, client=client, run_hooks=False)
            if profiler:
                profiler.disable()
            store_ms.append((time.perf_counter() - t0) * 1000)
        delivered = 0
        t0 = time.perf_counter()
        for consumer in hooks.consumers():
            delivered += hooks.run_consumer(consumer, page_size=args.page)
        if delivered:
            project_ms.append((time.perf_counter() - t0) * 1000 * 100 / delivered)
        if args.http:
            for _ in range(args.batches):
                body = json.dumps([make_statement(rng, now) for _ in range(args.batch)])
                t0 = time.perf_counter()
                response = http.post("/xapi/statements", body, content_type="application/json")
                http_ms.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, response.content[:300]
            hooks.run_consumers()
    if profiler:
        profiler.dump_stats(args.profile)
    figures = {
        "store_ms_per_batch": statistics.mean(store_ms),
        "store_ms_per_batch_median": statistics.median(store_ms),
    }
    if project_ms:
        figures["project_ms_per_100"] = statistics.median(project_ms)
    if http_ms:
        figures["http_ms_per_batch"] = statistics.mean(http_ms)
    return figures


def main() -> int:
    exit_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--prefill", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--page", type=int, default=500)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--http", action="store_true")
    parser.add_argument("--profile", default=None)
    args = parser.parse_args()
    with ExitStack() as stack:
        url = stack.enter_context(throwaway_postgres()) if args.db == "postgres" else None
        data_dir = Path(tempfile.mkdtemp(prefix="lifelong-lrs-batch-"))
        stack.callback(shutil.rmtree, data_dir, ignore_errors=True)
        os.environ.update(lifelong_env(data_dir, url, free_port()))
        if url is None:
            os.environ.pop("DATABASE_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "lifelong.settings"
        import django

        django.setup()
        figures = run(args)
        from django.db import connections

        connections.close_all()
    print(f"== {args.db}: batch {args.batch}, page {args.page}")
    for name, value in figures.items():
        print(f"{name}: {value:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
