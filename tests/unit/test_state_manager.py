"""`make run` keeps tab states in memory with expiry (Redis with REDIS_URL), never on disk.

Reflex's disk manager (its default without Redis) lists and stats every pickle in
.states/ on each write pass, so its cost grows with every visitor ever seen (issue 8).
Each case loads rxconfig.py in a fresh interpreter with the environment `serve` hands
to `reflex run`, and asks Reflex which manager it builds from it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from citypulse import cli
from citypulse.settings import PROJECT_ROOT, get_settings

PROBE = """
import json
from reflex.config import get_config
from reflex.istate.manager import StateManager
manager = StateManager.create()
print(json.dumps({"manager": type(manager).__name__,
                  "expiry": manager.token_expiration,
                  "mode": str(get_config().state_manager_mode.value)}))
"""


def manager_for(env_changes: dict[str, str | None], monkeypatch: pytest.MonkeyPatch) -> dict:
    """The state manager Reflex builds under `serve`'s environment plus `env_changes`."""
    for name, value in env_changes.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        args, env = cli.server_command("postgresql+psycopg://bench@127.0.0.1/unused")
    finally:
        get_settings.cache_clear()
    assert args[:4] == ["reflex", "run", "--env", "prod"]
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=PROJECT_ROOT, env=env,
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_make_run_keeps_tab_states_in_memory_with_expiry(monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = manager_for(
        {"REDIS_URL": None, "REFLEX_REDIS_URL": None, "REFLEX_STATE_MANAGER_MODE": None},
        monkeypatch,
    )
    assert chosen == {"manager": "StateManagerMemory", "expiry": 3600, "mode": "memory"}


def test_redis_url_switches_to_redis_with_the_same_expiry(monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = manager_for(
        {"REDIS_URL": "redis://127.0.0.1:6379/15", "REFLEX_STATE_MANAGER_MODE": None},
        monkeypatch,
    )
    # Creating the manager opens no connection: this needs no Redis server.
    assert chosen == {"manager": "StateManagerRedis", "expiry": 3600, "mode": "redis"}


def test_serve_removes_tab_states_an_earlier_version_left_on_disk(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    stale = tmp_path / ".states"
    stale.mkdir()
    (stale / "0123abcd.pkl").write_bytes(b"old tab state")
    monkeypatch.setattr(cli, "PROJECT_ROOT", tmp_path)
    cli.remove_stale_tab_states()
    assert not stale.exists()
