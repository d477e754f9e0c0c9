"""Which open tabs a shared key reaches, and the one writer of shared keys.

Reflex 0.10.1 remembers on each shared state every client token that ever linked it
(`_linked_from`) and never forgets one (`# TODO: remove disconnected clients` in
`reflex/istate/shared.py`): every update of the key then costs a task, and with Redis a
lookup, per tab that ever looked. This module keeps that set to the tabs really there,
for every `rx.SharedState` alike (user channels, recommendations, moderators, and the
trips or notifications to come need nothing more):

- a tab that leaves a page unlinks the page's shared state (`unlink`, from on_unmount);
- a tab that disconnects is detached from every key it linked (`install` hooks the
  socket's disconnect). The keys come from the tab's own link map, which Reflex keeps
  with the tab's state in memory or in Redis: that map is the registry per token;
- before a key fans out, tokens whose socket is gone on every worker are pruned (a
  worker that died never reported its disconnects), at most every PRUNE_INTERVAL.

`publish` is how the push adapter (state/push.py) writes a shared key: changes for one
key are applied together under its lock, and carried to the linked tabs; the next
changes for the key wait until that fan-out is done, so a busy key is updated in rounds
instead of piling up tasks. Nothing is sent to the key itself (no browser holds it).
A shared state that nothing else computes from (all of ours) shows the same delta in
every tab: it is computed once under the key's lock and emitted to each connected tab
(`emit_update` relays it through Redis to the worker holding the socket), instead of
Reflex's fan-out, which loads each tab's whole state and resolves its delta (about
4 ms a tab, measured: a notification to 1,000 people took 4 s of event loop).

Reflex 0.10.1 also fans out after *every* event of a linked tab, with the shared
state's last dirty vars (measured: a carousel click on one of 10 tabs showing a
recommendation sent a delta to the other 9). Handlers never write shared state here,
so `install` lets Reflex fan out only the writes made by `publish`.

And Reflex holds the lock of *every* key a tab is linked to for the whole of each of
the tab's events, its database work included (with the memory state manager every
linked state is in the tab's tree, so every event patches all of them in under their
locks): the 200 dashboards linked to `feed` took turns for each page load, the 20
members of a trip for each save and re-read. Since handlers only read shared state,
`install` makes a tab's own event patch its linked states in unlocked, as a reading
view; only linking (`_link_to`, which registers the tab on the key) still takes the
key's lock, and `unlink` removes the tab from the key under it.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar
from typing import Any, TypeVar

import reflex as rx
from engineio import packet as eio_packet
from engineio.exceptions import SocketIsClosedError
from reflex.istate import shared as reflex_shared
from reflex.istate.manager import get_state_manager
from reflex.istate.shared import SharedStateBaseInternal, _patch_state
from reflex.state import BaseState, StateUpdate
from reflex_base.constants import SocketEvent
from reflex_base.utils.exceptions import ReflexRuntimeError
from socketio import packet as sio_packet

logger = logging.getLogger(__name__)
PRUNE_INTERVAL_SECONDS = 10.0
DRAINERS = 16  # tasks writing waiting keys at once (see `_drain`)
KEYS_PER_TURN = 20  # a drainer lets the loop run (sockets flush) after this many keys
S = TypeVar("S", bound=rx.SharedState)
Change = Callable[[Any], Awaitable[None] | None]  # async: awaited under the key's lock

_pending: dict[tuple[type, str], list[Change]] = {}  # changes waiting for their key
_last_pruned: dict[str, float] = {}  # key -> time.monotonic() of its last prune
_tasks: set[asyncio.Task] = set()  # keeps running flushes and detachments alive
_waiting: deque[tuple[type, str]] = deque()  # keys whose changes wait for a drainer
_drainers: set[asyncio.Task] = set()
_alone: dict[type, bool] = {}  # shared class -> its delta is the same for every tab
# The fan-out tasks Reflex starts for a write by `publish` (None: not publishing).
_fan_out: ContextVar[list[asyncio.Task] | None] = ContextVar("citypulse_fan_out", default=None)


async def unlink(state: BaseState, shared_cls: type[rx.SharedState]) -> None:
    """Stop this tab receiving `shared_cls` updates (the page that showed it is gone).

    A no-op when the tab is not linked. The tab keeps the values it last saw; linking
    again (the next page) sends the whole shared state anew.
    """
    links = state._get_root_state()._reflex_internal_links or {}
    key = links.get(shared_cls.get_full_name())
    if key is None:
        return
    shared = await state.get_state(shared_cls)
    token = shared.rx_router_session.client_token
    held = holds_lock(shared, key)
    await shared._unlink()  # its rehydrate events are not needed: the page is gone
    if not held:  # the tab's event read the key unlocked (`install`): leave under its lock
        await write_held(shared_cls, key, lambda linked: linked._linked_from.discard(token))


def holds_lock(shared: rx.SharedState, key: str) -> bool:
    """Whether the event `shared` (a linked state of its tab) runs in holds `key`'s lock:
    it linked the key, so its writes there are kept when the event ends."""
    return key in (shared._linked_locks_holder()._held_locks or {})


async def write_held(shared_cls: type[S], key: str, change: Callable[[S], None]) -> None:
    """Change a key's server-side bookkeeping (backend vars, links) under its lock,
    pushing nothing. Never from an event that holds the key's lock (`holds_lock`)."""
    token = rx.BaseStateToken(ident=key, cls=shared_cls)
    async with get_state_manager().modify_state(token) as root:
        change(await root.get_state(shared_cls))


def _token_manager(app: rx.App):
    namespace = app.event_namespace
    return namespace._token_manager if namespace is not None else None


def _socket_here(manager, token: str) -> str | None:
    """The socket id of `token`'s tab when this worker holds its socket (else None)."""
    record = manager.token_to_socket.get(token)
    if record is not None and record.instance_id == manager.instance_id:
        return record.sid
    return None


async def live_tokens(app: rx.App, tokens: Iterable[str]) -> set[str]:
    """The tokens among `tokens` with a connected socket on any worker (checked at once).

    Sockets this worker holds answer at once: only the others are asked for (a gather
    suspends the caller, and a drainer pruning each key of a burst would then give the
    loop away at every key, see `_drain`).
    """
    manager = _token_manager(app)
    if manager is None:
        return set(tokens)
    here = {token for token in tokens if _socket_here(manager, token) is not None}
    others = [token for token in tokens if token not in here]
    if not others:
        return here
    connected = await asyncio.gather(*(manager.is_token_connected(t) for t in others))
    return here | {token for token, alive in zip(others, connected, strict=True) if alive}


async def _drop_dead(app: rx.App, shared: rx.SharedState, suspects: set[str] | None) -> int:
    """Forget the linked tokens (all, or only `suspects`) whose socket is gone."""
    linked = shared._linked_from
    checked = set(linked) if suspects is None else suspects & set(linked)
    dead = checked - await live_tokens(app, checked)
    manager = _token_manager(app)
    if manager is not None:
        # A tab that reconnected here while the others were asked is alive, and its
        # events, which take no lock on this key, may already have found itself linked.
        dead = {token for token in dead if _socket_here(manager, token) is None}
    for token in dead:
        linked.discard(token)
    return len(dead)


def _prune_due(key: str) -> bool:
    now = time.monotonic()
    if now - _last_pruned.get(key, float("-inf")) < PRUNE_INTERVAL_SECONDS:
        return False
    if len(_last_pruned) > 10_000:  # keys come and go; keep the bookkeeping small
        _last_pruned.clear()
    _last_pruned[key] = now
    return True


def _delivers_alone(shared_cls: type[rx.SharedState]) -> bool:
    """Whether a change of `shared_cls` shows in a tab as the shared state's own vars only.

    True when the class has no computed vars and nothing else reads its vars in a
    computed var (every shared state here: components read them directly). Its delta is
    then the same for every linked tab, so `publish` computes it once and emits it to
    each tab, without loading the tab's state as Reflex's fan-out does.
    """
    known = _alone.get(shared_cls)
    if known is None:
        known = not shared_cls.computed_vars and not any(shared_cls._var_dependencies.values())
        _alone[shared_cls] = known
    return known


async def _apply(app: rx.App, shared_cls: type[S], key: str, changes: list[Change]) -> None:
    if not _delivers_alone(shared_cls):
        await _apply_through_tabs(app, shared_cls, key, changes)
        return
    token = rx.BaseStateToken(ident=key, cls=shared_cls)
    with app.set_contexts():
        async with app.state_manager.modify_state(token) as root:
            shared = await root.get_state(shared_cls)
            if _prune_due(key):
                await _drop_dead(app, shared, None)
            for change in dict.fromkeys(changes):  # a change given twice is made once
                if inspect.isawaitable(done := change(shared)):
                    await done  # e.g. a read after the round's commits (trips/plan_live.py)
            delta = await shared._get_resolved_delta()
            root._clean()
            linked = list(shared._linked_from)
        # Emitted after the key's lock is released, like Reflex's fan-out: a tab that
        # links meanwhile reads the new values with its link.
        if delta and linked:
            await _emit(app, linked, StateUpdate(delta=delta))


async def _emit(app: rx.App, tokens: list[str], update: StateUpdate) -> None:
    """Send one delta to each connected tab: queued straight onto the sockets this worker
    holds (see `_queue_on_sockets`); through `emit_update`, which relays it via Redis, to
    the others."""
    namespace = app.event_namespace
    if namespace is None:
        return
    manager = namespace._token_manager
    here = [sid for token in tokens if (sid := _socket_here(manager, token)) is not None]
    if here:
        await _queue_on_sockets(namespace, here, update)
    for token in tokens:
        if _socket_here(manager, token) is not None:
            continue
        try:
            if await manager.is_token_connected(token):
                await namespace.emit_update(update, token)
        except Exception:
            logger.exception("live update of one tab failed")


async def _queue_on_sockets(namespace: Any, sids: list[str], update: StateUpdate) -> None:
    """Queue one event packet on each socket's send queue, without yielding to the loop.

    What `namespace.emit(event, update, to=sid)` sends, minus its task per socket and
    the `asyncio.wait` on it: that wait gave the loop away at every key of a burst, so the
    drainers wrote one key each per loop turn and the events the first tabs sent back
    ran between them (a notification to 1,000 people reached the last tabs late). Each
    socket's own writer sends the packet when the drainer next lets the loop run.
    """
    server = namespace.server
    event = server.packet_class(
        sio_packet.EVENT, namespace=namespace.namespace, data=[str(SocketEvent.EVENT), update]
    ).encode()
    packets = [eio_packet.Packet(eio_packet.MESSAGE, part) for part in _as_list(event)]
    for sid in sids:
        eio_sid = server.manager.eio_sid_from_sid(sid, namespace.namespace)
        if eio_sid is None:
            continue  # disconnected meanwhile
        for packet in packets:
            try:
                await server.eio.send_packet(eio_sid, packet)
            except SocketIsClosedError:
                break  # closing: its tab is detached by the disconnect handler
            except Exception:
                logger.exception("live update of one tab failed")
                break


def _as_list(encoded: Any) -> list[Any]:
    return encoded if isinstance(encoded, list) else [encoded]


async def _apply_through_tabs(
    app: rx.App, shared_cls: type[S], key: str, changes: list[Change]
) -> None:
    """Reflex's own fan-out: each linked tab's state is loaded and its delta computed
    (for shared states read by computed vars elsewhere in the tab)."""
    token = rx.BaseStateToken(ident=key, cls=shared_cls)
    fan_out: list[asyncio.Task] = []
    reset = _fan_out.set(fan_out)
    try:
        with app.set_contexts():
            async with app.state_manager.modify_state_with_links(token) as root:
                shared = await root.get_state(shared_cls)
                if _prune_due(key):
                    await _drop_dead(app, shared, None)
                for change in changes:
                    change(shared)
                # Records what changed for Reflex's fan-out to the linked tabs (on leaving
                # this block). `app.modify_state` would also emit a delta to the key
                # itself, which no socket holds ("send delta to disconnected client").
                root._clean()
    finally:
        _fan_out.reset(reset)
    await asyncio.gather(*fan_out, return_exceptions=True)  # Reflex logs their errors


def _only_published(fan_out_to_tokens: Callable[..., list[asyncio.Task]]):
    """Reflex's fan-out, run only for writes made by `publish` (see the module doc)."""

    def fan_out(affected_tokens, previous_dirty_vars, state_type) -> list[asyncio.Task]:
        collected = _fan_out.get()
        if collected is None:
            return []  # a tab's own event: it changed no shared state
        tasks = fan_out_to_tokens(affected_tokens, previous_dirty_vars, state_type)
        collected.extend(tasks)
        return tasks

    fan_out.only_published = True  # type: ignore[attr-defined]
    return fan_out


async def _flush(app: rx.App, shared_cls: type, key: str) -> None:
    slot = (shared_cls, key)
    try:
        while changes := _pending.get(slot):
            _pending[slot] = []  # later changes wait for the next round
            await _apply(app, shared_cls, key, changes)
    except Exception:
        logger.exception("live update of %s failed", key)
    finally:
        _pending.pop(slot, None)


async def _drain(app: rx.App) -> None:
    """One of the DRAINERS: write waiting keys one after the other until none wait.

    A burst (one transaction notifying 1,000 people: 1,000 keys) is written by a few
    tasks instead of one task per key, each key's tabs reached before the next key, so
    the first keys' tabs are not kept waiting by the last ones, nor by the events the
    first tabs send back; a key held by a tab's event stalls one drainer only.
    """
    written = 0
    try:
        while _waiting:
            written += 1
            if written % KEYS_PER_TURN == 0:
                await asyncio.sleep(0)  # the sockets written so far send their deltas
                if not _waiting:
                    break
            slot = _waiting.popleft()
            shared_cls, key = slot
            changes, _pending[slot] = _pending.get(slot) or [], []
            try:
                await _apply(app, shared_cls, key, changes)
            except Exception:
                logger.exception("live update of %s failed", key)
            if _pending.get(slot):
                _waiting.append(slot)  # changed again meanwhile: another round
            else:
                _pending.pop(slot, None)
    finally:
        _drainers.discard(asyncio.current_task())


def keep(task: asyncio.Task) -> None:
    """Hold a reference to a background task of the live path until it ends."""
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


def _spawn(coroutine) -> None:
    keep(asyncio.get_running_loop().create_task(coroutine))


def publish(app: rx.App, shared_cls: type[S], key: str, change: Change) -> None:
    """Apply `change` to the shared state under `key` and push it to the linked tabs.

    Call on the app's event loop; returns at once. Changes arriving while the key is
    being written are applied together in the next round, in order.
    """
    slot = (shared_cls, key)
    if slot in _pending:
        _pending[slot].append(change)
        return
    _pending[slot] = [change]
    if not _delivers_alone(shared_cls):
        _spawn(_flush(app, shared_cls, key))
        return
    _waiting.append(slot)
    if len(_drainers) < DRAINERS:
        task = asyncio.get_running_loop().create_task(_drain(app))
        _drainers.add(task)
        keep(task)


async def forget_tab(app: rx.App, token: str) -> None:
    """Detach a tab whose socket closed from every shared key it linked.

    A tab that came back in the meantime (on this or another worker) is kept; one that
    comes back later links again with its next hydrate.
    """
    manager = app.state_manager
    root = await manager.get_state(rx.BaseStateToken(ident=token, cls=SharedStateBaseInternal))
    links = dict(root._reflex_internal_links or {})

    async def detach(state_name: str, key: str) -> None:
        # The class from the tab's own tree: class lookups by name depend on the
        # registration context, which a disconnect does not run in.
        shared_cls = type(root.get_substate(state_name.split(".")))
        async with manager.modify_state(rx.BaseStateToken(ident=key, cls=shared_cls)) as held:
            await _drop_dead(app, await held.get_state(shared_cls), {token})

    await asyncio.gather(*(detach(name, key) for name, key in links.items()))


def _copy_of(linked: BaseState) -> BaseState:
    """A reading copy of a key's state for one tab's event: the same values (the same
    objects: handlers never write shared state) in an instance of its own.

    Patching a state into a tree re-parents it, and a state reads the tree's backend
    vars (the tab's links, its router) through its parent. Without a lock, two tabs of
    one key (two sessions of a user, two members of a trip) patched the key's one
    instance at the same time: one tab's event then saw the other's parent, or the
    key's own after the other event put it back (`_unlink` found the tab "not linked").
    """
    view = object.__new__(type(linked))
    view._init_bookkeeping(linked.parent_state)
    view.__dict__.update(linked.__dict__)
    return view


def _reading_links(reflex_modify):
    """Reflex's `_modify_linked_states`, which a tab's own event enters to patch its
    linked states into its tree, made to patch them in without their keys' locks.

    Handlers only read shared state (see the module doc), so a tab's event needs the
    key's values, not its lock; registering the tab on a key still locks it: for the
    whole event when the event links it (`_link_to`), for that one write when a tab
    comes back after a disconnect made `forget_tab` drop it (Reflex registers the tab
    again at each event). Reflex's
    own fan-out to a tab (called with `previous_dirty_vars`) and writes to a key itself
    keep Reflex's locking path.
    """

    @contextlib.asynccontextmanager
    async def modify_linked_states(self, previous_dirty_vars=None):
        if previous_dirty_vars is not None or not self._reflex_internal_links:
            async with reflex_modify(self, previous_dirty_vars):
                yield
            return
        holder = self._linked_locks_holder()
        if holder._exit_stack is not None:
            raise ReflexRuntimeError("Cannot nest _modify_linked_states contexts.")
        holder._exit_stack = exit_stack = contextlib.AsyncExitStack()
        holder._held_locks = {}  # links made by this event lock their keys here
        try:
            async with exit_stack:
                root, client = self.get_root_state(), self.rx_router_session.client_token
                for state_name, key in self._reflex_internal_links.items():
                    shared_cls = root.get_class_substate(state_name)
                    try:
                        original = self._get_state_from_cache(shared_cls)
                    except ValueError:
                        continue  # not loaded for this event
                    token = rx.BaseStateToken(ident=key, cls=shared_cls)
                    linked_root = await get_state_manager().get_state(token)
                    linked = await linked_root.get_state(shared_cls)
                    if client not in linked._linked_from:
                        # Forgotten on a disconnect (the tab is back): registered again
                        # under the key's lock, as Reflex does at every event, but only
                        # for that write: an event holding it could deadlock on unlink.
                        await write_held(shared_cls, key, lambda s: s._linked_from.add(client))
                        linked_root = await get_state_manager().get_state(token)
                        linked = await linked_root.get_state(shared_cls)
                    await exit_stack.enter_async_context(_patch_state(original, _copy_of(linked)))
                yield
        finally:
            holder._exit_stack = None

    modify_linked_states.reads_unlocked = True  # type: ignore[attr-defined]
    return modify_linked_states


def install(app: rx.App) -> None:
    """Fan out only published writes; tab events read linked keys without their locks;
    closed tabs leave their shared keys (idempotent)."""
    if not getattr(reflex_shared._do_update_other_tokens, "only_published", False):
        # Looked up as a module global at each fan-out, so replacing it takes effect.
        reflex_shared._do_update_other_tokens = _only_published(
            reflex_shared._do_update_other_tokens
        )
    base = SharedStateBaseInternal
    if not getattr(base._modify_linked_states, "reads_unlocked", False):
        base._modify_linked_states = _reading_links(base._modify_linked_states)
    namespace = app.event_namespace
    if namespace is None or getattr(namespace.on_disconnect, "forgets_links", False):
        return
    original = namespace.on_disconnect

    def on_disconnect(sid: str, *reason: object) -> asyncio.Task | None:
        token = namespace.sid_to_token.get(sid)
        cleanup = original(sid)
        if token:
            _spawn(_forget_after(app, token, cleanup))
        return cleanup

    on_disconnect.forgets_links = True  # type: ignore[attr-defined]
    namespace.on_disconnect = on_disconnect  # socket.io looks handlers up per event


async def _forget_after(app: rx.App, token: str, cleanup: asyncio.Task | None) -> None:
    try:
        if cleanup is not None:
            await cleanup  # the token manager forgets the socket first
        await forget_tab(app, token)
    except Exception:
        logger.exception("could not detach a closed tab from its shared keys")
