"""Run the ADL xAPI LRS conformance suite against a fresh `lifelong serve`.

Makes a fresh data dir in the temporary directory, migrates it, creates an LRS client of
scope `all` through `lifelong lrs client create --json`, serves it with
`lifelong serve --no-worker` on a free loopback port (SQLite; PostgreSQL with
`--db postgres`, a throwaway cluster, or with DATABASE_URL set), then runs the shared
`lrs_conformance.sh` and stops the server. Prints the suite's final line,
`conformance: N passed, M failed`, and writes the failing test titles grouped by section to
`--failures` (default: lrs-conformance-failures.txt in the temporary directory).

The suite itself is never part of this repository: check out adlnet/lrs-conformance-test-suite
beside it and run `npm install` there once (docs/xapi-operations.md). Then:

    .venv/bin/python bench/lrs_conformance.py [--db sqlite|postgres] [--grep REGEX]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lrs_common import SHARED_BENCH, exit_on_sigterm, serve_fresh, throwaway_postgres

DEFAULT_SUITE = Path(tempfile.gettempdir()) / "lrs-anchors" / "lrs-conformance-test-suite"


def leaf_results(node: dict[str, Any], trail: list[str]) -> list[tuple[list[str], str, str]]:
    """Return (title path, status, error) of every test under one node of a runner log."""
    title = node.get("title") or ""
    here = [*trail, title] if title else trail
    children = node.get("tests") or []
    if not children:
        error = node.get("error") or ""
        if isinstance(error, dict):
            error = error.get("message") or json.dumps(error)[:300]
        return [(here, str(node.get("status") or ""), str(error))]
    out: list[tuple[list[str], str, str]] = []
    for child in children:
        out.extend(leaf_results(child, here))
    return out


def collect_failures(out_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """Fold the suite's run logs (later runs win) into failing tests grouped by section."""
    latest: dict[tuple[str, ...], tuple[str, str]] = {}
    runs = sorted(out_dir.glob("run*.out"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 0))
    for run in runs:
        match = re.findall(
            r"^Full run log written to (.+)$", run.read_text(errors="replace"), flags=re.M
        )
        if not match:
            continue
        try:
            log = json.loads(Path(match[-1]).read_text())
        except (OSError, ValueError):
            continue
        for section in (log.get("log") or {}).get("tests") or []:
            for path, status, error in leaf_results(section, []):
                latest[tuple(path)] = (status, error)
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for titles, (status, error) in latest.items():
        if status != "passed":
            grouped[titles[0]].append((" > ".join(titles[1:]), error))
    return grouped


def write_failures(
    path: Path, grouped: dict[str, list[tuple[str, str]]], final: str, hung: list[str]
) -> None:
    lines = [f"# {final}", f"# written {time.strftime('%Y-%m-%d %H:%M:%S %Z')}", ""]
    for title in hung:
        lines.append(f"hung (counted as failed): {title}")
    if hung:
        lines.append("")
    for section in sorted(grouped):
        tests = grouped[section]
        lines.append(f"## {section} ({len(tests)} failing)")
        for title, error in tests:
            lines.append(f"- {title}")
            if error:
                lines.append(f"    {error.splitlines()[0][:300]}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def run_suite(xapi: str, key: str, secret: str, args: argparse.Namespace, out_dir: Path) -> str:
    env = dict(os.environ)
    env.update(
        LRS_SUITE_DIR=str(args.suite),
        OUT_DIR=str(out_dir),
        MAX_S=str(args.max_s),
        STALL_S=str(args.stall_s),
    )
    if args.grep:
        env["GREP"] = args.grep
    script = SHARED_BENCH / "lrs_conformance.sh"
    proc = subprocess.run(
        ["bash", str(script), xapi, key, secret],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=args.max_s + 300,
    )
    sys.stderr.write(proc.stderr[-4000:])
    sys.stdout.write(proc.stdout)
    if proc.returncode == 2:
        raise SystemExit(f"the conformance runner refused to start (exit 2): {proc.stderr[-500:]}")
    return proc.stdout


def main() -> int:
    exit_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="postgres: a throwaway cluster (ignored when DATABASE_URL is set)",
    )
    parser.add_argument(
        "--suite", type=Path, default=Path(os.environ.get("LRS_SUITE_DIR", DEFAULT_SUITE))
    )
    parser.add_argument("--grep", default="", help="only tests whose full title matches")
    parser.add_argument(
        "--failures",
        type=Path,
        default=Path(tempfile.gettempdir()) / "lrs-conformance-failures.txt",
    )
    parser.add_argument("--max-s", type=int, default=3600, help="overall cap of the suite")
    parser.add_argument("--stall-s", type=int, default=60, help="a test hung after this long")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not (args.suite / "node_modules" / "mocha").is_dir():
        raise SystemExit(
            f"no ready conformance suite at {args.suite} (see docs/xapi-operations.md)"
        )
    out_dir = Path(tempfile.mkdtemp(prefix="lrs-conformance-"))
    started = time.monotonic()

    def go(database_url: str | None) -> str:
        with serve_fresh(
            database_url=database_url,
            client_name="conformance",
            workers=args.workers,
            log_path=out_dir / "serve.log",
        ) as served:
            print(f"serving {served.xapi} (data {served.data_dir}, logs {out_dir})", flush=True)
            return run_suite(served.xapi, served.key, served.secret, args, out_dir)

    url = os.environ.get("DATABASE_URL")
    if url or args.db == "sqlite":
        output = go(url)
    else:
        with throwaway_postgres() as pg_url:
            output = go(pg_url)
    final = next(
        (line for line in reversed(output.splitlines()) if line.startswith("conformance:")),
        "conformance: (no result)",
    )
    hung = [
        line.removeprefix("hung test: ")
        for line in output.splitlines()
        if line.startswith("hung test: ")
    ]
    grouped = collect_failures(out_dir)
    write_failures(args.failures, grouped, final, hung)
    print(
        f"failing tests by section: {args.failures} "
        f"({sum(len(v) for v in grouped.values())} listed, {len(grouped)} sections)"
    )
    print(f"wall_s: {time.monotonic() - started:.0f}")
    print(final)
    return 0


if __name__ == "__main__":
    sys.exit(main())
