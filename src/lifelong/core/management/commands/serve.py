"""`lifelong serve`: migrate, collect static files, then serve the app with gunicorn.

Gunicorn is embedded (`gunicorn.app.base.BaseApplication`) with threaded workers; WhiteNoise
serves the collected static files. Unless `--no-worker`, the background task worker
(`lifelong worker`: django_tasks_db's `db_worker` plus the periodic tasks) runs beside it as a
child process and is stopped with the server. `lifelong demo` serves through `run_server` below.
"""

import hashlib
import os
import subprocess
import sys
from argparse import ArgumentParser
from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from gunicorn.app.base import BaseApplication

__all__ = ["Command", "add_server_arguments", "collect_static", "run_server"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4
# Where `collect_static` remembers what it collected, so a restart skips the work.
STAMP_NAME = ".lifelong-static-stamp"
WORKER_STOP_SECONDS = 10


class _Gunicorn(BaseApplication):  # gunicorn ships no type hints: a subclass of Any
    """Gunicorn serving the already-configured Django application."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from lifelong.wsgi import application  # loaded once settings are set

        return application


def add_server_arguments(parser: ArgumentParser, *, port: int = DEFAULT_PORT) -> None:
    """Add the options shared by `serve` and `demo`: port, workers, threads, no worker."""
    parser.add_argument(
        "--port", type=int, default=port, help=_("TCP port to listen on (default %(default)s).")
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=DEFAULT_WORKERS,
        help=_("Web worker processes (default %(default)s)."),
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=DEFAULT_THREADS,
        help=_("Threads per web worker (default %(default)s)."),
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help=_("Do not run the background task worker beside the server."),
    )


def _static_fingerprint() -> str:
    """Return a digest of every static source file's path, size and modification time."""
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static() -> bool:
    """Collect static files into STATIC_ROOT unless nothing changed; return whether it ran.

    Compressing and fingerprinting every file takes seconds, so a restart with the same files
    (the demo's second start) reuses what is there.
    """
    root = Path(settings.STATIC_ROOT)
    stamp = root / STAMP_NAME
    fingerprint = _static_fingerprint()
    manifest = root / "staticfiles.json"
    if manifest.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0, stdout=StringIO())
    stamp.write_text(fingerprint)
    return True


def _start_worker() -> subprocess.Popen[bytes]:
    """Start `lifelong worker` as a child process with the same environment and settings."""
    # Its output goes to stderr, so `--json` keeps stdout clean.
    return subprocess.Popen(
        [sys.executable, "-m", "lifelong", "worker"], env=dict(os.environ), stdout=sys.stderr
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the worker: a polite SIGTERM, then SIGKILL if it does not exit in time."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_server(
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    workers: int = DEFAULT_WORKERS,
    threads: int = DEFAULT_THREADS,
    with_worker: bool = True,
) -> None:
    """Serve the app with gunicorn until stopped; run the task worker beside it if asked.

    Static files must already be collected. Returns when the server stops (Ctrl+C, SIGTERM),
    after stopping the worker.
    """
    # The workers are forked from this process: no database connection may cross the fork.
    connections.close_all()
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        # Each worker listens on a socket of its own (SO_REUSEPORT) and the kernel spreads
        # new connections over them. On one shared socket the first worker to wake took
        # most of them: an LMS's few keep-alive connections all landed on one process,
        # whose GIL then bounded the store's ingest (docs/xapi-operations.md).
        "reuse_port": True,
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "lifelong",
    }
    worker = _start_worker() if with_worker else None
    try:
        _Gunicorn(options).run()
    except SystemExit as exc:
        # Gunicorn's arbiter leaves with sys.exit(); a clean stop is not an error here.
        if exc.code not in (None, 0):
            raise
    finally:
        if worker is not None:
            _stop(worker)


class Command(BaseCommand):
    """Serve Lifelong for production or a single office."""

    help = gettext_lazy(  # type: ignore[assignment]  # lazy: translated when --help runs
        "Migrate the database, collect static files and serve the app with gunicorn "
        "(plus the background task worker)."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        """Build the parser with the help translated now: argparse needs a plain string."""
        self.help = str(self.help)  # type: ignore[assignment]  # now a plain string
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        """Add the host and the options shared with `lifelong demo`."""
        parser.add_argument(
            "--host",
            default=DEFAULT_HOST,
            help=_("Address to listen on (default %(default)s)."),
        )
        add_server_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        """Prepare the database and static files, then serve until stopped."""
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError(_("--workers and --threads must be at least 1."))
        call_command("migrate", interactive=False, verbosity=0, stdout=StringIO())
        collect_static()
        host = options["host"]
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(
            _("Serving Lifelong on http://{host}:{port}/ (Ctrl+C to stop).").format(
                host=shown, port=options["port"]
            )
        )
        self.stdout.flush()
        run_server(
            host=host,
            port=options["port"],
            workers=options["workers"],
            threads=options["threads"],
            with_worker=not options["no_worker"],
        )
