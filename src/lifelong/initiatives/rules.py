"""Initiatives (issue 5): pure rules, no database, standard library only.

- Authors' contribution shares are each more than 0 and sum to exactly 100%; an author
  appears once; whoever writes the initiative is one of its authors.
- A submission needs the problem, the solution, what is new and the date since when it has
  been applied or trialled (Decree 13/2012 Art. 3(b)); a draft needs only a title.
- Levels go in order: cơ sở, then cấp bộ, then toàn quốc. None is skipped and none is
  recognised twice (domain-vn.md §4).
- A unit council recognises at cơ sở level the initiatives of its unit's subtree; the
  ministry council recognises at cấp bộ and toàn quốc levels. A council is in force between
  its establishment and its dissolution.
- A council recognises an initiative when (Decree 13/2012 Art. 3, points and thresholds from
  the evaluation policy in force): more than the quorum of members scored; no member found
  it excluded (against public order or morality, or protected as intellectual property); the
  members' average total reaches the pass score; and more than the vote threshold of all
  members voted in favour. Any of these failing is a reason, and refusing needs a reason.

Problems are stable codes; the service turns them into translated messages.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "COUNCIL_LEVELS",
    "LEVELS",
    "Action",
    "Criteria",
    "MemberScore",
    "Policy",
    "Problem",
    "Status",
    "Tally",
    "Votes",
    "check_council",
    "check_decision",
    "check_score",
    "check_shares",
    "check_submission",
    "check_target_level",
    "check_votes",
    "next_level",
    "tally",
    "transition",
]

# The recognition levels, lowest first (the codes of `choices.Level`).
LEVELS: tuple[str, ...] = ("co_so", "bo", "toan_quoc")

# Which levels a council of each level recognises at (the codes of `choices.CouncilLevel`).
COUNCIL_LEVELS: Mapping[str, frozenset[str]] = {
    "co_so": frozenset({"co_so"}),
    "bo": frozenset({"bo", "toan_quoc"}),
}

HUNDRED = Decimal(100)


class Status(StrEnum):
    """An initiative's status (the codes of `choices.InitiativeStatus`)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    RECOGNISED = "recognised"
    REFUSED = "refused"


class Action(StrEnum):
    """What someone does to an initiative."""

    EDIT = "edit"  # an author saves changes
    SUBMIT = "submit"  # an author submits it for evaluation at cơ sở level
    RETURN = "return"  # the council sends it back for changes
    RECOGNISE = "recognise"  # the council's decision recognises it at a level
    REFUSE = "refuse"  # the council's decision refuses it at a level
    PROPOSE = "propose"  # it goes to the next level's council


class Problem(StrEnum):
    """Why something is refused; paired with the field it concerns ("" for the whole)."""

    NO_AUTHORS = "no_authors"
    SHARE_NOT_POSITIVE = "share_not_positive"
    SHARES_NOT_100 = "shares_not_100"
    AUTHOR_TWICE = "author_twice"
    AUTHOR_UNKNOWN = "author_unknown"
    WRITER_NOT_AUTHOR = "writer_not_author"
    TITLE_REQUIRED = "title_required"
    PROBLEM_REQUIRED = "problem_required"
    SOLUTION_REQUIRED = "solution_required"
    NOVELTY_REQUIRED = "novelty_required"
    APPLIED_FROM_REQUIRED = "applied_from_required"
    APPLIED_FROM_FUTURE = "applied_from_future"
    NOT_ALLOWED = "not_allowed"
    LEVEL_SKIPPED = "level_skipped"
    LEVEL_ALREADY = "level_already"
    LEVEL_TOP = "level_top"
    COUNCIL_WRONG_LEVEL = "council_wrong_level"
    COUNCIL_OUT_OF_SCOPE = "council_out_of_scope"
    COUNCIL_NOT_IN_FORCE = "council_not_in_force"
    SCORE_OUT_OF_RANGE = "score_out_of_range"
    VOTES_OVER_MEMBERS = "votes_over_members"
    NO_QUORUM = "no_quorum"
    EXCLUDED = "excluded"
    SCORE_BELOW_PASS = "score_below_pass"  # noqa: S105 - a code, not a password
    VOTE_MISSING = "vote_missing"
    VOTE_BELOW_THRESHOLD = "vote_below_threshold"
    REASON_REQUIRED = "reason_required"
    DECISION_REQUIRED = "decision_required"
    DECISION_IN_FUTURE = "decision_in_future"


#
# Authors and the submission
#


def check_shares(
    authors: Sequence[tuple[str, Decimal]], *, writer: str | None = None
) -> list[Problem]:
    """Check the authors (officer codes) and their shares (%); return the problems.

    `writer` is the officer code of whoever writes the initiative; they must be an author.
    """
    problems: list[Problem] = []
    if not authors:
        return [Problem.NO_AUTHORS]
    codes = [code for code, _share in authors]
    if len(set(codes)) != len(codes):
        problems.append(Problem.AUTHOR_TWICE)
    if any(share <= 0 for _code, share in authors):
        problems.append(Problem.SHARE_NOT_POSITIVE)
    if sum((share for _code, share in authors), Decimal(0)) != HUNDRED:
        problems.append(Problem.SHARES_NOT_100)
    if writer is not None and writer not in codes:
        problems.append(Problem.WRITER_NOT_AUTHOR)
    return problems


def check_submission(
    *,
    title: str,
    problem: str,
    solution: str,
    novelty: str,
    applied_from: datetime.date | None,
    today: datetime.date,
    submitting: bool,
) -> list[tuple[str, Problem]]:
    """Check an initiative's texts: a draft needs a title, a submission the whole case."""
    problems: list[tuple[str, Problem]] = []
    if not title.strip():
        problems.append(("title", Problem.TITLE_REQUIRED))
    if applied_from is not None and applied_from > today:
        problems.append(("applied_from", Problem.APPLIED_FROM_FUTURE))
    if not submitting:
        return problems
    for name, text, missing in (
        ("problem", problem, Problem.PROBLEM_REQUIRED),
        ("solution", solution, Problem.SOLUTION_REQUIRED),
        ("novelty", novelty, Problem.NOVELTY_REQUIRED),
    ):
        if not text.strip():
            problems.append((name, missing))
    if applied_from is None:
        problems.append(("applied_from", Problem.APPLIED_FROM_REQUIRED))
    return problems


# (status, action) -> the status after it. Anything absent is refused.
_TRANSITIONS: Mapping[tuple[Status, Action], Status] = {
    (Status.DRAFT, Action.EDIT): Status.DRAFT,
    (Status.DRAFT, Action.SUBMIT): Status.SUBMITTED,
    (Status.RETURNED, Action.EDIT): Status.RETURNED,
    (Status.RETURNED, Action.SUBMIT): Status.SUBMITTED,
    (Status.SUBMITTED, Action.RETURN): Status.RETURNED,
    (Status.SUBMITTED, Action.RECOGNISE): Status.RECOGNISED,
    (Status.SUBMITTED, Action.REFUSE): Status.REFUSED,
    # A recognised initiative goes on to higher levels; a refusal there keeps what it has.
    (Status.RECOGNISED, Action.PROPOSE): Status.RECOGNISED,
    (Status.RECOGNISED, Action.RECOGNISE): Status.RECOGNISED,
    (Status.RECOGNISED, Action.REFUSE): Status.RECOGNISED,
}


def transition(status: str, action: Action) -> Status | None:
    """Return the status after `action`, or None when the action is not allowed now."""
    return _TRANSITIONS.get((Status(status), action))


#
# Levels and councils
#


def next_level(current: str | None) -> str | None:
    """Return the level after `current` ("" or None: not yet recognised), or None at the top."""
    if not current:
        return LEVELS[0]
    index = LEVELS.index(current)
    return LEVELS[index + 1] if index + 1 < len(LEVELS) else None


def check_target_level(current: str | None, target: str) -> Problem | None:
    """Check that `target` is the next level after the one an initiative holds."""
    held = LEVELS.index(current) if current else -1
    wanted = LEVELS.index(target)
    if wanted <= held:
        return Problem.LEVEL_ALREADY
    if wanted > held + 1:
        return Problem.LEVEL_SKIPPED
    return None


def check_council(
    *,
    council_level: str,
    council_unit_path: str,
    established_on: datetime.date,
    dissolved_on: datetime.date | None,
    initiative_unit_path: str,
    target_level: str,
    on: datetime.date,
) -> Problem | None:
    """Check that a council may evaluate an initiative of a unit at `target_level` on `on`."""
    if target_level not in COUNCIL_LEVELS.get(council_level, frozenset()):
        return Problem.COUNCIL_WRONG_LEVEL
    if not initiative_unit_path.startswith(council_unit_path):
        return Problem.COUNCIL_OUT_OF_SCOPE
    if on < established_on or (dissolved_on is not None and on > dissolved_on):
        return Problem.COUNCIL_NOT_IN_FORCE
    return None


#
# Scores, votes and the decision
#


@dataclass(frozen=True)
class Criteria:
    """The most points of each criterion."""

    novelty: int
    application: int
    benefit: int

    @property
    def total(self) -> int:
        """The most points one member can give."""
        return self.novelty + self.application + self.benefit


@dataclass(frozen=True)
class Policy:
    """The evaluation policy in force: criteria and thresholds."""

    criteria: Criteria
    pass_score: int
    quorum_pct: int
    vote_threshold_pct: int


@dataclass(frozen=True)
class MemberScore:
    """One member's points and whether they found the initiative excluded."""

    novelty: int
    application: int
    benefit: int
    excluded: bool = False

    @property
    def total(self) -> int:
        """The member's total points."""
        return self.novelty + self.application + self.benefit


@dataclass(frozen=True)
class Votes:
    """The council's vote."""

    in_favour: int
    against: int
    abstain: int

    @property
    def cast(self) -> int:
        """How many members took part in the vote."""
        return self.in_favour + self.against + self.abstain


def check_score(criteria: Criteria, score: MemberScore) -> list[tuple[str, Problem]]:
    """Check that each criterion's points lie between 0 and its maximum."""
    return [
        (name, Problem.SCORE_OUT_OF_RANGE)
        for name, points, most in (
            ("novelty", score.novelty, criteria.novelty),
            ("application", score.application, criteria.application),
            ("benefit", score.benefit, criteria.benefit),
        )
        if not 0 <= points <= most
    ]


def check_votes(votes: Votes, members: int) -> Problem | None:
    """Check that no more members voted than the council has."""
    if min(votes.in_favour, votes.against, votes.abstain) < 0 or votes.cast > members:
        return Problem.VOTES_OVER_MEMBERS
    return None


@dataclass(frozen=True)
class Tally:
    """What a council's scores and vote add up to, with the reasons it falls short."""

    members: int
    scored: int
    average_novelty: Decimal
    average_application: Decimal
    average_benefit: Decimal
    average_total: Decimal
    excluded_by: int
    votes: Votes | None
    reasons: list[Problem] = field(default_factory=list)

    @property
    def recognisable(self) -> bool:
        """Whether the council may recognise the initiative."""
        return not self.reasons


def _share_over(part: int, whole: int, pct: int) -> bool:
    """Return whether `part` is more than `pct`% of `whole` (exactly, no rounding)."""
    return whole > 0 and part * 100 > pct * whole


def _average(values: Iterable[int], count: int) -> Decimal:
    if not count:
        return Decimal(0)
    return (Decimal(sum(values)) / count).quantize(Decimal("0.01"))


def tally(
    policy: Policy, scores: Sequence[MemberScore], votes: Votes | None, members: int
) -> Tally:
    """Add up a council's scores and vote under `policy`; list what stops recognition."""
    count = len(scores)
    reasons: list[Problem] = []
    if not _share_over(count, members, policy.quorum_pct):
        reasons.append(Problem.NO_QUORUM)
    excluded_by = sum(1 for s in scores if s.excluded)
    if excluded_by:
        reasons.append(Problem.EXCLUDED)
    average_total = _average((s.total for s in scores), count)
    if count and average_total < policy.pass_score:
        reasons.append(Problem.SCORE_BELOW_PASS)
    if votes is None:
        reasons.append(Problem.VOTE_MISSING)
    elif not _share_over(votes.in_favour, members, policy.vote_threshold_pct):
        reasons.append(Problem.VOTE_BELOW_THRESHOLD)
    return Tally(
        members=members,
        scored=count,
        average_novelty=_average((s.novelty for s in scores), count),
        average_application=_average((s.application for s in scores), count),
        average_benefit=_average((s.benefit for s in scores), count),
        average_total=average_total,
        excluded_by=excluded_by,
        votes=votes,
        reasons=reasons,
    )


def check_decision(
    *, number: str, date: datetime.date | None, today: datetime.date
) -> list[tuple[str, Problem]]:
    """Check a recognition decision's number and date."""
    problems: list[tuple[str, Problem]] = []
    if not number.strip():
        problems.append(("decision_number", Problem.DECISION_REQUIRED))
    if date is None:
        problems.append(("decision_date", Problem.DECISION_REQUIRED))
    elif date > today:
        problems.append(("decision_date", Problem.DECISION_IN_FUTURE))
    return problems
