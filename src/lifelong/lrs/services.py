"""Writes of the store that are not statements: LRS clients.

Also the few reads the client pages and the CLI need (`list_clients`, `find_client`), kept
beside the writes because nothing outside the store reads clients.
"""

import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lifelong.core.api.auth import new_token
from lifelong.core.audit import record_event
from lifelong.core.exceptions import Conflict, NotFound, ValidationFailed
from lifelong.lrs.http import secret_digest
from lifelong.lrs.models import Client, Scope

__all__ = ["create_client", "find_client", "list_clients", "parse_scopes", "revoke_client"]

NAME_MAX_LENGTH = Client._meta.get_field("name").max_length or 100


def parse_scopes(raw: str | Iterable[str]) -> list[str]:
    """Split scope names given space- or comma-separated (or as a list); keep their order.

    Duplicates are dropped. Unknown names are not checked here: `create_client` refuses them.
    """
    parts = re.split(r"[\s,]+", raw) if isinstance(raw, str) else list(raw)
    seen: dict[str, None] = {}
    for part in parts:
        for name in re.split(r"[\s,]+", part.strip()):
            if name:
                seen.setdefault(name, None)
    return list(seen)


@transaction.atomic
def create_client(
    *, acting_user: AbstractBaseUser | None, name: str, scopes: list[str]
) -> tuple[Client, str]:
    """Create an LRS client; return it and its secret, which is shown only this once.

    The key is public (it names the client); the secret is a random 256-bit value kept as a
    SHA-256 digest. The client's authority is an Agent whose account is the client's key on
    this site.
    """
    name = name.strip()
    unknown = sorted(set(scopes) - set(Scope.values))
    if not name:
        raise ValidationFailed(_("A client needs a name."))
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationFailed(
            _("A client's name has at most {n} characters.").format(n=NAME_MAX_LENGTH)
        )
    if unknown:
        raise ValidationFailed(
            _("Unknown scopes: {scopes}. Known: {known}.").format(
                scopes=", ".join(unknown), known=", ".join(Scope.values)
            )
        )
    if not scopes:
        raise ValidationFailed(_("A client needs at least one scope."))
    if Client.objects.filter(name=name).exists():
        raise Conflict(_("A client named {name} exists already.").format(name=name))
    key = secrets.token_hex(16)
    # 256 random bits, never starting with "-" (a secret is passed on command lines).
    secret = new_token()
    authority: dict[str, Any] = {
        "objectType": "Agent",
        "name": name,
        "account": {"homePage": settings.SITE_URL, "name": f"lrs-client:{key}"},
    }
    client = Client.objects.create(
        name=name,
        key=key,
        secret_digest=secret_digest(secret),
        scopes=sorted(set(scopes)),
        authority=authority,
    )
    record_event(
        "lrs_client.created",
        actor=acting_user,
        target=client,
        after={"name": name, "scopes": client.scopes},
    )
    return client, secret


@transaction.atomic
def revoke_client(*, acting_user: AbstractBaseUser | None, client: Client) -> Client:
    """Revoke a client: its key stops working at once; its statements stay."""
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        record_event("lrs_client.revoked", actor=acting_user, target=client)
    return client


def list_clients(*, include_revoked: bool = True) -> QuerySet[Client]:
    """Return the LRS clients, active ones first, then by name."""
    clients = Client.objects.all()
    if not include_revoked:
        clients = clients.filter(revoked_at__isnull=True)
    # Active first: NULL revoked_at sorts differently on SQLite and PostgreSQL, so say it.
    return clients.order_by(F("revoked_at").asc(nulls_first=True), "name")


def find_client(key_or_name: str) -> Client:
    """Return the client whose key, or else whose name, is `key_or_name`; NotFound if none."""
    value = key_or_name.strip()
    client = Client.objects.filter(key=value).first() or Client.objects.filter(name=value).first()
    if client is None:
        raise NotFound(_("No LRS client has the key or name {value}.").format(value=value))
    return client
