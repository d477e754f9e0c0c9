"""SendGridSender against the fake SendGrid API: the real sendgrid client over real HTTP."""

import logging
import socket

import pytest

from citypulse.email.messages import reset_code_email, verification_email
from citypulse.email.senders import EmailSendError, SendGridSender, sender_from_settings
from tests.support.fake_sendgrid import FAKE_API_KEY, FakeSendGrid, extract_code, extract_link

SENDER = "CityPulse <hello@citypulse.com>"


def sender_for(fake: FakeSendGrid, api_key: str = FAKE_API_KEY) -> SendGridSender:
    return SendGridSender(api_key, SENDER, host=fake.url)


def test_delivers_subject_recipient_text_html_and_category(fake_sendgrid: FakeSendGrid) -> None:
    message = verification_email("ana@example.com", "Ana Silva", "tok-123")

    sender_for(fake_sendgrid).send(message)

    [received] = fake_sendgrid.messages
    assert received["to"] == "ana@example.com"
    assert received["recipients"] == ["ana@example.com"]
    assert received["from"] == "hello@citypulse.com"
    assert received["subject"] == message.subject
    assert received["text"] == message.text
    assert received["html"] == message.html
    assert received["category"] == "verification"
    assert extract_link(received, "/verify-email").endswith("/verify-email?token=tok-123")


def test_tests_can_read_the_reset_code(fake_sendgrid: FakeSendGrid) -> None:
    sender_for(fake_sendgrid).send(reset_code_email("bo@example.com", "Bo", "042137"))

    message = fake_sendgrid.wait_for_message("BO@example.com", subject_contains="reset code")

    assert extract_code(message) == "042137"


def test_server_error_raises_and_the_next_send_succeeds(fake_sendgrid: FakeSendGrid) -> None:
    sender = sender_for(fake_sendgrid)
    fake_sendgrid.fail_next(1, status=500)

    with pytest.raises(EmailSendError, match="HTTP 500"):
        sender.send(verification_email("ana@example.com", "Ana", "t"))
    assert fake_sendgrid.messages == []

    sender.send(verification_email("ana@example.com", "Ana", "t"))
    assert len(fake_sendgrid.messages) == 1


def test_wrong_key_raises_without_revealing_the_key(fake_sendgrid: FakeSendGrid) -> None:
    wrong_key = "SG.wrong-secret-key-value"

    with pytest.raises(EmailSendError, match="HTTP 401") as caught:
        sender_for(fake_sendgrid, wrong_key).send(verification_email("a@example.com", "Al", "t"))

    assert wrong_key not in str(caught.value)
    assert fake_sendgrid.messages == []


def test_unreachable_api_raises_send_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sender = SendGridSender(FAKE_API_KEY, SENDER, host=f"http://127.0.0.1:{port}", timeout=2)

    with pytest.raises(EmailSendError, match="SendGrid send failed"):
        sender.send(verification_email("a@example.com", "Al", "t"))


def test_api_key_never_reaches_the_logs(
    fake_sendgrid: FakeSendGrid, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # even with DEBUG everywhere
    fake_sendgrid.fail_next(1)
    sender = sender_for(fake_sendgrid)

    with pytest.raises(EmailSendError):
        sender.send(verification_email("a@example.com", "Al", "t"))
    sender.send(verification_email("a@example.com", "Al", "t"))

    assert FAKE_API_KEY not in caplog.text
    assert FAKE_API_KEY not in repr(sender)


def test_settings_select_sendgrid_pointed_at_the_fake(
    email_via_fake_sendgrid: FakeSendGrid,
) -> None:
    sender = sender_from_settings()

    assert isinstance(sender, SendGridSender)
    sender.send(verification_email("cy@example.com", "Cy", "t"))
    assert email_via_fake_sendgrid.wait_for_message("cy@example.com")["category"] == "verification"
