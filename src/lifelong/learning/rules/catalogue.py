"""Decisions about the catalogue (issue 4, §1): pure functions, no database.

- A course's length is given in periods (tiết), in clock hours, or both; when one is
  missing it is derived from the other (1 tiết = 45 minutes by default, a setting).
- The e-learning activity IRIs that stand for a course are given one per line.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from lifelong.learning.rules.ledger import hours_to_periods, periods_to_hours

__all__ = ["CourseLength", "course_length", "parse_iris"]

MAX_IRI_LENGTH = 2048


@dataclass(frozen=True)
class CourseLength:
    """A course's length in periods and clock hours, or the reason it cannot be had."""

    periods: Decimal | None
    hours: Decimal | None
    problem: str = ""  # "missing", "negative"


def course_length(
    periods: Decimal | None, hours: Decimal | None, *, minutes_per_period: int = 45
) -> CourseLength:
    """Return both lengths, deriving the missing one from the other.

    Both given are kept as given (a course may round its periods); neither given, or a
    negative one, is a problem the form reports.
    """
    if periods is None and hours is None:
        return CourseLength(None, None, problem="missing")
    if (periods is not None and periods < 0) or (hours is not None and hours < 0):
        return CourseLength(periods, hours, problem="negative")
    if hours is None:
        assert periods is not None
        hours = periods_to_hours(periods, minutes_per_period)
    if periods is None:
        periods = hours_to_periods(hours, minutes_per_period)
    return CourseLength(periods, hours)


def parse_iris(text: str | Iterable[str]) -> tuple[list[str], list[str]]:
    """Split activity IRIs given one per line; return (valid IRIs in order, invalid lines).

    Blank lines and repeats are dropped. An IRI needs a scheme and a host (xAPI Data 4.1.4.1
    asks for an IRL, resolvable where possible) and at most 2048 characters.
    """
    lines = text.splitlines() if isinstance(text, str) else list(text)
    valid: list[str] = []
    invalid: list[str] = []
    for raw in lines:
        iri = raw.strip()
        if not iri or iri in valid:
            continue
        parts = urlsplit(iri)
        if (
            parts.scheme not in {"http", "https"}
            or not parts.netloc
            or len(iri) > MAX_IRI_LENGTH
            or any(ch.isspace() for ch in iri)
        ):
            invalid.append(iri)
        else:
            valid.append(iri)
    return valid, invalid
