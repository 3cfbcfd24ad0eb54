"""The hours ledger's rules (issue 4, §5 and §7): pure functions, no database.

- The ADL verbs completed, passed and attended count; nothing else does.
- A statement's hours are its `result.duration`, else the hours of the course its activity
  maps to, else none (listed as "no hours").
- Its year is the `timestamp` year in Asia/Ho_Chi_Minh.
- Hours count once per officer, activity and registration: the largest claim wins, so
  completed + passed of one course is not counted twice; a voided statement no longer counts.
- The annual target is an organisation's policy (no statutory minimum since Decree 89/2021,
  domain-vn.md §3): by default 40 periods = 30 clock hours, per job-position group.
"""

import calendar
import datetime
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

__all__ = [
    "BUSINESS_ZONE",
    "COUNTED_VERBS",
    "DEFAULT_TARGET_HOURS",
    "MAX_CLAIM_HOURS",
    "Claim",
    "Compliance",
    "LedgerTotals",
    "RecordFacts",
    "TargetRow",
    "best_claim",
    "business_year",
    "claim_key",
    "compliance",
    "counted_verb",
    "duration_hours",
    "hours_to_periods",
    "periods_to_hours",
    "reference_date",
    "target_for",
    "totals",
]

BUSINESS_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
ADL = "http://adlnet.gov/expapi/verbs/"
COUNTED_VERBS: Mapping[str, str] = {
    f"{ADL}completed": "completed",
    f"{ADL}passed": "passed",
    f"{ADL}attended": "attended",
}
HUNDREDTH = Decimal("0.01")

# ISO 8601 durations as xAPI uses them (Data 4.6): PnYnMnDTnHnMnS or PnW; seconds may carry
# a fraction. Years and months have no fixed length, so a duration that uses them has no
# clock hours (None) rather than a guessed number.
_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+(?:[.,]\d+)?)W|"
    r"(?:(?P<years>\d+(?:[.,]\d+)?)Y)?(?:(?P<months>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<days>\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:[.,]\d+)?)H)?(?:(?P<minutes>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?)$"
)
_SECONDS = {"weeks": 7 * 86400, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}
# A single statement claiming more than a leap year of clock time is implausible, and its
# hours would not fit the ledger's columns (7 digits): it counts as "no hours" instead.
MAX_CLAIM_HOURS = Decimal(366 * 24)


def counted_verb(verb_iri: str) -> str | None:
    """Return `completed`, `passed` or `attended` for a counted ADL verb, else None."""
    return COUNTED_VERBS.get(verb_iri)


def duration_hours(duration: str | None) -> Decimal | None:
    """Return an ISO 8601 duration in clock hours (2 decimals), or None when it has none.

    None for a missing or malformed duration, for one in years or months (no fixed
    length) and for one longer than `MAX_CLAIM_HOURS` (implausible); a zero duration is
    0 hours, which is a claim of no time, not "no hours".
    """
    if not duration:
        return None
    match = _DURATION.match(duration)
    if not match or duration in {"P", "PT"} or duration.endswith("T"):
        return None
    parts = {k: v for k, v in match.groupdict().items() if v is not None}
    if not parts or "years" in parts or "months" in parts:
        return None
    seconds = sum(
        (Decimal(v.replace(",", ".")) * _SECONDS[k] for k, v in parts.items()), Decimal(0)
    )
    hours = (seconds / 3600).quantize(HUNDREDTH, ROUND_HALF_UP)
    return hours if hours <= MAX_CLAIM_HOURS else None


def periods_to_hours(periods: Decimal, minutes_per_period: int = 45) -> Decimal:
    """Convert periods (tiết) to clock hours: 40 periods of 45 minutes = 30 hours."""
    return (periods * minutes_per_period / 60).quantize(HUNDREDTH, ROUND_HALF_UP)


def hours_to_periods(hours: Decimal, minutes_per_period: int = 45) -> Decimal:
    """Convert clock hours to periods (tiết)."""
    return (hours * 60 / minutes_per_period).quantize(HUNDREDTH, ROUND_HALF_UP)


def business_year(moment: datetime.datetime) -> int:
    """Return the year a learning activity counts for: its time's year in Asia/Ho_Chi_Minh."""
    if moment.tzinfo is None:
        raise ValueError("a statement's timestamp is always aware")
    return moment.astimezone(BUSINESS_ZONE).year


def claim_key(activity_iri: str, registration: str | None) -> str:
    """Return the key under which hours count once per officer: activity and registration."""
    return hashlib.sha256(f"{activity_iri}\n{registration or ''}".encode()).hexdigest()


@dataclass(frozen=True)
class RecordFacts:
    """What the ledger needs of one learning record."""

    seq: int
    hours: Decimal | None
    year: int
    voided: bool = False


def best_claim(records: Iterable[RecordFacts]) -> RecordFacts | None:
    """Return the record whose claim counts for one officer, activity and registration.

    Voided records never count. The largest number of hours wins; a record with hours beats
    one without; among equals the earliest stored (lowest seq) wins, so a re-delivery or a
    later equal claim changes nothing.
    """
    live = [r for r in records if not r.voided]
    if not live:
        return None
    return min(live, key=lambda r: (r.hours is None, -(r.hours or 0), r.seq))


@dataclass(frozen=True)
class Claim:
    """Hours that count, with the training category and movement contents they count for."""

    hours: Decimal | None
    category: str
    contents: tuple[str, ...] = ()


@dataclass
class LedgerTotals:
    """One officer's year: total hours, hours by category and by content, records without hours."""

    hours_total: Decimal = Decimal(0)
    by_category: dict[str, Decimal] = field(default_factory=dict)
    by_content: dict[str, Decimal] = field(default_factory=dict)
    no_hours: int = 0


def totals(claims: Iterable[Claim]) -> LedgerTotals:
    """Sum claims into a year's totals.

    A claim counts once in the total and once in its category; it counts in full for each
    movement content it serves, so contents may add up to more than the total.
    """
    result = LedgerTotals()
    for claim in claims:
        if claim.hours is None:
            result.no_hours += 1
            continue
        result.hours_total += claim.hours
        result.by_category[claim.category] = (
            result.by_category.get(claim.category, Decimal(0)) + claim.hours
        )
        for content in claim.contents:
            result.by_content[content] = result.by_content.get(content, Decimal(0)) + claim.hours
    return result


@dataclass(frozen=True)
class TargetRow:
    """An annual target row: for a job-position group ("" = all) from a year, maybe until one."""

    position_group: str
    from_year: int
    until_year: int | None
    hours: Decimal


DEFAULT_TARGET_HOURS = Decimal(30)  # 40 periods of 45 minutes


def target_for(rows: Sequence[TargetRow], position_group: str, year: int) -> Decimal:
    """Return the annual target in clock hours for an officer of `position_group` in `year`.

    The row for the officer's group beats the row for all groups; among rows in force, the
    latest `from_year` wins. Without any row in force, the default (30 hours) applies.
    """
    in_force = [
        r
        for r in rows
        if r.from_year <= year
        and (r.until_year is None or year <= r.until_year)
        and r.position_group in {"", position_group}
    ]
    if not in_force:
        return DEFAULT_TARGET_HOURS
    best = max(in_force, key=lambda r: (r.position_group != "", r.from_year))
    return best.hours


def reference_date(year: int, today: datetime.date) -> datetime.date:
    """Return the day whose organisation a year's roll-up uses: today, or 31 December."""
    if year < today.year:
        return datetime.date(year, 12, 31)
    return today


@dataclass(frozen=True)
class Compliance:
    """One officer's standing against the annual target on a reference date."""

    compliant: bool  # the whole year's target is met
    on_track: bool  # the hours so far meet the share of the target due by the reference date
    expected_hours: Decimal  # that share


def compliance(hours: Decimal, target: Decimal, year: int, reference: datetime.date) -> Compliance:
    """Return whether `hours` in `year` meet `target`, and whether they are on track.

    On track means at least the target pro rata to the days of the year elapsed on the
    reference date (all of it for a past year); a compliant officer is always on track.
    """
    if reference.year > year:
        share = Decimal(1)
    elif reference.year < year:
        share = Decimal(0)
    else:
        days = 366 if calendar.isleap(year) else 365
        share = Decimal(reference.timetuple().tm_yday) / days
    expected = (target * share).quantize(HUNDREDTH, ROUND_HALF_UP)
    compliant = hours >= target
    return Compliance(
        compliant=compliant, on_track=compliant or hours >= expected, expected_hours=expected
    )
