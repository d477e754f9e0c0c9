"""The mail of QA addresses on a deployment, read over HTTP from its `/qa/outbox` (issue 16).

Same reading interface as tests/support/fake_sendgrid.FakeSendGrid (`messages_to`,
`wait_for_message`), so a journey takes the `outbox` fixture and runs unchanged against
the built-in harness (fake SendGrid) or a deployment in QA mode (this client). The
messages carry `to`, `subject`, `category` and `text`, which is what `extract_link` and
`extract_code` read.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

POLL_SECONDS = 0.25  # between two reads of the endpoint while a message is awaited


class QAOutbox:
    """A reader of `<site>/qa/outbox` with the deployment's QA token."""

    def __init__(self, site: str, token: str, **http: Any) -> None:
        self.site = site.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"}
        self._http = http

    def messages_to(self, address: str) -> list[dict[str, Any]]:
        """Every captured message to `address`, oldest first.

        Raises:
            AssertionError: the deployment refused (QA mode off, wrong token, not a QA address).
        """
        response = httpx.get(
            f"{self.site}/qa/outbox",
            params={"to": address},
            headers=self._headers,
            timeout=15,
            **self._http,
        )
        assert response.status_code == 200, (
            f"/qa/outbox answered {response.status_code}: {response.text[:200]}"
        )
        return response.json()["messages"]

    def wait_for_message(
        self, to: str, subject_contains: str | None = None, timeout: float = 20
    ) -> dict[str, Any]:
        """The newest message to `to` whose subject contains the text, waiting for it.

        Raises:
            AssertionError: none arrived within `timeout` seconds.
        """
        deadline = time.monotonic() + timeout
        while True:
            messages = self.messages_to(to)
            for message in reversed(messages):
                if subject_contains is None or subject_contains in message["subject"]:
                    return message
            if time.monotonic() >= deadline:
                subjects = [m["subject"] for m in messages]
                raise AssertionError(
                    f"No email to {to} with subject containing {subject_contains!r} within "
                    f"{timeout} s; got {subjects}"
                )
            time.sleep(POLL_SECONDS)  # the deployment pushes nothing: poll its endpoint
