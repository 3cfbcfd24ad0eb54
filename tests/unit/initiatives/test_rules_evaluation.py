"""The evaluation rules: the tally (quorum, exclusion, pass score, vote), levels, councils."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lifelong.initiatives.rules import (
    LEVELS,
    Action,
    Criteria,
    MemberScore,
    Policy,
    Problem,
    Status,
    Votes,
    check_council,
    check_decision,
    check_score,
    check_target_level,
    check_votes,
    next_level,
    tally,
    transition,
)

CRITERIA = Criteria(novelty=30, application=30, benefit=40)
POLICY = Policy(criteria=CRITERIA, pass_score=50, quorum_pct=50, vote_threshold_pct=50)
GOOD = MemberScore(novelty=20, application=20, benefit=30)  # 70 points
TODAY = datetime.date(2025, 6, 1)


def _scores(n: int, score: MemberScore = GOOD) -> list[MemberScore]:
    return [score] * n


#
# The tally
#


def test_tally_recognises_when_quorum_score_and_vote_all_hold():
    # given: 3 of 5 members scored 70 on average, 3 of 5 voted in favour
    # when
    result = tally(POLICY, _scores(3), Votes(3, 1, 1), members=5)
    # then
    assert result.reasons == []
    assert result.recognisable
    assert (result.scored, result.members, result.average_total) == (3, 5, Decimal("70.00"))


def test_quorum_is_more_than_the_share_so_exactly_half_is_not_enough():
    # given: 2 of 4 members scored (exactly 50%, the policy wants more than 50%)
    # when
    result = tally(POLICY, _scores(2), Votes(3, 0, 0), members=4)
    # then
    assert result.reasons == [Problem.NO_QUORUM]


def test_quorum_is_met_one_score_above_the_share():
    # given: 3 of 4 members scored
    # when / then
    assert tally(POLICY, _scores(3), Votes(3, 0, 0), members=4).reasons == []


def test_no_scores_at_all_fail_the_quorum_but_not_the_pass_score():
    # given: nobody scored (an average of nothing is not "below the pass score")
    # when
    result = tally(POLICY, [], Votes(3, 0, 0), members=4)
    # then
    assert result.reasons == [Problem.NO_QUORUM]
    assert result.average_total == Decimal(0)


def test_a_council_without_members_never_reaches_a_quorum_nor_a_vote():
    # when
    result = tally(POLICY, [], Votes(0, 0, 0), members=0)
    # then
    assert result.reasons == [Problem.NO_QUORUM, Problem.VOTE_BELOW_THRESHOLD]


def test_one_member_finding_it_excluded_stops_recognition():
    # given
    scores = [*_scores(2), MemberScore(25, 25, 35, excluded=True)]
    # when
    result = tally(POLICY, scores, Votes(3, 0, 0), members=3)
    # then
    assert result.reasons == [Problem.EXCLUDED]
    assert result.excluded_by == 1


def test_the_average_total_must_reach_the_pass_score():
    # given: 49 and 50 points average to 49.5, below 50
    scores = [MemberScore(15, 14, 20), MemberScore(15, 15, 20)]
    # when
    result = tally(POLICY, scores, Votes(2, 0, 0), members=2)
    # then
    assert result.average_total == Decimal("49.50")
    assert result.reasons == [Problem.SCORE_BELOW_PASS]


def test_an_average_exactly_at_the_pass_score_passes():
    # given: "reaches" the pass score: 50 is enough
    scores = [MemberScore(10, 10, 30), MemberScore(20, 10, 20)]
    # when / then
    assert tally(POLICY, scores, Votes(2, 0, 0), members=2).reasons == []


def test_a_missing_vote_is_a_reason():
    # when
    result = tally(POLICY, _scores(3), None, members=3)
    # then
    assert result.reasons == [Problem.VOTE_MISSING]
    assert result.votes is None


def test_the_vote_threshold_counts_all_members_not_those_present():
    # given: 2 for and 0 against, but the council has 5 members: 40% is not more than 50%
    # when
    result = tally(POLICY, _scores(3), Votes(2, 0, 0), members=5)
    # then
    assert result.reasons == [Problem.VOTE_BELOW_THRESHOLD]


def test_a_vote_of_exactly_the_threshold_is_not_enough():
    # given: 3 of 6 in favour is 50%, the threshold wants more than 50%
    # when / then
    assert tally(POLICY, _scores(6), Votes(3, 3, 0), members=6).reasons == [
        Problem.VOTE_BELOW_THRESHOLD
    ]
    assert tally(POLICY, _scores(6), Votes(4, 2, 0), members=6).reasons == []


def test_a_two_thirds_threshold_is_read_exactly_without_rounding():
    # given: more than 66% of 3 members: 2 of 3 is 66.67% > 66%, but of 100 members 66 is not
    policy = Policy(criteria=CRITERIA, pass_score=50, quorum_pct=50, vote_threshold_pct=66)
    # when / then
    assert tally(policy, _scores(3), Votes(2, 1, 0), members=3).reasons == []
    assert tally(policy, _scores(100), Votes(66, 34, 0), members=100).reasons == [
        Problem.VOTE_BELOW_THRESHOLD
    ]


def test_every_failing_condition_is_listed_in_order():
    # given
    scores = [MemberScore(0, 0, 0, excluded=True)]
    # when
    result = tally(POLICY, scores, Votes(1, 3, 0), members=4)
    # then
    assert result.reasons == [
        Problem.NO_QUORUM,
        Problem.EXCLUDED,
        Problem.SCORE_BELOW_PASS,
        Problem.VOTE_BELOW_THRESHOLD,
    ]


def test_averages_per_criterion_are_rounded_to_hundredths():
    # given
    scores = [MemberScore(10, 20, 30), MemberScore(11, 20, 30), MemberScore(11, 21, 31)]
    # when
    result = tally(POLICY, scores, Votes(3, 0, 0), members=3)
    # then
    assert (result.average_novelty, result.average_application, result.average_benefit) == (
        Decimal("10.67"),
        Decimal("20.33"),
        Decimal("30.33"),
    )


@given(
    members=st.integers(min_value=1, max_value=40),
    scored=st.integers(min_value=0, max_value=40),
    in_favour=st.integers(min_value=0, max_value=40),
    quorum=st.integers(min_value=0, max_value=100),
    threshold=st.integers(min_value=0, max_value=99),
)
def test_quorum_and_vote_are_strictly_more_than_their_share(
    members, scored, in_favour, quorum, threshold
):
    # given
    assume(scored <= members and in_favour <= members)
    policy = Policy(CRITERIA, pass_score=0, quorum_pct=quorum, vote_threshold_pct=threshold)
    # when
    result = tally(policy, _scores(scored), Votes(in_favour, 0, 0), members)
    # then: the same decision as exact fractions give
    assert (Problem.NO_QUORUM in result.reasons) == (not scored / members > quorum / 100)
    assert (Problem.VOTE_BELOW_THRESHOLD in result.reasons) == (
        not in_favour / members > threshold / 100
    )


@given(
    st.lists(
        st.builds(
            MemberScore,
            novelty=st.integers(0, 30),
            application=st.integers(0, 30),
            benefit=st.integers(0, 40),
            excluded=st.booleans(),
        ),
        min_size=1,
        max_size=15,
    )
)
def test_recognisable_exactly_when_no_reason_stands(scores):
    # given: every member scored and voted in favour
    members = len(scores)
    # when
    result = tally(POLICY, scores, Votes(members, 0, 0), members)
    # then
    average = Decimal(sum(s.total for s in scores)) / members
    expected = not any(s.excluded for s in scores) and average >= POLICY.pass_score
    assert result.recognisable == expected
    assert result.excluded_by == sum(s.excluded for s in scores)


#
# Scores, votes, decisions
#


def test_check_score_accepts_zero_and_each_maximum():
    # when / then
    assert check_score(CRITERIA, MemberScore(0, 0, 0)) == []
    assert check_score(CRITERIA, MemberScore(30, 30, 40)) == []


def test_check_score_names_each_criterion_out_of_range():
    # when
    problems = check_score(CRITERIA, MemberScore(31, -1, 41))
    # then
    assert problems == [
        ("novelty", Problem.SCORE_OUT_OF_RANGE),
        ("application", Problem.SCORE_OUT_OF_RANGE),
        ("benefit", Problem.SCORE_OUT_OF_RANGE),
    ]


@pytest.mark.parametrize(
    ("votes", "members", "expected"),
    [
        (Votes(3, 1, 1), 5, None),
        (Votes(5, 0, 0), 5, None),
        (Votes(0, 0, 0), 5, None),
        (Votes(3, 2, 1), 5, Problem.VOTES_OVER_MEMBERS),
        (Votes(-1, 0, 0), 5, Problem.VOTES_OVER_MEMBERS),
    ],
)
def test_check_votes_refuses_more_votes_than_members(votes, members, expected):
    # when / then
    assert check_votes(votes, members) is expected


def test_check_decision_wants_a_number_and_a_date_not_in_the_future():
    # when / then
    assert check_decision(number="12/QĐ-HQ", date=TODAY, today=TODAY) == []
    assert check_decision(number="  ", date=None, today=TODAY) == [
        ("decision_number", Problem.DECISION_REQUIRED),
        ("decision_date", Problem.DECISION_REQUIRED),
    ]
    assert check_decision(
        number="12/QĐ-HQ", date=TODAY + datetime.timedelta(days=1), today=TODAY
    ) == [("decision_date", Problem.DECISION_IN_FUTURE)]


#
# Levels and transitions
#


@pytest.mark.parametrize(
    ("current", "expected"),
    [(None, "co_so"), ("", "co_so"), ("co_so", "bo"), ("bo", "toan_quoc"), ("toan_quoc", None)],
)
def test_next_level_climbs_one_step_at_a_time(current, expected):
    # when / then
    assert next_level(current) == expected


@pytest.mark.parametrize(
    ("current", "target", "expected"),
    [
        (None, "co_so", None),
        ("co_so", "bo", None),
        ("bo", "toan_quoc", None),
        (None, "bo", Problem.LEVEL_SKIPPED),
        ("co_so", "toan_quoc", Problem.LEVEL_SKIPPED),
        ("co_so", "co_so", Problem.LEVEL_ALREADY),
        ("bo", "co_so", Problem.LEVEL_ALREADY),
        ("toan_quoc", "toan_quoc", Problem.LEVEL_ALREADY),
    ],
)
def test_check_target_level_refuses_skipped_and_repeated_levels(current, target, expected):
    # when / then
    assert check_target_level(current, target) is expected


@given(st.sampled_from([None, *LEVELS]), st.sampled_from(LEVELS))
def test_only_the_next_level_is_a_valid_target(current, target):
    # when / then
    assert (check_target_level(current, target) is None) == (next_level(current) == target)


@pytest.mark.parametrize(
    ("status", "action", "after"),
    [
        (Status.SUBMITTED, Action.RETURN, Status.RETURNED),
        (Status.SUBMITTED, Action.RECOGNISE, Status.RECOGNISED),
        (Status.SUBMITTED, Action.REFUSE, Status.REFUSED),
        (Status.RECOGNISED, Action.PROPOSE, Status.RECOGNISED),
        (Status.RECOGNISED, Action.RECOGNISE, Status.RECOGNISED),
        # a refusal at a higher level keeps the lower recognition
        (Status.RECOGNISED, Action.REFUSE, Status.RECOGNISED),
    ],
)
def test_transition_allows_the_council_steps(status, action, after):
    # when / then
    assert transition(status, action) is after


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.DRAFT, Action.RECOGNISE),
        (Status.DRAFT, Action.PROPOSE),
        (Status.RETURNED, Action.RECOGNISE),
        (Status.REFUSED, Action.PROPOSE),
        (Status.SUBMITTED, Action.PROPOSE),
        (Status.RECOGNISED, Action.RETURN),
        (Status.REFUSED, Action.RETURN),
    ],
)
def test_transition_refuses_council_steps_out_of_turn(status, action):
    # when / then
    assert transition(status, action) is None


#
# Councils
#


def _council(**overrides):
    values = {
        "council_level": "co_so",
        "council_unit_path": "00000001" + "00000002",
        "established_on": datetime.date(2020, 1, 1),
        "dissolved_on": None,
        "initiative_unit_path": "00000001" + "00000002" + "00000003",
        "target_level": "co_so",
        "on": TODAY,
    }
    values.update(overrides)
    return check_council(**values)


def test_a_unit_council_evaluates_its_subtree_at_grassroots_level():
    # when / then
    assert _council() is None
    assert _council(initiative_unit_path="0000000100000002") is None


def test_a_unit_council_does_not_recognise_at_ministry_level():
    # when / then
    assert _council(target_level="bo") is Problem.COUNCIL_WRONG_LEVEL


@pytest.mark.parametrize("target", ["bo", "toan_quoc"])
def test_the_ministry_council_recognises_at_ministry_and_national_level(target):
    # when / then
    assert _council(council_level="bo", council_unit_path="00000001", target_level=target) is None
    assert (
        _council(council_level="bo", council_unit_path="00000001", target_level="co_so")
        is Problem.COUNCIL_WRONG_LEVEL
    )


def test_a_council_of_another_branch_is_out_of_scope():
    # when / then
    assert _council(initiative_unit_path="0000000100000009") is Problem.COUNCIL_OUT_OF_SCOPE


@pytest.mark.parametrize(
    ("established", "dissolved", "expected"),
    [
        (TODAY, None, None),
        (TODAY + datetime.timedelta(days=1), None, Problem.COUNCIL_NOT_IN_FORCE),
        (datetime.date(2020, 1, 1), TODAY, None),
        (
            datetime.date(2020, 1, 1),
            TODAY - datetime.timedelta(days=1),
            Problem.COUNCIL_NOT_IN_FORCE,
        ),
    ],
)
def test_a_council_acts_between_establishment_and_dissolution(established, dissolved, expected):
    # when / then
    assert _council(established_on=established, dissolved_on=dissolved) is expected
