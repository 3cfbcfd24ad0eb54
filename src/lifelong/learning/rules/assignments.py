"""Assignment rules as pure functions: who a rule matches, due dates, overdue and escalation.

An assignment rule of the training office names a course and any of: a unit subtree, a job
position, a civil-service rank, new hires within N days (issue 4, §8). Every criterion given
must hold; a rule with none matches every active officer in the unit it covers.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "DEFAULT_DUE_DAYS",
    "HeadGrant",
    "OfficerFacts",
    "RuleFacts",
    "due_date_for",
    "heads_to_notify",
    "is_overdue",
    "matches",
    "needs_escalation",
]

# A rule that names neither a due date nor a number of days gives this many.
DEFAULT_DUE_DAYS = 30


@dataclass(frozen=True)
class RuleFacts:
    """What an assignment rule asks of an officer."""

    unit_path: str | None = None
    job_position_id: int | None = None
    rank_id: int | None = None
    new_hires_days: int | None = None
    due_days: int | None = None
    due_date: datetime.date | None = None


@dataclass(frozen=True)
class OfficerFacts:
    """What a rule may consider about one officer."""

    person_id: int
    unit_path: str
    job_position_id: int | None
    rank_id: int | None
    hire_date: datetime.date | None
    active: bool


def matches(rule: RuleFacts, officer: OfficerFacts, today: datetime.date) -> bool:
    """Return whether `rule` assigns its course to `officer` on `today`.

    Only active officers are assigned. A new-hires rule needs a known hire date within the
    last `new_hires_days` days (an officer hired in the future is not yet a new hire).
    """
    if not officer.active:
        return False
    # The unit criterion covers the unit's whole subtree.
    if rule.unit_path is not None and not officer.unit_path.startswith(rule.unit_path):
        return False
    if rule.job_position_id is not None and officer.job_position_id != rule.job_position_id:
        return False
    if rule.rank_id is not None and officer.rank_id != rule.rank_id:
        return False
    if rule.new_hires_days is not None:
        if officer.hire_date is None or officer.hire_date > today:
            return False
        if (today - officer.hire_date).days > rule.new_hires_days:
            return False
    return True


def due_date_for(rule: RuleFacts, today: datetime.date) -> datetime.date:
    """Return the due date of an assignment made on `today`.

    A fixed due date wins; otherwise `due_days` from today (DEFAULT_DUE_DAYS if neither).
    A fixed date already past gives today: nobody is overdue on the day they are assigned.
    """
    if rule.due_date is not None:
        return max(rule.due_date, today)
    days = rule.due_days if rule.due_days is not None else DEFAULT_DUE_DAYS
    return today + datetime.timedelta(days=days)


def is_overdue(*, open_: bool, done: bool, due_date: datetime.date, today: datetime.date) -> bool:
    """Return whether an assignment is overdue: still open, not done, and past its due date."""
    return open_ and not done and due_date < today


def needs_escalation(
    *,
    open_: bool,
    done: bool,
    due_date: datetime.date,
    escalated: bool,
    today: datetime.date,
) -> bool:
    """Return whether an overdue assignment must now be escalated to the unit head.

    An assignment is escalated once: a second check changes nothing.
    """
    return is_overdue(open_=open_, done=done, due_date=due_date, today=today) and not escalated


@dataclass(frozen=True)
class HeadGrant:
    """A unit head's role over the unit at `unit_path` (and its subtree)."""

    user_id: int
    unit_path: str


def heads_to_notify(officer_unit_path: str, grants: Iterable[HeadGrant]) -> list[int]:
    """Return the unit heads of the officer's unit: those of the nearest unit that has any.

    The heads holding the role on the officer's own unit are chosen; a team without a head
    of its own escalates to the heads of the nearest unit above it. Sorted, without repeats.
    """
    covering = [g for g in grants if officer_unit_path.startswith(g.unit_path)]
    if not covering:
        return []
    nearest = max(len(g.unit_path) for g in covering)
    return sorted({g.user_id for g in covering if len(g.unit_path) == nearest})
