"""A page's controls wait until the page is live (components/layout.py `until_live`).

The server-rendered page shows its forms before the live connection delivered the
tab's state and ran the page's on_load. An action taken in that gap would reach the app
first and be undone by on_load, so until then every control in `main` is disabled. A
reconnect later does not disable them again: someone typing keeps their focus.
"""

import re

import pytest
from playwright.sync_api import Browser, Page, WebSocketRoute, expect

from tests.e2e.support.live import wait_until_live

pytestmark = pytest.mark.smoke

LIVE_CONNECTION = re.compile(r".*/_event/.*")
# Records every change of the fieldset's `disabled` and of main's `data-hydrated`.
WATCH = """() => {
  window.__changes = [];
  const main = document.querySelector("main");
  new MutationObserver(records => records.forEach(r => window.__changes.push(
    r.attributeName + "=" + r.target.getAttribute(r.attributeName))))
    .observe(main, {attributes: true, subtree: true,
                    attributeFilter: ["disabled", "data-hydrated"]});
}"""


def wait_for_connections(page: Page, held: list[WebSocketRoute], count: int) -> None:
    for _ in range(200):  # the app opens (or reopens) its connection on its own schedule
        if len(held) >= count:
            return
        page.wait_for_timeout(50)  # lets Playwright deliver the routed connection
    raise AssertionError(f"the page opened {len(held)} live connections, not {count}")


def test_a_form_is_disabled_until_the_page_is_live_and_stays_enabled_on_a_reconnect(
    browser: Browser, base_url: str
) -> None:
    held: list[WebSocketRoute] = []

    def route(connection: WebSocketRoute) -> None:
        held.append(connection)
        if len(held) > 1:  # reconnections go straight through
            connection.connect_to_server()

    context = browser.new_context(base_url=base_url)
    context.route_web_socket(LIVE_CONNECTION, route)
    page = context.new_page()
    page.goto("/reset-password")
    expect(page.get_by_role("heading", name="Reset your password", level=1)).to_be_visible()
    wait_for_connections(page, held, 1)
    email, send = page.get_by_label("Email"), page.get_by_role("button", name="Send code")
    expect(email).to_be_disabled()
    expect(send).to_be_disabled()

    held[0].connect_to_server()  # the connection goes through: state, on_load, live

    expect(email).to_be_enabled()
    expect(send).to_be_enabled()

    email.fill("typing@example.com")
    page.evaluate(WATCH)
    held[0].close()  # the connection drops; the app reconnects and re-runs on_load
    wait_for_connections(page, held, 2)
    page.wait_for_function("() => window.__changes.includes('data-hydrated=false')")
    wait_until_live(page)
    changes = page.evaluate("window.__changes")
    assert not any(change.startswith("disabled=") for change in changes), changes
    expect(email).to_be_focused()
    expect(email).to_have_value("typing@example.com")
    context.close()
