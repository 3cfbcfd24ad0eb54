"""The browser pipeline works: Debian's Chromium renders the login page served by live_server.

The journeys are in the other files here; this one fails first, and alone, when the pipeline
itself breaks (no Chromium, static files not served, the CSP blocking the page's own script).
"""

from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_renders_in_vietnamese_with_its_own_assets(
    page: Page, live_server, output_path: str
):
    # given: the browser reports every console error, such as a CSP refusal
    errors: list[str] = []

    def keep_error(message: ConsoleMessage) -> None:
        # The browser asks for /favicon.ico on its own; the page does not link one.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            errors.append(f"{message.text} ({message.location['url']})")

    page.on("console", keep_error)
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # when
    response = page.goto(f"{live_server.url}/login/")

    # then: the page is Vietnamese and offers the login form
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    form = page.locator("form:has(input[name=password])")
    expect(form.locator("input[name=username]")).to_be_visible()
    expect(form.locator("input[name=password][type=password]")).to_be_visible()
    expect(form.get_by_role("button", name="Đăng nhập")).to_be_visible()
    # the stylesheet was served and applied, and htmx loaded under the CSP
    assert page.evaluate("document.styleSheets.length") >= 1
    page.wait_for_function("typeof window.htmx !== 'undefined'")
    assert errors == []
    Path(output_path).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(output_path) / "login.png"), full_page=True)
