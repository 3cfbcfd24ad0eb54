"""Rules of the catalogue: course length in periods and hours, activity IRIs."""

from decimal import Decimal

from lifelong.learning.rules.catalogue import course_length, parse_iris


def test_hours_are_derived_from_periods_of_45_minutes():
    # when
    length = course_length(Decimal(40), None)
    # then
    assert (length.periods, length.hours, length.problem) == (Decimal(40), Decimal("30.00"), "")


def test_periods_are_derived_from_hours_and_the_setting():
    # when
    length = course_length(None, Decimal(30), minutes_per_period=50)
    # then
    assert length.periods == Decimal("36.00")


def test_both_given_are_kept_as_given():
    # when / then
    assert course_length(Decimal(3), Decimal(2)).hours == Decimal(2)


def test_a_missing_or_negative_length_is_a_problem():
    # when / then
    assert course_length(None, None).problem == "missing"
    assert course_length(Decimal(-1), None).problem == "negative"


def test_iris_are_read_one_per_line_without_blanks_or_repeats():
    # given
    text = "https://lms.test/a\n\n  https://lms.test/b \nhttps://lms.test/a\nnot an iri\nftp://x/y"
    # when
    valid, invalid = parse_iris(text)
    # then
    assert valid == ["https://lms.test/a", "https://lms.test/b"]
    assert invalid == ["not an iri", "ftp://x/y"]
