"""Catalogue pages: search without diacritics, filters, export, the training office's forms."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from lifelong.core.exports import XLSX_CONTENT_TYPE
from lifelong.learning.choices import DeliveryMode, MovementContent
from lifelong.learning.models import ClassSession, Course, CourseActivity, CourseClass, Instructor
from lifelong.learning.queries.catalogue import CourseFilters, list_courses
from lifelong.learning.services.catalogue import (
    ProgrammeInput,
    add_accreditation,
    create_programme,
)
from lifelong.lrs.store import iri_hash
from tests.factories import learning_catalogue as lc
from tests.factories.org import account, person

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_catalogue_search_ignores_diacritics_and_case(org):
    # given
    lc.course("Phân loại hàng hóa theo HS", code="HS01")
    lc.course("Trị giá hải quan", code="TG01")
    officer = account("officer1", ("officer", org.team_1))
    # when
    found = list(list_courses(officer, CourseFilters(query="PHAN loai")))
    page = _client(officer).get("/learning/catalogue/", {"q": "tri gia"})
    # then
    assert [c.code for c in found] == ["HS01"]
    assert page.status_code == 200
    assert "Trị giá hải quan" in page.content.decode()
    assert "Phân loại hàng hóa" not in page.content.decode()


def test_catalogue_filters_by_content_and_mode(org):
    # given
    lc.course(
        "Dữ liệu lớn",
        code="DL01",
        contents=(MovementContent.DIGITAL_DATA,),
        mode=DeliveryMode.ELEARNING,
    )
    lc.course("Luật Hải quan", code="LU01", contents=(MovementContent.LAW_POLICY,))
    officer = account("officer1", ("officer", org.team_1))
    # when
    by_content = list_courses(officer, CourseFilters(content=MovementContent.DIGITAL_DATA))
    by_mode = list_courses(officer, CourseFilters(mode=DeliveryMode.CLASSROOM))
    # then
    assert [c.code for c in by_content] == ["DL01"]
    assert [c.code for c in by_mode] == ["LU01"]


def test_catalogue_exports_xlsx(org):
    # given
    lc.course(code="HS01")
    officer = account("officer1", ("officer", org.team_1))
    # when
    response = _client(officer).get("/learning/catalogue/", {"format": "xlsx"})
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE


def test_training_office_creates_a_course_with_hours_derived_from_periods(org):
    # given
    office = lc.training_office("office", org.root)
    # when
    response = _client(office).post(
        "/learning/courses/new/",
        {
            "code": "hs02",
            "title": "Phân loại nâng cao",
            "periods": "40",
            "level": "advanced",
            "provider": "customs_school",
            "delivery_mode": "blended",
            "category": "job_skills",
            "contents": ["job_position", "international"],
            "topics": "Phân loại HS, Biểu thuế",
            "activity_iris": "https://lms.example.test/hs-advanced",
            "is_active": "on",
        },
    )
    # then
    assert response.status_code == 302
    course = Course.objects.get(code="HS02")
    assert (course.periods, course.hours) == (Decimal("40.00"), Decimal("30.00"))
    assert sorted(c.content for c in course.contents.all()) == ["international", "job_position"]
    assert (
        CourseActivity.objects.get(iri_hash=iri_hash("https://lms.example.test/hs-advanced")).course
        == course
    )
    assert CourseActivity.objects.filter(course=course).count() == 2


def test_an_iri_of_another_course_is_refused_with_a_message(org):
    # given
    lc.course(code="HS01", activity_iris=("https://lms.example.test/hs",))
    office = lc.training_office("office", org.root)
    # when
    response = _client(office).post(
        "/learning/courses/new/",
        {
            "code": "HS03",
            "title": "Khóa khác",
            "hours": "4",
            "level": "basic",
            "provider": "customs_school",
            "delivery_mode": "classroom",
            "category": "job_skills",
            "contents": ["job_position"],
            "activity_iris": "https://lms.example.test/hs",
        },
    )
    # then
    assert response.status_code == 400
    assert "HS01" in response.content.decode()
    assert not Course.objects.filter(code="HS03").exists()


def test_an_officer_cannot_open_the_course_form(org):
    # given
    officer = account("officer1", ("officer", org.team_1))
    # when
    response = _client(officer).get("/learning/courses/new/")
    # then
    assert response.status_code == 404


def test_course_page_lists_its_classes_and_programmes(org):
    # given
    course = lc.course(code="HS01")
    lc.course_class(course, org.root, code="HS01-2025-01")

    create_programme(
        acting_user=None, code="P1", data=ProgrammeInput(title="Lộ trình HS", courses=[course])
    )
    officer = account("officer1", ("officer", org.team_1))
    # when
    response = _client(officer).get("/learning/courses/HS01/")
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "HS01-2025-01" in body and "Lộ trình HS" in body


def test_instructor_registry_filters_and_shows_teaching_hours(org):
    # given
    teacher = lc.instructor(person(org.team_1, "Lê", "Thị", "Mai"))
    lc.instructor(name="John Smith")

    add_accreditation(
        acting_user=None,
        instructor=teacher,
        area="hs",
        status="accredited",
        valid_from=datetime.date(2024, 1, 1),
    )
    course_class = lc.course_class(lc.course(), org.root)
    lc.session(course_class, datetime.date(2025, 3, 3), Decimal(4), instructor=teacher)
    lc.session(course_class, datetime.date(2025, 3, 4), Decimal("2.5"), instructor=teacher)
    officer = account("officer1", ("officer", org.team_1))
    client = _client(officer)
    # when
    listed = client.get("/learning/instructors/", {"wco_area": "hs", "q": "le thi"})
    page = client.get(f"/learning/instructors/{teacher.pk}/")
    # then
    assert "Lê Thị Mai" in listed.content.decode()
    assert "John Smith" not in listed.content.decode()
    assert "6,5" in page.content.decode() or "6.5" in page.content.decode()


def test_an_external_instructor_needs_a_name(org):
    # given
    office = lc.training_office("office", org.root)
    # when
    response = _client(office).post("/learning/instructors/new/", {"kind": "external"})
    # then
    assert response.status_code == 400
    assert not Instructor.objects.exists()


def test_every_page_of_the_area_opens_for_the_training_office(org):
    # given

    course = lc.course(code="HS01")
    create_programme(
        acting_user=None, code="P1", data=ProgrammeInput(title="Lộ trình", courses=[course])
    )
    teacher = lc.instructor(name="Vũ Văn Toàn")

    accreditation = add_accreditation(
        acting_user=None,
        instructor=teacher,
        area="risk",
        status="accredited",
        valid_from=datetime.date(2024, 1, 1),
    )
    lc.course_class(course, org.root, code="K1", instructors=(teacher,))
    client = _client(lc.training_office("office", org.root))
    pages = [
        "/learning/programmes/",
        "/learning/programmes/P1/",
        "/learning/programmes/new/",
        "/learning/programmes/P1/edit/",
        "/learning/programmes/?format=xlsx",
        "/learning/courses/HS01/edit/",
        "/learning/instructors/?format=xlsx",
        "/learning/instructors/new/",
        f"/learning/instructors/{teacher.pk}/edit/",
        f"/learning/instructors/{teacher.pk}/accreditations/new/",
        f"/learning/accreditations/{accreditation.pk}/edit/",
        "/learning/classes/",
        "/learning/classes/?format=xlsx",
        "/learning/classes/new/?course=HS01",
        "/learning/classes/K1/edit/",
        "/learning/classes/K1/attendance/",
    ]
    # when
    statuses = {url: client.get(url).status_code for url in pages}
    # then
    assert statuses == dict.fromkeys(pages, 200)


def test_training_office_builds_a_programme_and_an_instructor_through_the_pages(org):
    # given
    lc.course(code="A1")
    lc.course(code="B2")
    officer = person(org.team_1, "Hoàng", "Minh", "Tuấn")
    client = _client(lc.training_office("office", org.root))
    # when
    programme = client.post(
        "/learning/programmes/new/",
        {"code": "p9", "title": "Lộ trình số hóa", "courses": "B2\na1", "is_active": "on"},
    )
    teacher = client.post(
        "/learning/instructors/new/",
        {"kind": "part_time", "officer_code": officer.officer_code, "topics": "Dữ liệu"},
    )
    unknown = client.post(
        "/learning/programmes/new/", {"code": "P10", "title": "X", "courses": "NOPE"}
    )
    # then
    assert programme.status_code == 302 and teacher.status_code == 302
    page = client.get("/learning/programmes/P9/").content.decode()
    # The steps keep the order typed (a bare "A1" may also occur in the page's random tokens).
    assert page.index("/learning/courses/B2/") < page.index("/learning/courses/A1/")
    assert Instructor.objects.get().full_name == "Hoàng Minh Tuấn"
    assert unknown.status_code == 400 and "NOPE" in unknown.content.decode()


def test_training_office_opens_a_class_and_adds_a_session_through_the_pages(org):
    # given
    lc.course(code="HS01")
    client = _client(lc.training_office("office", org.region_1))
    # when
    created = client.post(
        "/learning/classes/new/",
        {
            "course": "HS01",
            "code": "hs01-k1",
            "organiser": org.region_1.pk,
            "start_date": "2025-03-03",
            "end_date": "2025-03-04",
            "venue": "Hà Nội",
            "capacity": "30",
            "status": "open",
        },
    )
    outside = client.post(
        "/learning/classes/new/",
        {
            "course": "HS01",
            "code": "hs01-k2",
            "organiser": org.region_2.pk,
            "start_date": "2025-03-03",
            "end_date": "2025-03-04",
            "venue": "TP HCM",
            "capacity": "30",
            "status": "open",
        },
    )
    session = client.post(
        "/learning/classes/HS01-K1/sessions/",
        {"date": "03/03/2025", "starts_at": "08:00", "hours": "4", "title": "Buổi 1"},
    )
    # then

    assert created.status_code == 302 and session.status_code == 302
    assert outside.status_code == 400  # region 2 is not in the office's scope
    assert list(CourseClass.objects.values_list("code", flat=True)) == ["HS01-K1"]
    assert ClassSession.objects.get().hours == Decimal(4)
