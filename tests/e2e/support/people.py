"""How a person signs in through the real UI (shared by the journeys)."""

import re

from playwright.sync_api import Page, expect

from citypulse.seed.people import DEMO_PASSWORD, demo_email


def log_in(page: Page, email: str, password: str, *, remember: bool = False) -> None:
    """Fill the login form and submit it (no assertion on the outcome)."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    if remember:
        page.get_by_label("Remember me").check()
    page.get_by_role("button", name="Log in").click()


def log_in_as(page: Page, username: str, *, remember: bool = False) -> None:
    """Sign a demo account in from /login and wait for the dashboard."""
    page.goto("/login")
    log_in(page, demo_email(username), DEMO_PASSWORD, remember=remember)
    expect(page).to_have_url(re.compile(r"/dashboard/?$"))
