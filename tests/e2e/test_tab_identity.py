"""A tab never carries one person's state to the next (ARCHITECTURE.md invariant 8, §5.4).

Signing out and in starts the tab on fresh state: no frame the server sends afterwards
and no text on the page carries the previous person's data. The live connection's
router data never echoes the cookie or any client address to the browser.
"""

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.support.live import record_frames, wait_until_live
from tests.e2e.support.people import create_member, log_in_as

FORWARDED_FOR = "203.0.113.77"
REAL_IP = "198.51.100.23"


def open_private_pages(page: Page) -> None:
    """Pages whose state holds the viewer's own email, sessions and profile form."""
    page.goto("/settings")
    expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()
    expect(page.get_by_role("row").nth(1)).to_be_visible()  # the sessions list loaded
    page.goto("/profile/edit")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_sign_out_then_someone_else_signs_in_in_the_same_tab(
    browser: Browser, base_url: str
) -> None:
    dave_email, carol_email = create_member("tab_dave"), create_member("tab_carol")
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    log_in_as(page, "tab_dave", email=dave_email)
    open_private_pages(page)
    dave_token = page.evaluate("sessionStorage.getItem('token')")

    frames = record_frames(page)
    page.get_by_role("button", name="Account menu").click()
    page.get_by_role("menuitem", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    log_in_as(page, "tab_carol", email=carol_email)
    open_private_pages(page)

    received = "\n".join(frames)
    assert carol_email in received  # the recording did capture carol's state
    assert dave_email not in received and "tab_dave" not in received
    assert dave_email not in page.content() and "tab_dave" not in page.content()
    assert page.evaluate("sessionStorage.getItem('token')") != dave_token
    context.close()


def test_a_tab_signed_out_live_forgets_its_person(browser: Browser, base_url: str) -> None:
    email = create_member("tab_erin")
    laptop, phone = browser.new_context(base_url=base_url), browser.new_context(base_url=base_url)
    laptop_page, phone_page = laptop.new_page(), phone.new_page()
    log_in_as(laptop_page, "tab_erin", email=email)
    log_in_as(phone_page, "tab_erin", email=email)
    open_private_pages(phone_page)

    laptop_page.goto("/settings")
    laptop_page.get_by_role("button", name="Log out everywhere").click()
    expect(phone_page).to_have_url(re.compile(r"/login"), timeout=5_000)
    expect(phone_page.get_by_role("link", name="Log in")).to_be_visible()
    assert email not in phone_page.content()
    frames = record_frames(phone_page)
    phone_page.reload()  # a new connection of the same tab, still with the old cookie
    expect(phone_page.get_by_role("button", name="Log in")).to_be_visible()
    wait_until_live(phone_page)  # the button shows before the connection delivered anything

    received = "\n".join(frames)
    assert "Log in" in phone_page.content() and received  # the new connection hydrated
    assert email not in received and "tab_erin" not in received
    laptop.close()
    phone.close()


def test_router_data_never_echoes_cookies_or_addresses(browser: Browser, base_url: str) -> None:
    context = browser.new_context(
        base_url=base_url,
        extra_http_headers={"X-Forwarded-For": FORWARDED_FOR, "X-Real-IP": REAL_IP},
    )
    page = context.new_page()
    frames = record_frames(page)
    log_in_as(page, "tab_frank", email=create_member("tab_frank"))
    open_private_pages(page)

    received = "\n".join(frames)
    assert "tab_frank" in received  # the recording did capture state updates
    cookies = [c["value"] for c in context.cookies()]
    assert all(value not in received for value in cookies)
    assert FORWARDED_FOR not in received and REAL_IP not in received
    site = base_url.removeprefix("http://")  # the Host/Origin headers name the site itself
    assert "127.0.0.1" not in received.replace(site, "")  # the client's own address
    context.close()
