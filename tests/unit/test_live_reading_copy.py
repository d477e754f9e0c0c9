"""The reading copy a tab's event gets of a linked key's state (`live_links._copy_of`).

Tabs' events read their linked keys without the keys' locks, so two tabs of one key
(two sessions of one user) run side by side. Patching re-parents a state, and a state
reads the tree's backend vars (the tab's links, its router) through its parent: each
event must therefore patch in an instance of its own, never the key's one instance.
"""

from __future__ import annotations

import asyncio

from reflex.istate.shared import _patch_state
from reflex.state import State

from citypulse.state import live_links
from citypulse.state.session import UserChannel


def _tab() -> State:
    """A tab's tree: the root State with its substates, linked to `user-5`."""
    root = State(_reflex_internal_init=True)
    root._reflex_internal_links = {UserChannel.get_full_name(): "user-5"}
    return root


def _own_channel(root: State) -> UserChannel:
    return root.get_substate(UserChannel.get_full_name().split(".")[1:])


def test_the_copy_has_the_keys_values_and_a_parent_of_its_own() -> None:
    key_tree = State(_reflex_internal_init=True)
    key_state = key_tree.get_substate(UserChannel.get_full_name().split(".")[1:])
    key_state.notification_epoch = 7
    key_state._linked_from = {"tab-a"}
    copy = live_links._copy_of(key_state)
    assert copy is not key_state
    assert copy.notification_epoch == 7
    # The same registrations (Reflex wraps a set in a new proxy at each read).
    assert copy._linked_from.__wrapped__ is key_state._linked_from.__wrapped__
    copy.parent_state = None
    assert key_state.parent_state is not None
    assert copy.dirty_vars == set() and copy.dirty_vars is not key_state.dirty_vars


def test_two_tabs_reading_one_key_at_once_each_see_their_own_tree() -> None:
    key_tree = State(_reflex_internal_init=True)
    key_state = key_tree.get_substate(UserChannel.get_full_name().split(".")[1:])
    key_state.notification_epoch = 3
    first, second = _tab(), _tab()

    async def read_in(tab: State, order: list[str], name: str) -> None:
        own = _own_channel(tab)
        async with _patch_state(own, live_links._copy_of(key_state)):
            seen = await tab.get_state(UserChannel)
            order.append(f"{name} in")
            await asyncio.sleep(0)  # the other tab's event enters (or leaves) meanwhile
            assert seen.notification_epoch == 3
            assert seen._get_root_state() is tab
            order.append(f"{name} out")
        assert _own_channel(tab) is own

    async def both() -> list[str]:
        order: list[str] = []
        await asyncio.gather(read_in(first, order, "a"), read_in(second, order, "b"))
        return order

    assert asyncio.run(both()) == ["a in", "b in", "a out", "b out"]
    assert key_state.parent_state is not None and key_state._get_root_state() is key_tree
