"""What the running app logs while a test attacks it (the harness runs in this process)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

# Reflex's default backend exception handler logs every unhandled handler error so;
# errors while dispatching an event are logged with a traceback.
UNHANDLED_SIGNS = ("[Reflex Backend Exception]", "Traceback (most recent call last)")
WATCHED_LOGGERS = ("", "reflex", "reflex_base", "uvicorn.error")
_EXCEPTION_LINE = re.compile(r"^[\w.]*(?:Error|Exception|Exit|Interrupt)\b[^:]*:")


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class ServerLog:
    """The records of WARNING and up logged so far, one string per record."""

    def __init__(self, handler: _Records) -> None:
        self._handler = handler

    def mark(self) -> int:
        """A position to read from later (`since`)."""
        return len(self._handler.lines)

    def since(self, mark: int) -> list[str]:
        return list(dict.fromkeys(self._handler.lines[mark:]))  # propagation duplicates

    def unhandled_errors(self, mark: int = 0) -> list[str]:
        """Unhandled handler errors logged since `mark`, each as its exception line(s)."""
        return [
            _summary(record)
            for record in self.since(mark)
            if any(sign in record for sign in UNHANDLED_SIGNS)
        ]


def _summary(record: str) -> str:
    """The last exception a logged traceback names (its first line when there is none)."""
    raised = [line.strip() for line in record.splitlines() if _EXCEPTION_LINE.match(line)]
    return (raised[-1] if raised else record.splitlines()[0])[:300]


@contextmanager
def captured_log() -> Iterator[ServerLog]:
    """Capture the app's, Reflex's and uvicorn's warnings and errors while inside."""
    handler = _Records()
    loggers = [logging.getLogger(name) for name in WATCHED_LOGGERS]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield ServerLog(handler)
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
