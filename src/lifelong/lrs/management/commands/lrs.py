"""`lifelong lrs client create|list|revoke`, `lifelong lrs hooks run`: manage the xAPI store.

Each e-learning system gets its own key and secret (HTTP Basic). The secret is printed once,
when the client is created; only its SHA-256 digest is kept. With `--json` each verb prints
one JSON document for scripts. A refusal (unknown scope, duplicate name, unknown client)
exits non-zero with a message.
"""

import datetime
import json
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lifelong.core.exceptions import DomainError
from lifelong.lrs import hooks
from lifelong.lrs.models import Client, Scope
from lifelong.lrs.services import (
    create_client,
    find_client,
    list_clients,
    parse_scopes,
    revoke_client,
)

Handler = Callable[[dict[str, Any]], None]


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _local(value: datetime.datetime | None) -> str:
    # Shown in the business time zone (Asia/Ho_Chi_Minh); JSON keeps UTC ISO 8601.
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value is not None else "-"


def client_json(client: Client) -> dict[str, Any]:
    """Return what may be shown of a client (never its secret) as JSON-ready data."""
    return {
        "name": client.name,
        "key": client.key,
        "scopes": list(client.scopes),
        "authority": client.authority,
        "created_at": _iso(client.created_at),
        "revoked_at": _iso(client.revoked_at),
        "active": client.revoked_at is None,
    }


class Command(BaseCommand):
    """Manage the xAPI store (LRS): its clients."""

    help = (
        "Manage the xAPI store: `lrs client create NAME --scopes ...`, `lrs client list`, "
        "`lrs client revoke KEY_OR_NAME`, `lrs hooks run [--json]`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare `lrs client create|list|revoke` as nested subcommands."""
        resources = parser.add_subparsers(dest="resource", required=True, metavar="RESOURCE")
        client = resources.add_parser(
            "client", help="E-learning systems allowed to use /xapi/ (HTTP Basic key/secret)."
        )
        verbs = client.add_subparsers(dest="verb", required=True, metavar="VERB")

        create = verbs.add_parser(
            "create", help="Create a client and print its key and secret (shown only once)."
        )
        create.add_argument("name", help="A unique name, e.g. the e-learning system's name.")
        create.add_argument(
            "--scopes",
            nargs="+",
            required=True,
            metavar="SCOPE",
            help="xAPI 1.0.3 scopes, space- or comma-separated: {known}.".format(
                known=", ".join(Scope.values)
            ),
        )
        create.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")
        create.set_defaults(handler=self.client_create)

        listing = verbs.add_parser("list", help="List clients (never their secrets).")
        listing.add_argument(
            "--active", action="store_true", help="Only clients that are not revoked."
        )
        listing.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")
        listing.set_defaults(handler=self.client_list)

        revoke = verbs.add_parser("revoke", help="Revoke a client; its key stops working at once.")
        revoke.add_argument("key_or_name", metavar="KEY_OR_NAME", help="The client's key or name.")
        revoke.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")
        revoke.set_defaults(handler=self.client_revoke)

        hooks_parser = resources.add_parser(
            "hooks", help="The statements_stored hook's consumers and their cursors."
        )
        hook_verbs = hooks_parser.add_subparsers(dest="verb", required=True, metavar="VERB")
        run = hook_verbs.add_parser(
            "run",
            help="Deliver to every consumer the statements after its cursor (catch-up after a "
            "failure or crash); print each consumer's position.",
        )
        run.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")
        run.set_defaults(handler=self.hooks_run)

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the chosen verb; a refused action becomes a non-zero exit with its message."""
        handler: Handler = options["handler"]
        try:
            handler(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    #
    # Verbs
    #

    def client_create(self, options: dict[str, Any]) -> None:
        """Create a client and print its key and secret."""
        client, secret = create_client(
            acting_user=None, name=options["name"], scopes=parse_scopes(options["scopes"])
        )
        if options["as_json"]:
            self._json({"key": client.key, "secret": secret, **client_json(client)})
            return
        self.stdout.write(_("key:    {key}").format(key=client.key))
        self.stdout.write(_("secret: {secret}").format(secret=secret))
        self.stderr.write(
            _(
                "Client {name} created with scopes {scopes}. Copy the secret now: it is not "
                "stored and will not be shown again."
            ).format(name=client.name, scopes=" ".join(client.scopes))
        )

    def client_list(self, options: dict[str, Any]) -> None:
        """Print the clients, active ones first."""
        clients = list(list_clients(include_revoked=not options["active"]))
        if options["as_json"]:
            self._json({"items": [client_json(c) for c in clients], "count": len(clients)})
            return
        if not clients:
            self.stdout.write(_("No LRS clients."))
            return
        header = (_("name"), _("key"), _("scopes"), _("created"), _("state"))
        rows = [header] + [self._row(c) for c in clients]
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        for r in rows:
            self.stdout.write(
                "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
            )

    def client_revoke(self, options: dict[str, Any]) -> None:
        """Revoke the client named by its key or name."""
        client = find_client(options["key_or_name"])
        was_active = client.revoked_at is None
        revoke_client(acting_user=None, client=client)
        if options["as_json"]:
            self._json({**client_json(client), "changed": was_active})
            return
        message = (
            _("Client {name} ({key}) is revoked.")
            if was_active
            else _("Client {name} ({key}) was already revoked.")
        )
        self.stdout.write(message.format(name=client.name, key=client.key))

    def hooks_run(self, options: dict[str, Any]) -> None:
        """Run every consumer from its cursor; print what each received and its position.

        Exits non-zero when a consumer failed (it stays behind its cursor; see the log).
        """
        delivered = hooks.run_consumers()
        positions = hooks.positions()
        items = [
            {
                "consumer": name,
                "delivered": max(count, 0),
                "position": positions.get(name, 0),
                "ok": count >= 0,
            }
            for name, count in delivered.items()
        ]
        if options["as_json"]:
            self._json({"items": items, "count": len(items)})
        elif not items:
            self.stdout.write(_("No statements_stored consumer is registered."))
        else:
            for item in items:
                line = _("{consumer}: delivered {delivered}, position {position}").format(**item)
                self.stdout.write(line if item["ok"] else f"{line} ({_('failed')})")
        failed = [name for name, count in delivered.items() if count < 0]
        if failed:
            raise CommandError(
                _("Consumer(s) failed: {names}; they will be retried.").format(
                    names=", ".join(failed)
                )
            )

    #
    # Helpers
    #

    def _json(self, data: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False))

    @staticmethod
    def _row(client: Client) -> tuple[str, ...]:
        state = (
            pgettext("LRS client state", "active")
            if client.revoked_at is None
            else pgettext("LRS client state", "revoked")
        )
        return (
            client.name,
            client.key,
            ",".join(client.scopes),
            _local(client.created_at),
            state,
        )
