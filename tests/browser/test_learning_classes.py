"""A training-office user takes attendance for a class and marks completion; it counts."""

import datetime
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from lifelong.learning.choices import EnrolmentStatus
from lifelong.learning.models import Enrolment, LedgerYear
from lifelong.learning.services import classes
from tests.factories import learning_catalogue as lc
from tests.factories.org import account, person, small_org

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("test-results")
PASSWORD = "browser-test-pass-1"


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def _ledger_hours(officer, year: int) -> Decimal | None:
    # The projection runs after each commit; give it a moment.
    for _attempt in range(20):
        row = LedgerYear.objects.filter(person=officer, year=year).first()
        if row is not None and row.hours_total > 0:
            return row.hours_total
        time.sleep(0.1)
    return None


def test_training_office_takes_attendance_and_the_completion_appears(page: Page, live_server):
    # given: a class that ended last week, two sessions, two enrolled officers
    org = small_org()
    today = timezone.localdate()
    first_day = today - datetime.timedelta(days=8)
    last_day = today - datetime.timedelta(days=7)
    course_class = lc.course_class(
        lc.course("Kiểm tra sau thông quan", hours=Decimal(8)),
        org.root,
        code="KTSTQ-01",
        start=first_day,
        end=last_day,
    )
    s1 = lc.session(course_class, first_day, Decimal(4))
    s2 = lc.session(course_class, last_day, Decimal(3))
    lan = person(org.team_1, "Phạm", "Thị", "Lan")
    hung = person(org.team_1, "Đỗ", "Văn", "Hùng")
    for officer in (lan, hung):
        classes.enrol(
            acting_user=None, course_class=course_class, person=officer, source="training_office"
        )
    lan_enrolment = Enrolment.objects.get(person=lan)
    lc.training_office("office", org.root, password=PASSWORD)
    account("lan", ("officer", org.team_1), person=lan, password=PASSWORD)
    base = live_server.url

    # when: the training office ticks Lan present at both sessions and saves
    _log_in(page, base, "office")
    page.goto(f"{base}/learning/classes/KTSTQ-01/")
    page.get_by_role("link", name="Điểm danh và kết quả").click()
    page.locator(f"#a-{lan_enrolment.pk}-{s1.pk}").check()
    page.locator(f"#a-{lan_enrolment.pk}-{s2.pk}").check()
    page.get_by_role("button", name="Lưu điểm danh").click()

    # then: her attended hours are the sum of the sessions
    expect(page.get_by_test_id(f"hours-{lan.officer_code}")).to_have_text("7")

    # when: the office records her result and completion
    row = page.locator(f"#results tr[data-officer='{lan.officer_code}']")
    row.locator("input[name=score]").fill("9")
    row.locator("select[name=passed]").select_option("true")
    row.locator("select[name=outcome]").select_option("completed")
    row.get_by_role("button").click()

    # then
    completed = str(EnrolmentStatus.COMPLETED.label)
    expect(page.get_by_test_id(f"status-{lan.officer_code}")).to_have_text(completed)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "class-attendance.png"), full_page=True)

    # when: Lan opens her class page
    page.get_by_role("button", name="Đăng xuất").click()
    _log_in(page, base, "lan")
    page.goto(f"{base}/learning/classes/KTSTQ-01/")

    # then: she sees the completion, and her ledger counts the class once: 7 hours
    expect(page.get_by_test_id("my-status")).to_have_text(completed)
    assert _ledger_hours(lan, last_day.year) == Decimal("7.00")
    assert not LedgerYear.objects.filter(person=hung, hours_total__gt=0).exists()
