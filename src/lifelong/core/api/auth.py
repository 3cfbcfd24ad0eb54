"""Bearer-token authentication for the REST API: a token acts as its user, with their roles."""

import hashlib
import secrets
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from lifelong.core.audit import Action, record_event
from lifelong.core.models import ApiToken

__all__ = ["BearerToken", "create_token", "digest", "revoke_token"]


def digest(token: str) -> str:
    """Return the SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def create_token(
    *, acting_user: AbstractBaseUser | None, user: AbstractBaseUser, name: str = ""
) -> tuple[ApiToken, str]:
    """Create a random 256-bit token for `user`; return the row and the token, shown once."""
    token = secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, name=name, digest=digest(token), prefix=token[:8])
    record_event(Action.TOKEN_CREATED, actor=acting_user, target=row, data={"user": user.get_username()})
    return row, token


@transaction.atomic
def revoke_token(*, acting_user: AbstractBaseUser | None, token: ApiToken) -> None:
    """Revoke a token; it stops working at once."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(Action.TOKEN_REVOKED, actor=acting_user, target=token)


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`: one indexed lookup by digest."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """Return the token's active user, or None (401) for an unknown or revoked token."""
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            # Written at most once a minute, so a busy client does not write on every call.
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user
