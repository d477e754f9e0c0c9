"""/settings account journeys: change password, deactivate and reactivate, export (§5.6)."""

import json
import re
import zipfile

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support.people import (
    create_member,
    log_in,
    log_in_as,
    member_username,
    password_for,
)

pytestmark = pytest.mark.journeys

NEW_PASSWORD = "Harbour!Lights9"


def test_change_password_signs_out_other_sessions(browser: Browser, base_url: str) -> None:
    email = create_member("changer")
    desk, phone = browser.new_context(base_url=base_url), browser.new_context(base_url=base_url)
    desk_page, phone_page = desk.new_page(), phone.new_page()
    log_in_as(desk_page, "changer", email=email)
    log_in_as(phone_page, "changer", email=email)

    desk_page.goto("/settings")
    desk_page.get_by_label("Current password").fill("Not!MyPassword1")
    desk_page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    desk_page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    desk_page.get_by_role("button", name="Change password").click()
    expect(desk_page.get_by_text("Current password is incorrect")).to_be_visible()

    desk_page.get_by_label("Current password").fill(password_for(email))
    desk_page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    desk_page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    desk_page.get_by_role("button", name="Change password").click()
    expect(desk_page.get_by_text("Password changed.")).to_be_visible()

    expect(phone_page).to_have_url(re.compile(r"/login"), timeout=5_000)
    desk_page.reload()
    expect(desk_page.get_by_role("heading", name="Settings", level=1)).to_be_visible()
    desk.close()
    phone.close()


@pytest.mark.destructive
def test_deactivate_then_reactivate_by_logging_in(page: Page) -> None:
    email = create_member("leaver")
    log_in_as(page, "leaver", email=email)
    page.goto("/settings")
    page.get_by_label("Your password").fill("wrong")
    page.get_by_role("button", name="Deactivate & delete account").click()
    expect(page.get_by_text("Password is incorrect")).to_be_visible()

    page.get_by_label("Your password").fill(password_for(email))
    page.get_by_role("button", name="Deactivate & delete account").click()
    expect(page.get_by_text("Your account is deactivated and will be deleted")).to_be_visible()
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/login"))

    log_in(page, email, password_for(email))
    expect(page).to_have_url(re.compile(r"/dashboard/?$"))
    expect(page.get_by_text("Welcome back — your account has been reactivated")).to_be_visible()


def test_download_my_data(page: Page) -> None:
    email = create_member("exporter")
    log_in_as(page, "exporter", email=email)
    page.goto("/settings")
    page.get_by_role("button", name="Download my data").click()
    download_button = page.get_by_role("button", name="Download ZIP")
    expect(download_button).to_be_visible(timeout=30_000)
    with page.expect_download() as download_info:
        download_button.click()
    archive = zipfile.ZipFile(download_info.value.path())
    account = json.loads(archive.read("account.json"))
    assert account["username"] == member_username("exporter")
    assert "password_hash" not in json.dumps(account)

    page.get_by_role("button", name="Download my data").click()
    expect(page.get_by_text("Too many requests, try again in 24 hours")).to_be_visible()


def test_email_preferences_and_theme_are_stored_on_the_account(
    browser: Browser, base_url: str
) -> None:
    email = create_member("preferrer")
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, "preferrer", email=email)
    page.goto("/settings")
    marketing = page.get_by_role("switch", name=re.compile("^News and offers"))
    expect(marketing).not_to_be_checked()
    marketing.click()
    page.get_by_role("button", name="Save email preferences").click()
    expect(page.get_by_text("Email preferences saved")).to_be_visible()
    page.get_by_role("radio", name="Dark").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))

    # Another browser of the same person: both choices come from the account.
    other = browser.new_context(base_url=base_url).new_page()
    log_in_as(other, "preferrer", email=email)
    other.goto("/settings")
    expect(other.get_by_role("switch", name=re.compile("^News and offers"))).to_be_checked()
    expect(other.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    other.reload()
    expect(other.locator("html")).to_have_class(re.compile(r"\bdark\b"))
