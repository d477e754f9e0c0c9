"""Reset-code messages tell the truth (issue 15 item 4, PRODUCT.md §4.1 item 8).

A wrong code says how many tries are left and the same request still works;
"request a new one" appears only once the code is really void.
"""

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support.people import create_member, fresh_identity
from tests.support.fake_sendgrid import FakeSendGrid, extract_code

pytestmark = pytest.mark.journeys

VOID = "Code expired or invalid — request a new one"


def request_code(page: Page, email: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send code").click()
    expect(page.get_by_text("If an account exists for that email")).to_be_visible()


def enter_code(page: Page, code: str) -> None:
    page.get_by_label("6-digit code").fill(code)
    page.get_by_role("button", name="Verify code").click()


def wait_for_codes(outbox: FakeSendGrid, email: str, count: int) -> dict[str, Any]:
    """The newest reset-code email once `count` of them have arrived."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        codes = [m for m in outbox.messages_to(email) if "reset code" in m["subject"]]
        if len(codes) >= count:
            return codes[-1]
        time.sleep(0.1)
    raise AssertionError(f"fewer than {count} reset codes reached {email}")


def not_the(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def expect_tries_left(page: Page, tries: str) -> None:
    wrong = page.get_by_role("alert").filter(has_text="That code is not right")
    expect(wrong).to_have_text(f"That code is not right — {tries} left")
    expect(page.get_by_text("request a new one")).to_have_count(0)
    expect(page.get_by_label("6-digit code")).to_have_attribute("aria-invalid", "true")


def test_a_wrong_code_counts_down_and_the_right_one_still_works(
    page: Page, outbox: FakeSendGrid
) -> None:
    email = create_member("second_try")
    page.goto("/reset-password")
    request_code(page, email)
    code = extract_code(outbox.wait_for_message(email, "reset code"))

    enter_code(page, not_the(code))
    expect_tries_left(page, "4 tries")
    enter_code(page, not_the(code))
    expect_tries_left(page, "3 tries")

    enter_code(page, code)
    expect(page.get_by_label("New password", exact=True)).to_be_visible()


def test_five_wrong_codes_void_the_request_and_a_new_one_works(
    page: Page, outbox: FakeSendGrid
) -> None:
    email = create_member("guesser")
    page.goto("/reset-password")
    request_code(page, email)
    code = extract_code(outbox.wait_for_message(email, "reset code"))
    for tries in ["4 tries", "3 tries", "2 tries", "1 try"]:
        enter_code(page, not_the(code))
        expect_tries_left(page, tries)

    enter_code(page, not_the(code))
    expect(page.get_by_role("alert").filter(has_text="Code expired")).to_have_text(VOID)
    expect(page.get_by_label("6-digit code")).to_have_count(0)  # the old code cannot be tried
    expect(page.get_by_label("New password", exact=True)).to_have_count(0)

    page.get_by_role("button", name="Request a new code").click()
    expect(page.get_by_label("Email")).to_have_value(email)
    page.get_by_role("button", name="Send code").click()
    expect(page.get_by_label("6-digit code")).to_be_visible()
    new_code = extract_code(wait_for_codes(outbox, email, 2))
    enter_code(page, new_code)
    expect(page.get_by_label("New password", exact=True)).to_be_visible()


def test_an_unknown_email_gets_the_same_replies(page: Page, outbox: FakeSendGrid) -> None:
    page.goto("/reset-password")
    nobody = fresh_identity("nobody")[1]
    request_code(page, nobody)
    enter_code(page, "123456")
    expect_tries_left(page, "4 tries")
    assert outbox.messages_to(nobody) == []
    expect(page).to_have_url(re.compile(r"/reset-password/?$"))
