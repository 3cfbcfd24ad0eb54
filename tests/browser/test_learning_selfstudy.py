"""An officer declares self-study with evidence; the unit head approves; the ledger follows."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from lifelong.learning.models import LedgerYear, SelfStudy
from tests.factories.learning_selfstudy import PDF
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


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()


def test_officer_declares_with_evidence_head_approves_and_ledger_and_compliance_follow(
    page: Page, live_server
):
    # given
    org = small_org()
    me = person(org.team_1, "Phạm", "Thị", "Lan")
    account("lan", ("officer", org.team_1), person=me, password=PASSWORD)
    account("head1", ("unit_head", org.region_1), password=PASSWORD)
    base = live_server.url
    today = timezone.localdate()
    SHOTS.mkdir(exist_ok=True)

    # when: the officer declares six hours of reading with a PDF certificate
    _log_in(page, base, "lan")
    page.goto(f"{base}/learning/self-study/new/")
    page.locator("#id_topic").fill("Đọc giáo trình phân loại hàng hóa HS 2022")
    page.locator("#id_method").select_option("book")
    page.locator("#id_learned_on").fill(today.strftime("%d/%m/%Y"))
    page.locator("#id_hours").fill("6")
    page.locator("#id_category").select_option("job_skills")
    page.locator("#id_learned").fill("Quy tắc tổng quát giải thích hệ thống HS.")
    page.locator("#id_evidence").set_input_files(
        {"name": "chung-nhan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.screenshot(path=str(SHOTS / "selfstudy-form.png"), full_page=True)
    page.locator("button[value=submit]").click()

    # then: the declaration awaits approval, with its evidence
    expect(page.get_by_test_id("selfstudy-status")).to_have_text("Chờ duyệt")
    expect(page.get_by_role("link", name="chung-nhan.pdf")).to_be_visible()
    declaration = SelfStudy.objects.get(person=me)
    assert declaration.status == "submitted"

    # when: the unit head looks at the unit's compliance, then approves in the queue
    _log_out(page)
    _log_in(page, base, "head1")
    page.goto(f"{base}/learning/units/{org.team_1.pk}/compliance/?year={today.year}")
    expect(page.get_by_test_id("hours-per-head")).to_have_text("0")
    page.goto(f"{base}/learning/approvals/")
    row = page.locator(f"#selfstudy-{declaration.pk}")
    expect(row).to_contain_text("Phạm Thị Lan")
    with page.expect_download() as download:
        row.get_by_role("link", name="chung-nhan.pdf").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    row.locator("form[action$='/approve/'] button").click()

    # then: the row shows the decision in place, and the unit's compliance moves
    expect(page.locator(f"#selfstudy-{declaration.pk}")).to_have_attribute(
        "data-status", "approved"
    )
    page.screenshot(path=str(SHOTS / "selfstudy-approved.png"), full_page=True)
    page.goto(f"{base}/learning/units/{org.team_1.pk}/compliance/?year={today.year}")
    expect(page.get_by_test_id("hours-per-head")).to_have_text("6")

    # then: the officer's ledger counts the six hours
    _log_out(page)
    _log_in(page, base, "lan")
    page.goto(f"{base}/learning/my/?year={today.year}")
    expect(page.get_by_test_id("hours-total")).to_have_text("6")
    page.screenshot(path=str(SHOTS / "selfstudy-ledger.png"), full_page=True)
    assert LedgerYear.objects.get(person=me, year=today.year).hours_total == 6


def test_refused_form_keeps_what_the_officer_typed(page: Page, live_server):
    # given
    org = small_org()
    me = person(org.team_1, "Lê", "Thị", "Mai")
    account("mai", ("officer", org.team_1), person=me, password=PASSWORD)
    future = timezone.localdate() + datetime.timedelta(days=3)
    # when
    _log_in(page, live_server.url, "mai")
    page.goto(f"{live_server.url}/learning/self-study/new/")
    page.locator("#id_topic").fill("Hội thảo chuyển đổi số")
    page.locator("#id_learned_on").fill(future.strftime("%d/%m/%Y"))
    page.locator("#id_hours").fill("0")
    page.locator("#id_learned").fill("Dữ liệu lớn trong quản lý rủi ro.")
    page.locator("button[value=submit]").click()
    # then: both problems are named and nothing typed is lost
    expect(page.locator("#id_hours-errors")).to_be_visible()
    expect(page.locator("#id_learned_on-errors")).to_be_visible()
    expect(page.locator("#id_topic")).to_have_value("Hội thảo chuyển đổi số")
    expect(page.locator("#id_learned")).to_have_value("Dữ liệu lớn trong quản lý rủi ro.")
    assert not SelfStudy.objects.exists()
