"""Benchmark: build the demo into a fresh data directory; print wall time and peak memory.

Each size runs `lifelong demo --no-serve --json --officers N --history H` (migrate + build, on
SQLite) in a child process of a fresh measuring process, so `getrusage(RUSAGE_CHILDREN)
.ru_maxrss` is that one build's peak RSS. The learning history's figures (statements stored,
seconds to write them and to project them) come from the build's `demo.built` audit event.
Targets (10,000 officers): organisation only (`--history none`) <= 20 s, <= 400 MB; standard
history (about 300,000 statements) <= 60 s; full (about 1,000,000) <= 150 s.

    .venv/bin/python bench/demo_build.py                     # 10,000 officers, standard
    .venv/bin/python bench/demo_build.py 10000 --history full
    .venv/bin/python bench/demo_build.py 10000 100000 --history none
"""

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time

TARGETS = {
    ("none", 10_000): (20.0, 400.0),
    ("standard", 10_000): (60.0, 1024.0),
    ("full", 10_000): (150.0, 2048.0),
}


def _learning_figures(database: str) -> dict[str, float]:
    """Read the learning history's figures from the build's audit event."""
    with sqlite3.connect(database) as db:
        row = db.execute(
            "SELECT data FROM core_auditevent WHERE action = 'demo.built' ORDER BY id DESC"
        ).fetchone()
    learning = json.loads(row[0]).get("learning", {}) if row else {}
    seconds = learning.get("seconds", {})
    written = seconds.get("statements", 0.0)
    return {
        "statements": learning.get("statements", 0),
        "history_s": written,
        "projection_s": seconds.get("projection", written) - written,
    }


def measure(officers: int, seed: int, history: str) -> dict[str, float]:
    """Run one build as a child process and return its figures (called in a fresh process)."""
    with tempfile.TemporaryDirectory(prefix="lifelong-bench-demo-") as data_dir:
        # As `lifelong demo` runs for a user: SQLite, and not in debug mode (LIFELONG_DEBUG
        # makes Django keep the text of every query, which costs more than the query itself
        # on the bulk INSERTs).
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LIFELONG_DEBUG"}}
        env["LIFELONG_DATA_DIR"] = data_dir
        command = [sys.executable, "-m", "lifelong", "demo", "--no-serve", "--json"]
        command += ["--officers", str(officers), "--seed", str(seed), "--history", history]
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"build of {officers} officers failed ({done.returncode})")
        json.loads(done.stdout)  # the command's contract: one JSON object
        database = os.path.join(data_dir, "lifelong.sqlite3")
        size = sum(
            os.path.getsize(database + suffix)
            for suffix in ("", "-wal")
            if os.path.exists(database + suffix)
        )
        learning = _learning_figures(database)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "officers": officers,
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
        "db_mb": size / 1024 / 1024,
        **learning,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("officers", nargs="*", type=int, default=[10_000])
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--history", choices=("standard", "full", "none"), default="standard")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.seed, args.history)))
        return
    print(
        f"{'officers':>9}  {'history':>8}  {'statements':>10}  {'wall s':>7}  {'cpu s':>7}  "
        f"{'writes s':>8}  {'project s':>9}  {'peak RSS MB':>11}  {'db MB':>6}  target"
    )
    for officers in args.officers:
        # A fresh measuring process per size: RUSAGE_CHILDREN then covers this build only.
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--measure",
                str(officers),
                "--seed",
                str(args.seed),
                "--history",
                args.history,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(child.stdout)
        target = ""
        if (args.history, officers) in TARGETS:
            wall_max, rss_max = TARGETS[(args.history, officers)]
            ok = r["wall_s"] <= wall_max and r["peak_rss_mb"] <= rss_max
            target = f"{'OK' if ok else 'MISSED'} (<= {wall_max:.0f} s, <= {rss_max:.0f} MB)"
        print(
            f"{officers:>9}  {args.history:>8}  {r['statements']:>10.0f}  {r['wall_s']:>7.1f}  "
            f"{r['cpu_s']:>7.1f}  {r['history_s']:>8.1f}  {r['projection_s']:>9.1f}  "
            f"{r['peak_rss_mb']:>11.0f}  {r['db_mb']:>6.1f}  {target}"
        )


if __name__ == "__main__":
    main()
