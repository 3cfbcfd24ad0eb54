"""Submission rules: authors' shares, the texts a draft and a submission need, the statuses."""

import datetime
import itertools
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lifelong.initiatives.rules import (
    Action,
    Problem,
    Status,
    check_shares,
    check_submission,
    transition,
)

TODAY = datetime.date(2025, 6, 10)

#
# Shares
#


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        ([("HQ1", Decimal(100))], []),
        ([("HQ1", Decimal(60)), ("HQ2", Decimal(40))], []),
        ([("HQ1", Decimal("33.33")), ("HQ2", Decimal("33.33")), ("HQ3", Decimal("33.34"))], []),
        ([("HQ1", Decimal(60)), ("HQ2", Decimal(30))], [Problem.SHARES_NOT_100]),
        ([("HQ1", Decimal(70)), ("HQ2", Decimal(40))], [Problem.SHARES_NOT_100]),
        ([("HQ1", Decimal("99.99"))], [Problem.SHARES_NOT_100]),
        ([("HQ1", Decimal(100)), ("HQ2", Decimal(0))], [Problem.SHARE_NOT_POSITIVE]),
        (
            [("HQ1", Decimal(120)), ("HQ2", Decimal(-20))],
            [Problem.SHARE_NOT_POSITIVE],
        ),
        ([("HQ1", Decimal(50)), ("HQ1", Decimal(50))], [Problem.AUTHOR_TWICE]),
        ([], [Problem.NO_AUTHORS]),
    ],
)
def test_check_shares_names_each_problem_of_the_authors(authors, expected):
    # when
    problems = check_shares(authors)
    # then
    assert problems == expected


def test_check_shares_wants_the_writer_among_the_authors():
    # given
    authors = [("HQ1", Decimal(60)), ("HQ2", Decimal(40))]
    # when / then
    assert check_shares(authors, writer="HQ2") == []
    assert check_shares(authors, writer="HQ9") == [Problem.WRITER_NOT_AUTHOR]


def test_check_shares_lists_several_problems_at_once():
    # given: a duplicated author, a zero share and a total of 90
    authors = [("HQ1", Decimal(90)), ("HQ1", Decimal(0))]
    # when
    problems = check_shares(authors, writer="HQ2")
    # then
    assert problems == [
        Problem.AUTHOR_TWICE,
        Problem.SHARE_NOT_POSITIVE,
        Problem.SHARES_NOT_100,
        Problem.WRITER_NOT_AUTHOR,
    ]


@st.composite
def shares_summing_to_100(draw: st.DrawFn) -> list[Decimal]:
    """Draw 1-10 positive shares in hundredths of a percent that add up to exactly 100%."""
    count = draw(st.integers(min_value=1, max_value=10))
    cuts = sorted(
        draw(
            st.lists(
                st.integers(min_value=1, max_value=9999),
                min_size=count - 1,
                max_size=count - 1,
                unique=True,
            )
        )
    )
    bounds = [0, *cuts, 10000]
    return [Decimal(high - low) / 100 for low, high in itertools.pairwise(bounds)]


@settings(max_examples=200, deadline=None)
@given(shares=shares_summing_to_100())
def test_shares_summing_to_100_pass(shares):
    # given
    authors = [(f"HQ{i:04d}", share) for i, share in enumerate(shares)]
    # when / then
    assert check_shares(authors, writer="HQ0000") == []


@settings(max_examples=200, deadline=None)
@given(shares=shares_summing_to_100(), off=st.integers(min_value=-500, max_value=500))
def test_shares_off_by_any_hundredth_are_refused(shares, off):
    # given: one share moved by a non-zero number of hundredths, kept positive
    assume(off != 0 and shares[0] + Decimal(off) / 100 > 0)
    authors = [(f"HQ{i:04d}", share) for i, share in enumerate(shares)]
    code, first = authors[0]
    authors[0] = (code, first + Decimal(off) / 100)
    # when / then
    assert check_shares(authors) == [Problem.SHARES_NOT_100]


#
# Texts
#


def _texts(**overrides):
    values = {
        "title": "Tự động hóa đối chiếu bản lược khai điện tử",
        "problem": "Đối chiếu thủ công mất nhiều giờ mỗi chuyến bay.",
        "solution": "Công cụ so khớp bản lược khai với tờ khai.",
        "novelty": "Lần đầu áp dụng tại chi cục.",
        "applied_from": datetime.date(2025, 1, 15),
        "today": TODAY,
        "submitting": True,
    }
    values.update(overrides)
    return values


def test_a_complete_case_may_be_submitted():
    # when / then
    assert check_submission(**_texts()) == []


def test_a_draft_needs_only_a_title():
    # given
    draft = _texts(problem="", solution=" ", novelty="", applied_from=None, submitting=False)
    # when / then
    assert check_submission(**draft) == []
    assert check_submission(**{**draft, "title": "  "}) == [("title", Problem.TITLE_REQUIRED)]


def test_a_submission_names_every_missing_text_by_field():
    # given
    case = _texts(problem="", solution="", novelty=" ", applied_from=None)
    # when
    problems = check_submission(**case)
    # then
    assert problems == [
        ("problem", Problem.PROBLEM_REQUIRED),
        ("solution", Problem.SOLUTION_REQUIRED),
        ("novelty", Problem.NOVELTY_REQUIRED),
        ("applied_from", Problem.APPLIED_FROM_REQUIRED),
    ]


@pytest.mark.parametrize("submitting", [True, False])
def test_applied_from_may_not_lie_in_the_future(submitting):
    # given
    tomorrow = TODAY + datetime.timedelta(days=1)
    # when
    problems = check_submission(**_texts(applied_from=tomorrow, submitting=submitting))
    # then
    assert problems == [("applied_from", Problem.APPLIED_FROM_FUTURE)]
    assert check_submission(**_texts(applied_from=TODAY, submitting=submitting)) == []


#
# Status machine
#


@pytest.mark.parametrize(
    ("status", "action", "after"),
    [
        (Status.DRAFT, Action.EDIT, Status.DRAFT),
        (Status.DRAFT, Action.SUBMIT, Status.SUBMITTED),
        (Status.RETURNED, Action.EDIT, Status.RETURNED),
        (Status.RETURNED, Action.SUBMIT, Status.SUBMITTED),
        (Status.SUBMITTED, Action.RETURN, Status.RETURNED),
        (Status.SUBMITTED, Action.RECOGNISE, Status.RECOGNISED),
        (Status.SUBMITTED, Action.REFUSE, Status.REFUSED),
    ],
)
def test_transition_allows_the_submission_steps(status, action, after):
    # when / then
    assert transition(status, action) is after


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.SUBMITTED, Action.EDIT),
        (Status.SUBMITTED, Action.SUBMIT),
        (Status.RECOGNISED, Action.EDIT),
        (Status.RECOGNISED, Action.SUBMIT),
        (Status.REFUSED, Action.EDIT),
        (Status.REFUSED, Action.SUBMIT),
        (Status.DRAFT, Action.RECOGNISE),
        (Status.DRAFT, Action.RETURN),
    ],
)
def test_transition_refuses_editing_or_submitting_what_the_council_holds(status, action):
    # when / then
    assert transition(status, action) is None


def test_transition_takes_the_stored_status_string():
    # when / then
    assert transition("returned", Action.SUBMIT) is Status.SUBMITTED
