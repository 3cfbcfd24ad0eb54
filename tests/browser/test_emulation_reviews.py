"""A frozen review stays put while new learning moves the live ranking."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lifelong.emulation.models import Review
from lifelong.emulation.services import scoring
from tests.factories.emulation import campaign
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


def _first_region(page: Page) -> str:
    """Return the unit code on the first row of the regions' cluster table."""
    return (
        page.get_by_test_id("ranking-table")
        .first.locator("tbody tr")
        .first.get_attribute("data-unit")
        or ""
    )


def test_a_frozen_review_stays_while_new_learning_moves_the_live_ranking(page: Page, live_server):
    # given: region 2 ahead in 2025 and the scores computed
    org = small_org()
    built = campaign(org)
    account("thuky", ("secretariat", org.root), password=PASSWORD)
    slow, fast = person(org.team_1), person(org.team_2, given="Cường")
    learn(slow, 10, year=2025)
    learn(fast, 40, year=2025)
    scoring.recompute(campaign=built.campaign)
    base = live_server.url
    SHOTS.mkdir(exist_ok=True)
    _log_in(page, base, "thuky")

    # when: the secretariat freezes the interim review of phase 1
    page.goto(f"{base}/emulation/{built.campaign.pk}/reviews/")
    page.get_by_test_id("review-kind").select_option("interim")
    page.get_by_test_id("review-phase").select_option(str(built.phase_1.pk))
    page.get_by_test_id("review-freeze").click()

    # then: the review's page shows version 1 with region 2 first
    review = Review.objects.get()
    expect(page).to_have_url(f"{base}/emulation/{built.campaign.pk}/reviews/{review.pk}/")
    frozen_first = page.get_by_test_id("review-ranking").first.locator("tbody tr").first
    expect(frozen_first).to_have_attribute("data-unit", "KV02")
    page.screenshot(path=str(SHOTS / "emulation-review-frozen.png"), full_page=True)
    # and the dashboard says phase 1 has a frozen review
    dashboard = f"{base}/emulation/{built.campaign.pk}/?phase={built.phase_1.pk}"
    page.goto(dashboard)
    expect(page.get_by_test_id("frozen-banner")).to_be_visible()
    assert _first_region(page) == "KV02"

    # when: learning dated inside phase 1 arrives, and the scores follow it
    learn(slow, 100, year=2025)
    scoring.recompute_changed()

    # then: the live ranking has region 1 first ...
    page.goto(dashboard)
    assert _first_region(page) == "KV01"
    page.screenshot(path=str(SHOTS / "emulation-live-moved.png"), full_page=True)
    # ... while the review still shows what was frozen
    page.goto(f"{base}/emulation/{built.campaign.pk}/reviews/{review.pk}/")
    frozen_first = page.get_by_test_id("review-ranking").first.locator("tbody tr").first
    expect(frozen_first).to_have_attribute("data-unit", "KV02")
