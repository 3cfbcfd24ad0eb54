"""Benchmark: xAPI ingest (statements/s) and GET p95 (agent + since) of `lifelong serve`.

For each database asked for (SQLite by default, and PostgreSQL: a throwaway cluster with
durable commits, fsync and synchronous_commit on), migrates a fresh data dir, creates a client
of scope `all`, serves it on a free loopback port and runs the shared load generator
`lrs_load.py --url URL --user KEY --password SECRET` against it. Arguments after `--` go to the
load generator unchanged (e.g. `-- --store-size 20000 --runs 1`). Prints, per database:

    <db>: ingest_stmts_per_s: X  query_p95_ms: Y  ...

and how far the statements_stored consumers (the learning projection, which runs on each
web process's background thread) were behind during the load: the most statements not yet
delivered, the p95 and largest delay of the oldest undelivered statement (sampled every
0.5 s), and the seconds they took to catch up once the load stopped.

The load generator needs httpx, which the test extras install into `.venv`; another Python
that has it can be given with `--load-python` (or LRS_LOAD_PYTHON).

    .venv/bin/python bench/lrs_load.py [--db sqlite,postgres] [--workers 2]
        [--learning-locker LL_DIR] [-- LOAD ARGS]

With `--learning-locker`, the same load also runs against Learning Locker's xapi-statements
(the issue's anchor), started with `../shared/bench/learning-locker-start.sh`, so that the
ratio comes from one run on one machine.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lrs_common import (
    HOST,
    SHARED_BENCH,
    ProjectionLag,
    exit_on_sigterm,
    free_port,
    serve_fresh,
    throwaway_postgres,
)

CANDIDATE_PYTHONS = [sys.executable]


def load_python(given: str | None) -> str:
    """Return a Python that can import httpx, for the shared load generator."""
    for candidate in [given, os.environ.get("LRS_LOAD_PYTHON"), *CANDIDATE_PYTHONS]:
        if not candidate or not Path(candidate).exists():
            continue
        probe = subprocess.run([candidate, "-c", "import httpx"], capture_output=True, check=False)
        if probe.returncode == 0:
            return candidate
    raise SystemExit("no Python with httpx found: pass --load-python (see this script's help)")


def run_one(db: str, args: argparse.Namespace, python: str, extra: list[str]) -> dict[str, str]:
    with ExitStack() as stack:
        url = stack.enter_context(throwaway_postgres()) if db == "postgres" else None
        served = stack.enter_context(
            serve_fresh(
                database_url=url,
                workers=args.workers,
                threads=args.threads,
                client_name=f"load-{db}",
            )
        )
        print(
            f"== {db}: {served.xapi} (workers={args.workers}, threads={args.threads})", flush=True
        )
        started = time.monotonic()
        lag = ProjectionLag(served.data_dir, url).start()
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
                *extra,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=args.max_s,
        )
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr[-3000:])
        figures = dict(
            re.findall(r"^(ingest_stmts_per_s|query_p95_ms): (\S+)$", proc.stdout, flags=re.M)
        )
        figures["wall_s"] = f"{time.monotonic() - started:.0f}"
        figures.update(lag.figures(lag.drain()))
        return figures


def run_learning_locker(
    ll_dir: str, args: argparse.Namespace, python: str, extra: list[str]
) -> dict[str, str]:
    """Run the same load against Learning Locker's xapi-statements, the issue's speed anchor."""
    port = free_port()
    started = subprocess.run(
        ["bash", str(SHARED_BENCH / "learning-locker-start.sh"), str(port)],
        env={**os.environ, "LL_DIR": ll_dir},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    pid = int(started.stdout.strip().splitlines()[-1])
    print(f"== learning-locker: http://{HOST}:{port}/xAPI (pid {pid})", flush=True)
    try:
        begun = time.monotonic()
        proc = subprocess.run(
            [
                python,
                str(SHARED_BENCH / "lrs_load.py"),
                "--url",
                f"http://{HOST}:{port}/xAPI",
                "--user",
                "anchor",
                "--password",
                "anchor",
                *extra,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=args.max_s,
        )
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr[-3000:])
        figures = dict(
            re.findall(r"^(ingest_stmts_per_s|query_p95_ms): (\S+)$", proc.stdout, flags=re.M)
        )
        figures["wall_s"] = f"{time.monotonic() - begun:.0f}"
        return figures
    finally:
        os.kill(pid, signal.SIGTERM)


def main() -> int:
    exit_on_sigterm()
    argv = sys.argv[1:]
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", default="sqlite,postgres", type=lambda s: [x for x in s.split(",") if x]
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--load-python", default=None)
    parser.add_argument(
        "--learning-locker",
        metavar="LL_DIR",
        default=None,
        help="also run the anchor: a folder where xapi-statements@5.0.1 is "
        "installed (see ../shared/bench/learning-locker-start.sh)",
    )
    parser.add_argument("--max-s", type=int, default=3600, help="cap per database")
    args = parser.parse_args(argv)
    unknown = set(args.db) - {"sqlite", "postgres"}
    if unknown:
        raise SystemExit(f"--db takes sqlite and/or postgres, not {', '.join(sorted(unknown))}")
    python = load_python(args.load_python)
    results = {db: run_one(db, args, python, extra) for db in args.db}
    if args.learning_locker:
        results["learning-locker"] = run_learning_locker(args.learning_locker, args, python, extra)
    print()
    for db, figures in results.items():
        print(
            f"{db}: ingest_stmts_per_s: {figures.get('ingest_stmts_per_s', 'nan')}  "
            f"query_p95_ms: {figures.get('query_p95_ms', 'nan')}  wall_s: {figures['wall_s']}"
        )
        lag = {k: v for k, v in figures.items() if k.startswith("projection_")}
        if lag:
            print(f"{db}: " + "  ".join(f"{k}: {v}" for k, v in lag.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
