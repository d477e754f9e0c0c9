"""Reflex's `setvar` on every CityPulse state sets nothing a handler does not allow.

`setvar(var_name, value)` is an endpoint on every state (Reflex adds it); it calls the
state's `set_<var_name>` handler, so with `state_auto_setters` off it can only reach
the explicit setters, which the attack table covers. This test sends it for every var of
every state (public and backend-only) with a value nobody may set, signed in as a
non-owner: no var takes the value, no row of the owner's changes, and the only error
logged is Reflex refusing a var that has no setter.
"""

from __future__ import annotations

import uuid

from citypulse.state.accounts.signup import SignupState
from tests.security.support.discovery import SETVAR, app_states
from tests.security.support.server_log import ServerLog
from tests.security.support.wire import CraftedTab, server_error_in
from tests.security.support.world import World, owner_snapshot, snapshot_changes

REFUSED = "AttributeError"  # Reflex: the state has no `set_<name>`, so nothing is set


def settable_without_a_setter(state: type) -> list[str]:
    """Every var of `state` (public, backend-only, computed) that has no explicit setter."""
    declared = {  # backend-only vars are plain annotated attributes in this Reflex
        name
        for cls in state.__mro__
        if cls.__module__.startswith("citypulse.")
        for name in vars(cls).get("__annotations__", {})
        if not name.startswith("__")
    }
    names = {*declared, *state.base_vars, *state.computed_vars, "router"}
    return sorted(name for name in names if not hasattr(state, f"set_{name}"))


def test_setvar_sets_no_var_without_a_setter(
    backend_url: str, world: World, app_log: ServerLog
) -> None:
    hostile = f"hostile-{uuid.uuid4().hex}"
    before, mark = owner_snapshot(world), app_log.mark()
    tab = CraftedTab(backend_url, world.intruder_cookie)
    echoed, refusals, sent = [], 0, 0
    try:
        for state in app_states():
            for name in settable_without_a_setter(state):
                frames = tab.call(f"{state.get_full_name()}.{SETVAR}", {
                    "var_name": name, "value": hostile})  # fmt: skip
                sent += 1
                refusals += server_error_in(frames)
                if hostile in frames:
                    echoed.append(f"{state.__name__}.{name}")
        # Control: a var that has a setter does take a value through setvar.
        control = tab.call(f"{SignupState.get_full_name()}.{SETVAR}", {
            "var_name": "email", "value": hostile})  # fmt: skip
    finally:
        tab.close()
    assert hostile in control
    assert not echoed, f"setvar set vars that have no setter: {echoed}"
    assert snapshot_changes(before, owner_snapshot(world)) == []
    errors = app_log.unhandled_errors(mark)
    assert all(REFUSED in error and "set_" in error for error in errors), errors
    assert sent > 100 and refusals > 0  # the calls really reached Reflex and were refused
