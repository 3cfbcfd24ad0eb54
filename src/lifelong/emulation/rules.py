"""Emulation scoring (issue 6): pure rules, no database, standard library only.

A campaign's score for one unit (or one officer) is built in three steps, each kept with its
inputs so any score can be explained:

1. **Value.** A criterion measured from data has a raw value (hours, a count, a share); a count
   is normalised by unit size (per head, or per 100 staff). A unit with no staff has no value
   for a per-head criterion. A criterion assessed from evidence has the score the reviewing
   level accepted (or the unit's own score until it is reviewed).
2. **Criterion score**, 0 to 100 (a cap may allow more, e.g. 120 for exceeding the target):
   - `linear`: 100 × value / target, at most `cap`; with `lower_is_better`,
     100 × target / value (a value of 0 then reaches the cap).
   - `thresholds`: the points of the highest step the value reaches (steps given as
     (minimum value, points); with `lower_is_better`, (maximum value, points)).
   - `rank`: by rank within the cluster: 100 for the first, 0 for the last, evenly between;
     ties share a rank (competition ranking) and so a score; a cluster of one scores 100.
   - `assessed`: the reviewed points, clamped to 0..100.
   No value scores 0, with the reason.
3. **Weights.** A content's score is the weighted mean of its criteria (weights sum to 100 in
   each content); the total is the weighted mean of the contents (weights sum to 100).
   Individuals are scored on the criteria that apply to people only: the weights of those
   that apply are scaled back up to 100 (a content with none of them is left out).

Ranks are competition ranks (1, 1, 3) within a cluster, by total, highest first.
"""

import datetime
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

__all__ = [
    "HUNDRED",
    "PERIOD_MONTHS",
    "Criterion",
    "CriterionScore",
    "Kind",
    "Normalisation",
    "Problem",
    "Standing",
    "Step",
    "Total",
    "Weighted",
    "check_criterion",
    "check_weights",
    "competition_ranks",
    "fold_change",
    "normalise",
    "percent_change",
    "period_bounds",
    "period_number",
    "previous_period",
    "score_cluster",
    "score_competition",
    "score_value",
    "weighted_total",
]

HUNDRED = Decimal(100)
ZERO = Decimal(0)
_PLACES = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(_PLACES, rounding=ROUND_HALF_UP)


class Kind(StrEnum):
    """How a criterion turns its value into points."""

    LINEAR = "linear"
    THRESHOLDS = "thresholds"
    RANK = "rank"
    ASSESSED = "assessed"


class Normalisation(StrEnum):
    """How a count is made comparable between units of different sizes."""

    NONE = "none"
    PER_HEAD = "per_head"
    PER_100 = "per_100"


class Problem(StrEnum):
    """Why a configuration is refused, or why a value scores nothing."""

    WEIGHTS_NOT_100 = "weights_not_100"
    WEIGHT_NOT_POSITIVE = "weight_not_positive"
    TARGET_NOT_POSITIVE = "target_not_positive"
    CAP_BELOW_100 = "cap_below_100"
    NO_STEPS = "no_steps"
    STEP_POINTS_OUT_OF_RANGE = "step_points_out_of_range"
    STEPS_NOT_ORDERED = "steps_not_ordered"
    NO_DATA = "no_data"
    NO_STAFF = "no_staff"


@dataclass(frozen=True)
class Step:
    """A step of a thresholds criterion: reaching `bound` earns `points`."""

    bound: Decimal
    points: Decimal


@dataclass(frozen=True)
class Criterion:
    """How one criterion scores (its weight lives with the content that holds it)."""

    kind: Kind
    target: Decimal | None = None
    cap: Decimal = HUNDRED
    steps: tuple[Step, ...] = ()
    lower_is_better: bool = False
    normalisation: Normalisation = Normalisation.NONE


@dataclass(frozen=True)
class CriterionScore:
    """A criterion's points for one subject, with what they came from."""

    raw: Decimal | None  # the value as measured (before normalisation)
    value: Decimal | None  # the value scored (after normalisation)
    points: Decimal
    rank: int | None = None  # for rank criteria: the rank within the cluster
    of: int | None = None  # for rank criteria: how many were ranked
    problem: Problem | None = None  # why there are no points, if so


#
# Configuration checks
#


def check_weights(weights: Sequence[Decimal]) -> list[Problem]:
    """Check weights: each more than 0, together exactly 100."""
    problems: list[Problem] = []
    if any(w <= 0 for w in weights):
        problems.append(Problem.WEIGHT_NOT_POSITIVE)
    if sum(weights, ZERO) != HUNDRED:
        problems.append(Problem.WEIGHTS_NOT_100)
    return problems


def check_criterion(criterion: Criterion) -> list[Problem]:
    """Check that a criterion can score: a positive target, a cap ≥ 100, ordered steps."""
    problems: list[Problem] = []
    if criterion.kind == Kind.LINEAR and (criterion.target is None or criterion.target <= 0):
        problems.append(Problem.TARGET_NOT_POSITIVE)
    if criterion.cap < HUNDRED:
        problems.append(Problem.CAP_BELOW_100)
    if criterion.kind == Kind.THRESHOLDS:
        if not criterion.steps:
            problems.append(Problem.NO_STEPS)
        if any(not ZERO <= s.points <= criterion.cap for s in criterion.steps):
            problems.append(Problem.STEP_POINTS_OUT_OF_RANGE)
        bounds = [s.bound for s in criterion.steps]
        ordered = sorted(bounds, reverse=criterion.lower_is_better)
        if bounds != ordered or len(set(bounds)) != len(bounds):
            problems.append(Problem.STEPS_NOT_ORDERED)
    return problems


#
# Values and points
#


def normalise(
    raw: Decimal | None, headcount: int, how: Normalisation
) -> tuple[Decimal | None, Problem | None]:
    """Return the value to score for `raw` in a unit of `headcount` people, or why none."""
    if raw is None:
        return None, Problem.NO_DATA
    if how == Normalisation.NONE:
        return raw, None
    if headcount <= 0:
        return None, Problem.NO_STAFF
    per = HUNDRED if how == Normalisation.PER_100 else Decimal(1)
    return raw * per / headcount, None


def _linear(criterion: Criterion, value: Decimal) -> Decimal:
    target = criterion.target
    assert target is not None and target > 0  # check_criterion refuses anything else
    if criterion.lower_is_better:
        ratio_points = criterion.cap if value <= 0 else HUNDRED * target / value
    else:
        ratio_points = HUNDRED * value / target
    return min(max(ratio_points, ZERO), criterion.cap)


def _thresholds(criterion: Criterion, value: Decimal) -> Decimal:
    if criterion.lower_is_better:
        reached = [s.points for s in criterion.steps if value <= s.bound]
    else:
        reached = [s.points for s in criterion.steps if value >= s.bound]
    return max(reached, default=ZERO)


def score_value(criterion: Criterion, raw: Decimal | None, headcount: int = 0) -> CriterionScore:
    """Score one subject's value on a linear, thresholds or assessed criterion."""
    if criterion.kind == Kind.RANK:
        raise ValueError("rank criteria are scored a cluster at a time: use score_cluster")
    value, problem = normalise(raw, headcount, criterion.normalisation)
    if value is None:
        if raw is None and headcount <= 0:
            problem = Problem.NO_STAFF
        return CriterionScore(raw=raw, value=None, points=ZERO, problem=problem)
    if criterion.kind == Kind.LINEAR:
        points = _linear(criterion, value)
    elif criterion.kind == Kind.THRESHOLDS:
        points = _thresholds(criterion, value)
    else:
        points = min(max(value, ZERO), HUNDRED)
    return CriterionScore(raw=raw, value=_round(value), points=_round(points))


def competition_ranks[K: Hashable](
    values: Mapping[K, Decimal], *, lower_is_better: bool = False
) -> dict[K, int]:
    """Rank subjects by value, best first; equal values share a rank (1, 1, 3)."""
    ordered = sorted(values.items(), key=lambda kv: kv[1], reverse=not lower_is_better)
    ranks: dict[K, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, value) in enumerate(ordered, start=1):
        if previous is None or value != previous:
            rank = position
            previous = value
        ranks[key] = rank
    return ranks


def score_cluster[K: Hashable](
    criterion: Criterion,
    raws: Mapping[K, Decimal | None],
    headcounts: Mapping[K, int],
) -> dict[K, CriterionScore]:
    """Score every member of one cluster; rank criteria score by rank, others one by one."""
    if criterion.kind != Kind.RANK:
        return {k: score_value(criterion, raw, headcounts.get(k, 0)) for k, raw in raws.items()}
    values: dict[K, Decimal] = {}
    scores: dict[K, CriterionScore] = {}
    for key, raw in raws.items():
        value, problem = normalise(raw, headcounts.get(key, 0), criterion.normalisation)
        if value is None:
            scores[key] = CriterionScore(raw=raw, value=None, points=ZERO, problem=problem)
        else:
            values[key] = value
    ranks = competition_ranks(values, lower_is_better=criterion.lower_is_better)
    count = len(values)
    for key, value in values.items():
        rank = ranks[key]
        points = HUNDRED if count == 1 else HUNDRED * (count - rank) / (count - 1)
        scores[key] = CriterionScore(
            raw=raws[key], value=_round(value), points=_round(points), rank=rank, of=count
        )
    return scores


#
# Weights and totals
#


@dataclass(frozen=True)
class Total:
    """A subject's weighted total, with each content's score."""

    total: Decimal
    by_content: dict[Hashable, Decimal] = field(default_factory=dict)


def _weighted(parts: Sequence[tuple[Decimal, Decimal]]) -> Decimal:
    """Return the weighted mean of (weight, points) pairs (weights summing to 100, or scaled)."""
    weights = sum((weight for weight, _points in parts), ZERO)
    if weights <= 0:
        return ZERO
    return sum((weight * points for weight, points in parts), ZERO) / weights


def weighted_total(
    contents: Mapping[Hashable, tuple[Decimal, Sequence[tuple[Decimal, Decimal]]]],
) -> Total:
    """Add up (content → (content weight, [(criterion weight, points)])) into a total."""
    by_content = {key: _round(_weighted(parts)) for key, (_w, parts) in contents.items()}
    total = _weighted([(weight, by_content[key]) for key, (weight, _p) in contents.items()])
    return Total(total=_round(total), by_content=by_content)


#
# A whole competition
#


@dataclass(frozen=True)
class Weighted:
    """A criterion as configured: its code, the content it belongs to and its weight there."""

    code: str
    content: Hashable
    weight: Decimal
    criterion: Criterion


@dataclass(frozen=True)
class Standing:
    """A subject's total, rank within its cluster (1, 1, 3) and every criterion's score."""

    total: Decimal
    by_content: dict[Hashable, Decimal]
    rank: int
    of: int
    scores: dict[str, CriterionScore]


def score_competition[K: Hashable](
    criteria: Sequence[Weighted],
    content_weights: Mapping[Any, Decimal],
    raws: Mapping[K, Mapping[str, Decimal | None]],
    headcounts: Mapping[K, int],
    clusters: Mapping[K, Hashable],
) -> dict[K, Standing]:
    """Score every subject on every criterion, add up the weights and rank within clusters.

    `raws[subject][code]` is the subject's measured value on the criterion `code` (None: no
    data); `headcounts` normalise counts; `clusters` say who competes with whom. Rank criteria
    and totals are ranked within the cluster only.
    """
    members: dict[Hashable, list[K]] = {}
    for subject in raws:
        members.setdefault(clusters.get(subject), []).append(subject)
    scores: dict[K, dict[str, CriterionScore]] = {subject: {} for subject in raws}
    for weighted in criteria:
        for group in members.values():
            values = {subject: raws[subject].get(weighted.code) for subject in group}
            counts = {subject: headcounts.get(subject, 0) for subject in group}
            for subject, score in score_cluster(weighted.criterion, values, counts).items():
                scores[subject][weighted.code] = score
    totals: dict[K, Total] = {}
    for subject, by_code in scores.items():
        parts: dict[Hashable, tuple[Decimal, list[tuple[Decimal, Decimal]]]] = {}
        for weighted in criteria:
            if weighted.code in by_code:
                parts.setdefault(
                    weighted.content, (content_weights.get(weighted.content, ZERO), [])
                )[1].append((weighted.weight, by_code[weighted.code].points))
        totals[subject] = weighted_total(parts)
    standings: dict[K, Standing] = {}
    for group in members.values():
        ranks = competition_ranks({subject: totals[subject].total for subject in group})
        for subject in group:
            standings[subject] = Standing(
                total=totals[subject].total,
                by_content=totals[subject].by_content,
                rank=ranks[subject],
                of=len(group),
                scores=scores[subject],
            )
    return standings


#
# KPIs
#


def percent_change(previous: Decimal | None, current: Decimal | None) -> Decimal | None:
    """Return the change from `previous` to `current` in %, or None when it cannot be said."""
    if previous is None or current is None or previous == 0:
        return None
    return _round((current - previous) * HUNDRED / abs(previous))


def fold_change(previous: Decimal | None, current: Decimal | None) -> Decimal | None:
    """Return how many times `previous` the `current` value is (x-fold), or None."""
    if previous is None or current is None or previous == 0:
        return None
    return _round(current / previous)


#
# KPI periods
#

# Months in a period of each kind.
PERIOD_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


def period_bounds(kind: str, year: int, number: int) -> tuple[datetime.date, datetime.date]:
    """Return the first and last day of period `number` (1-based) of `kind` in `year`.

    Raise ValueError for a kind or number that does not exist (quarter 5, half 3, ...).
    """
    months = PERIOD_MONTHS[kind]
    if not 1 <= number <= 12 // months:
        raise ValueError(number)
    first_month = (number - 1) * months + 1
    start = datetime.date(year, first_month, 1)
    last_month = first_month + months - 1
    if last_month == 12:
        return start, datetime.date(year, 12, 31)
    return start, datetime.date(year, last_month + 1, 1) - datetime.timedelta(days=1)


def period_number(kind: str, start: datetime.date, end: datetime.date) -> int | None:
    """Return which period of `kind` [start, end] is in its year, or None if it is not one."""
    months = PERIOD_MONTHS.get(kind)
    if months is None or (start.month - 1) % months:
        return None
    number = (start.month - 1) // months + 1
    return number if period_bounds(kind, start.year, number) == (start, end) else None


def previous_period(kind: str, start: datetime.date) -> datetime.date:
    """Return the first day of the period of `kind` just before the one starting on `start`."""
    months = PERIOD_MONTHS[kind]
    month = start.month - months
    year = start.year
    if month < 1:
        month += 12
        year -= 1
    return datetime.date(year, month, 1)
