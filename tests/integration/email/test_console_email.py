"""Local runs read their email on the terminal or with `cli outbox` (issue 15 item 1).

`make run` uses EMAIL_BACKEND=console: a newcomer must be able to verify a new account
and reset a password from what the app prints, with no other tool. These tests sign up
and ask for a reset through the services, let the real delivery pass send through the
sender chosen by the settings, read the link and the code from the captured output and
use them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from citypulse import cli
from citypulse.email.outbox import SessionFactory, deliver_pending
from citypulse.email.senders import ConsoleSender, sender_from_settings
from citypulse.models import User
from citypulse.services.accounts.password_reset import (
    password_reset_request,
    password_reset_verify,
)
from citypulse.services.accounts.registration import SignUpForm, account_register, email_verify
from citypulse.settings import get_settings
from tests.integration.email.conftest import TEST_DOMAIN, TEST_IP

EMAIL = f"newcomer@{TEST_DOMAIN}"
PASSWORD = "Harbour!Lights42"
LINK_LINE = re.compile(r"^Link: +(\S+)$", re.MULTILINE)
CODE_LINE = re.compile(r"^Code: +(\d{6})$", re.MULTILINE)


@pytest.fixture(autouse=True)
def console_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings `make run` starts with; limits high enough for one person."""
    monkeypatch.setattr(get_settings(), "email_backend", "console")
    monkeypatch.setattr(get_settings(), "rate_limit_multiplier", 20)


def sign_up(session_factory: SessionFactory) -> None:
    form = SignUpForm(
        username="newcomer",
        full_name="New Comer",
        email=EMAIL,
        password=PASSWORD,
        confirm_password=PASSWORD,
        accepted_terms=True,
    )
    with session_factory() as session:
        account_register(session, form=form, ip=TEST_IP, now=datetime.now(UTC))


def deliver(session_factory: SessionFactory, capsys: pytest.CaptureFixture[str]) -> str:
    """One delivery pass through the configured sender; returns what it printed."""
    sender = sender_from_settings()
    assert isinstance(sender, ConsoleSender)
    assert deliver_pending(session_factory, sender).sent == 1
    return capsys.readouterr().out


def test_the_verification_link_printed_on_the_console_verifies_the_account(
    session_factory: SessionFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_up(session_factory)

    printed = deliver(session_factory, capsys)

    assert f"To:      {EMAIL}" in printed and "Subject: " in printed
    [link] = LINK_LINE.findall(printed)
    assert link.startswith(get_settings().public_url.rstrip("/") + "/verify-email?token=")
    token = link.split("token=", 1)[1]
    with session_factory() as session:
        assert email_verify(session, token=token, now=datetime.now(UTC)) == "newcomer"
    with session_factory() as session:
        user = session.exec(select(User).where(User.email == EMAIL)).one()
        assert user.email_verified_at is not None


def test_the_reset_code_printed_on_the_console_is_accepted(
    session_factory: SessionFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_up(session_factory)
    deliver(session_factory, capsys)
    with session_factory() as session:
        password_reset_request(session, email=EMAIL, ip=TEST_IP, now=datetime.now(UTC))

    printed = deliver(session_factory, capsys)

    [code] = CODE_LINE.findall(printed)
    assert f"    {code}" in printed  # the message text itself follows the summary
    with session_factory() as session:
        assert password_reset_verify(session, email=EMAIL, code=code, now=datetime.now(UTC))


def test_cli_outbox_lists_the_latest_emails_with_links_and_codes(
    session_factory: SessionFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_up(session_factory)
    with session_factory() as session:
        password_reset_request(session, email=EMAIL, ip=TEST_IP, now=datetime.now(UTC))
    capsys.readouterr()

    assert cli.main(["outbox", "--to", EMAIL.upper()]) == 0

    listed = capsys.readouterr().out
    assert listed.count(f"To:      {EMAIL}") == 2
    assert "pending" in listed  # queued, not sent yet: the outbox shows it anyway
    assert "/verify-email?token=" in LINK_LINE.findall(listed)[0]
    assert CODE_LINE.search(listed)
    # Newest last, so the reset code is what a person sees at the bottom.
    assert listed.index("/verify-email") < listed.index("Code:")


def test_cli_outbox_refuses_to_run_in_production(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(get_settings(), "app_env", "production")
    assert cli.main(["outbox"]) == 1
    assert "not available in production" in capsys.readouterr().err
