"""The catalogue and classes API: lists, details, self-enrolment and its errors, OpenAPI."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lifelong.core.api.auth import create_token
from lifelong.learning.services import catalogue as catalogue_services
from tests.factories import learning_catalogue as lc
from tests.factories.org import account, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client(db):
    """Return a factory: account → client sending a fresh bearer token of it, in English."""

    def make(user):
        _row, token = create_token(acting_user=None, user=user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")

    return make


@pytest.fixture
def officer_client(org, api_client):
    me = person(org.team_1, "Phạm", "Thị", "Lan")
    return me, api_client(account("lan", ("officer", org.team_1), person=me))


def test_courses_are_searched_without_diacritics(org, officer_client):
    # given
    _me, client = officer_client
    lc.course("Phân loại hàng hóa", code="HS01", hours=Decimal(8))
    lc.course("Quản lý rủi ro", code="RR01")
    # when
    response = client.get("/api/v1/courses", {"q": "phan loai"})
    # then
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    assert body["items"][0]["code"] == "HS01"
    assert body["items"][0]["hours"] == 8.0
    assert body["items"][0]["contents"] == ["job_position"]


def test_course_list_runs_a_fixed_number_of_queries(org, officer_client):
    # given
    _me, client = officer_client
    for n in range(5):
        lc.course(code=f"Q{n}", topics=("Phân loại HS",))
    client.get("/api/v1/courses")  # warm the token's last-used stamp
    # when
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/courses")
    # then
    assert response.json()["count"] == 5
    assert len(queries) <= 6


def test_an_unknown_course_answers_404_json(officer_client):
    # given
    _me, client = officer_client
    # when
    response = client.get("/api/v1/courses/NOPE")
    # then
    assert response.status_code == 404
    assert "message" in response.json()


def test_classes_filter_by_course_and_dates(org, officer_client):
    # given
    _me, client = officer_client
    course = lc.course(code="HS01")
    lc.course_class(
        course, org.root, code="A", start=datetime.date(2025, 3, 3), end=datetime.date(2025, 3, 5)
    )
    lc.course_class(
        course, org.root, code="B", start=datetime.date(2025, 9, 1), end=datetime.date(2025, 9, 2)
    )
    lc.course_class(lc.course(code="X1"), org.root, code="C")
    # when
    response = client.get("/api/v1/classes", {"course": "HS01", "from": "2025-06-01"})
    # then
    assert [c["code"] for c in response.json()["items"]] == ["B"]


def test_class_detail_lists_its_sessions(org, officer_client):
    # given
    _me, client = officer_client
    course_class = lc.course_class(lc.course(), org.root, code="K1")
    lc.session(course_class, datetime.date(2025, 3, 3), Decimal("3.5"))
    # when
    body = client.get("/api/v1/classes/K1").json()
    # then
    assert body["sessions"][0]["hours"] == 3.5
    assert body["sessions"][0]["date"] == "2025-03-03"
    assert body["enrolled"] == 0


def test_self_enrolment_then_duplicate_then_full(org, officer_client, api_client):
    # given
    me, client = officer_client
    lc.course_class(lc.course(), org.root, code="K1", capacity=1)
    other = person(org.team_1, given="Bình")
    other_client = api_client(account("binh", ("officer", org.team_1), person=other))
    # when
    first = client.post("/api/v1/classes/K1/enrolments", "{}", content_type="application/json")
    again = client.post("/api/v1/classes/K1/enrolments", "{}", content_type="application/json")
    full = other_client.post(
        "/api/v1/classes/K1/enrolments",
        json.dumps({"accept_waitlist": False}),
        content_type="application/json",
    )
    waiting = other_client.post(
        "/api/v1/classes/K1/enrolments", "{}", content_type="application/json"
    )
    # then
    assert first.status_code == 200
    assert first.json()["status"] == "enrolled" and first.json()["officer_code"] == me.officer_code
    assert again.status_code == 409 and "already enrolled" in again.json()["message"]
    assert full.status_code == 409 and "full" in full.json()["message"]
    assert waiting.status_code == 200
    assert (waiting.json()["status"], waiting.json()["waitlist_position"]) == ("waitlisted", 1)


def test_an_account_without_an_officer_cannot_enrol_itself(org, api_client):
    # given
    lc.course_class(lc.course(), org.root, code="K1")
    client = api_client(account("admin", ("administrator", org.root)))
    # when
    response = client.post("/api/v1/classes/K1/enrolments", "{}", content_type="application/json")
    # then
    assert response.status_code == 404


def test_instructor_detail_gives_hours_and_accreditations(org, officer_client):
    # given
    _me, client = officer_client
    teacher = lc.instructor(name="Nguyễn Hữu Thắng")
    catalogue_services.add_accreditation(
        acting_user=None,
        instructor=teacher,
        area="valuation",
        status="pre_accredited",
        valid_from=datetime.date(2025, 1, 1),
    )
    course_class = lc.course_class(lc.course(), org.root, instructors=(teacher,))
    lc.session(course_class, datetime.date(2025, 3, 3), Decimal(4), instructor=teacher)
    # when
    listed = client.get("/api/v1/instructors", {"wco_area": "valuation", "q": "thang"}).json()
    detail = client.get(f"/api/v1/instructors/{teacher.pk}").json()
    # then
    assert [i["full_name"] for i in listed["items"]] == ["Nguyễn Hữu Thắng"]
    assert detail["teaching_hours"] == 4.0
    assert detail["accreditations"][0]["status"] == "pre_accredited"
    assert detail["class_codes"] == [course_class.code]


def test_the_openapi_document_describes_the_learning_endpoints():
    # when
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    # then
    for path in ("/api/v1/courses", "/api/v1/classes/{code}", "/api/v1/instructors"):
        operation = document["paths"][path]["get"]
        assert operation["summary"] and operation["description"]
    enrol = document["paths"]["/api/v1/classes/{code}/enrolments"]["post"]
    assert {"200", "400", "401", "404", "409"} <= set(enrol["responses"])
