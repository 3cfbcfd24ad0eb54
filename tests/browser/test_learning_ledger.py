"""A unit head drills into compliance; an administrator matches an unknown xAPI actor."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.factories.learning_ledger import learn, send, statement
from tests.factories.org import account, person, small_org

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("test-results")
PASSWORD = "browser-test-pass-1"
TITLE = "Kết quả thực hiện chỉ tiêu học tập của"


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_unit_head_drills_from_region_to_an_officers_ledger(page: Page, live_server):
    # given: region 1 with one officer on target and one behind in 2025; region 2 elsewhere
    org = small_org()
    learn(person(org.team_1, "Lê", "Văn", "Bình"), 31)
    behind = person(org.team_1, "Trần", "Thị", "Hoa")
    learn(behind, 4)
    learn(person(org.team_2, "Phạm", "Văn", "Nam"), 2)
    account("head1", ("unit_head", org.region_1), password=PASSWORD)
    base = live_server.url

    # when: the unit head opens the compliance dashboard and picks 2025
    _log_in(page, base, "head1")
    page.goto(f"{base}/learning/compliance/")
    expect(
        page.get_by_role(
            "heading", name=f"Kết quả thực hiện chỉ tiêu học tập của {org.region_1.name}"
        )
    ).to_be_visible()
    page.get_by_label("Năm").select_option("2025")
    page.get_by_role("button", name="Xem").click()

    # then: the whole region's figures, without region 2
    expect(page.get_by_test_id("headcount")).to_have_text("2")
    expect(page.get_by_test_id("compliant")).to_contain_text("1 (50%)")
    expect(page.locator("#behind-table")).not_to_contain_text("Phạm Văn Nam")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "ledger-region-compliance.png"), full_page=True)

    # when: they drill into the team, then open the officer behind
    page.locator("#sub-units").get_by_role("link", name=org.team_1.name).click()
    expect(
        page.get_by_role(
            "heading", name=f"Kết quả thực hiện chỉ tiêu học tập của {org.team_1.name}"
        )
    ).to_be_visible()
    page.locator("#behind-table").get_by_role("link", name="Trần Thị Hoa").click()

    # then: the officer's 2025 ledger, behind the target
    expect(page.get_by_role("heading", name="Kết quả học tập của Trần Thị Hoa")).to_be_visible()
    expect(page.get_by_test_id("hours-total")).to_have_text("4")
    expect(page.get_by_test_id("standing")).to_contain_text("Chậm tiến độ")
    page.screenshot(path=str(SHOTS / "ledger-officer.png"), full_page=True)


def test_administrator_matches_an_unknown_actor_and_the_hours_show(page: Page, live_server):
    # given: an e-learning system sent 5 hours for an address nobody has
    org = small_org()
    officer = person(org.team_1, "Đỗ", "Minh", "Tuấn")
    account("tuan", ("officer", org.team_1), person=officer, password=PASSWORD)
    account("admin", ("administrator", org.root), password=PASSWORD)
    send(statement({"mbox": "mailto:tuan.cu@example.test", "name": "Tuấn (cũ)"}, duration="PT5H"))
    base = live_server.url

    # when: the administrator matches it to the officer by officer code
    _log_in(page, base, "admin")
    page.goto(f"{base}/learning/unknown-actors/")
    row = page.locator("#unknown-actors tr", has_text="tuan.cu@example.test")
    row.get_by_label("Mã cán bộ").fill(officer.officer_code)
    row.get_by_role("button", name="Gắn").click()

    # then: the list no longer holds it
    expect(page.locator(".messages")).to_contain_text("Đỗ Minh Tuấn")
    expect(page.locator("#unknown-actors")).not_to_contain_text("tuan.cu@example.test")

    # when: the officer opens their learning for 2025
    page.get_by_role("button", name="Đăng xuất").click()
    _log_in(page, base, "tuan")
    page.goto(f"{base}/learning/my/?year=2025")

    # then: the five hours count
    expect(page.get_by_role("heading", name="Học tập của tôi")).to_be_visible()
    expect(page.get_by_test_id("hours-total")).to_have_text("5")
    page.screenshot(path=str(SHOTS / "ledger-matched.png"), full_page=True)
