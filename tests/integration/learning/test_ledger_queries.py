"""Ledger and unit-compliance reads: the ledger of one officer, the roll-up of a subtree."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lifelong.core.exceptions import NotFound
from lifelong.learning.models import AnnualTarget
from lifelong.learning.queries import ledger as queries
from lifelong.org import services as org_services
from tests.factories.learning_ledger import course, job_position, learn, send, statement
from tests.factories.org import account, person, unit

pytestmark = pytest.mark.django_db(transaction=True)

JULY = datetime.date(2026, 7, 2)  # day 183 of 365: half of the year's target is due


def test_person_ledger_marks_the_record_that_counts_and_lists_no_hours(org):
    # given: completed (course 6 h) and passed (2 h) of one activity, and one without hours
    officer = person(org.team_1)
    _course, iri = course("6")
    send(
        statement(officer, "completed", iri),
        statement(officer, "passed", iri, duration="PT2H"),
        statement(officer, "attended", "https://lms.example.test/talk"),
    )
    # when
    book = queries.get_person_ledger(officer, 2025, on=JULY)
    # then
    assert book.hours_total == Decimal("6.00")
    assert book.target_hours == Decimal(30)
    counting = {(r.verb, r.hours_source) for r in book.records if r.counts}
    assert counting == {("completed", "course"), ("attended", "none")}
    assert [r.activity_iri for r in book.no_hours] == ["https://lms.example.test/talk"]
    assert (book.standing.compliant, book.standing.on_track) == (False, False)
    assert {a.code: a.hours for a in book.by_category}["job_skills"] == Decimal(6)


def test_person_ledger_target_follows_the_job_position_group(org):
    # given
    leader = person(org.team_1)
    position = job_position("leadership")
    org_services.move_person(
        acting_user=None,
        person=leader,
        unit=org.team_1,
        job_position=position,
        starts_on=datetime.date(2024, 1, 1),
    )
    leader.refresh_from_db()
    AnnualTarget.objects.create(position_group="leadership", from_year=2025, hours=45)
    AnnualTarget.objects.create(position_group="", from_year=2025, hours=20)
    # when
    mine = queries.get_person_ledger(leader, 2025, with_records=False)
    other = queries.get_person_ledger(person(org.team_1), 2025, with_records=False)
    # then
    assert (mine.target_hours, other.target_hours) == (Decimal(45), Decimal(20))


def test_access_ledger_person_refuses_outside_scope_and_allows_oneself(org):
    # given
    officer, stranger = person(org.team_1), person(org.team_2)
    head = account("head", ("unit_head", org.region_1))
    me = account("me", ("officer", org.team_2), person=stranger)
    # when / then
    assert queries.access_ledger_person(head, officer.officer_code) == officer
    assert queries.access_ledger_person(me, stranger.officer_code) == stranger
    with pytest.raises(NotFound):
        queries.access_ledger_person(head, stranger.officer_code)
    with pytest.raises(NotFound):
        queries.access_ledger_person(me, officer.officer_code)


def test_unit_compliance_this_year_counts_on_track_pro_rata(org):
    # given: on 2 July 2026, 15 of the 30 hours are due
    ahead, behind, done = person(org.team_1), person(org.team_1), person(org.region_1)
    learn(ahead, 16, year=2026)
    learn(behind, 10, year=2026)
    learn(done, 31, year=2026)
    retired = person(org.team_1)
    org_services.update_person(acting_user=None, person=retired, status="retired")
    # when
    result = queries.unit_compliance(org.region_1, 2026, on=JULY)
    # then
    figures = result.figures
    assert (figures.headcount, figures.on_track, figures.compliant) == (3, 2, 1)
    assert figures.hours_per_head == 19.0
    assert figures.on_track_share == 0.6667
    rows = {row.unit.pk if row.unit else None: row.figures.headcount for row in result.sub_units}
    assert rows == {None: 1, org.team_1.pk: 2}


def test_unit_compliance_of_a_past_year_rolls_up_a_former_unit_to_its_successor(org):
    # given: a provincial department with 2024 learning, merged into region 1 in 2025
    province = unit(
        "Cục Hải quan tỉnh Lạng Sơn", parent=org.root, kind="provincial_department", code="LS"
    )
    former = person(province, hire_date=datetime.date(2010, 1, 1))
    learn(former, 40, year=2024)
    org_services.record_succession(
        acting_user=None,
        predecessor=province,
        successor=org.region_1,
        kind="merge",
        effective_on=datetime.date(2025, 3, 1),
    )
    org_services.move_person(
        acting_user=None,
        person=former,
        unit=org.team_1,
        job_position=None,
        starts_on=datetime.date(2025, 3, 1),
    )
    person(org.team_1, hire_date=datetime.date(2025, 6, 1))  # not there on 31/12/2024
    # when
    past = queries.unit_compliance(org.region_1, 2024, on=JULY)
    elsewhere = queries.unit_compliance(org.region_2, 2024, on=JULY)
    # then
    assert (past.figures.headcount, past.figures.compliant) == (1, 1)
    assert past.figures.hours_per_head == 40.0
    assert past.reference == datetime.date(2024, 12, 31)
    assert [r.unit for r in past.sub_units if r.figures.headcount] == [None]
    assert elsewhere.figures.headcount == 0


def test_unit_compliance_runs_a_constant_number_of_queries(org):
    # given
    for _ in range(3):
        learn(person(org.team_1), 5, year=2026)
    with CaptureQueriesContext(connection) as few:
        queries.unit_compliance(org.root, 2026, on=JULY)
    for _ in range(10):
        learn(person(org.team_2), 50, year=2026)
    # when
    with CaptureQueriesContext(connection) as many:
        result = queries.unit_compliance(org.root, 2026, on=JULY)
    # then
    assert result.figures.headcount == 13
    assert len(many) == len(few) <= 4


def test_behind_officers_lists_those_not_on_track_with_search(org):
    # given
    slow = person(org.team_1, "Trần", "Thị", "Hoa")
    person(org.team_1, "Lê", "Văn", "Bình")
    fast = person(org.team_1, "Phạm", "Văn", "Cường")
    learn(slow, 3, year=2026)
    learn(fast, 20, year=2026)
    # when
    behind = queries.behind_officers(org.region_1, 2026, on=JULY)
    found = queries.behind_officers(org.region_1, 2026, on=JULY, query="tran hoa")
    # then
    assert [b.full_name for b in behind] == ["Lê Văn Bình", "Trần Thị Hoa"]
    assert len(behind) == 2
    assert [(b.officer_code, b.hours, b.expected_hours) for b in found] == [
        (slow.officer_code, Decimal("3.00"), Decimal("15.04"))
    ]


def test_unit_compliance_applies_each_groups_target(org):
    # given: leaders need 40 hours in 2025, everyone else 20
    AnnualTarget.objects.create(position_group="", from_year=2025, hours=20)
    AnnualTarget.objects.create(position_group="leadership", from_year=2025, hours=40)
    leader_position = job_position("leadership")
    leader, officer, unplaced = person(org.team_1), person(org.team_1), person(org.team_1)
    for who in (leader, officer):
        org_services.move_person(
            acting_user=None,
            person=who,
            unit=org.team_1,
            job_position=leader_position if who == leader else job_position("professional"),
            starts_on=datetime.date(2024, 1, 1),
        )
    for who in (leader, officer, unplaced):
        learn(who, 25)
    # when
    result = queries.unit_compliance(org.team_1, 2025, on=JULY)
    behind = queries.behind_officers(org.team_1, 2025, on=JULY)
    # then: 25 hours meet 20 but not 40
    assert (result.figures.headcount, result.figures.compliant) == (3, 2)
    assert [(b.officer_code, b.target_hours) for b in behind] == [
        (leader.officer_code, Decimal(40))
    ]
