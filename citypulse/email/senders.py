"""Email senders: SendGrid in production, console or JSON files for local runs.

Senders are blocking (network or disk): call them from a worker thread, never on the
event loop. Services do not call senders directly; they enqueue into the outbox.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, TextIO

from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Category, Mail

from citypulse.email.console import ShownEmail, framed
from citypulse.email.messages import EmailMessage
from citypulse.settings import Settings, SettingsError, get_settings

logger = logging.getLogger(__name__)

# python_http_client (under the sendgrid package) logs request headers, including the
# "Authorization: Bearer <API key>" header, at DEBUG. Pinning its level keeps the key
# out of the logs even when someone turns on DEBUG globally.
logging.getLogger("python_http_client.client").setLevel(logging.INFO)

SENDGRID_TIMEOUT_SECONDS = 10.0
ERROR_MAX_LENGTH = 300


class EmailSendError(Exception):
    """A message could not be handed to the provider; the text is safe to store and log."""


class EmailSender(Protocol):
    """Anything that can deliver one message (SendGrid, console, file, test doubles)."""

    def send(self, message: EmailMessage) -> None:
        """Deliver `message` or raise EmailSendError."""
        ...


class SendGridSender:
    """Sends through the SendGrid v3 API with the official client (production, fake in tests)."""

    def __init__(
        self,
        api_key: str,
        sender: str,
        host: str = "https://api.sendgrid.com",
        timeout: float = SENDGRID_TIMEOUT_SECONDS,
    ) -> None:
        """Configure the sender.

        Args:
            api_key: The SendGrid API key (never logged nor put in errors).
            sender: The From address, e.g. "CityPulse <hello@citypulse.com>".
            host: The API base URL (tests point it at a fake server on 127.0.0.1).
            timeout: Seconds before a stuck request counts as a failure.
        """
        self._api_key = api_key
        self.sender = sender
        self.host = host
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"SendGridSender(sender={self.sender!r}, host={self.host!r})"

    def send(self, message: EmailMessage) -> None:
        """Send `message` as HTML + plain text, tagged with its category.

        Raises:
            EmailSendError: On any non-2xx answer, network error or timeout.
        """
        mail = Mail(
            from_email=self.sender,
            to_emails=message.to,
            subject=message.subject,
            plain_text_content=message.text,
            html_content=message.html,
        )
        mail.category = Category(message.category)
        # A client per message: python_http_client mutates its header dict per request,
        # and deliveries run in several threads at once.
        client = SendGridAPIClient(api_key=self._api_key, host=self.host)
        client.client.timeout = self.timeout  # inherited by the per-path sub-clients
        try:
            response = client.send(mail)
            status = response.status_code
        except Exception as exc:  # the client raises HTTPError subclasses for >= 400
            status = getattr(exc, "status_code", None)
            detail = f"HTTP {status}" if status else f"{type(exc).__name__}: {exc}"
            raise EmailSendError(self._safe(f"SendGrid send failed: {detail}")) from None
        if not 200 <= status < 300:
            raise EmailSendError(f"SendGrid send failed: HTTP {status}")

    def _safe(self, text: str) -> str:
        # Belt and braces: an error text must never carry the key, and stays short.
        if self._api_key:
            text = text.replace(self._api_key, "***")
        return text[:ERROR_MAX_LENGTH]


class ConsoleSender:
    """Prints each message on the terminal instead of sending it: local runs only.

    The whole message, links and codes included, goes to `stream` (stdout by default)
    as one framed block (`citypulse.email.console`), never through logging, whose
    redaction would hide exactly what a local user needs to read.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        """Print to `stream`, or to whatever `sys.stdout` is at send time."""
        self.stream = stream

    def send(self, message: EmailMessage) -> None:
        """Print `message` and log one line (without its content) that it was shown."""
        shown = ShownEmail(message.to, message.subject, message.category, message.text)
        print(framed(shown), file=self.stream or sys.stdout, flush=True)
        logger.info("Email to %s printed above (console backend): %s", message.to, message.subject)


class FileSender:
    """Writes each message as one JSON file in `folder`: a readable local outbox."""

    def __init__(self, folder: Path) -> None:
        """Use `folder` (created on first send) as the outbox."""
        self.folder = Path(folder)

    def send(self, message: EmailMessage) -> None:
        """Write `message` to `<folder>/<timestamp>-<random>.json`.

        Raises:
            EmailSendError: If the file cannot be written.
        """
        now = datetime.now(UTC)
        record = {
            "to": message.to,
            "subject": message.subject,
            "category": message.category,
            "text": message.text,
            "html": message.html,
            "created_at": now.isoformat(),
        }
        # Sortable by time; the random part keeps names unique across threads.
        name = f"{now:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.json"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / f".{name}.tmp"
            partial.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
            # Rename last so a reader polling the folder never sees half a file.
            os.replace(partial, self.folder / name)
        except OSError as exc:
            raise EmailSendError(f"Could not write the email file: {exc}") from exc


def sender_from_settings(settings: Settings | None = None) -> EmailSender:
    """Pick the sender for EMAIL_BACKEND: sendgrid, file (DATA_DIR/outbox) or console.

    Raises:
        SettingsError: If the sendgrid backend is chosen without SENDGRID_API_KEY.
    """
    settings = settings or get_settings()
    if settings.email_backend == "sendgrid":
        if not settings.sendgrid_api_key:
            raise SettingsError("SENDGRID_API_KEY is required when EMAIL_BACKEND=sendgrid")
        return SendGridSender(
            settings.sendgrid_api_key, settings.email_from, settings.sendgrid_host
        )
    if settings.email_backend == "file":
        return FileSender(settings.data_dir / "outbox")
    return ConsoleSender()
