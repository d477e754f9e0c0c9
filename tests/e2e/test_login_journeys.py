"""PRODUCT.md §7.2 lockout and §7.6 guards, through the real login form."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from citypulse.seed.people import DEMO_PASSWORD, demo_email
from tests.e2e.support.people import create_member, log_in, log_in_as, password_for

pytestmark = pytest.mark.journeys

INVALID = "Invalid email or password"


@pytest.mark.demo_data
def test_guard_sends_visitor_to_login_and_back(page: Page) -> None:
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fdashboard$"))
    log_in(page, demo_email("bob"), DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/?$"))

    page.goto("/login")
    expect(page).to_have_url(re.compile(r"/dashboard/?$"))


def test_lockout_after_five_wrong_passwords(browser: Browser, base_url: str) -> None:
    email = create_member("lockout_target")
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.goto("/login")
    for _ in range(5):
        log_in(page, email, "Wrong#Passw0rd")
        expect(page.get_by_role("alert").filter(has_text=INVALID)).to_be_visible()
    log_in(page, email, password_for(email))
    expect(
        page.get_by_role("alert").filter(has_text="Too many attempts, try again in 15 minutes")
    ).to_be_visible()

    log_in(page, "nobody@example.test", DEMO_PASSWORD)
    expect(page.get_by_role("alert").filter(has_text=INVALID)).to_be_visible()
    context.close()


def test_signed_in_user_sees_account_menu(page: Page) -> None:
    log_in_as(page, "dave")
    page.get_by_role("button", name="Account menu").click()
    expect(page.get_by_role("menuitem", name="Settings")).to_be_visible()
    expect(page.get_by_role("menuitem", name="Moderator tools")).to_have_count(0)
