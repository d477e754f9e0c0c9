"""A fake SendGrid v3 HTTP API on 127.0.0.1, so tests exercise the real sendgrid client.

Point `SendGridSender(host=fake.url)` (or SENDGRID_HOST) at it; it checks the bearer key,
parses the JSON the client sends, records each message and answers 202 like SendGrid.
Tests then read the verification link or reset code from `fake.messages`.

Use in a conftest:

    from tests.support.fake_sendgrid import email_via_fake_sendgrid, fake_sendgrid  # noqa: F401
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

FAKE_API_KEY = "SG.fake-test-key"
SEND_PATH = "/v3/mail/send"
REQUIRED_FIELDS = ("from", "subject", "personalizations", "content")


class FakeSendGrid:
    """The fake server; create it with `FakeSendGrid.start(api_key)` and `stop()` it."""

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self._messages: list[dict[str, Any]] = []
        self._failures: list[int] = []
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @classmethod
    def start(cls, api_key: str = FAKE_API_KEY) -> FakeSendGrid:
        """Start a server on a free port that accepts `api_key`."""
        fake = cls(api_key)
        fake._thread.start()
        return fake

    def stop(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        """Base URL to use as the sendgrid client's host."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def messages(self) -> list[dict[str, Any]]:
        """Accepted messages (oldest first): to, recipients, from, subject, text, html, category."""
        with self._changed:
            return list(self._messages)

    def messages_to(self, address: str) -> list[dict[str, Any]]:
        """Accepted messages with `address` among their recipients (case-insensitive)."""
        wanted = address.lower()
        return [m for m in self.messages if wanted in (r.lower() for r in m["recipients"])]

    def clear(self) -> None:
        """Forget the recorded messages."""
        with self._changed:
            self._messages.clear()

    def fail_next(self, n: int, status: int = 500) -> None:
        """Answer the next `n` requests with `status` (an outage), recording nothing."""
        with self._changed:
            self._failures.extend([status] * n)

    def wait_for_message(
        self, to: str, subject_contains: str | None = None, timeout: float = 10
    ) -> dict[str, Any]:
        """Return the newest message to `to` (whose subject contains the text), waiting for it.

        Raises:
            AssertionError: If none arrives within `timeout` seconds.
        """
        deadline = time.monotonic() + timeout

        def match() -> dict[str, Any] | None:
            for message in reversed(self.messages_to(to)):
                if subject_contains is None or subject_contains in message["subject"]:
                    return message
            return None

        with self._changed:
            # Woken by each new message: no fixed sleeps.
            found = self._changed.wait_for(match, timeout=max(deadline - time.monotonic(), 0))
        if not found:
            subjects = [m["subject"] for m in self.messages_to(to)]
            raise AssertionError(
                f"No email to {to} with subject containing {subject_contains!r} within "
                f"{timeout} s; got {subjects}"
            )
        return found

    def _take_failure(self) -> int | None:
        with self._changed:
            return self._failures.pop(0) if self._failures else None

    def _record(self, message: dict[str, Any]) -> None:
        with self._changed:
            self._messages.append(message)
            self._changed.notify_all()


def extract_link(message: dict[str, Any], path_prefix: str) -> str:
    """The first absolute link in the message text whose path starts with `path_prefix`.

    Raises:
        AssertionError: If there is none.
    """
    for url in re.findall(r"https?://[^\s\"'<>]+", message["text"]):
        path = re.sub(r"^https?://[^/]+", "", url)
        if path.startswith(path_prefix):
            return url
    raise AssertionError(f"No link to {path_prefix} in email {message['subject']!r}")


def extract_code(message: dict[str, Any]) -> str:
    """The first stand-alone 6-digit code in the message text.

    Raises:
        AssertionError: If there is none.
    """
    found = re.search(r"(?<![\d])\d{6}(?![\d])", message["text"])
    if not found:
        raise AssertionError(f"No 6-digit code in email {message['subject']!r}")
    return found.group(0)


def _parse_message(body: dict[str, Any]) -> dict[str, Any]:
    recipients = [to["email"] for p in body["personalizations"] for to in p.get("to", [])]
    content = {part["type"]: part["value"] for part in body["content"]}
    categories = body.get("categories") or []
    message = {
        "to": recipients[0] if recipients else None,
        "recipients": recipients,
        "from": body["from"].get("email"),
        "subject": body["subject"],
        "text": content.get("text/plain", ""),
        "html": content.get("text/html", ""),
        "categories": categories,
        "raw": body,
    }
    if categories:
        message["category"] = categories[0]
    return message


def _handler_for(fake: FakeSendGrid) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path != SEND_PATH:
                return self._reply(404, "Not found")
            failure = fake._take_failure()
            if failure is not None:
                return self._reply(failure, "Simulated outage")
            if self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                return self._reply(401, "The provided authorization grant is invalid")
            try:
                body = json.loads(raw)
                missing = [f for f in REQUIRED_FIELDS if not body.get(f)]
            except (ValueError, AttributeError):
                return self._reply(400, "Invalid JSON")
            if missing:
                return self._reply(400, f"Missing fields: {', '.join(missing)}")
            fake._record(_parse_message(body))
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _reply(self, status: int, error: str) -> None:
            payload = json.dumps({"errors": [{"message": error}]}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return Handler


@pytest.fixture
def fake_sendgrid() -> Iterator[FakeSendGrid]:
    """A running fake SendGrid accepting FAKE_API_KEY, stopped after the test."""
    fake = FakeSendGrid.start(FAKE_API_KEY)
    yield fake
    fake.stop()


@pytest.fixture
def email_via_fake_sendgrid(
    fake_sendgrid: FakeSendGrid, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeSendGrid]:
    """Point the app's settings (EMAIL_BACKEND=sendgrid) at the fake for this test."""
    from citypulse.settings import get_settings

    monkeypatch.setenv("EMAIL_BACKEND", "sendgrid")
    monkeypatch.setenv("SENDGRID_API_KEY", fake_sendgrid.api_key)
    monkeypatch.setenv("SENDGRID_HOST", fake_sendgrid.url)
    get_settings.cache_clear()
    yield fake_sendgrid
    # monkeypatch restores the environment after this; the next get_settings() rereads it.
    get_settings.cache_clear()
