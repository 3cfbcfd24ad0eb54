"""Small journeys: an officer deletes a draft declaration; the training office stops a rule."""

import pytest
from playwright.sync_api import Page, expect

from lifelong.learning.models import AssignmentRule, SelfStudy
from lifelong.learning.services import assignments
from tests.factories.learning_certificates import course
from tests.factories.learning_selfstudy import declare
from tests.factories.org import account, person, small_org

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "browser-test-pass-1"


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_an_officer_deletes_a_draft_declaration(page: Page, live_server):
    # given
    org = small_org()
    lan = person(org.team_1, "Phạm", "Thị", "Lan")
    user = account("lan", ("officer", org.team_1), person=lan, password=PASSWORD)
    draft = declare(user, submit=False, topic="Đọc Luật Hải quan sửa đổi")
    _log_in(page, live_server.url, "lan")
    # when
    page.goto(f"{live_server.url}/learning/self-study/{draft.pk}/")
    page.get_by_role("button", name="Xóa bản khai này").click()
    # then
    expect(page.locator(".messages")).to_contain_text("Đã xóa bản khai.")
    assert not SelfStudy.objects.filter(pk=draft.pk).exists()


def test_the_training_office_deactivates_and_reactivates_a_rule(page: Page, live_server):
    # given
    org = small_org()
    office = account("office", ("training_office", org.root), password=PASSWORD)
    rule, _made = assignments.create_rule(
        acting_user=office,  # type: ignore[arg-type]
        name="Bắt buộc KTSTQ",
        course=course("Nghiệp vụ kiểm tra sau thông quan"),
        unit=org.region_1,
        due_days=30,
    )
    _log_in(page, live_server.url, "office")
    page.goto(f"{live_server.url}/learning/assignments/rules/")
    # when
    page.get_by_role("button", name="Ngừng áp dụng").click()
    # then
    expect(page.locator(".messages")).to_contain_text("không còn giao khóa học")
    assert AssignmentRule.objects.get(pk=rule.pk).is_active is False
    # when
    page.get_by_role("button", name="Kích hoạt lại").click()
    # then
    expect(page.locator(".messages")).to_contain_text("đã được áp dụng lại")
    assert AssignmentRule.objects.get(pk=rule.pk).is_active is True
