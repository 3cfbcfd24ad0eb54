"""Classes: enrolment and the waiting list, attendance statements and the ledger, access."""

import datetime
from decimal import Decimal

import pytest

from lifelong.core.exceptions import Conflict, NotFound, ValidationFailed
from lifelong.learning.choices import EnrolmentSource, EnrolmentStatus
from lifelong.learning.models import Attendance, Certificate, EnrolmentStatement, LedgerYear
from lifelong.learning.services import classes
from lifelong.lrs.queries import get_statement
from tests.factories import learning_catalogue as lc
from tests.factories.org import account, person

D1 = datetime.date(2025, 3, 3)
D2 = datetime.date(2025, 3, 4)


def _enrol(course_class, officer, user=None, source=EnrolmentSource.TRAINING_OFFICE):
    return classes.enrol(acting_user=user, course_class=course_class, person=officer, source=source)


@pytest.mark.django_db
def test_enrolment_over_capacity_goes_to_the_waiting_list_in_order(org):
    # given
    course_class = lc.course_class(lc.course(), org.root, capacity=2)
    a, b, c, d = (person(org.team_1, given=g) for g in ("An", "Bình", "Cường", "Dũng"))
    # when
    results = [_enrol(course_class, p) for p in (a, b, c, d)]
    # then
    assert [(e.status, e.waitlist_position) for e in results] == [
        ("enrolled", None),
        ("enrolled", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]


@pytest.mark.django_db
def test_withdrawing_promotes_the_first_waiting_officer(org):
    # given
    course_class = lc.course_class(lc.course(), org.root, capacity=1)
    first, second, third = (person(org.team_1, given=g) for g in ("An", "Bình", "Cường"))
    seated = _enrol(course_class, first)
    waiting_1 = _enrol(course_class, second)
    waiting_2 = _enrol(course_class, third)
    # when
    classes.withdraw(acting_user=None, enrolment=seated)
    # then
    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    assert (waiting_1.status, waiting_1.waitlist_position) == ("enrolled", None)
    assert (waiting_2.status, waiting_2.waitlist_position) == ("waitlisted", 1)


@pytest.mark.django_db
def test_enrolling_twice_is_refused(org):
    # given
    course_class = lc.course_class(lc.course(), org.root)
    officer = person(org.team_1)
    _enrol(course_class, officer)
    # when / then
    with pytest.raises(Conflict):
        _enrol(course_class, officer)


@pytest.mark.django_db
def test_an_officer_enrols_themselves_only_in_an_open_class(org):
    # given
    officer = person(org.team_1)
    user = account("officer1", ("officer", org.team_1), person=officer)
    planned = lc.course_class(lc.course(), org.root, status="planned")
    open_class = lc.course_class(lc.course(), org.root)
    # when
    enrolment = _enrol(open_class, officer, user, EnrolmentSource.SELF)
    # then
    assert enrolment.source == "self" and enrolment.status == "enrolled"
    with pytest.raises(ValidationFailed):
        _enrol(planned, officer, user, EnrolmentSource.SELF)


@pytest.mark.django_db
def test_a_full_class_is_refused_when_the_waiting_list_is_not_wanted(org):
    # given
    course_class = lc.course_class(lc.course(), org.root, capacity=1)
    _enrol(course_class, person(org.team_1))
    # when / then
    with pytest.raises(Conflict):
        classes.enrol(
            acting_user=None,
            course_class=course_class,
            person=person(org.team_1),
            source=EnrolmentSource.TRAINING_OFFICE,
            allow_waitlist=False,
        )


@pytest.mark.django_db
def test_a_unit_head_of_region_1_cannot_enrol_an_officer_of_region_2(org):
    # given
    course_class = lc.course_class(lc.course(), org.root)
    head = account("head1", ("unit_head", org.region_1))
    mine, theirs = person(org.team_1), person(org.team_2)
    # when
    enrolment = _enrol(course_class, mine, head, EnrolmentSource.UNIT_HEAD)
    # then
    assert enrolment.source == "unit_head"
    with pytest.raises(NotFound):
        _enrol(course_class, theirs, head, EnrolmentSource.UNIT_HEAD)


@pytest.mark.django_db
def test_an_officer_cannot_take_attendance(org):
    # given
    course_class = lc.course_class(lc.course(), org.root)
    session = lc.session(course_class, D1)
    officer = person(org.team_1)
    user = account("officer1", ("officer", org.team_1), person=officer)
    enrolment = _enrol(course_class, officer)
    # when / then
    with pytest.raises(NotFound):
        classes.set_attendance(acting_user=user, session=session, enrolment=enrolment, present=True)
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_a_training_office_of_region_2_cannot_take_attendance_of_a_region_1_class(org):
    # given
    course_class = lc.course_class(lc.course(), org.region_1)
    session = lc.session(course_class, D1)
    enrolment = _enrol(course_class, person(org.team_1))
    other_office = lc.training_office("office2", org.region_2)
    # when / then
    with pytest.raises(NotFound):
        classes.set_attendance(
            acting_user=other_office, session=session, enrolment=enrolment, present=True
        )


@pytest.mark.django_db(transaction=True)
def test_attendance_counts_the_class_once_with_the_cumulative_hours(org):
    # given: two sessions of 4 hours
    course_class = lc.course_class(lc.course(hours=Decimal(8)), org.root)
    s1, s2 = lc.session(course_class, D1), lc.session(course_class, D2)
    officer = person(org.team_1)
    enrolment = _enrol(course_class, officer)
    office = lc.training_office("office", org.root)
    # when
    classes.set_attendance(acting_user=office, session=s1, enrolment=enrolment, present=True)
    after_one = LedgerYear.objects.get(person=officer, year=2025).hours_total
    classes.set_attendance(acting_user=office, session=s2, enrolment=enrolment, present=True)
    # then: 4, then 8 (not 4 + 8)
    assert after_one == Decimal("4.00")
    assert LedgerYear.objects.get(person=officer, year=2025).hours_total == Decimal("8.00")
    row = Attendance.objects.get(enrolment=enrolment, session=s2)
    statement = get_statement(str(row.statement_id))
    assert statement is not None
    assert statement["result"]["duration"] == "PT8H"
    assert statement["context"]["registration"] == str(enrolment.registration)
    assert statement["object"]["id"].endswith(f"/xapi/activities/course/{course_class.course.code}")
    grouping = statement["context"]["contextActivities"]["grouping"]
    assert grouping[0]["id"].endswith(f"/xapi/activities/class/{course_class.code}")
    assert statement["timestamp"].startswith("2025-03-04T08:00:00+07:00")


@pytest.mark.django_db(transaction=True)
def test_unmarking_a_session_voids_the_larger_claim_and_writes_the_new_total(org):
    # given
    course_class = lc.course_class(lc.course(hours=Decimal(8)), org.root)
    s1, s2 = lc.session(course_class, D1), lc.session(course_class, D2, Decimal(3))
    officer = person(org.team_1)
    enrolment = _enrol(course_class, officer)
    classes.take_attendance(
        acting_user=None, course_class=course_class, present={(enrolment.pk, s1.pk)}
    )
    classes.take_attendance(
        acting_user=None,
        course_class=course_class,
        present={(enrolment.pk, s1.pk), (enrolment.pk, s2.pk)},
    )
    assert LedgerYear.objects.get(person=officer, year=2025).hours_total == Decimal("7.00")
    # when: session 1 was recorded by mistake
    classes.set_attendance(acting_user=None, session=s1, enrolment=enrolment, present=False)
    # then
    assert LedgerYear.objects.get(person=officer, year=2025).hours_total == Decimal("3.00")
    live = EnrolmentStatement.objects.filter(enrolment=enrolment, voided=False)
    assert [(s.verb, s.hours) for s in live] == [("attended", Decimal("3.00"))]


@pytest.mark.django_db(transaction=True)
def test_completion_claims_the_attended_hours_and_counts_once(org):
    # given: a 10-hour course, 4 hours attended
    course_class = lc.course_class(lc.course(hours=Decimal(10)), org.root)
    s1 = lc.session(course_class, D1)
    lc.session(course_class, D2, Decimal(6))
    officer = person(org.team_1)
    enrolment = _enrol(course_class, officer)
    classes.set_attendance(acting_user=None, session=s1, enrolment=enrolment, present=True)
    # when
    classes.record_result(acting_user=None, enrolment=enrolment, score=Decimal("8.5"), passed=True)
    classes.record_completion(acting_user=None, enrolment=enrolment)
    # then
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    live = {s.verb: s.hours for s in EnrolmentStatement.objects.filter(enrolment=enrolment)}
    assert live == {"attended": Decimal(4), "passed": Decimal(4), "completed": Decimal(4)}
    assert LedgerYear.objects.get(person=officer, year=2025).hours_total == Decimal("4.00")


@pytest.mark.django_db
def test_a_future_session_cannot_be_marked_attended(org):
    # given
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    course_class = lc.course_class(lc.course(), org.root, start=tomorrow, end=tomorrow)
    session = lc.session(course_class, tomorrow)
    enrolment = _enrol(course_class, person(org.team_1))
    # when / then
    with pytest.raises(ValidationFailed):
        classes.set_attendance(acting_user=None, session=session, enrolment=enrolment, present=True)


@pytest.mark.django_db
def test_a_learner_rates_an_instructor_of_a_completed_class_once(org):
    # given
    teacher = lc.instructor()
    course_class = lc.course_class(lc.course(), org.root, instructors=(teacher,))
    officer = person(org.team_1)
    user = account("officer1", ("officer", org.team_1), person=officer)
    enrolment = _enrol(course_class, officer)
    with pytest.raises(ValidationFailed):  # not completed yet
        classes.rate_instructor(acting_user=user, enrolment=enrolment, instructor=teacher, score=5)
    classes.record_completion(acting_user=None, enrolment=enrolment)
    # when
    rating = classes.rate_instructor(
        acting_user=user, enrolment=enrolment, instructor=teacher, score=4, comment="Rõ ràng"
    )
    # then
    assert rating.score == 4
    with pytest.raises(Conflict):
        classes.rate_instructor(acting_user=user, enrolment=enrolment, instructor=teacher, score=5)


@pytest.mark.django_db
def test_completing_a_course_that_issues_certificates_issues_one(org):
    # given
    course_class = lc.course_class(lc.course(issues_certificate=True), org.root)
    enrolment = _enrol(course_class, person(org.team_1))
    # when
    classes.record_completion(acting_user=None, enrolment=enrolment)
    # then
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.kind == "issued" and certificate.number
