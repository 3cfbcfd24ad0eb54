"""The audit log: record every write and every sensitive read, with who, when and from where.

Services call `record_event` inside their transaction, so an event exists exactly when the
change it describes was committed. The request's address comes from `RequestContextMiddleware`
through a context variable, so services need not carry the request around.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from lifelong.core.models import AuditEvent

__all__ = ["Action", "RequestInfo", "record_event", "request_info", "using_request_info"]


class Action(models.TextChoices):
    """Audit actions, named `<noun>.<past verb>`; later apps add their own strings freely."""

    LOGGED_IN = "auth.logged_in", "logged in"
    LOGIN_FAILED = "auth.login_failed", "login failed"
    LOGGED_OUT = "auth.logged_out", "logged out"
    ACCESS_DENIED = "access.denied", "access denied"
    UNIT_CREATED = "unit.created", "unit created"
    UNIT_UPDATED = "unit.updated", "unit updated"
    UNIT_SUCCEEDED = "unit.succeeded", "unit merged or split"
    PERSON_CREATED = "person.created", "person created"
    PERSON_UPDATED = "person.updated", "person updated"
    PERSON_VIEWED = "person.viewed", "person viewed"
    PERSON_MOVED = "person.moved", "person moved"
    SENSITIVE_READ = "sensitive.read", "sensitive data read"
    SENSITIVE_WRITTEN = "sensitive.written", "sensitive data written"
    ROLE_GRANTED = "role.granted", "role granted"
    ROLE_REVOKED = "role.revoked", "role revoked"
    TOKEN_CREATED = "token.created", "API token created"
    TOKEN_REVOKED = "token.revoked", "API token revoked"
    IMPORT_APPLIED = "import.applied", "import applied"
    FILE_STORED = "file.stored", "file stored"
    FILE_READ = "file.read", "file downloaded"
    POSITION_CREATED = "position.created", "job position created"


@dataclass(frozen=True)
class RequestInfo:
    """Where an action came from."""

    ip: str | None = None
    user_agent: str = ""
    path: str = ""
    channel: str = "web"


_CLI = RequestInfo(channel="cli")
_current: ContextVar[RequestInfo | None] = ContextVar("lifelong_request", default=None)


def request_info() -> RequestInfo:
    """Return what is known of the current request (a CLI run has no address)."""
    return _current.get() or _CLI


@contextmanager
def using_request_info(info: RequestInfo) -> Iterator[None]:
    """Attach `info` to every event recorded inside the block."""
    token = _current.set(info)
    try:
        yield
    finally:
        _current.reset(token)


def _jsonable(value: Any) -> Any:
    # Dates, decimals and UUIDs become strings; the log keeps what the screen showed.
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def record_event(
    action: str,
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    target_label: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log and return it.

    `target` fills the type, id and label unless they are given explicitly (a refused access
    names the requested id even though nothing was found).
    """
    info = request_info()
    user = actor if isinstance(actor, User) else None
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
        target_label = target_label or str(target)
    event = AuditEvent(
        actor=user,
        actor_name=user.get_username() if user is not None else "",
        action=action,
        target_type=target_type,
        target_id=str(target_id)[:64],
        target_label=target_label[:255],
        ip=info.ip,
        user_agent=info.user_agent[:255],
        path=info.path[:512],
        before=_jsonable(before),
        after=_jsonable(after),
        data={"channel": info.channel, **(_jsonable(data) or {})},
    )
    event.save()
    return event
