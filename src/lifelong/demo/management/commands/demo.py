"""`lifelong demo`: build the synthetic customs administration once, print the accounts, serve.

The first start migrates and builds the demo (about 10 s for 10,000 officers on SQLite); later
starts find the `DemoBuild` row and are up in seconds. `--rebuild` on SQLite deletes the
database file and builds again. On PostgreSQL it empties every table (Django's `flush`) and
builds again, but only when the database holds a demo build or no organisation at all: a
database with real data is never touched.
"""

import json
import sys
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from lifelong.core.management.commands.serve import (
    DEFAULT_HOST,
    add_server_arguments,
    collect_static,
    run_server,
)
from lifelong.demo import builder, learning_builder


def _sqlite_file() -> Path | None:
    """Return the SQLite database file, or None for PostgreSQL or an in-memory database."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return Path(name)


class Command(BaseCommand):
    """Run the demo on a realistic synthetic organisation."""

    help = gettext_lazy(  # type: ignore[assignment]  # lazy: translated when --help runs
        "Build the demo organisation (once), print the demo accounts and serve the app on "
        "http://127.0.0.1:PORT/."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        """Build the parser with the help translated now: argparse needs a plain string."""
        self.help = str(self.help)  # type: ignore[assignment]  # now a plain string
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        """Add the demo's options and the server's."""
        parser.add_argument(
            "--officers",
            type=int,
            default=None,
            help=_("Officers to generate (default {n}).").format(n=builder.DEFAULT_OFFICERS),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help=_("Random seed: the same seed gives the same organisation (default {s}).").format(
                s=builder.DEFAULT_SEED
            ),
        )
        parser.add_argument(
            "--history",
            choices=learning_builder.HISTORY_MODES,
            default=builder.DEFAULT_HISTORY,
            help=_(
                "Learning history 2024-2026 to generate: standard (about 30 statements an "
                "officer), full (about 100) or none (default {h})."
            ).format(h=builder.DEFAULT_HISTORY),
        )
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help=_("Delete the demo database and build it again."),
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help=_("Prepare the demo and print the accounts, but do not serve."),
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help=_("Print one JSON object (URL and accounts) on stdout and nothing else."),
        )
        add_server_arguments(parser)

    #
    # Steps
    #

    def _say(self, message: str) -> None:
        """Tell a person what is happening (stderr; silent under --json)."""
        if not self.quiet:
            self.stderr.write(message, style_func=lambda text: text)  # news, not an error

    def _rebuild_sqlite(self) -> bool:
        """Delete the SQLite database file (and its journal files); return whether it did."""
        path = _sqlite_file()
        if path is None:
            return False
        connections.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        self._say(_("Deleted {path}.").format(path=path))
        return True

    def _rebuild_in_place(self) -> None:
        """Empty every table of a demo database (PostgreSQL); refuse one with real data."""
        if builder.holds_other_data():
            raise CommandError(
                _(
                    "This database holds an organisation that the demo did not build; "
                    "--rebuild will not empty it. Point DATABASE_URL at a database of its own."
                )
            )
        call_command("flush", interactive=False, verbosity=0, stdout=StringIO())
        self._say(_("Emptied the demo database."))

    def _build(self, *, seed: int, officers: int, history: str) -> None:
        """Build the demo with a progress bar on a terminal."""
        self._say(
            _("Building the demo organisation: {n} officers, seed {seed}…").format(
                n=officers, seed=seed
            )
        )
        # No monitor thread: the build forks a process to prepare statements, and forking a
        # process that runs threads is unsafe (learning_builder._preparing_worker).
        tqdm.monitor_interval = 0
        bar = tqdm(
            total=officers,
            unit=" officers",
            file=sys.stderr,
            disable=self.quiet or not sys.stderr.isatty(),
            leave=False,
        )
        learning_bar = tqdm(
            total=officers if history != "none" else 0,
            unit=" officers",
            desc=_("learning history"),
            file=sys.stderr,
            disable=self.quiet or not sys.stderr.isatty() or history == "none",
            leave=False,
        )
        with bar, learning_bar:
            build = builder.build_demo(
                seed=seed,
                officers=officers,
                history=history,
                progress=bar.update,
                learning_progress=lambda _what, n: learning_bar.update(n),
                relaxed_sqlite=True,
                parallel=True,
            )
        self._say(_("Built in {s:.1f} s.").format(s=build.seconds))

    def _print_accounts(self, url: str, accounts: list[builder.DemoAccount]) -> None:
        """Print the URL and a table of the demo accounts for a person."""
        self.stdout.write(_("Lifelong demo: {url}").format(url=url))
        self.stdout.write(_("Demo accounts (the same on every start):"))
        rows = [
            (
                a.username,
                a.password,
                ", ".join(a.roles),
                f"{a.unit_name} ({a.unit})",
                a.person,
            )
            for a in accounts
        ]
        header = (_("user"), _("password"), _("roles"), _("unit"), _("person"))
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            cells = (str(c).ljust(w) for c, w in zip(row, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())

    #
    # Command
    #

    def handle(self, *args: Any, **options: Any) -> None:
        """Migrate, build the demo if needed, print the accounts, then serve."""
        self.quiet = bool(options["json"])
        officers = options["officers"] or builder.DEFAULT_OFFICERS
        seed = builder.DEFAULT_SEED if options["seed"] is None else options["seed"]
        if officers < builder.MIN_OFFICERS:
            raise CommandError(_("--officers must be at least {n}.").format(n=builder.MIN_OFFICERS))
        deleted = options["rebuild"] and self._rebuild_sqlite()
        self._say(_("Preparing the database…"))
        call_command("migrate", interactive=False, verbosity=0, stdout=StringIO(), skip_checks=True)
        if options["rebuild"] and not deleted:
            self._rebuild_in_place()
        build = builder.current_build()
        if build is None:
            if builder.holds_other_data():
                raise CommandError(
                    _(
                        "This database already holds an organisation that is not the demo. "
                        "Run the demo with its own data directory (LIFELONG_DATA_DIR) or "
                        "database (DATABASE_URL)."
                    )
                )
            self._build(seed=seed, officers=officers, history=options["history"])
        elif (options["seed"], options["officers"]) != (None, None) and (
            build.seed,
            build.officers,
        ) != (seed, officers):
            self._say(
                _(
                    "This database holds the demo built with seed {seed} and {n} officers; "
                    "add --rebuild to build it again with the options given."
                ).format(seed=build.seed, n=build.officers)
            )
        url = f"http://{DEFAULT_HOST}:{options['port']}/"
        accounts = builder.demo_accounts()
        if options["json"]:
            payload = {
                "url": url,
                "accounts": [
                    {
                        "username": a.username,
                        "password": a.password,
                        "roles": a.roles,
                        "unit": a.unit,
                    }
                    for a in accounts
                ],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        else:
            self._print_accounts(url, accounts)
        self.stdout.flush()
        if options["no_serve"]:
            return
        collect_static()
        self._say(_("Serving on {url} (Ctrl+C to stop).").format(url=url))
        run_server(
            host=DEFAULT_HOST,
            port=options["port"],
            workers=options["workers"],
            threads=options["threads"],
            with_worker=not options["no_worker"],
        )
