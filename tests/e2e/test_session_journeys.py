"""PRODUCT.md §7.5 sessions and §4.1 remember me, with separate browsers and tabs."""

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.support.people import create_member, log_in_as

pytestmark = pytest.mark.journeys

SIGNED_OUT_WITHIN_MS = 5_000


def new_person(browser: Browser, base_url: str) -> BrowserContext:
    return browser.new_context(base_url=base_url)


def expect_signed_out(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/login"), timeout=SIGNED_OUT_WITHIN_MS)
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_logout_in_one_tab_signs_out_the_other(browser: Browser, base_url: str) -> None:
    email = create_member("two_tabs")
    context = new_person(browser, base_url)
    tab_a = context.new_page()
    log_in_as(tab_a, "two_tabs", email=email)
    tab_b = context.new_page()
    tab_b.goto("/settings")
    expect(tab_b.get_by_role("heading", name="Settings", level=1)).to_be_visible()

    tab_a.get_by_role("button", name="Account menu").click()
    tab_a.get_by_role("menuitem", name="Log out").click()
    expect(tab_a).to_have_url(re.compile(r"/login"))

    expect_signed_out(tab_b)
    context.close()


def test_log_out_everywhere_ends_other_browsers(browser: Browser, base_url: str) -> None:
    email = create_member("two_devices")
    laptop, phone = new_person(browser, base_url), new_person(browser, base_url)
    laptop_page, phone_page = laptop.new_page(), phone.new_page()
    log_in_as(laptop_page, "two_devices", email=email)
    log_in_as(phone_page, "two_devices", email=email)
    phone_page.goto("/settings")
    expect(phone_page.get_by_role("heading", name="Settings", level=1)).to_be_visible()

    laptop_page.goto("/settings")
    expect(laptop_page.get_by_role("row")).to_have_count(3)  # header + two sessions
    laptop_page.get_by_role("button", name="Log out everywhere").click()

    expect(laptop_page).to_have_url(re.compile(r"/login"))
    expect_signed_out(phone_page)
    laptop.close()
    phone.close()


def test_revoking_a_session_from_settings(browser: Browser, base_url: str) -> None:
    email = create_member("revoker")
    first, second = new_person(browser, base_url), new_person(browser, base_url)
    first_page, second_page = first.new_page(), second.new_page()
    log_in_as(first_page, "revoker", email=email)
    log_in_as(second_page, "revoker", email=email)

    first_page.goto("/settings")
    first_page.get_by_role("button", name=re.compile("^Revoke session")).first.click()
    expect_signed_out(second_page)
    first.close()
    second.close()


def test_remember_me_keeps_a_persistent_cookie(browser: Browser, base_url: str) -> None:
    context = new_person(browser, base_url)
    page = context.new_page()
    log_in_as(page, "remembered", remember=True, email=create_member("remembered"))
    cookies = {c["name"]: c for c in context.cookies()}
    assert cookies["cp_access"]["httpOnly"] is True
    assert cookies["cp_access"]["sameSite"] == "Lax"
    assert cookies["cp_refresh"]["path"] == "/auth"
    days = (cookies["cp_refresh"]["expires"] - cookies["cp_access"]["expires"]) / 86400
    assert abs(days) < 1
    # 30 days from now, give or take the test's own duration.
    import time

    assert 29 < (cookies["cp_refresh"]["expires"] - time.time()) / 86400 <= 30
    context.close()


def test_refresh_rotates_the_cookies_and_keeps_the_tab_signed_in(
    browser: Browser, base_url: str
) -> None:
    context = new_person(browser, base_url)
    page = context.new_page()
    log_in_as(page, "refresher", email=create_member("refresher"))
    before = {c["name"]: c["value"] for c in context.cookies()}
    assert "cp_access_expires" in before  # the script's hint; the credentials stay HttpOnly
    assert page.evaluate("document.cookie").count("cp_access=") == 0

    status = page.evaluate(
        "fetch('/auth/refresh', {method: 'POST', credentials: 'same-origin'}).then(r => r.status)"
    )
    assert status == 204
    after = {c["name"]: c["value"] for c in context.cookies()}
    assert after["cp_refresh"] != before["cp_refresh"]
    page.goto("/settings")
    expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()
    context.close()
