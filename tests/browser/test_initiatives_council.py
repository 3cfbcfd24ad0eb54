"""The unit council scores a submitted initiative, votes, and recognises it at cơ sở level."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from lifelong.initiatives.models import Evaluation, EvaluationScore, Initiative, Recognition
from lifelong.initiatives.services.submission import create_initiative, initiative_input
from tests.factories.initiatives import council
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


def _score_from_the_queue(page: Page, base: str, title: str, points: tuple[int, int, int]) -> None:
    page.goto(f"{base}/initiatives/queue/")
    page.get_by_role("link", name=title).click()
    form = page.locator("#score-form")
    form.get_by_label("Tính mới trong phạm vi đơn vị").fill(str(points[0]))
    form.get_by_label("Đã áp dụng hoặc áp dụng thử").fill(str(points[1]))
    form.get_by_label("Lợi ích thiết thực").fill(str(points[2]))
    form.get_by_label("Nhận xét").fill("Giải pháp thiết thực, có thể nhân rộng.")
    form.get_by_role("button", name="Lưu điểm của tôi").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu điểm của bạn.")


def test_the_unit_council_scores_votes_and_recognises_at_grassroots_level(page: Page, live_server):
    # given: an initiative of team 1 submitted to the council of region 1
    org = small_org()
    author = person(org.team_1, "Phạm", "Thị", "Lan")
    author_user = account("lan", ("officer", org.team_1), person=author, password=PASSWORD)
    chair = person(org.region_1, "Nguyễn", "Văn", "Hùng")
    secretary = person(org.region_1, "Lê", "Thị", "Thu")
    member = person(org.region_1, "Trần", "Quốc", "Bảo")
    for username, someone in (("hung", chair), ("thu", secretary), ("bao", member)):
        account(username, ("officer", org.region_1), person=someone, password=PASSWORD)
    council(org.region_1, "co_so", [(chair, "chair"), (secretary, "secretary"), (member, "member")])
    title = "Tự động đối chiếu bản lược khai hàng hóa điện tử"
    initiative = create_initiative(
        acting_user=author_user,
        data=initiative_input(
            title=title,
            field="digital",
            authors=[(author.officer_code, 100)],
            problem="Đối chiếu bản lược khai thủ công mất nhiều giờ mỗi chuyến bay.",
            solution="Phần mềm so khớp tự động bản lược khai với tờ khai.",
            novelty="Lần đầu áp dụng tại Chi cục.",
            applied_from=datetime.date(2024, 3, 1),
        ),
        submit=True,
    )
    base = live_server.url
    today = timezone.localdate().strftime("%d/%m/%Y")
    SHOTS.mkdir(exist_ok=True)

    # when: the member and the chair score it from their queue
    _log_in(page, base, "bao")
    _score_from_the_queue(page, base, title, (20, 25, 30))
    _log_out(page)
    _log_in(page, base, "hung")
    _score_from_the_queue(page, base, title, (25, 25, 35))
    _log_out(page)

    # when: the secretary scores, sees the tally, records the vote and the recognition
    _log_in(page, base, "thu")
    _score_from_the_queue(page, base, title, (20, 20, 30))
    expect(page.get_by_test_id("tally-scored")).to_have_text("3 / 3")
    expect(page.locator("#tally-reasons")).to_contain_text("Chưa ghi kết quả biểu quyết")
    vote = page.locator("#vote-form")
    vote.get_by_label("Số phiếu tán thành").fill("3")
    vote.get_by_label("Số phiếu không tán thành").fill("0")
    vote.get_by_label("Số phiếu không biểu quyết").fill("0")
    vote.get_by_role("button", name="Ghi kết quả biểu quyết").click()
    expect(page.get_by_test_id("tally-ok")).to_be_visible()
    decision = page.locator("#recognise-form")
    decision.get_by_label("Số quyết định").fill("25/QĐ-HQKV1")
    decision.get_by_label("Ngày quyết định (dd/mm/yyyy)").fill(today)
    decision.get_by_label("Cơ quan công nhận").fill("Chi cục trưởng Chi cục Hải quan khu vực I")
    page.screenshot(path=str(SHOTS / "initiatives-council-tally.png"), full_page=True)
    decision.get_by_role("button", name="Ghi quyết định công nhận").click()

    # then: the evaluation is closed with the decision
    expect(page.get_by_test_id("evaluation-status")).to_have_text("Đã công nhận")
    expect(page.get_by_test_id("evaluation-decision")).to_contain_text("25/QĐ-HQKV1")
    assert EvaluationScore.objects.count() == 3
    assert Evaluation.objects.get(initiative=initiative).status == "recognised"
    assert Recognition.objects.get(initiative=initiative).decision_number == "25/QĐ-HQKV1"
    _log_out(page)

    # then: the author's page shows it recognised at cơ sở level, without the scores
    _log_in(page, base, "lan")
    page.goto(f"{base}/initiatives/{initiative.pk}/")
    expect(page.get_by_test_id("initiative-level")).to_contain_text("Cấp cơ sở")
    expect(page.get_by_test_id("initiative-level")).to_contain_text(today)
    expect(page.locator("#initiative-recognitions")).to_contain_text("25/QĐ-HQKV1")
    expect(page.get_by_test_id("evaluation-outcome")).to_have_text("Đã công nhận")
    expect(page.locator("#evaluation-panel")).not_to_contain_text("có thể nhân rộng")
    page.screenshot(path=str(SHOTS / "initiatives-council-recognised.png"), full_page=True)
    assert Initiative.objects.get(pk=initiative.pk).level == "co_so"
