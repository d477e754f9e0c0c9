"""Google buttons appear only where Google sign-in is configured (issue 15 item 5).

The backend runs in this process, so the test changes the settings it reads at run time
(the exported frontend stays the same, as in production). The exported page starts
without the buttons, so each test first waits for something only the server can show.
"""

import pytest
from playwright.sync_api import Page, expect

from citypulse.settings import get_settings

pytestmark = [
    pytest.mark.journeys,
    pytest.mark.harness_only("changes the running app's settings in-process"),
]

SIGN_IN = "Sign in with Google"
SIGN_UP = "Sign up with Google (accepts the Terms and Privacy Policy)"
RESET_DONE = "Your password has been changed"


def open_login(page: Page) -> None:
    page.goto("/login?reset=done")
    expect(page.get_by_text(RESET_DONE)).to_be_visible()  # on_load has answered


def open_signup(page: Page) -> None:
    page.goto("/signup")
    page.get_by_label("Password", exact=True).fill("Lisbon!Tram28")
    page.get_by_label("Confirm password").fill("Lisbon!Tram28")
    expect(page.get_by_text("✓ Passwords match")).to_be_visible()  # a server round trip


def test_google_buttons_show_when_configured(page: Page) -> None:
    open_login(page)
    expect(page.get_by_role("button", name=SIGN_IN)).to_be_visible()
    open_signup(page)
    expect(page.get_by_role("button", name=SIGN_UP)).to_be_visible()


def test_google_buttons_are_hidden_without_a_client_id(
    page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "google_client_id", None)

    open_login(page)
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    expect(page.get_by_role("button", name=SIGN_IN)).to_have_count(0)
    open_signup(page)
    expect(page.get_by_role("button", name="Create account")).to_be_visible()
    expect(page.get_by_role("button", name=SIGN_UP)).to_have_count(0)
