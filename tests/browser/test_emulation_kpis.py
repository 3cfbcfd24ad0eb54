"""A unit head reports a KPI for two years and sees the change between them."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lifelong.emulation.models import KpiIndicator
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


def test_a_unit_head_reports_two_years_and_sees_the_percent_change(page: Page, live_server):
    # given: an indicator reported yearly, and the head of region 1
    org = small_org()
    indicator = KpiIndicator.objects.create(
        code="doanh-nghiep", name="Doanh nghiệp được phục vụ", measure="doanh nghiệp"
    )
    head = person(org.region_1, "Trần", "Thị", "Hoa")
    account("hoa", ("unit_head", org.region_1), person=head, password=PASSWORD)
    base = live_server.url
    SHOTS.mkdir(exist_ok=True)
    _log_in(page, base, "hoa")

    # when: the head reports 2024 and 2025
    page.goto(f"{base}/emulation/kpis/")
    page.get_by_test_id("kpi-unit-KV01").click()
    for year, value in (("2024", "1200"), ("2025", "1500")):
        page.get_by_test_id("kpi-report").click()
        page.locator("#id_indicator").select_option(str(indicator.pk))
        page.locator("#id_year").fill(year)
        page.locator("#id_number").fill("1")
        page.locator("#id_value").fill(value)
        page.locator("#id_source").fill(f"Báo cáo tổng kết năm {year}")
        page.get_by_test_id("kpi-save").click()

    # then: the comparison shows +25% and 1.25-fold for 2025
    series = page.get_by_test_id("kpi-series-doanh-nghiep")
    expect(series.locator("tbody tr")).to_have_count(2)
    expect(series.locator("tbody tr").nth(1)).to_contain_text("+25")
    expect(series.locator("tbody tr").nth(1)).to_contain_text("1,25")
    page.screenshot(path=str(SHOTS / "emulation-kpi-compare.png"), full_page=True)


def test_a_unit_head_reports_every_quarterly_kpi_of_a_quarter_at_once(page: Page, live_server):
    # given: two quarterly indicators, a yearly one, and the head of region 1
    org = small_org()
    for code, name in (("ho-so", "Hồ sơ trực tuyến"), ("to-khai", "Tờ khai điện tử")):
        KpiIndicator.objects.create(code=code, name=name, measure="hồ sơ", period_kind="quarter")
    KpiIndicator.objects.create(code="doanh-nghiep", name="Doanh nghiệp", measure="doanh nghiệp")
    head = person(org.region_1, "Lê", "Văn", "Nam")
    account("nam", ("unit_head", org.region_1), person=head, password=PASSWORD)
    base = live_server.url
    _log_in(page, base, "nam")

    # when: the head opens the bulk entry for quarter 1/2025, fills one row, leaves one blank
    page.goto(f"{base}/emulation/kpis/units/{org.region_1.pk}/")
    page.get_by_test_id("kpi-bulk").click()
    page.locator("#id_kind").select_option("quarter")
    page.locator("#id_year").fill("2025")
    page.locator("#id_number").fill("1")
    page.get_by_test_id("kpi-bulk-period").click()
    expect(page.locator("#kpi-bulk tbody tr")).to_have_count(2)  # the yearly one is not there
    row = page.get_by_test_id("kpi-row-ho-so")
    row.locator("input").nth(0).fill("320")
    row.locator("input").nth(1).fill("Báo cáo quý 1/2025")
    page.get_by_test_id("kpi-bulk-save").click()

    # then: only the filled row is saved, and the comparison shows it
    expect(page.get_by_test_id("kpi-series-ho-so").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("kpi-series-ho-so")).to_contain_text("320")
    expect(page.get_by_test_id("kpi-series-to-khai")).to_have_count(0)
