"""A page's controls wait until the page is live (components/layout.py `until_live`).

The server-rendered page shows its forms before the live connection delivered the
tab's state and ran the page's on_load. An action taken in that gap would reach the app
first and be undone by on_load, so until then every control in `main` is disabled.
"""

import re

import pytest
from playwright.sync_api import Browser, WebSocketRoute, expect

pytestmark = pytest.mark.smoke

LIVE_CONNECTION = re.compile(r".*/_event/.*")


def test_a_form_is_disabled_until_the_page_is_live(browser: Browser, base_url: str) -> None:
    held: list[WebSocketRoute] = []
    context = browser.new_context(base_url=base_url)
    context.route_web_socket(LIVE_CONNECTION, lambda route: held.append(route))
    page = context.new_page()
    page.goto("/reset-password")
    expect(page.get_by_role("heading", name="Reset your password", level=1)).to_be_visible()
    for _ in range(100):  # the app opens its connection once its scripts ran
        if held:
            break
        page.wait_for_timeout(50)  # lets Playwright deliver the routed connection
    email, send = page.get_by_label("Email"), page.get_by_role("button", name="Send code")
    expect(email).to_be_disabled()
    expect(send).to_be_disabled()

    held[-1].connect_to_server()  # the connection goes through: state, on_load, live

    expect(email).to_be_enabled()
    expect(send).to_be_enabled()
    expect(page.get_by_role("link", name="Back to log in")).to_be_visible()
    context.close()
