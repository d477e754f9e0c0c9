"""Secrets never reach a log line (issue 9 item 1): the redaction rules of citypulse.logs.

The end-to-end proof (crafted websocket events against the running app) lives in
tests/security/test_log_secrets.py; these pin down each shape a secret arrives in.
"""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Iterator

import pytest

from citypulse.logs import REDACTED, configure_logging, redact

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiIsImZhbSI6IngifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
TAB = str(uuid.uuid4())
PASSWORD = "Hunter!Pass2024"
CODE = "482913"


@pytest.mark.parametrize(
    "line",
    [
        # Reflex's "Error processing event queue entry for {entry.event}" (a dataclass repr).
        f"Event(token='{TAB}', name='state.x.nope', router_data={{'pathname': '/settings', "
        f"'headers': {{'host': 'a', 'cookie': 'theme=dark; cp_access={JWT}; cp_flash=abc'}}, "
        f"'client_token': '{TAB}'}}, payload={{'form': {{'current_password': '{PASSWORD}', "
        f"'new_password': '{PASSWORD}'}}, 'code': '{CODE}'}})",
        # The same as JSON.
        f'{{"headers": {{"cookie": "cp_access={JWT}"}}, "token": "{TAB}", '
        f'"password": "{PASSWORD}", "reset_code": {CODE}}}',
        # uvicorn's websocket line and query strings.
        f'127.0.0.1:5000 - "WebSocket /_event/?EIO=4&transport=websocket&token={TAB}" [accepted]',
        f"GET /verify-email?token={JWT} HTTP/1.1",
        f"POST /auth/login email=a@b.c&password={PASSWORD}&next=/",
        # Raw header lines, ASGI header lists, bearer keys.
        f"Cookie: cp_access={JWT}; cp_refresh={JWT}; other=1",
        f"[(b'host', b'x'), (b'cookie', b'cp_access={JWT}; sid=42')]",
        f"Authorization: Bearer SG.abcdefghijkl.mnopqrstuvwxyz{PASSWORD}",
        f"Attempting to send delta to disconnected client '{TAB}'",
    ],
)
def test_every_shape_of_secret_is_redacted(line: str) -> None:
    cleaned = redact(line)
    for secret in (JWT, TAB, PASSWORD, CODE, "cp_access=ey", "sid=42", "SG.abc"):
        assert secret not in cleaned, cleaned
    assert REDACTED in cleaned


def test_ordinary_lines_are_left_alone() -> None:
    line = "GET /recommendations/42 HTTP/1.1 200 status_code=200 took 3.2 ms for alice"
    assert redact(line) == line
    assert redact(redact(f"password={PASSWORD}")) == f"password={REDACTED}"  # stable


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """What a plain handler on the root logger writes, after configure_logging()."""
    configure_logging()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger().addHandler(handler)
    yield stream
    logging.getLogger().removeHandler(handler)


def test_records_of_any_logger_are_redacted_with_their_traceback(captured: io.StringIO) -> None:
    reflex_logger = logging.getLogger("reflex.app")
    reflex_logger.warning("Received event from session s1 with no token. Event data: %s", {
        "cookie": f"cp_access={JWT}", "token": TAB})  # fmt: skip
    try:
        raise ValueError(f"bad form {{'password': '{PASSWORD}'}} for token={TAB}")
    except ValueError:
        logging.getLogger("reflex_base.event.processor").exception("Error in handler")

    text = captured.getvalue()
    assert "Event data" in text and "ValueError: bad form" in text and "Traceback" in text
    for secret in (JWT, TAB, PASSWORD):
        assert secret not in text


def test_records_that_skipped_the_factory_are_redacted_by_the_app_handler(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging()
    [console] = [h for h in logging.getLogger().handlers if getattr(h, "_citypulse_console", 0)]
    record = logging.makeLogRecord(
        {"name": "granian", "levelno": logging.ERROR, "levelname": "ERROR",
         "msg": "headers %s", "args": (f"cookie: cp_access={JWT}",)}
    )  # fmt: skip
    console.handle(record)
    printed = capsys.readouterr().err
    assert "granian: headers" in printed and JWT not in printed


def test_formatters_that_read_the_arguments_still_work(captured: io.StringIO) -> None:
    """uvicorn's access log unpacks (client, method, path, version, status) itself."""
    from uvicorn.logging import AccessFormatter

    handler = logging.StreamHandler(stream := io.StringIO())
    handler.setFormatter(AccessFormatter('%(client_addr)s "%(request_line)s" %(status_code)s'))
    access = logging.getLogger("uvicorn.access.test")
    access.addHandler(handler)
    try:
        access.warning(
            '%s - "%s %s HTTP/%s" %d',
            "127.0.0.1:5000", "GET", f"/verify-email?token={JWT}", "1.1", 200,
        )  # fmt: skip
    finally:
        access.removeHandler(handler)
    line = stream.getvalue()
    assert line.startswith('127.0.0.1:5000 "GET /verify-email?token=') and " 200" in line
    assert JWT not in line
