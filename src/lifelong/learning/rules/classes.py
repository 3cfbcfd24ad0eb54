"""Decisions about classes (issue 4, §2): pure functions over plain data, no database.

- Enrolment: an officer has one place per class; a class over capacity puts newcomers on
  a waiting list in order; who may enrol depends on the class status and the source.
- Withdrawal frees a place that goes to the first on the waiting list.
- Attendance: the `attended` statement of an enrolment carries the officer's cumulative
  attended hours, so the ledger's "largest claim per activity and registration wins" counts
  the class once, growing with each session. A correction that lowers the total voids the
  statements that claim more and writes one with the new total.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "ACTIVE_STATUSES",
    "AttendancePlan",
    "EnrolmentDecision",
    "LiveStatement",
    "attendance_plan",
    "capped_hours",
    "decide_enrolment",
    "next_in_line",
    "renumber_waitlist",
]

# Statuses (EnrolmentStatus values) that hold a place or a waiting-list position.
ACTIVE_STATUSES = frozenset({"enrolled", "waitlisted", "completed", "not_completed"})
# Statuses that take one of the class's places.
SEATED_STATUSES = frozenset({"enrolled", "completed", "not_completed"})
# Which class statuses accept which enrolment sources: an officer enrols themselves only
# while the class is open; the unit head and the training office may also enrol before it
# opens and while it runs.
_OPEN_FOR = {
    "self": frozenset({"open"}),
    "unit_head": frozenset({"planned", "open", "running"}),
    "assignment": frozenset({"planned", "open", "running"}),
    "training_office": frozenset({"planned", "open", "running"}),
}


@dataclass(frozen=True)
class EnrolmentDecision:
    """The outcome of an enrolment request: a place, a waiting-list position, or a refusal."""

    status: str | None  # "enrolled", "waitlisted", or None when refused
    waitlist_position: int | None = None
    refusal: str = ""  # "closed", "duplicate"


def decide_enrolment(
    *,
    class_status: str,
    source: str,
    capacity: int,
    seated: int,
    waitlist_positions: Iterable[int],
    existing_status: str | None,
) -> EnrolmentDecision:
    """Decide whether an officer gets a place, a waiting-list position, or nothing.

    An officer already holding a place or a waiting-list position is refused as a duplicate
    (a withdrawn enrolment may enrol again). A class not open for this source refuses. A
    full class puts the officer last on the waiting list.
    """
    if existing_status in ACTIVE_STATUSES:
        return EnrolmentDecision(None, refusal="duplicate")
    if class_status not in _OPEN_FOR.get(source, frozenset()):
        return EnrolmentDecision(None, refusal="closed")
    if seated < capacity:
        return EnrolmentDecision("enrolled")
    return EnrolmentDecision("waitlisted", waitlist_position=max(waitlist_positions, default=0) + 1)


def next_in_line(waiting: Iterable[tuple[int, int]], *, free_places: int) -> list[int]:
    """Return the ids of the waiting enrolments that take the `free_places`, first come first.

    `waiting` holds (enrolment id, waiting-list position) pairs.
    """
    if free_places <= 0:
        return []
    ordered = sorted(waiting, key=lambda pair: (pair[1], pair[0]))
    return [pk for pk, _position in ordered[:free_places]]


def renumber_waitlist(waiting: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Return the new positions (1, 2, ...) of waiting enrolments, keeping their order."""
    ordered = sorted(waiting, key=lambda pair: (pair[1], pair[0]))
    return {pk: index for index, (pk, _position) in enumerate(ordered, start=1)}


@dataclass(frozen=True)
class LiveStatement:
    """A live (not voided) attended statement of an enrolment and the hours it claims."""

    statement_id: str
    hours: Decimal


@dataclass(frozen=True)
class AttendancePlan:
    """What to write after attendance changed: statements to void, and the new total to claim."""

    void: tuple[str, ...]
    write_hours: Decimal | None  # None: write no new statement


def attendance_plan(live: Sequence[LiveStatement], total: Decimal) -> AttendancePlan:
    """Decide the statements that make the ledger claim exactly `total` attended hours.

    The ledger counts the largest live claim of the enrolment, so: every live statement
    claiming more than `total` is voided; a new statement with `total` is written unless a
    live one already claims exactly `total` (a re-mark changes nothing). A total of zero
    needs no statement at all.
    """
    if total < 0:
        raise ValueError("attended hours are never negative")
    void = tuple(s.statement_id for s in live if s.hours > total)
    kept = [s for s in live if s.hours <= total]
    already = any(s.hours == total for s in kept)
    write = None if total == 0 or already else total
    return AttendancePlan(void=void, write_hours=write)


def capped_hours(attended: Decimal, claimed: Decimal | None = None) -> Decimal:
    """Return the hours a pass or a completion may claim: never more than was attended."""
    if claimed is None:
        return attended
    return min(attended, claimed)
