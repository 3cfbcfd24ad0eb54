"""Self-study declarations (issue 4, §4): pure rules, no database, standard library only.

- Hours are more than 0 and at most 24; an officer's approved and pending self-study on one
  date may not add up to more than 24 hours (a day has no more).
- The date is neither in the future nor before 2000 (the platform holds no older learning).
- Only a unit head over the officer's unit reviews a declaration, never their own.
- Approval writes one `completed` statement dated at noon of the learning day in
  Asia/Ho_Chi_Minh; an edit of an approved declaration voids it. The officer's edit sends the
  declaration back to the queue (approval writes the new statement); the approver's
  correction writes the new statement at once.

Problems are returned as stable codes; the service turns them into translated messages.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

__all__ = [
    "EARLIEST_DATE",
    "MAX_HOURS_PER_DAY",
    "Action",
    "Problem",
    "Status",
    "Transition",
    "check_declaration",
    "evidence_changeable",
    "may_review",
    "statement_moment",
    "transition",
]

BUSINESS_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_HOURS_PER_DAY = Decimal(24)
EARLIEST_DATE = datetime.date(2000, 1, 1)


class Status(StrEnum):
    """A declaration's status (the codes of `learning.choices.DeclarationStatus`)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class Action(StrEnum):
    """What someone does to a declaration."""

    SAVE = "save"  # the officer saves a draft (new or edited)
    SUBMIT = "submit"  # the officer submits (new or edited)
    APPROVE = "approve"  # the unit head approves
    RETURN = "return"  # the unit head returns it with a reason
    CORRECT = "correct"  # the unit head corrects an approved declaration


class Problem(StrEnum):
    """Why a declaration's values are refused; (field, problem) pairs."""

    HOURS_NOT_POSITIVE = "hours_not_positive"
    HOURS_OVER_DAY = "hours_over_day"
    DAY_OVER_24 = "day_over_24"
    DATE_IN_FUTURE = "date_in_future"
    DATE_TOO_EARLY = "date_too_early"
    NOT_ALLOWED = "not_allowed"
    REASON_REQUIRED = "reason_required"


def check_declaration(
    *,
    hours: Decimal,
    learned_on: datetime.date,
    today: datetime.date,
    other_hours_that_day: Decimal = Decimal(0),
) -> list[tuple[str, Problem]]:
    """Return the (field, problem) pairs that refuse these values; empty when they are fine.

    `other_hours_that_day` is the officer's approved and pending self-study on the same date,
    this declaration excluded: a day holds at most 24 hours of learning.
    """
    problems: list[tuple[str, Problem]] = []
    if hours <= 0:
        problems.append(("hours", Problem.HOURS_NOT_POSITIVE))
    elif hours > MAX_HOURS_PER_DAY:
        problems.append(("hours", Problem.HOURS_OVER_DAY))
    elif other_hours_that_day + hours > MAX_HOURS_PER_DAY:
        problems.append(("hours", Problem.DAY_OVER_24))
    if learned_on > today:
        problems.append(("learned_on", Problem.DATE_IN_FUTURE))
    elif learned_on < EARLIEST_DATE:
        problems.append(("learned_on", Problem.DATE_TOO_EARLY))
    return problems


def may_review(
    *, reviewer_person_id: int | None, owner_person_id: int, approves_unit: bool
) -> bool:
    """Return whether someone may approve, return or correct a declaration.

    They must hold APPROVE_LEARNING over the officer's unit (`approves_unit`), and a unit
    head never reviews their own declaration.
    """
    if not approves_unit:
        return False
    return reviewer_person_id != owner_person_id


@dataclass(frozen=True)
class Transition:
    """The outcome of an action: the new status and what happens to the statements."""

    status: Status
    void_statement: bool = False  # void the statement that counts now
    write_statement: bool = False  # write a new `completed` statement


def transition(current: Status | None, action: Action) -> Transition | None:
    """Return what `action` does to a declaration in status `current` (None: a new one).

    None means the action is not allowed in that status.
    """
    if action in {Action.SAVE, Action.SUBMIT}:
        status = Status.DRAFT if action is Action.SAVE else Status.SUBMITTED
        # The officer may edit at every stage; an approved declaration stops counting until
        # it is approved again, so its statement is voided now (issue 4, §4).
        return Transition(status, void_statement=current is Status.APPROVED)
    if action in {Action.APPROVE, Action.RETURN}:
        if current is not Status.SUBMITTED:
            return None
        if action is Action.APPROVE:
            return Transition(Status.APPROVED, write_statement=True)
        return Transition(Status.RETURNED)
    # Action.CORRECT: the approver's correction counts at once.
    if current is not Status.APPROVED:
        return None
    return Transition(Status.APPROVED, void_statement=True, write_statement=True)


def evidence_changeable(status: Status) -> bool:
    """Return whether evidence may be added or removed: not while the declaration is approved."""
    return status is not Status.APPROVED


def statement_moment(learned_on: datetime.date) -> datetime.datetime:
    """Return the timestamp of a declaration's statement: noon of the day in Asia/Ho_Chi_Minh.

    Noon keeps the day (and so the ledger year) the same in every time zone near Vietnam.
    """
    return datetime.datetime.combine(learned_on, datetime.time(12, 0), tzinfo=BUSINESS_ZONE)
