"""Benchmark: build the demo into a fresh data directory; print wall time and peak memory.

Each size runs `lifelong demo --no-serve --json --officers N` (migrate + build, on SQLite) in a
child process of a fresh measuring process, so `getrusage(RUSAGE_CHILDREN).ru_maxrss` is that
one build's peak RSS. Targets (10,000 officers): <= 20 s wall, <= 400 MB peak RSS.

    .venv/bin/python bench/demo_build.py            # 10,000 officers
    .venv/bin/python bench/demo_build.py 10000 100000
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

TARGETS = {10_000: (20.0, 400.0)}


def measure(officers: int, seed: int) -> dict[str, float]:
    """Run one build as a child process and return its figures (called in a fresh process)."""
    with tempfile.TemporaryDirectory(prefix="lifelong-bench-demo-") as data_dir:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["LIFELONG_DATA_DIR"] = data_dir
        command = [sys.executable, "-m", "lifelong", "demo", "--no-serve", "--json"]
        command += ["--officers", str(officers), "--seed", str(seed)]
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"build of {officers} officers failed ({done.returncode})")
        json.loads(done.stdout)  # the command's contract: one JSON object
        size = os.path.getsize(os.path.join(data_dir, "lifelong.sqlite3"))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "officers": officers,
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
        "db_mb": size / 1024 / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("officers", nargs="*", type=int, default=[10_000])
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.seed)))
        return
    print(
        f"{'officers':>9}  {'wall s':>7}  {'cpu s':>7}  {'peak RSS MB':>11}  {'db MB':>6}  target"
    )
    for officers in args.officers:
        # A fresh measuring process per size: RUSAGE_CHILDREN then covers this build only.
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(officers), "--seed", str(args.seed)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(child.stdout)
        target = ""
        if officers in TARGETS:
            wall_max, rss_max = TARGETS[officers]
            ok = r["wall_s"] <= wall_max and r["peak_rss_mb"] <= rss_max
            target = f"{'OK' if ok else 'MISSED'} (<= {wall_max:.0f} s, <= {rss_max:.0f} MB)"
        print(
            f"{officers:>9}  {r['wall_s']:>7.1f}  {r['cpu_s']:>7.1f}  "
            f"{r['peak_rss_mb']:>11.0f}  {r['db_mb']:>6.1f}  {target}"
        )


if __name__ == "__main__":
    main()
