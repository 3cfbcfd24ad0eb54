"""An administrator gives an e-learning system its LRS credentials, then revokes them."""

import hashlib
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lifelong.lrs.models import Client
from tests.factories.org import account, small_org

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("test-results")
PASSWORD = "browser-test-pass-1"


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_administrator_creates_a_client_sees_the_secret_once_and_revokes_it(
    page: Page, live_server: Any
) -> None:
    # given
    org = small_org()
    account("admin", ("administrator", org.root), password=PASSWORD)
    base = live_server.url
    _log_in(page, base, "admin")

    # when: the administrator opens the clients page from the administration home
    page.goto(f"{base}/admin/")
    page.locator("a[href='/lrs/clients/']").click()
    form = page.locator("#client-create")
    form.locator("input[name='name']").fill("Moodle Trường Hải quan")
    form.locator("input[name='scopes'][value='all']").check()
    form.locator("button[type='submit']").click()

    # then: the key and the secret are shown, and the secret is the one whose digest is kept
    created = page.locator("#client-created")
    expect(created).to_be_visible()
    key = page.locator("#created-key").inner_text()
    secret = page.locator("#created-secret").inner_text()
    row = Client.objects.get(name="Moodle Trường Hải quan")
    assert row.key == key
    assert hashlib.sha256(secret.encode()).hexdigest() == row.secret_digest
    assert row.scopes == ["all"]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "lrs-client-created.png"), full_page=True)

    # when: the page is opened again
    page.goto(f"{base}/lrs/clients/")

    # then: the client is listed, the secret is gone for good
    listed = page.locator(f"#lrs-clients tr[data-key='{key}']")
    expect(listed).to_contain_text("Moodle Trường Hải quan")
    expect(page.locator("#client-created")).to_have_count(0)
    expect(page.get_by_text(secret)).to_have_count(0)

    # when: the administrator revokes it
    listed.locator("button[type='submit']").click()

    # then: it is marked revoked, without a revoke button, and its key no longer works
    listed = page.locator(f"#lrs-clients tr[data-key='{key}']")
    expect(listed.locator("button")).to_have_count(0)
    row.refresh_from_db()
    assert row.revoked_at is not None
    page.screenshot(path=str(SHOTS / "lrs-client-revoked.png"), full_page=True)
