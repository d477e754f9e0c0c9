"""Every public handler of every State class, called by people it does not belong to.

ARCHITECTURE.md security invariant 1: any connected client can call any public method
of any State class with any arguments, whatever the UI offers. So the handlers are
discovered at test time (tests/security/support/discovery.py) and compared with the
explicit table of attacks (tests/security/support/attacks.py): a new handler that is
not in the table fails here until someone writes down how it could be abused.

Each attack then runs over the real websocket twice, in one crafted tab each: without
a session cookie, and signed in as a non-owner. After every handler the test checks
that none of the owner's rows changed, that no frame carried the owner's private data,
and that the server raised no unhandled error.
"""

from __future__ import annotations

import httpx
import pytest

from tests.security.support.attacks import ATTACKS
from tests.security.support.discovery import public_handlers
from tests.security.support.server_log import ServerLog
from tests.security.support.steps import run_step
from tests.security.support.wire import CraftedTab, server_error_in
from tests.security.support.world import (
    World,
    owner_snapshot,
    snapshot_changes,
)

IDENTITIES = ("signed out", "non-owner")


def test_every_public_handler_has_an_attack_in_the_table() -> None:
    discovered, listed = set(public_handlers()), set(ATTACKS)
    missing, stale = sorted(discovered - listed), sorted(listed - discovered)
    assert not missing, (
        f"{len(missing)} public handlers are not attacked by the security tier; add each "
        f"to ATTACKS in tests/security/support/attacks.py: {missing}"
    )
    assert not stale, f"ATTACKS names handlers that no longer exist: {stale}"
    assert len(discovered) > 100  # the discovery really walked the whole state tree


def attack_everything(tab: CraftedTab, world: World, log: ServerLog) -> tuple[list[str], str]:
    """Run every attack in the tab; the problems found and all frames received."""
    handlers = public_handlers()
    secrets_of_owner = world.private_strings()
    problems: list[str] = []
    before = owner_snapshot(world)
    for key in sorted(set(ATTACKS) & set(handlers)):  # the coverage test names the rest
        mark = log.mark()
        steps = ATTACKS[key](world)
        frames = "\n".join(run_step(tab, handlers, step) for step in steps)
        sent = repr([step.payload for step in steps])  # typed by the attacker: echoes are fine
        if server_error_in(frames) or "HTTP 5" in frames:
            problems.append(f"{key}: the server failed (error toast or HTTP 5xx)")
        problems += [f"{key}: logged {line[:300]}" for line in log.unhandled_errors(mark)]
        problems += [
            f"{key}: sent the {what}"
            for what, secret in secrets_of_owner.items()
            if secret in frames and secret not in sent
        ]
        after = owner_snapshot(world)
        problems += [f"{key}: changed {change}" for change in snapshot_changes(before, after)]
        before = after
    return problems, tab.everything()


@pytest.mark.parametrize("identity", IDENTITIES)
def test_no_handler_changes_or_reveals_the_owners_things(
    identity: str, backend_url: str, world: World, app_log: ServerLog
) -> None:
    cookie = world.intruder_cookie if identity == "non-owner" else ""
    tab = CraftedTab(backend_url, cookie)
    try:
        problems, everything = attack_everything(tab, world, app_log)
    finally:
        tab.close()
    assert not problems, f"{identity}:\n" + "\n".join(problems)
    # The calls really ran as that identity (a test that never signed in proves nothing).
    if identity == "non-owner":
        assert world.intruder_username in everything
    else:
        assert "/login?next=" in everything
    assert world.owner_username in everything  # the owner's public profile was reached


@pytest.mark.parametrize("identity", IDENTITIES)
def test_only_the_owner_downloads_their_export(
    identity: str, backend_url: str, world: World
) -> None:
    cookie = world.intruder_cookie if identity == "non-owner" else ""
    response = httpx.get(
        f"{backend_url}/exports/{world.export_id}/download", headers={"Cookie": cookie}
    )
    assert response.status_code == 404
    assert world.export_file_key not in response.text


def test_the_checks_see_what_only_the_owner_may_do(backend_url: str, world: World) -> None:
    """The same checks, run for the owner, notice the change and the private data."""
    handlers = public_handlers()
    owner = CraftedTab(backend_url, world.owner_cookie)
    before = owner_snapshot(world)
    try:
        steps = ATTACKS["RecommendationDetailState.toggle_save"](world)
        frames = "\n".join(run_step(owner, handlers, step) for step in steps)
        saved = snapshot_changes(before, owner_snapshot(world))
        run_step(owner, handlers, steps[-1])  # unsave: the world is as it was
    finally:
        owner.close()
    assert any(change.startswith("saves ") for change in saved)
    assert world.private_strings()["private recommendation title"] in frames
    unsaved = snapshot_changes(before, owner_snapshot(world))
    assert not any(change.startswith("saves ") for change in unsaved)
