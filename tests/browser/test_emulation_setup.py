"""The secretariat sets up a campaign with a data criterion and previews its scores."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lifelong.emulation.models import Campaign, CriteriaVersion
from tests.factories.learning_ledger import learn
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


def test_the_secretariat_creates_a_campaign_with_a_data_criterion_and_sees_the_preview(
    page: Page, live_server
):
    # given: two regions whose officers learned 30 and 15 hours in 2026
    org = small_org()
    account("thuky", ("secretariat", org.root), password=PASSWORD)
    learn(person(org.team_1), 30, year=2026)
    learn(person(org.team_2, given="Cường"), 15, year=2026)
    base = live_server.url
    SHOTS.mkdir(exist_ok=True)
    _log_in(page, base, "thuky")

    # when: the secretariat creates the campaign, a phase, a content and a cluster
    page.goto(f"{base}/emulation/")
    page.get_by_test_id("campaign-new").click()
    page.locator("#id_name").fill("Thi đua học tập suốt đời năm 2026")
    page.locator("#id_launching_unit").select_option(label=org.root.name)
    page.locator("#id_starts_on").fill("01/01/2026")
    page.locator("#id_ends_on").fill("31/12/2026")
    page.get_by_test_id("campaign-create").click()
    expect(page.get_by_test_id("campaign-status")).to_be_visible()
    page.locator("#id_phase-name").fill("Năm 2026")
    page.locator("#id_phase-starts_on").fill("01/01/2026")
    page.locator("#id_phase-ends_on").fill("31/12/2026")
    page.get_by_test_id("add-phase").click()
    page.locator("#id_content-name").fill("Học tập gắn với vị trí việc làm")
    page.locator("#id_content-weight").fill("100")
    page.get_by_test_id("add-content").click()
    expect(page.get_by_test_id("launch-problems")).to_contain_text("cụm")
    page.get_by_test_id("clusters-link").click()
    page.locator("#id_cluster-name").fill("Cụm các chi cục khu vực")
    page.locator("#id_cluster-units").select_option(label=[org.region_1.name, org.region_2.name])
    page.get_by_test_id("add-cluster").click()
    expect(page.locator("#clusters-table")).to_contain_text(org.region_2.name)
    page.get_by_role("link", name="Thiết lập phong trào").click()
    expect(page.locator("#clusters-table")).to_contain_text(org.region_1.name)

    # and defines a criterion measured from data: hours per head, linear to 30
    page.get_by_test_id("criteria-1").click()
    page.locator("#id_c-0-content").select_option(label="Học tập gắn với vị trí việc làm")
    page.locator("#id_c-0-code").fill("gio-hoc")
    page.locator("#id_c-0-name").fill("Số giờ học bình quân mỗi công chức")
    page.locator("#id_c-0-metric").select_option("hours_per_head")
    page.locator("#id_c-0-kind").select_option("linear")
    page.locator("#id_c-0-weight").fill("100")
    page.locator("#id_c-0-target").fill("30")
    page.get_by_test_id("criteria-preview").click()

    # then: the preview shows region 1 first with 100 points and region 2 with 50, unsaved
    table = page.get_by_test_id("preview-table")
    expect(table.locator("tbody tr").first).to_have_attribute("data-unit", "KV01")
    expect(table.locator("tbody tr").first).to_contain_text("100")
    expect(table.locator("tbody tr").nth(1)).to_contain_text("50")
    page.screenshot(path=str(SHOTS / "emulation-criteria-preview.png"), full_page=True)
    campaign = Campaign.objects.get()
    assert not CriteriaVersion.objects.filter(phase__campaign=campaign).exists()

    # when: it saves them
    page.get_by_test_id("criteria-save").click()

    # then: version 1 is listed and the campaign can be launched
    expect(page.locator("#criteria-versions")).to_contain_text("1")
    assert CriteriaVersion.objects.get(phase__campaign=campaign).number == 1
    page.goto(f"{base}/emulation/{campaign.pk}/setup/")
    page.get_by_test_id("status-launched").click()
    expect(page.get_by_test_id("campaign-status")).to_have_text("Đã phát động")
    page.screenshot(path=str(SHOTS / "emulation-setup-launched.png"), full_page=True)
