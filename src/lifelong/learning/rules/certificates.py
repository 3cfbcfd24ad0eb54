"""Certificate rules as pure functions: numbers, expiry and the status a verifier sees.

A number reads `HQ-<year>-<sequence>-<check>`, e.g. `HQ-2026-000123-7K3P`: the year of
issue, a sequence (unique on its own) and a random check part, so that a number cannot be
guessed by counting (issue 4, §6).
"""

import calendar
import datetime
import re
import secrets
from enum import StrEnum

__all__ = [
    "CHECK_ALPHABET",
    "CHECK_LENGTH",
    "EXPIRING_DAYS",
    "Status",
    "add_months",
    "expires_within",
    "expiry_date",
    "format_number",
    "new_check",
    "normalise_number",
    "status",
]

PREFIX = "HQ"
# No 0/O, 1/I/L: a number read aloud or typed from paper is not mistaken.
CHECK_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CHECK_LENGTH = 4
SEQUENCE_DIGITS = 6
# Certificates expiring within this many days are listed for the officer and the unit head.
EXPIRING_DAYS = 90
NUMBER_MAX_LENGTH = 40
_NUMBER = re.compile(r"^HQ-\d{4}-\d{6,}-[" + CHECK_ALPHABET + r"]{4}$")


class Status(StrEnum):
    """What the public verification page says of a certificate."""

    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


def new_check() -> str:
    """Return a fresh random check part (cryptographically random, 31⁴ ≈ 920,000 values)."""
    return "".join(secrets.choice(CHECK_ALPHABET) for _ in range(CHECK_LENGTH))


def format_number(year: int, sequence: int, check: str) -> str:
    """Return the certificate number of `sequence` issued in `year` with its check part."""
    if sequence < 1:
        raise ValueError("the sequence starts at 1")
    if len(check) != CHECK_LENGTH or any(c not in CHECK_ALPHABET for c in check):
        raise ValueError(f"invalid check part: {check!r}")
    return f"{PREFIX}-{year:04d}-{sequence:0{SEQUENCE_DIGITS}d}-{check}"


def normalise_number(text: str) -> str | None:
    """Return a typed or scanned number in its stored form, or None if it cannot be one.

    Case and surrounding spaces are ignored; anything that is not shaped like a number is
    refused before the database is asked.
    """
    candidate = "".join(text.split()).upper()
    if len(candidate) > NUMBER_MAX_LENGTH or not _NUMBER.match(candidate):
        return None
    return candidate


def add_months(start: datetime.date, months: int) -> datetime.date:
    """Return `start` plus `months` calendar months (31/01 + 1 month is 28/02 or 29/02)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def expiry_date(issued_on: datetime.date, months: int | None) -> datetime.date | None:
    """Return the expiry of a certificate valid for `months` (None or 0: it does not expire)."""
    return add_months(issued_on, months) if months else None


def status(*, expires_on: datetime.date | None, revoked: bool, today: datetime.date) -> Status:
    """Return whether a certificate is valid, expired or revoked on `today`.

    Revocation wins over expiry; a certificate is still valid on its expiry date.
    """
    if revoked:
        return Status.REVOKED
    if expires_on is not None and expires_on < today:
        return Status.EXPIRED
    return Status.VALID


def expires_within(
    expires_on: datetime.date | None, today: datetime.date, days: int = EXPIRING_DAYS
) -> bool:
    """Return whether a certificate that is still valid expires within `days` of `today`."""
    return expires_on is not None and today <= expires_on <= today + datetime.timedelta(days=days)
