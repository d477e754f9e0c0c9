"""Every public event handler of every CityPulse State class, found at test time.

Any connected client can call any of them with any arguments (ARCHITECTURE.md security
invariant 1), so the security tier must know all of them, including handlers added after
this file was written. They are found by walking Reflex's state tree from `rx.State`
(`get_substates()` / `event_handlers`), the same registry the event processor dispatches
from, so nothing reachable over the websocket is missed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import reflex as rx

# Reflex's own handler on every state: `setvar(name, value)` only ever calls that state's
# `set_<name>` handler, so it is covered through those (and by its own generic test).
SETVAR = "setvar"


@dataclass(frozen=True)
class Handler:
    """One endpoint: `key` is "<StateClass>.<handler>", `event` the name on the wire."""

    key: str
    event: str
    state: type[rx.State]
    name: str
    is_background: bool


def app_states() -> list[type[rx.State]]:
    """Every State class defined by CityPulse (Reflex's internal states are skipped)."""
    import citypulse.citypulse  # noqa: F401  (defines and registers every state)

    def walk(state: type[rx.State]) -> Iterator[type[rx.State]]:
        yield state
        for substate in state.get_substates():
            yield from walk(substate)

    states = [state for state in walk(rx.State) if state.__module__.startswith("citypulse.")]
    names = [state.__name__ for state in states]
    assert len(names) == len(set(names)), f"State class names must be unique: {sorted(names)}"
    return sorted(states, key=lambda state: state.__name__)


def public_handlers() -> dict[str, Handler]:
    """Every handler a client can call on a CityPulse state, except Reflex's `setvar`."""
    found = {}
    for state in app_states():
        for name, handler in state.event_handlers.items():
            if name == SETVAR:
                continue
            key = f"{state.__name__}.{name}"
            event = f"{state.get_full_name()}.{name}"
            found[key] = Handler(key, event, state, name, bool(handler.is_background))
    return found
