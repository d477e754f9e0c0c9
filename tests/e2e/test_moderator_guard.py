"""PRODUCT.md §2 access level M and §7.33: moderator pages are 404 for everyone else."""

import re

import pytest
from playwright.sync_api import Page, expect

from citypulse.state.moderation.dashboard import ModeratorDashboardState
from tests.e2e.support.crafted import CraftedClient
from tests.e2e.support.people import log_in_as
from tests.e2e.support.tabs import sign_in_cookie

pytestmark = [pytest.mark.journeys, pytest.mark.demo_data]

NOT_FOUND = "404 — Page Not Found"


def test_visitor_and_user_get_404(page: Page) -> None:
    page.goto("/moderator/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text(NOT_FOUND)
    log_in_as(page, "bob")
    page.goto("/moderator/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text(NOT_FOUND)
    expect(page.get_by_text("Pending reports")).to_have_count(0)


def test_moderator_sees_the_dashboard_from_the_menu(page: Page) -> None:
    log_in_as(page, "mod")
    page.get_by_role("button", name="Account menu").click()
    page.get_by_role("menuitem", name="Moderator tools").click()
    expect(page).to_have_url(re.compile(r"/moderator/dashboard/?$"))
    expect(page.get_by_role("heading", name="Moderator dashboard", level=1)).to_be_visible()
    expect(page.get_by_text("Pending reports")).to_be_visible()


def test_crafted_call_by_a_user_returns_no_moderator_data(backend_url: str) -> None:
    client = CraftedClient(backend_url, sign_in_cookie(backend_url, "bob@citypulse.test"))
    try:
        reply = client.call(
            f"{ModeratorDashboardState.get_full_name()}.load", {}, path="/moderator/dashboard"
        )
    finally:
        client.close()
    assert "bob" in reply  # the event ran as bob
    assert "Pending reports" not in reply
