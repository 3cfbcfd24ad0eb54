"""Benchmark: the unit compliance dashboard and API on a 10,000-officer demo with its history.

Builds the demo with its standard 2024-2026 learning history once into a data directory
(reused by later runs), serves it with `lifelong serve` on a free loopback port, logs in as
`training` (training office over the whole Customs Department) and times sequential requests
over one keep-alive connection: the compliance page of the root unit (CHQ, the whole
organisation) and of one regional sub-department (KV01), and the compliance API
`/api/v1/units/{id}/compliance?year=2026` of both. Target: p95 <= 200 ms (the dashboard reads
the yearly ledger summaries, never the statements).

    .venv/bin/python bench/learning_dashboard.py [--requests 200] [--data-dir DIR]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from pages import Browser, build, free_port, print_timings, stop, wait_until_up

HOST = "127.0.0.1"
TARGET_P95_MS = 200.0
YEAR = 2026


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "lifelong-bench-learning"
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    count = max(1, min(args.requests, 5_000))  # bounded

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(LIFELONG_DATA_DIR=str(args.data_dir), LIFELONG_DEMO="1")
    answer = build(args.data_dir, env)
    accounts = {a["username"]: a for a in answer["accounts"]}  # type: ignore[attr-defined]

    port = free_port()
    serve = ["serve", "--host", HOST, "--port", str(port), "--no-worker"]
    server = subprocess.Popen(
        [sys.executable, "-m", "lifelong", *serve, "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_until_up(port, server)
        browser = Browser(port)
        browser.login("training", accounts["training"]["password"])
        _s, _h, body = browser.request("GET", "/api/v1/units?limit=500")
        units = {u["code"]: u for u in json.loads(body)["items"]}
        requests: dict[str, str] = {}
        for label, code in (("whole organisation", "CHQ"), ("region KV01", "KV01")):
            unit_id = units[code]["id"]
            requests[f"page, {label}"] = f"/learning/units/{unit_id}/compliance/?year={YEAR}"
            requests[f"API, {label}"] = f"/api/v1/units/{unit_id}/compliance?year={YEAR}"
        print(
            f"{count} sequential requests each, as training, gunicorn with {args.workers} workers"
        )
        print_timings(browser, requests, count, TARGET_P95_MS)
    finally:
        stop(server)


if __name__ == "__main__":
    main()
