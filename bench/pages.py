"""Benchmark: page and API latency on a 10,000-officer demo, served by `lifelong serve`.

Builds the demo once into a data directory (reused by later runs), serves it with gunicorn on
a free loopback port, logs in as `head1` (unit head of Chi cục Hải quan khu vực I) and times
sequential requests over one keep-alive connection: the region's unit page, the same page
searching "nguyen van", and the people API with the same search. Target: p95 <= 150 ms.

    .venv/bin/python bench/pages.py [--requests 200] [--data-dir DIR]
"""

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

HOST = "127.0.0.1"
TARGET_P95_MS = 150.0
OFFICERS = 10_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class Browser:
    """One keep-alive connection with a cookie jar: enough for a Django session."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: str | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.headers), data

    def login(self, username: str, password: str) -> None:
        _status, _headers, page = self.request("GET", "/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if match is None:
            raise SystemExit("no CSRF token on the login page")
        form = urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": username,
                "password": password,
            }
        )
        status, _headers, _body = self.request("POST", "/login/", form)
        if status != 302:
            raise SystemExit(f"login as {username} failed ({status})")


def build(data_dir: Path, env: dict[str, str]) -> dict[str, object]:
    """Build the demo (or reuse it) and return `lifelong demo --json`'s answer."""
    command = [sys.executable, "-m", "lifelong", "demo", "--no-serve", "--json"]
    command += ["--officers", str(OFFICERS)]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    print(f"demo ready in {time.perf_counter() - started:.1f} s ({data_dir})")
    answer: dict[str, object] = json.loads(done.stdout)
    return answer


def wait_until_up(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited during start-up")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start in time")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_requests(browser: Browser, path: str, count: int) -> list[float]:
    for _ in range(10):  # warm-up: templates, connections, caches
        browser.request("GET", path)
    timings: list[float] = []
    for _ in range(count):
        started = time.perf_counter()
        status, _headers, _body = browser.request("GET", path)
        timings.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
    return timings


def print_timings(browser: Browser, requests: dict[str, str], count: int, target_ms: float) -> None:
    """Time `count` sequential GETs of each labelled path; print p50, p95, max and the verdict."""
    width = max(len(label) for label in requests)
    print(f"{'request':<{width}}  {'p50 ms':>7}  {'p95 ms':>7}  {'max ms':>7}  target p95")
    for label, path in requests.items():
        status, _headers, _body = browser.request("GET", path)
        if status != 200:
            print(f"{label:<{width}}  not measured: GET {path} answered {status}")
            continue
        timings = time_requests(browser, path, count)
        p95 = percentile(timings, 0.95)
        verdict = "OK" if p95 <= target_ms else "MISSED"
        print(
            f"{label:<{width}}  {statistics.median(timings):>7.1f}  {p95:>7.1f}  "
            f"{max(timings):>7.1f}  {verdict} (<= {target_ms:.0f} ms)"
        )


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop a served app: SIGTERM, then SIGKILL if it has not exited in 20 s."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "lifelong-bench-pages"
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    count = max(1, min(args.requests, 5_000))  # bounded

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(LIFELONG_DATA_DIR=str(args.data_dir), LIFELONG_DEMO="1")
    answer = build(args.data_dir, env)
    accounts = {a["username"]: a for a in answer["accounts"]}  # type: ignore[attr-defined]

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lifelong",
            "serve",
            "--host",
            HOST,
            "--port",
            str(port),
            "--no-worker",
            "--workers",
            str(args.workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_until_up(port, server)
        browser = Browser(port)
        browser.login("head1", accounts["head1"]["password"])
        _s, _h, body = browser.request("GET", "/api/v1/units?limit=500")
        units = json.loads(body)["items"]
        region = next(u for u in units if u["code"] == "KV01")
        pages = {
            "unit page": f"/org/units/{region['id']}/",
            "unit page, search": f"/org/units/{region['id']}/?q=nguyen+van",
            "API people, search": f"/api/v1/people?unit_id={region['id']}&q=nguyen%20van",
        }
        print(f"{count} sequential requests each, as head1, gunicorn with {args.workers} workers")
        print_timings(browser, pages, count, TARGET_P95_MS)
    finally:
        stop(server)


if __name__ == "__main__":
    main()
