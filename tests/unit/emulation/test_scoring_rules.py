"""Emulation scoring rules: caps, thresholds, normalisation, ranks and ties, weights."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifelong.emulation.rules import (
    PERIOD_MONTHS,
    Criterion,
    Kind,
    Normalisation,
    Problem,
    Step,
    Weighted,
    check_criterion,
    check_weights,
    competition_ranks,
    fold_change,
    normalise,
    percent_change,
    period_bounds,
    period_number,
    previous_period,
    score_cluster,
    score_competition,
    score_value,
    weighted_total,
)

D = Decimal
HOURS_PER_HEAD = Criterion(kind=Kind.LINEAR, target=D(30), normalisation=Normalisation.PER_HEAD)
amounts = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False)


#
# Linear
#


def test_linear_scores_the_share_of_the_target():
    assert score_value(Criterion(kind=Kind.LINEAR, target=D(40)), D(30)).points == D("75.00")


def test_linear_stops_at_100_by_default_when_the_target_is_exceeded():
    assert score_value(Criterion(kind=Kind.LINEAR, target=D(40)), D(60)).points == D(100)


def test_linear_with_a_cap_above_100_rewards_exceeding_up_to_the_cap():
    criterion = Criterion(kind=Kind.LINEAR, target=D(40), cap=D(120))
    assert score_value(criterion, D(44)).points == D(110)
    assert score_value(criterion, D(400)).points == D(120)


def test_linear_lower_is_better_scores_target_over_value():
    criterion = Criterion(kind=Kind.LINEAR, target=D(2), lower_is_better=True)
    assert score_value(criterion, D(4)).points == D(50)
    assert score_value(criterion, D(1)).points == D(100)
    assert score_value(criterion, D(0)).points == D(100)


@given(value=amounts, target=st.decimals(min_value="0.5", max_value=1000, places=1))
def test_linear_points_always_lie_between_0_and_the_cap(value, target):
    points = score_value(Criterion(kind=Kind.LINEAR, target=target, cap=D(120)), value).points
    assert D(0) <= points <= D(120)


@given(a=amounts, b=amounts)
def test_linear_never_scores_a_larger_value_lower(a, b):
    criterion = Criterion(kind=Kind.LINEAR, target=D(50))
    low, high = sorted([a, b])
    assert score_value(criterion, low).points <= score_value(criterion, high).points


#
# Thresholds
#

LANGUAGE_SHARE = Criterion(
    kind=Kind.THRESHOLDS,
    steps=(Step(D(10), D(40)), Step(D(20), D(70)), Step(D(30), D(100))),
)


@pytest.mark.parametrize(
    ("value", "points"),
    [(D(9), D(0)), (D(10), D(40)), (D("19.99"), D(40)), (D(20), D(70)), (D(80), D(100))],
)
def test_thresholds_give_the_points_of_the_highest_step_reached(value, points):
    assert score_value(LANGUAGE_SHARE, value).points == points


def test_thresholds_lower_is_better_reward_staying_under_the_bound():
    criterion = Criterion(
        kind=Kind.THRESHOLDS,
        steps=(Step(D(5), D(50)), Step(D(2), D(100))),
        lower_is_better=True,
    )
    assert score_value(criterion, D(6)).points == D(0)
    assert score_value(criterion, D(4)).points == D(50)
    assert score_value(criterion, D(2)).points == D(100)


def test_thresholds_out_of_order_or_above_the_cap_are_refused():
    unordered = Criterion(kind=Kind.THRESHOLDS, steps=(Step(D(20), D(70)), Step(D(10), D(40))))
    too_many = Criterion(kind=Kind.THRESHOLDS, steps=(Step(D(10), D(140)),))
    assert Problem.STEPS_NOT_ORDERED in check_criterion(unordered)
    assert Problem.STEP_POINTS_OUT_OF_RANGE in check_criterion(too_many)
    assert check_criterion(Criterion(kind=Kind.THRESHOLDS)) == [Problem.NO_STEPS]


#
# Normalisation and missing data
#


def test_a_count_per_100_staff_compares_units_of_different_size():
    big = score_value(
        Criterion(kind=Kind.LINEAR, target=D(2), normalisation=Normalisation.PER_100), D(10), 500
    )
    small = score_value(
        Criterion(kind=Kind.LINEAR, target=D(2), normalisation=Normalisation.PER_100), D(2), 100
    )
    assert big.value == small.value == D(2)
    assert big.points == small.points == D(100)


def test_a_unit_with_no_staff_scores_nothing_and_says_why():
    scored = score_value(HOURS_PER_HEAD, D(120), headcount=0)
    assert scored.points == D(0)
    assert scored.value is None
    assert scored.problem == Problem.NO_STAFF


def test_no_data_scores_nothing_and_says_why():
    scored = score_value(HOURS_PER_HEAD, None, headcount=12)
    assert (scored.points, scored.problem) == (D(0), Problem.NO_DATA)


def test_normalise_keeps_a_raw_value_when_no_normalisation_is_asked():
    assert normalise(D(7), 0, Normalisation.NONE) == (D(7), None)


def test_per_head_hours_score_against_the_annual_target():
    scored = score_value(HOURS_PER_HEAD, D(600), headcount=25)
    assert (scored.raw, scored.value, scored.points) == (D(600), D(24), D(80))


#
# Assessed
#


def test_an_assessed_score_is_clamped_to_0_100():
    criterion = Criterion(kind=Kind.ASSESSED)
    assert score_value(criterion, D(85)).points == D(85)
    assert score_value(criterion, D(130)).points == D(100)
    assert score_value(criterion, D(-5)).points == D(0)


#
# Ranks
#


def test_competition_ranks_share_a_rank_on_ties_and_skip_the_next():
    assert competition_ranks({"a": D(90), "b": D(90), "c": D(80), "d": D(70)}) == {
        "a": 1,
        "b": 1,
        "c": 3,
        "d": 4,
    }


def test_competition_ranks_lower_is_better():
    assert competition_ranks({"a": D(3), "b": D(1)}, lower_is_better=True) == {"b": 1, "a": 2}


@given(st.dictionaries(st.integers(0, 50), amounts, min_size=1, max_size=30))
def test_competition_ranks_are_one_plus_the_number_strictly_better(values):
    ranks = competition_ranks(values)
    for key, value in values.items():
        assert ranks[key] == 1 + sum(1 for v in values.values() if v > value)


def test_rank_criterion_spreads_points_from_100_to_0_and_ties_share():
    criterion = Criterion(kind=Kind.RANK)
    scores = score_cluster(criterion, {"a": D(9), "b": D(7), "c": D(7), "d": D(1), "e": None}, {})
    assert scores["a"].points == D(100)
    assert scores["b"].points == scores["c"].points == D("66.67")
    assert (scores["b"].rank, scores["b"].of) == (2, 4)
    assert scores["d"].points == D(0)
    assert (scores["e"].points, scores["e"].problem) == (D(0), Problem.NO_DATA)


def test_a_cluster_of_one_scores_full_points_on_a_rank_criterion():
    assert score_cluster(Criterion(kind=Kind.RANK), {"a": D(3)}, {})["a"].points == D(100)


def test_a_rank_criterion_cannot_be_scored_alone():
    with pytest.raises(ValueError, match="score_cluster"):
        score_value(Criterion(kind=Kind.RANK), D(1))


def test_score_cluster_scores_other_kinds_one_by_one_with_each_headcount():
    scores = score_cluster(HOURS_PER_HEAD, {"a": D(300), "b": D(300)}, {"a": 10, "b": 20})
    assert (scores["a"].points, scores["b"].points) == (D(100), D(50))


#
# Weights and totals
#


def test_weights_must_each_be_positive_and_sum_to_100():
    assert check_weights([D(40), D(60)]) == []
    assert check_weights([D(40), D(50)]) == [Problem.WEIGHTS_NOT_100]
    assert check_weights([D(0), D(100)]) == [Problem.WEIGHT_NOT_POSITIVE]


def test_a_linear_criterion_needs_a_positive_target_and_a_cap_of_at_least_100():
    assert check_criterion(Criterion(kind=Kind.LINEAR)) == [Problem.TARGET_NOT_POSITIVE]
    assert check_criterion(Criterion(kind=Kind.LINEAR, target=D(1), cap=D(90))) == [
        Problem.CAP_BELOW_100
    ]


def test_weighted_total_is_the_weighted_mean_of_weighted_contents():
    total = weighted_total(
        {
            "law": (D(40), [(D(50), D(100)), (D(50), D(60))]),
            "digital": (D(60), [(D(100), D(50))]),
        }
    )
    assert total.by_content == {"law": D(80), "digital": D(50)}
    assert total.total == D(62)


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=8))
def test_a_total_with_equal_weights_never_leaves_the_range_of_its_points(points):
    weight = D(100) / len(points)
    total = weighted_total({"c": (D(100), [(weight, p) for p in points])}).total
    assert min(points) - D("0.01") <= total <= max(points) + D("0.01")


#
# KPI comparison
#


def test_percent_change_and_fold_change_between_periods():
    assert percent_change(D(200), D(300)) == D(50)
    assert percent_change(D(200), D(150)) == D(-25)
    assert fold_change(D(200), D(600)) == D(3)
    assert percent_change(D(0), D(5)) is None
    assert fold_change(None, D(5)) is None


#
# A whole competition
#


def _linear(code: str, content: str, weight: int, target: int) -> Weighted:
    return Weighted(
        code, content, Decimal(weight), Criterion(kind=Kind.LINEAR, target=Decimal(target))
    )


def test_a_competition_ranks_each_cluster_apart_with_its_own_totals():
    criteria = [_linear("hours", "job", 100, 30), _linear("certs", "culture", 100, 10)]
    weights = {"job": Decimal(60), "culture": Decimal(40)}
    raws = {
        "kv1": {"hours": Decimal(30), "certs": Decimal(5)},
        "kv2": {"hours": Decimal(15), "certs": Decimal(10)},
        "hq": {"hours": Decimal(3), "certs": Decimal(1)},
    }
    clusters = {"kv1": "regions", "kv2": "regions", "hq": "block"}
    standings = score_competition(criteria, weights, raws, {}, clusters)
    # kv1: 60 × 100 + 40 × 50 = 80; kv2: 60 × 50 + 40 × 100 = 70
    assert standings["kv1"].total == Decimal("80.00")
    assert standings["kv2"].total == Decimal("70.00")
    assert (standings["kv1"].rank, standings["kv2"].rank, standings["kv1"].of) == (1, 2, 2)
    # the block's only member is first of one, whatever its score
    assert (standings["hq"].rank, standings["hq"].of) == (1, 1)
    assert standings["kv1"].by_content == {"job": Decimal("100.00"), "culture": Decimal("50.00")}


def test_equal_totals_share_a_rank_and_the_next_is_third():
    criteria = [_linear("hours", "job", 100, 30)]
    raws = {k: {"hours": Decimal(v)} for k, v in (("a", 30), ("b", 30), ("c", 10))}
    standings = score_competition(criteria, {"job": Decimal(100)}, raws, {}, dict.fromkeys(raws))
    assert [standings[k].rank for k in "abc"] == [1, 1, 3]


def test_a_rank_criterion_ranks_within_the_cluster_only():
    rank = Weighted("wco", "intl", Decimal(100), Criterion(kind=Kind.RANK))
    raws = {k: {"wco": Decimal(v)} for k, v in (("a", 3), ("b", 1), ("x", 0))}
    clusters = {"a": 1, "b": 1, "x": 2}
    standings = score_competition([rank], {"intl": Decimal(100)}, raws, {}, clusters)
    assert standings["a"].scores["wco"].points == Decimal(100)
    assert standings["b"].scores["wco"].points == Decimal(0)
    assert standings["x"].scores["wco"].points == Decimal(100)  # first of its own cluster


def test_weights_of_the_criteria_that_apply_are_scaled_back_to_100():
    # an officer is scored on one of a content's two criteria: it carries the whole content
    criteria = [_linear("hours", "job", 60, 30)]
    standings = score_competition(
        criteria, {"job": Decimal(50), "kpi": Decimal(50)}, {"p": {"hours": Decimal(15)}}, {}, {}
    )
    assert standings["p"].total == Decimal("50.00")
    assert standings["p"].by_content == {"job": Decimal("50.00")}


def test_a_unit_without_staff_scores_nothing_on_per_head_values_and_says_why():
    per_head = Weighted(
        "certs",
        "c",
        Decimal(100),
        Criterion(kind=Kind.LINEAR, target=Decimal(1), normalisation=Normalisation.PER_HEAD),
    )
    standings = score_competition(
        [per_head], {"c": Decimal(100)}, {"empty": {"certs": None}}, {"empty": 0}, {}
    )
    assert standings["empty"].scores["certs"].problem == Problem.NO_STAFF
    assert standings["empty"].total == 0


@given(
    st.lists(st.integers(min_value=0, max_value=200), min_size=1, max_size=12),
)
def test_a_competition_total_stays_within_0_and_100_and_ranks_follow_totals(hours):
    criteria = [_linear("hours", "job", 100, 40)]
    raws = {i: {"hours": Decimal(h)} for i, h in enumerate(hours)}
    standings = score_competition(criteria, {"job": Decimal(100)}, raws, {}, dict.fromkeys(raws))
    for standing in standings.values():
        assert 0 <= standing.total <= 100
        better = sum(1 for s in standings.values() if s.total > standing.total)
        assert standing.rank == better + 1


#
# KPI periods
#


def test_period_bounds_of_each_kind():
    assert period_bounds("quarter", 2025, 4) == (
        datetime.date(2025, 10, 1),
        datetime.date(2025, 12, 31),
    )
    assert period_bounds("half", 2024, 1) == (datetime.date(2024, 1, 1), datetime.date(2024, 6, 30))
    assert period_bounds("month", 2024, 2) == (
        datetime.date(2024, 2, 1),
        datetime.date(2024, 2, 29),
    )
    with pytest.raises(ValueError):
        period_bounds("quarter", 2025, 5)


def test_a_period_is_recognised_only_when_its_dates_are_exact():
    assert period_number("quarter", datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)) == 2
    assert period_number("quarter", datetime.date(2025, 4, 1), datetime.date(2025, 6, 29)) is None
    assert period_number("year", datetime.date(2025, 2, 1), datetime.date(2026, 1, 31)) is None


@given(st.sampled_from(["month", "quarter", "half", "year"]), st.integers(2000, 2100))
def test_the_previous_period_ends_the_day_before(kind, year):
    start, _end = period_bounds(kind, year, 1)
    before = previous_period(kind, start)
    number = period_number(kind, before, start - datetime.timedelta(days=1))
    assert number == 12 // PERIOD_MONTHS[kind]
