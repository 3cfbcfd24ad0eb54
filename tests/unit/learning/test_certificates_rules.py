"""Certificate rules: numbers, expiry, status."""

import datetime

import pytest

from lifelong.learning.rules.certificates import (
    CHECK_ALPHABET,
    Status,
    add_months,
    expires_within,
    expiry_date,
    format_number,
    new_check,
    normalise_number,
    status,
)

D = datetime.date


def test_format_number_reads_prefix_year_sequence_and_check():
    # when
    number = format_number(2026, 123, "7K3P")
    # then
    assert number == "HQ-2026-000123-7K3P"


def test_format_number_refuses_a_check_part_outside_the_alphabet():
    # given: O and 1 are excluded, as they are read as 0 and I
    # when / then
    with pytest.raises(ValueError, match="check"):
        format_number(2026, 1, "O1AB")


def test_new_check_parts_are_random_and_from_the_alphabet():
    # when
    checks = {new_check() for _ in range(200)}
    # then: numbers of one sequence cannot be guessed by counting
    assert len(checks) > 190
    assert all(len(c) == 4 and set(c) <= set(CHECK_ALPHABET) for c in checks)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("HQ-2026-000123-7K3P", "HQ-2026-000123-7K3P"),
        ("  hq-2026-000123-7k3p ", "HQ-2026-000123-7K3P"),
        ("HQ-2026-000123-7K3", None),
        ("HQ-2026-123-7K3P", None),
        ("'; DROP TABLE x; --", None),
        ("", None),
    ],
)
def test_normalise_number_accepts_only_the_number_shape(typed, expected):
    # when / then
    assert normalise_number(typed) == expected


def test_add_months_keeps_the_day_or_the_end_of_a_shorter_month():
    # when / then
    assert add_months(D(2026, 3, 15), 24) == D(2028, 3, 15)
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2027, 12, 31), 2) == D(2028, 2, 29)


def test_expiry_date_is_none_when_the_course_sets_no_validity():
    # when / then
    assert expiry_date(D(2026, 5, 1), None) is None
    assert expiry_date(D(2026, 5, 1), 0) is None
    assert expiry_date(D(2026, 5, 1), 12) == D(2027, 5, 1)


def test_status_is_valid_on_the_expiry_date_and_expired_the_day_after():
    # given
    expires = D(2026, 6, 30)
    # when / then
    assert status(expires_on=expires, revoked=False, today=expires) == Status.VALID
    assert status(expires_on=expires, revoked=False, today=D(2026, 7, 1)) == Status.EXPIRED
    assert status(expires_on=None, revoked=False, today=D(2040, 1, 1)) == Status.VALID


def test_revocation_wins_over_validity_and_expiry():
    # when / then
    assert status(expires_on=None, revoked=True, today=D(2026, 1, 1)) == Status.REVOKED
    assert status(expires_on=D(2020, 1, 1), revoked=True, today=D(2026, 1, 1)) == Status.REVOKED


def test_expires_within_counts_90_days_from_today_inclusive():
    # given
    today = D(2026, 1, 1)
    # when / then
    assert expires_within(D(2026, 4, 1), today)  # day 90
    assert not expires_within(D(2026, 4, 2), today)  # day 91
    assert not expires_within(D(2025, 12, 31), today)  # already expired
    assert not expires_within(None, today)
