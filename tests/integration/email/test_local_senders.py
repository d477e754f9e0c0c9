"""Local-run senders (file, console) and the choice of sender from settings."""

import io
import json
import logging
from pathlib import Path

import pytest

from citypulse.email.messages import password_changed_email, verification_email
from citypulse.email.senders import (
    ConsoleSender,
    FileSender,
    SendGridSender,
    sender_from_settings,
)
from citypulse.settings import Settings, SettingsError


def test_file_sender_writes_one_readable_json_file_per_message(tmp_path: Path) -> None:
    sender = FileSender(tmp_path / "outbox")
    first = verification_email("ana@example.com", "Ana", "tok")
    second = password_changed_email("ana@example.com", "Ana")

    sender.send(first)
    sender.send(second)

    files = sorted((tmp_path / "outbox").iterdir())
    assert [f.suffix for f in files] == [".json", ".json"]  # no partial .tmp files left
    records = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    assert {r["subject"] for r in records} == {first.subject, second.subject}
    record = next(r for r in records if r["category"] == "verification")
    assert record["to"] == "ana@example.com"
    assert record["text"] == first.text
    assert record["html"] == first.html
    assert record["created_at"]


def test_console_sender_prints_the_whole_message_and_logs_only_that_it_did(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="citypulse.email")
    message = verification_email("ana@example.com", "Ana", "tok-xyz")
    printed = io.StringIO()

    ConsoleSender(printed).send(message)

    shown = printed.getvalue()
    assert "To:      ana@example.com" in shown
    assert f"Subject: {message.subject}" in shown
    assert "Link:    http" in shown and "verify-email?token=tok-xyz" in shown
    assert message.text.strip() in shown
    assert "ana@example.com" in caplog.text and message.subject in caplog.text
    assert "tok-xyz" not in caplog.text  # the link is for the terminal, not the log


def test_sender_from_settings_follows_the_email_backend(tmp_path: Path) -> None:
    file_sender = sender_from_settings(Settings(email_backend="file", data_dir=tmp_path))
    assert isinstance(file_sender, FileSender)
    assert file_sender.folder == tmp_path / "outbox"

    assert isinstance(sender_from_settings(Settings(email_backend="console")), ConsoleSender)

    sendgrid = sender_from_settings(
        Settings(email_backend="sendgrid", sendgrid_api_key="SG.k", sendgrid_host="http://h")
    )
    assert isinstance(sendgrid, SendGridSender)
    assert sendgrid.host == "http://h"


def test_sendgrid_backend_without_a_key_is_refused() -> None:
    with pytest.raises(SettingsError, match="SENDGRID_API_KEY"):
        sender_from_settings(Settings(email_backend="sendgrid", sendgrid_api_key=None))
