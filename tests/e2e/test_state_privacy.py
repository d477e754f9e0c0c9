"""What the auth pages' live state sends to the browser never includes secrets (§5.4).

Every frame the server pushes while a person signs up, resets a password and signs in
is recorded and searched for the password, its hash, the reset code and the cookies.
"""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from citypulse.db import session_scope
from citypulse.models import User
from tests.e2e.support.live import record_frames
from tests.e2e.support.people import create_member, log_in
from tests.support.fake_sendgrid import FakeSendGrid, extract_code

pytestmark = pytest.mark.harness_only("looks for the account's secrets read from the test database")

TYPED_PASSWORD = "Secret!Typed77"


def test_auth_pages_never_receive_secrets(page: Page, outbox: FakeSendGrid) -> None:
    frames = record_frames(page)
    page.goto("/signup")
    page.get_by_label("Username").fill("private_pat")
    page.get_by_label("Password", exact=True).fill(TYPED_PASSWORD)
    page.get_by_label("Confirm password").fill(TYPED_PASSWORD)
    expect(page.get_by_text("Strong")).to_be_visible()

    email = create_member("reset_privacy")
    page.goto("/reset-password")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send code").click()
    code = extract_code(outbox.wait_for_message(email, "reset code"))
    page.get_by_label("6-digit code").fill(code)
    page.get_by_role("button", name="Verify code").click()
    expect(page.get_by_label("New password", exact=True)).to_be_visible()
    page.get_by_label("New password", exact=True).fill(TYPED_PASSWORD)
    page.get_by_label("Confirm new password").fill(TYPED_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    log_in(page, email, TYPED_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/?$"))
    page.goto("/settings")
    expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()

    with session_scope() as session:
        password_hash = session.exec(
            select(User.password_hash).where(User.username == "reset_privacy")
        ).one()
    cookies = [c["value"] for c in page.context.cookies()]
    received = "\n".join(frames)
    assert "private_pat" in received  # the recording did capture state updates
    assert TYPED_PASSWORD not in received
    assert code not in received
    assert password_hash not in received and "$argon2" not in received
    assert all(value not in received for value in cookies)
