"""The hours ledger's rules: pure functions, no database (issue 4, §5 and §7)."""

import datetime
from decimal import Decimal

import pytest

from lifelong.learning.rules import ledger
from lifelong.learning.rules.ledger import Claim, RecordFacts, TargetRow

ADL = "http://adlnet.gov/expapi/verbs/"
D = Decimal

#
# Counted verbs
#


@pytest.mark.parametrize("verb", ["completed", "passed", "attended"])
def test_counted_verb_names_the_three_adl_verbs(verb):
    # when / then
    assert ledger.counted_verb(ADL + verb) == verb


@pytest.mark.parametrize(
    "iri",
    [
        ADL + "experienced",
        ADL + "failed",
        ADL + "voided",
        "http://example.test/verbs/completed",
        ADL + "Completed",
        "",
    ],
)
def test_counted_verb_is_none_when_the_verb_does_not_count(iri):
    # when / then
    assert ledger.counted_verb(iri) is None


#
# Durations
#


@pytest.mark.parametrize(
    ("duration", "hours"),
    [
        ("PT1H", D("1.00")),
        ("PT1H30M", D("1.50")),
        ("PT90M", D("1.50")),
        ("PT45M", D("0.75")),
        ("PT5400S", D("1.50")),
        ("PT0.5H", D("0.50")),
        ("PT1,5H", D("1.50")),
        ("PT1M30.5S", D("0.03")),
        ("P1D", D("24.00")),
        ("P1DT2H", D("26.00")),
        ("P1W", D("168.00")),
        ("PT0S", D("0.00")),
        ("P0D", D("0.00")),
        ("PT20M", D("0.33")),
        ("PT1H0M0S", D("1.00")),
    ],
)
def test_duration_hours_reads_iso_8601_durations(duration, hours):
    # when / then
    assert ledger.duration_hours(duration) == hours


@pytest.mark.parametrize(
    "duration",
    [None, "", "P", "PT", "P1DT", "1H", "PT1H30", "PT-1H", "-PT1H", "P1Y", "P2M", "PT1H2Y", "abc"],
)
def test_duration_hours_is_none_when_malformed_or_of_no_fixed_length(duration):
    # when / then
    assert ledger.duration_hours(duration) is None


def test_duration_hours_is_none_when_implausibly_long():
    # given: more than a leap year of clock time in one statement
    longest = f"PT{ledger.MAX_CLAIM_HOURS}H"
    # when / then
    assert ledger.duration_hours(longest) == ledger.MAX_CLAIM_HOURS
    assert ledger.duration_hours("PT1000000H") is None
    assert ledger.duration_hours("P400D") is None


#
# Periods and hours
#


def test_forty_periods_of_45_minutes_are_thirty_hours():
    # when / then
    assert ledger.periods_to_hours(D(40)) == D("30.00")
    assert ledger.hours_to_periods(D(30)) == D("40.00")


def test_periods_follow_the_minutes_setting():
    # when / then
    assert ledger.periods_to_hours(D(40), minutes_per_period=50) == D("33.33")
    assert ledger.hours_to_periods(D(10), minutes_per_period=50) == D("12.00")
    assert ledger.hours_to_periods(D("0.75")) == D("1.00")


#
# Business year
#


def test_the_year_is_taken_in_ho_chi_minh_time():
    # given: 31/12/2024 17:00 UTC is 01/01/2025 00:00 in Hanoi
    new_year = datetime.datetime(2024, 12, 31, 17, 0, tzinfo=datetime.UTC)
    just_before = new_year - datetime.timedelta(seconds=1)
    # when / then
    assert ledger.business_year(new_year) == 2025
    assert ledger.business_year(just_before) == 2024


def test_the_year_refuses_a_naive_time():
    # when / then
    with pytest.raises(ValueError, match="aware"):
        ledger.business_year(datetime.datetime(2025, 1, 1))


#
# Claims
#


def test_claim_key_differs_by_activity_and_registration():
    # when
    plain = ledger.claim_key("https://x.test/a", None)
    # then
    assert plain == ledger.claim_key("https://x.test/a", "")
    assert plain != ledger.claim_key("https://x.test/a", "3f1c1d7e-0000-4000-8000-000000000001")
    assert plain != ledger.claim_key("https://x.test/b", None)


def test_the_largest_claim_wins():
    # given: completed 3 h, passed 2 h of one course
    records = [RecordFacts(1, D(3), 2025), RecordFacts(2, D(2), 2025)]
    # when / then
    assert ledger.best_claim(records) == records[0]


def test_a_claim_with_hours_beats_one_without():
    # given
    records = [RecordFacts(1, None, 2025), RecordFacts(2, D("0.5"), 2025)]
    # when / then
    assert ledger.best_claim(records) == records[1]


def test_a_resent_equal_claim_changes_nothing():
    # given: the same hours stored twice (seq 5 then seq 9)
    first, again = RecordFacts(5, D(2), 2025), RecordFacts(9, D(2), 2025)
    # when / then
    assert ledger.best_claim([again, first]) == first


def test_a_voided_claim_never_counts():
    # given
    voided = RecordFacts(1, D(8), 2025, voided=True)
    kept = RecordFacts(2, D(1), 2025)
    # when / then
    assert ledger.best_claim([voided, kept]) == kept
    assert ledger.best_claim([voided]) is None
    assert ledger.best_claim([]) is None


def test_totals_count_a_claim_once_in_total_and_category_and_fully_per_content():
    # given
    claims = [
        Claim(D(6), "job_skills", ("job_position", "law_policy")),
        Claim(D(2), "other"),
        Claim(None, "digital_skills", ("digital_data",)),
        Claim(D("1.5"), "job_skills", ("job_position",)),
    ]
    # when
    result = ledger.totals(claims)
    # then
    assert result.hours_total == D("9.5")
    assert result.by_category == {"job_skills": D("7.5"), "other": D(2)}
    assert result.by_content == {"job_position": D("7.5"), "law_policy": D(6)}
    assert result.no_hours == 1


def test_totals_of_nothing_are_zero():
    # when
    result = ledger.totals([])
    # then
    assert (result.hours_total, result.by_category, result.no_hours) == (D(0), {}, 0)


#
# Targets
#

ROWS = [
    TargetRow("", 2024, None, D(30)),
    TargetRow("leadership", 2024, 2025, D(40)),
    TargetRow("", 2026, None, D(32)),
    TargetRow("professional", 2026, None, D(36)),
]


@pytest.mark.parametrize(
    ("group", "year", "hours"),
    [
        ("leadership", 2024, D(40)),
        ("leadership", 2025, D(40)),
        ("leadership", 2026, D(32)),  # the group's row ended; the all-groups row applies
        ("professional", 2025, D(30)),
        ("professional", 2026, D(36)),
        ("support", 2026, D(32)),
        ("", 2027, D(32)),
        ("", 2023, ledger.DEFAULT_TARGET_HOURS),  # no row in force yet
    ],
)
def test_target_by_job_position_group_and_year(group, year, hours):
    # when / then
    assert ledger.target_for(ROWS, group, year) == hours


def test_target_defaults_to_40_periods_without_rows():
    # when / then
    assert ledger.target_for([], "professional", 2025) == ledger.periods_to_hours(D(40))


#
# Reference date and compliance
#


def test_reference_date_is_today_or_the_end_of_a_past_year():
    # given
    today = datetime.date(2026, 5, 10)
    # when / then
    assert ledger.reference_date(2026, today) == today
    assert ledger.reference_date(2025, today) == datetime.date(2025, 12, 31)
    assert ledger.reference_date(2027, today) == today


def test_on_track_is_the_target_pro_rata_to_the_reference_date():
    # given: 1 July 2025 is day 182 of 365
    reference = datetime.date(2025, 7, 1)
    # when
    behind = ledger.compliance(D(14), D(30), 2025, reference)
    on_track = ledger.compliance(D(15), D(30), 2025, reference)
    # then
    assert behind.expected_hours == D("14.96")
    assert (behind.on_track, behind.compliant) == (False, False)
    assert (on_track.on_track, on_track.compliant) == (True, False)


def test_compliant_means_the_whole_target_and_implies_on_track():
    # when
    met = ledger.compliance(D(30), D(30), 2025, datetime.date(2025, 2, 1))
    # then
    assert (met.compliant, met.on_track) == (True, True)


def test_a_past_year_asks_for_the_whole_target_to_be_on_track():
    # when
    result = ledger.compliance(D(29), D(30), 2024, datetime.date(2024, 12, 31))
    # then
    assert result.expected_hours == D(30)
    assert (result.on_track, result.compliant) == (False, False)


def test_a_leap_year_is_counted_in_366_days():
    # when
    result = ledger.compliance(D(0), D(366), 2024, datetime.date(2024, 3, 1))
    # then: 1 March 2024 is day 61
    assert result.expected_hours == D(61)


def test_a_future_year_expects_nothing_yet():
    # when
    result = ledger.compliance(D(0), D(30), 2027, datetime.date(2026, 6, 1))
    # then
    assert (result.on_track, result.compliant, result.expected_hours) == (True, False, D(0))
