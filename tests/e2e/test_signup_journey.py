"""PRODUCT.md §7.1: sign-up, verification by the emailed link, then login."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support.people import fresh_identity, log_in
from tests.support.fake_sendgrid import FakeSendGrid, extract_link

pytestmark = pytest.mark.journeys

PASSWORD = "Wander!ng2026"


def fill_signup(page: Page, username: str, email: str, password: str, confirm: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Full name").fill("Erin Example")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Confirm password").fill(confirm)


def test_signup_verify_and_login(page: Page, outbox: FakeSendGrid) -> None:
    username, email = fresh_identity("erin_e2e")
    page.goto("/signup")
    fill_signup(page, username, email, PASSWORD, PASSWORD)
    expect(page.get_by_text("Strong")).to_be_visible()
    expect(page.get_by_text("✓ Passwords match")).to_be_visible()
    create = page.get_by_role("button", name="Create account")
    expect(create).to_be_disabled()
    page.get_by_label("I accept the Terms and the Privacy Policy").check()
    expect(create).to_be_enabled()
    create.click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    page.goto("/login")
    log_in(page, email, PASSWORD)
    expect(page.get_by_role("alert").filter(has_text="Please verify your email")).to_be_visible()
    expect(page.get_by_role("button", name="Resend verification email")).to_be_visible()

    message = outbox.wait_for_message(email, "Confirm your")
    link = extract_link(message, "/verify-email")
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    expect(page.get_by_role("heading", name="Email verified!")).to_be_visible()

    page.get_by_role("link", name="Continue to login").click()
    log_in(page, email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/?$"))
    expect(page.get_by_role("heading", name=re.compile("Welcome, Erin Example"))).to_be_visible()


@pytest.mark.demo_data
def test_invalid_signups_show_field_errors(page: Page) -> None:
    page.goto("/signup")
    fill_signup(page, "alice", "new@example.test", "password", "different")
    expect(page.get_by_text("An account with this username already exists")).to_be_visible()
    expect(page.get_by_text("Passwords do not match")).to_be_visible()
    expect(page.get_by_text("Password needs a lowercase letter")).to_be_visible()
    page.get_by_label("I accept the Terms and the Privacy Policy").check()
    expect(page.get_by_role("button", name="Create account")).to_be_disabled()
