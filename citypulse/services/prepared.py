"""Hot-path statements written with SQLAlchemy Core but compiled to SQL only once.

Executing a Core `select` builds, traverses (cache key) and looks up the statement on
every call; that was a quarter of a like's CPU. `Prepared` compiles the statement once
per process, for the engine's dialect, and afterwards hands the driver the ready SQL:
one dict merge per call. Shared Core rules (the visibility rule) therefore stay the one
definition while the hot paths pay for them once.

Limits: runtime values are named `bindparam`s of plain column types (ints, strings,
datetimes, booleans): no bind/result processors run, and no expanding `IN` parameters
at run time (constant `IN` lists are fine).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from sqlalchemy import BindParameter, CursorResult, Executable, bindparam
from sqlmodel import Session


class Prepared:
    """One Core statement compiled once; `run(session, **values)` executes it."""

    def __init__(self, statement: Executable) -> None:
        self._statement = statement
        self._sql: str | None = None
        self._constants: dict[str, Any] = {}
        self.names: frozenset[str] = frozenset(
            bind.key
            for bind in statement._get_embedded_bindparams()  # type: ignore[attr-defined]
            if _is_runtime(bind)
        )

    def _compile(self, session: Session) -> str:
        compiled = self._statement.compile(dialect=session.get_bind().dialect)
        expanded = compiled.construct_expanded_state(
            {name: None for name in self.names}, escape_names=False
        )
        self._constants = {
            name: _plain(value)
            for name, value in expanded.parameters.items()
            if name not in self.names
        }
        self._sql = expanded.statement
        return self._sql

    def run(self, session: Session, **values: Any) -> CursorResult:
        """Execute in the session's transaction with `values` for the named parameters.

        Pending ORM changes are flushed first (as `Session.execute` would autoflush), so
        the statement sees what the transaction wrote.
        """
        missing = self.names.difference(values)
        if missing:
            raise TypeError(f"missing statement parameters: {sorted(missing)}")
        if session.autoflush:
            session.flush()  # returns at once when nothing is pending
        sql = self._sql or self._compile(session)
        return session.connection().exec_driver_sql(sql, {**self._constants, **values})


class PerViewer:
    """A statement prepared twice: for visitors and for a signed-in viewer.

    `build(viewer)` returns the statement for `viewer` = None (a visitor) or for the
    `viewer_id` parameter; rules such as visibility and blocks differ between the two.
    """

    def __init__(self, build: Callable[[BindParameter[int] | None], Executable]) -> None:
        self._visitor = Prepared(build(None))
        self._member = Prepared(build(bindparam("viewer_id")))

    def run(self, session: Session, viewer_id: int | None, **values: Any) -> CursorResult:
        """Execute the variant for `viewer_id` (None: a visitor)."""
        if viewer_id is None:
            return self._visitor.run(session, **values)
        return self._member.run(session, viewer_id=viewer_id, **values)


def _is_runtime(bind: BindParameter) -> bool:
    """A parameter the caller supplies (no value given when the statement was built)."""
    return bind.value is None and bind.callable is None and not bind.unique


def _plain(value: Any) -> Any:
    """Enum members as their stored value (the driver sees plain strings)."""
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value.value if isinstance(value, enum.Enum) else value
