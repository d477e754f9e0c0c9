"""Logging for the app and the CLI, configured in one place, with secrets redacted.

`configure_logging()` (called by the app module and the CLI) prints CityPulse's own
records on stderr at the level from settings (`LOG_LEVEL`), and makes sure that no
session cookie, JWT, tab token, password or reset code reaches any log line, whoever
logs it: Reflex logs a failed event with its whole router data (cookie header and tab
token included, ARCHITECTURE.md invariants 4 and 8), uvicorn logs the `/_event?token=`
URL, and a traceback can quote anything.

The redaction happens when a record is created (a log-record factory, so it covers
every logger, Reflex's rich console handler and any handler added later) and again in
a filter on the handlers known at configuration time (records built by hand). The
message and any traceback are rendered, redacted, and stored as the record's plain
message; `exc_info` is cleared so no handler can re-render the unredacted traceback.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Mapping
from typing import TextIO

from citypulse.settings import get_settings

REDACTED = "<redacted>"
_HANDLER_MARK = "_citypulse_console"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Names whose values are credentials wherever they appear as `name=value`,
# `name: value`, `'name': 'value'` or `"name": "value"` (query strings, forms, headers,
# dict and dataclass reprs, JSON). `\b` keeps `status_code` from matching `code`.
_SECRET_NAME = (
    r"[\w-]*(?:password|passwd|secret|token|api[_-]?key|authorization|cookie)[\w-]*"
    r"|(?:reset_|verification_)?code"
)
_QUOTED = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""
_RULES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    # `(b'cookie', b'...')` in ASGI header lists.
    (
        re.compile(rf"(?i)(b?['\"](?:set-)?cookie['\"]\s*,\s*b?)({_QUOTED})"),
        lambda m: f"{m.group(1)}'{REDACTED}'",
    ),
    # A raw `Cookie:` / `Set-Cookie:` header line: every cookie on it.
    (re.compile(r"(?im)^(\s*(?:set-)?cookie\s*:\s*)\S.*$"), rf"\g<1>{REDACTED}"),
    # name = value pairs (quoted values are replaced whole, quotes kept balanced).
    (
        re.compile(
            rf"(?i)(?P<name>\b(?:{_SECRET_NAME})\b)(?P<sep>['\"]?\s*[:=]\s*)"
            rf"(?P<value>{_QUOTED}|[^\s&;,'\"}})\]]+)"
        ),
        lambda m: f"{m.group('name')}{m.group('sep')}{_placeholder(m.group('value'))}",
    ),
    # Our cookies by name, wherever they appear (cp_access, cp_refresh, cp_flash, ...).
    (re.compile(r"(?i)\b(cp_[a-z_]+)=[^;\s'\"&,]+"), rf"\1={REDACTED}"),
    # JWTs (session cookies, email links, OAuth state, share links).
    (re.compile(r"\beyJ[\w-]+\.[\w-]+\.[\w-]*"), REDACTED),
    # Bearer credentials and SendGrid API keys.
    (re.compile(r"(?i)\bbearer\s+[\w\-.~+/=]+"), f"Bearer {REDACTED}"),
    (re.compile(r"\bSG\.[\w-]{8,}\.[\w-]{8,}"), REDACTED),
    # UUIDs: Reflex's tab tokens (a bearer credential for the tab) and session families.
    (re.compile(r"(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), REDACTED),
)


def _placeholder(value: str) -> str:
    if value[:1] in ("'", '"'):
        return f"{value[0]}{REDACTED}{value[0]}"
    return REDACTED


def redact(text: str) -> str:
    """`text` with every cookie, token, password, code and key replaced by `<redacted>`."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


_traceback_formatter = logging.Formatter()


def _redacted_args(args: object) -> object:
    """The record's arguments with each string redacted, shape kept."""
    if isinstance(args, tuple):
        return tuple(redact(arg) if isinstance(arg, str) else arg for arg in args)
    if isinstance(args, Mapping):
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in args.items()
        }
    return args


def scrub(record: logging.LogRecord) -> logging.LogRecord:
    """Redact `record` in place, so that no handler can render a secret from it.

    A clean record stays as it is. Otherwise, when redacting its string arguments
    is enough, only they change (formatters such as uvicorn's access log read the
    arguments); else the message is rendered, with any traceback, redacted, and kept
    as the plain message without arguments or exc_info. Idempotent.
    """
    try:
        message = record.getMessage()
    except Exception:  # a broken format string still must not leak its arguments
        message = f"{record.msg!s} {record.args!r}"
    has_trace = bool(record.exc_info and record.exc_info[0] is not None)
    if not (has_trace or record.exc_text or record.stack_info):
        if redact(message) == message:
            return record
        args = _redacted_args(record.args)
        try:
            candidate = str(record.msg) % args if args else str(record.msg)
        except Exception:
            candidate = None
        if candidate is not None and redact(candidate) == candidate:
            record.args = args
            return record
    if has_trace:
        message = f"{message}\n{_traceback_formatter.formatException(record.exc_info)}"
    elif record.exc_text:
        message = f"{message}\n{record.exc_text}"
    if record.stack_info:
        message = f"{message}\n{record.stack_info}"
    record.msg, record.args = redact(message), ()
    record.exc_info = record.exc_text = record.stack_info = None
    return record


class RedactingFilter(logging.Filter):
    """Redacts every record passing through the handler it is attached to."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub(record)
        return True


def _install_record_factory() -> None:
    current = logging.getLogRecordFactory()
    if getattr(current, "_citypulse_redacting", False):
        return

    def redacting_factory(*args: object, **kwargs: object) -> logging.LogRecord:
        return scrub(current(*args, **kwargs))

    redacting_factory._citypulse_redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacting_factory)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a record comes (servers and tests swap it)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> TextIO:
        """The current standard error (read by `logging.StreamHandler.emit`)."""
        return sys.stderr


def _console_handler() -> logging.Handler:
    """The app's own stderr handler on the root logger (added once)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, _HANDLER_MARK, False):
            return handler
    handler = StderrHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    setattr(handler, _HANDLER_MARK, True)
    root.addHandler(handler)
    return handler


def configure_logging() -> None:
    """Set up logging for this process (idempotent; every worker calls it on import).

    CityPulse's loggers log at `LOG_LEVEL` (default INFO) to stderr; other libraries
    at WARNING. Reflex keeps its own console handler under `reflex run`; its records are
    redacted like everyone else's.
    """
    level = logging.getLevelName(get_settings().log_level)
    _install_record_factory()
    console = _console_handler()
    root = logging.getLogger()
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    logging.getLogger("citypulse").setLevel(level)
    for logger in (root, logging.getLogger("reflex")):
        for handler in logger.handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())
    console.setLevel(logging.DEBUG)  # the loggers' levels decide
