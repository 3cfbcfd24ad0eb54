"""Test configuration: markers by folder, PostgreSQL when TEST_DB=postgres, Chromium for browsers.

The PostgreSQL server is a throwaway cluster this fixture starts with Debian's binaries
(docs/toolchain.md in the shared folder); nothing is mocked.
"""

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# pytest-playwright runs an event loop in the test thread; the ORM calls of a browser test's
# given/then steps are synchronous on purpose.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

TESTS = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test by its folder: unit, integration or browser.

    Tests marked `postgres_only` check machinery that exists on PostgreSQL only (writers
    side by side, lrs/0006): outside the PostgreSQL pass they are deselected, not skipped.
    """
    for item in items:
        parts = Path(str(item.fspath)).relative_to(TESTS).parts
        if parts and parts[0] in {"unit", "integration", "browser"}:
            item.add_marker(getattr(pytest.mark, parts[0]))
    if os.environ.get("TEST_DB") != "postgres":
        kept = [item for item in items if item.get_closest_marker("postgres_only") is None]
        if len(kept) < len(items):
            config.hook.pytest_deselected(items=[i for i in items if i not in kept])
            items[:] = kept


#
# PostgreSQL
#


def _start_debian_pg() -> tuple[dict[str, str], Callable[[], None]] | None:
    """Start a throwaway cluster on a Unix socket in a temporary folder; None if no binaries."""
    bins = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[-3])
    )
    if not bins:
        return None
    bindir = os.path.dirname(bins[-1])
    tmp = tempfile.mkdtemp(prefix="lifelong-pg-")
    pre: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        shutil.chown(tmp, "postgres")
        pre = ["runuser", "-u", "postgres", "--"]
    initdb = [f"{bindir}/initdb", "-D", f"{tmp}/data", "-U", "postgres", "-A", "trust"]
    subprocess.run(
        [*pre, *initdb, "-E", "UTF8", "--locale=C.UTF-8"], check=True, stdout=subprocess.DEVNULL
    )
    # No TCP at all: the server listens only on a Unix socket in `tmp`.
    opts = (
        f"-k {tmp} -c listen_addresses='' -c fsync=off -c full_page_writes=off "
        "-c synchronous_commit=off -c max_connections=200"
    )
    pg_ctl = [*pre, f"{bindir}/pg_ctl", "-D", f"{tmp}/data"]
    started = subprocess.run(
        [*pg_ctl, "-l", f"{tmp}/log", "-w", "-o", opts, "start"],
        check=False,
        stdout=subprocess.DEVNULL,
    )
    if started.returncode != 0:
        log = Path(tmp, "log").read_text(errors="replace") if Path(tmp, "log").exists() else ""
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.fail(f"the test PostgreSQL server did not start:\n{log}", pytrace=False)

    def stop() -> None:
        subprocess.run(
            [*pg_ctl, "-m", "immediate", "-w", "stop"], stdout=subprocess.DEVNULL, check=False
        )
        shutil.rmtree(tmp, ignore_errors=True)

    cfg = {"HOST": tmp, "PORT": "5432", "USER": "postgres", "NAME": "postgres", "PASSWORD": ""}
    return cfg, stop


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
) -> Iterator[None]:
    """Point the default database at a throwaway PostgreSQL server when TEST_DB=postgres.

    Under pytest-xdist each worker runs this session fixture, so each worker has a server of
    its own (about a second to start); nothing is shared between workers.
    """
    if os.environ.get("TEST_DB") != "postgres":
        yield
        return
    started = _start_debian_pg()
    if started is None:
        pytest.fail(
            "TEST_DB=postgres, but no PostgreSQL binaries under /usr/lib/postgresql: "
            "run `bash scripts/provision-system.sh` as root",
            pytrace=False,
        )
    cfg, stop = started
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"].update(ENGINE="django.db.backends.postgresql", OPTIONS={}, **cfg)
    # Drop an already-built SQLite wrapper, or live_server's thread would still use it.
    connections["default"].close()
    del connections["default"]
    try:
        yield
    finally:
        stop()


#
# Browser
#


@pytest.fixture(scope="session")
def live_server(django_db_setup: None, live_server: Any) -> Any:
    """pytest-django's live server, started only after the test database is set up.

    The live server captures the main thread's connection when it starts (for SQLite); a
    browser test that runs first in a process would otherwise serve from SQLite although
    TEST_DB=postgres switched the database.
    """
    return live_server


CHROMIUM = os.environ.get("LIFELONG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Drive Debian's Chromium: a test tool may not download its own browser here."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"no Chromium at {CHROMIUM}: run `bash scripts/provision-system.sh` as root "
            "(or set LIFELONG_CHROMIUM), or deselect the browser tests with -m 'not browser'",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """Browse as the agency's staff do: Vietnamese first, Vietnam's time zone."""
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


@pytest.fixture
def org(db: None) -> Any:
    """A small administration built through the services."""
    from tests.factories.org import small_org

    return small_org()


@pytest.fixture(autouse=True)
def _vietnamese_by_default() -> Iterator[None]:
    """Start every test in the default language; a test that switches it cannot leak it."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.deactivate()
