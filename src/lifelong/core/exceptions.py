"""Domain errors, mapped to HTTP in one place (`lifelong.core.api.exceptions`, `web.errors`)."""

from typing import Any


class DomainError(Exception):
    """A refusal that the user can understand and act on; never a 500."""

    status = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    """Missing, or not visible to the caller: the two are never told apart (no existence leak)."""

    status = 404


class ValidationFailed(DomainError):
    """Input that breaks a rule; `details` may carry per-field messages."""

    status = 400


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate, a cycle, a stale edit)."""

    status = 409
