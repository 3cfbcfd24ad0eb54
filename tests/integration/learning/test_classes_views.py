"""Class pages: roster and own status, attendance grid access, enrolment by the unit head."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from lifelong.learning.models import Attendance, Enrolment
from lifelong.learning.services import classes
from tests.factories import learning_catalogue as lc
from tests.factories.org import account, person

pytestmark = pytest.mark.django_db

D1 = datetime.date(2025, 3, 3)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def setup(org):
    course_class = lc.course_class(lc.course("Kiểm tra sau thông quan"), org.root, code="KTSTQ-1")
    session = lc.session(course_class, D1, Decimal(4))
    me = person(org.team_1, "Phạm", "Thị", "Lan")
    other = person(org.team_1, "Đỗ", "Văn", "Hùng")
    for officer in (me, other):
        classes.enrol(
            acting_user=None, course_class=course_class, person=officer, source="training_office"
        )
    return {
        "class": course_class,
        "session": session,
        "me": me,
        "other": other,
        "me_user": account("lan", ("officer", org.team_1), person=me),
        "office": lc.training_office("office", org.root),
    }


def test_an_officer_sees_their_own_status_and_not_the_roster(setup):
    # when
    response = _client(setup["me_user"]).get("/learning/classes/KTSTQ-1/")
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="my-status"' in body
    assert 'id="roster"' not in body
    assert "Đỗ Văn Hùng" not in body


def test_the_training_office_sees_the_roster_and_exports_it(setup):
    # given
    client = _client(setup["office"])
    # when
    page = client.get("/learning/classes/KTSTQ-1/")
    export = client.get("/learning/classes/KTSTQ-1/", {"format": "xlsx"})
    # then
    assert 'id="roster"' in page.content.decode() and "Đỗ Văn Hùng" in page.content.decode()
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")


def test_an_officer_cannot_open_or_post_the_attendance_grid(setup):
    # given
    client = _client(setup["me_user"])
    enrolment = Enrolment.objects.get(person=setup["me"])
    # when
    page = client.get("/learning/classes/KTSTQ-1/attendance/")
    post = client.post(
        "/learning/classes/KTSTQ-1/attendance/", {f"a-{enrolment.pk}-{setup['session'].pk}": "on"}
    )
    # then
    assert page.status_code == 404 and post.status_code == 404
    assert not Attendance.objects.exists()


def test_the_training_office_saves_the_attendance_grid(setup):
    # given
    enrolment = Enrolment.objects.get(person=setup["me"])
    # when
    response = _client(setup["office"]).post(
        "/learning/classes/KTSTQ-1/attendance/", {f"a-{enrolment.pk}-{setup['session'].pk}": "on"}
    )
    # then
    assert response.status_code == 302
    row = Attendance.objects.get()
    assert row.enrolment == enrolment and row.present and row.statement_id is not None


def test_a_unit_head_of_region_1_cannot_enrol_an_officer_of_region_2_by_page(org, setup):
    # given
    head = account("head1", ("unit_head", org.region_1))
    stranger = person(org.team_2, "Lê", "Văn", "Nam")
    client = _client(head)
    # when
    response = client.post(
        "/learning/classes/KTSTQ-1/enrol/", {"officer_code": stranger.officer_code}, follow=True
    )
    # then
    assert not Enrolment.objects.filter(person=stranger).exists()
    assert "Lê Văn Nam" not in response.content.decode()


def test_an_officer_enrols_themselves_through_the_page(org):
    # given
    course_class = lc.course_class(lc.course(), org.root, code="OPEN-1")
    me = person(org.team_1)
    client = _client(account("me", ("officer", org.team_1), person=me))
    # when
    response = client.post("/learning/classes/OPEN-1/enrol/")
    # then
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(person=me, course_class=course_class)
    assert (enrolment.source, enrolment.status) == ("self", "enrolled")
