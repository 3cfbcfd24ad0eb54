"""`lifelong api token create|list|revoke`: manage the REST API's bearer tokens.

A token is printed once, when it is created; afterwards only its prefix is known. With
`--json` each verb prints one JSON document for scripts. A failure (unknown account,
unknown or ambiguous token) exits non-zero with a message.
"""

import datetime
import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lifelong.core.api.auth import create_token, find_token, list_tokens, revoke_token
from lifelong.core.exceptions import DomainError
from lifelong.core.models import ApiToken

Handler = Callable[[dict[str, Any]], None]


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _local(value: datetime.datetime | None) -> str:
    # Shown in the business time zone (Asia/Ho_Chi_Minh); JSON keeps UTC ISO 8601.
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value is not None else "-"


def _token_json(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "prefix": token.prefix,
        "username": token.user.get_username(),
        "name": token.name,
        "created_at": _iso(token.created_at),
        "last_used_at": _iso(token.last_used_at),
        "revoked_at": _iso(token.revoked_at),
        "active": token.revoked_at is None,
    }


class Command(BaseCommand):
    """Manage the REST API's bearer tokens."""

    help = "Manage the REST API: `api token create USERNAME`, `api token list`, `api token revoke`."

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare `api token create|list|revoke` as nested subcommands."""
        resources = parser.add_subparsers(dest="resource", required=True, metavar="RESOURCE")
        token = resources.add_parser("token", help="Bearer tokens that act as a user.")
        verbs = token.add_subparsers(dest="verb", required=True, metavar="VERB")

        create = verbs.add_parser(
            "create", help="Create a token for an account and print it (shown only once)."
        )
        create.add_argument("username", help="The account the token acts as.")
        create.add_argument("--name", default="", help="What the token is for (at most 100).")
        create.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")
        create.set_defaults(handler=self.token_create)

        listing = verbs.add_parser("list", help="List tokens (never the tokens themselves).")
        listing.add_argument("username", nargs="?", help="Only this account's tokens.")
        listing.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")
        listing.set_defaults(handler=self.token_list)

        revoke = verbs.add_parser("revoke", help="Revoke a token; it stops working at once.")
        revoke.add_argument("key", metavar="PREFIX_OR_ID", help="The token's prefix or id.")
        revoke.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")
        revoke.set_defaults(handler=self.token_revoke)

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

    def token_create(self, options: dict[str, Any]) -> None:
        """Create a token for the account and print it."""
        user = self._account(options["username"])
        row, token = create_token(acting_user=None, user=user, name=options["name"])
        if options["as_json"]:
            self._json({"token": token, **_token_json(row)})
            return
        self.stdout.write(token)
        self.stderr.write(
            _(
                "Token {prefix}… (id {id}) created for {username}. Copy it now: it is not "
                "stored and will not be shown again."
            ).format(prefix=row.prefix, id=row.pk, username=user.get_username())
        )

    def token_list(self, options: dict[str, Any]) -> None:
        """Print the tokens, newest first."""
        user = self._account(options["username"]) if options["username"] else None
        tokens = list(list_tokens(user=user))
        if options["as_json"]:
            self._json({"items": [_token_json(t) for t in tokens], "count": len(tokens)})
            return
        if not tokens:
            self.stdout.write(_("No API tokens."))
            return
        header = (
            _("id"),
            _("prefix"),
            _("user"),
            _("name"),
            _("created"),
            _("last used"),
            _("state"),
        )
        rows = [header] + [self._row(t) for t in tokens]
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        for r in rows:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))

    def token_revoke(self, options: dict[str, Any]) -> None:
        """Revoke the token named by its prefix or id."""
        token = find_token(options["key"])
        revoked = revoke_token(acting_user=None, token=token)
        if options["as_json"]:
            self._json({**_token_json(token), "changed": revoked})
            return
        message = (
            _("Token {prefix}… (id {id}) of {username} is revoked.")
            if revoked
            else _("Token {prefix}… (id {id}) of {username} was already revoked.")
        )
        self.stdout.write(
            message.format(prefix=token.prefix, id=token.pk, username=token.user.get_username())
        )

    #
    # Helpers
    #

    def _account(self, username: str) -> AbstractBaseUser:
        user_model = get_user_model()
        try:
            return user_model.objects.get(**{user_model.USERNAME_FIELD: username})
        except user_model.DoesNotExist:
            raise CommandError(
                _("No account has the username {username}.").format(username=username)
            ) from None

    def _json(self, data: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False))

    @staticmethod
    def _row(token: ApiToken) -> tuple[str, ...]:
        state = (
            pgettext("API token state", "active")
            if token.revoked_at is None
            else pgettext("API token state", "revoked")
        )
        return (
            str(token.pk),
            f"{token.prefix}…",
            token.user.get_username(),
            token.name or "-",
            _local(token.created_at),
            _local(token.last_used_at),
            state,
        )
