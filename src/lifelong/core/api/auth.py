"""Bearer tokens of the REST API: a token acts as its user, with that user's roles.

A token is 256 random bits, shown once when it is created; only its SHA-256 digest is
stored, so checking a token is one indexed lookup and a copy of the database holds no usable
token. A revoked token stops working at once.
"""

import hashlib
import secrets

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from lifelong.core.audit import Action, record_event
from lifelong.core.exceptions import Conflict, NotFound, ValidationFailed
from lifelong.core.models import ApiToken

__all__ = [
    "BearerToken",
    "create_token",
    "digest",
    "find_token",
    "list_tokens",
    "new_token",
    "revoke_token",
    "token_prefix",
]

TOKEN_BYTES = 32  # 256 bits of randomness
PREFIX_LENGTH = 8  # shown in lists so a token can be named without revealing it
# Longer than any token we issue (43 characters): refused before hashing.
MAX_TOKEN_LENGTH = 128
NAME_MAX_LENGTH = 100  # ApiToken.name's max_length
# `last_used_at` is written at most this often, so a busy client does not write on every call.
LAST_USED_RESOLUTION_SECONDS = 60

#
# Pure helpers
#


def new_token() -> str:
    """Return a new random token: 256 bits, URL-safe base64 (43 characters).

    Never starting with "-": its prefix names it on the command line (`api token revoke
    PREFIX`), where a leading dash would read as an option.
    """
    while (token := secrets.token_urlsafe(TOKEN_BYTES)).startswith("-"):
        pass
    return token


def digest(token: str) -> str:
    """Return the SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_prefix(token: str) -> str:
    """Return the first characters of a token, kept in clear to tell tokens apart."""
    return token[:PREFIX_LENGTH]


#
# Writes and reads
#


@transaction.atomic
def create_token(
    *, acting_user: AbstractBaseUser | None, user: AbstractBaseUser, name: str = ""
) -> tuple[ApiToken, str]:
    """Create a token for `user`; return the row and the token itself, which is shown once.

    Refuses an inactive account (its token could never authenticate) and a name longer
    than the column.
    """
    name = name.strip()
    if not user.is_active:
        raise ValidationFailed(
            _("The account {username} is inactive.").format(username=user.get_username())
        )
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationFailed(
            _("A token name has at most {n} characters.").format(n=NAME_MAX_LENGTH)
        )
    token = new_token()
    row = ApiToken.objects.create(
        user_id=user.pk, name=name, digest=digest(token), prefix=token_prefix(token)
    )
    record_event(
        Action.TOKEN_CREATED, actor=acting_user, target=row, data={"user": user.get_username()}
    )
    return row, token


@transaction.atomic
def revoke_token(*, acting_user: AbstractBaseUser | None, token: ApiToken) -> bool:
    """Revoke a token so that it stops working at once; return False if it already was.

    The row is locked, so two revocations racing record one event.
    """
    row = ApiToken.objects.select_for_update().get(pk=token.pk)
    if row.revoked_at is not None:
        token.revoked_at = row.revoked_at
        return False
    row.revoked_at = timezone.now()
    row.save(update_fields=["revoked_at"])
    token.revoked_at = row.revoked_at
    record_event(Action.TOKEN_REVOKED, actor=acting_user, target=row)
    return True


def list_tokens(*, user: AbstractBaseUser | None = None) -> QuerySet[ApiToken]:
    """Return the tokens of `user` (or of everyone), newest first, with their users."""
    tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
    return tokens.filter(user_id=user.pk) if user is not None else tokens


def find_token(prefix_or_id: str) -> ApiToken:
    """Return the token whose prefix or id is `prefix_or_id`.

    Raises NotFound when none matches, and Conflict when the value names two tokens (an
    all-digit prefix that is also another token's id, or two tokens sharing a prefix).
    """
    key = prefix_or_id.strip()
    condition = Q(prefix=key)
    if key.isdigit() and len(key) <= 18:  # an id; longer would overflow a bigint
        condition |= Q(pk=int(key))
    matches = list(ApiToken.objects.select_related("user").filter(condition)[:2])
    if not matches:
        raise NotFound(_("No API token has the prefix or id {key}.").format(key=key))
    if len(matches) > 1:
        raise Conflict(
            _("{key} names more than one API token; use the id from the token list.").format(
                key=key
            )
        )
    return matches[0]


#
# Authentication
#


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`: one indexed lookup by digest."""

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser:
        """Return the token's user, acting with that user's roles.

        A token that is sent but unknown, revoked or of an inactive account answers 401 at
        once: it does not fall back to the browser session, so a client never acts as
        someone other than the token it sent.
        """
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH:
            raise AuthenticationError
        # The lookup compares digests, not tokens: its timing reveals nothing usable.
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active:
            raise AuthenticationError
        now = timezone.now()
        last_used = row.last_used_at
        if last_used is None or (now - last_used).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user
