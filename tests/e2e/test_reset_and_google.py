"""PRODUCT.md §7.4 password reset by code and §7.3 Google sign-in (fake provider)."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support.live import wait_until_live
from tests.e2e.support.people import (
    create_member,
    fresh_identity,
    log_in,
    log_in_as,
    password_for,
)
from tests.support.fake_oidc import FakeOIDCProvider
from tests.support.fake_sendgrid import FakeSendGrid, extract_code

pytestmark = pytest.mark.journeys

NEW_PASSWORD = "Fresh!Start2027"
GOOGLE_FAILED = "Google sign-in failed. Please try again."


def request_code(page: Page, email: str) -> None:
    page.goto("/reset-password")
    wait_until_live(page)  # a click before the app took the form over may be lost
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send code").click()
    expect(page.get_by_text("If an account exists for that email")).to_be_visible()


def enter_code(page: Page, code: str) -> None:
    page.get_by_label("6-digit code").fill(code)
    page.get_by_role("button", name="Verify code").click()


def test_reset_by_code_ends_every_session(
    browser: Browser, base_url: str, outbox: FakeSendGrid
) -> None:
    email = create_member("resetter")
    phone = browser.new_context(base_url=base_url)
    phone_page = phone.new_page()
    log_in_as(phone_page, "resetter", email=email)
    phone_page.goto("/settings")

    visitor = browser.new_context(base_url=base_url)
    page = visitor.new_page()
    request_code(page, email)
    code = extract_code(outbox.wait_for_message(email, "reset code"))
    wrong = "000000" if code != "000000" else "111111"
    enter_code(page, wrong)
    expect(page.get_by_text("That code is not right — 4 tries left")).to_be_visible()
    enter_code(page, code)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    expect(page).to_have_url(re.compile(r"/login\?reset=done"))

    expect(phone_page).to_have_url(re.compile(r"/login"), timeout=5_000)
    outbox.wait_for_message(email, "password was changed")
    log_in(page, email, password_for(email))  # the old one
    expect(page.get_by_role("alert").filter(has_text="Invalid email or password")).to_be_visible()
    log_in(page, email, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/?$"))
    phone.close()
    visitor.close()


def test_reset_for_unknown_email_looks_the_same_and_sends_nothing(
    page: Page, outbox: FakeSendGrid
) -> None:
    nobody = fresh_identity("nobody")[1]
    request_code(page, nobody)
    expect(page.get_by_label("6-digit code")).to_be_visible()
    assert outbox.messages_to(nobody) == []


def test_google_sign_in_lands_on_dashboard(page: Page, google: FakeOIDCProvider) -> None:
    google.next_identity = {
        "sub": "google-e2e-1",
        "email": "gabriela@example.test",
        "email_verified": True,
        "name": "Gabriela Souza",
    }
    page.goto("/login")
    page.get_by_role("button", name="Sign in with Google").click()
    expect(page).to_have_url(re.compile(r"/dashboard/?$"))
    expect(page.get_by_role("heading", name=re.compile("Welcome, Gabriela Souza"))).to_be_visible()


def test_google_refusals_go_back_to_login(page: Page, google: FakeOIDCProvider) -> None:
    google.deny_next = True
    page.goto("/login")
    page.get_by_role("button", name="Sign in with Google").click()
    expect(page.get_by_role("alert").filter(has_text=GOOGLE_FAILED)).to_be_visible()

    page.goto("/auth/google/callback?state=whatever")  # no code
    expect(page.get_by_role("alert").filter(has_text=GOOGLE_FAILED)).to_be_visible()

    page.goto("/auth/google/callback?code=forged&state=forged")  # no state cookie
    expect(page.get_by_role("alert").filter(has_text=GOOGLE_FAILED)).to_be_visible()

    # Identity fields in the callback are never trusted.
    page.goto("/auth/google/callback?email=alice%40citypulse.test&sub=1&email_verified=true")
    expect(page.get_by_role("alert").filter(has_text=GOOGLE_FAILED)).to_be_visible()
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/login"))
