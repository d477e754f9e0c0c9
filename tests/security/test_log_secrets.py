"""No secret reaches the server log, whatever a client sends (issue 9 item 1, invariant 8).

A signed-in tab's crafted events make the running app log failures: a handler that does
not exist (a stale bundle does this too), `update_vars_internal` with a bad key, and a
handler that raises on a malformed argument. Reflex logs such failures with the event,
its router data and a traceback. Everything any logger writes while this happens, at
every level, and everything the app's console handler prints, is searched for the
session cookies, the tab token, the passwords and the reset code.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from reflex.state import UpdateVarsInternalState

from citypulse.seed.people import DEMO_PASSWORD
from citypulse.state.accounts.settings import SettingsState
from tests.e2e.support.crafted import CraftedClient
from tests.e2e.support.people import create_member

TYPED_PASSWORD = "Crafted!Secret55"
RESET_CODE = "482913"


def sign_in(origin: str, email: str) -> dict[str, str]:
    """The cookies a real sign-in through `/auth/login` sets (access, refresh, hint)."""
    response = httpx.post(
        f"{origin}/auth/login",
        data={"email": email, "password": DEMO_PASSWORD},
        headers={"Origin": origin},
    )
    assert response.status_code == 303
    return {cookie.name: cookie.value for cookie in response.cookies.jar}


@pytest.fixture
def server_log(capsys: pytest.CaptureFixture[str]) -> Iterator[Callable[[], str]]:
    """Everything logged (any logger, DEBUG and up) and printed while the test runs."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    watched = [logging.getLogger(), logging.getLogger("reflex")]
    levels = [logger.level for logger in watched]
    for logger in watched:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    printed: list[str] = []

    def everything() -> str:
        output = capsys.readouterr()  # the app's console handler writes to stderr
        printed.append(output.out + output.err)
        return stream.getvalue() + "".join(printed)

    yield everything
    for logger, level in zip(watched, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_failed_events_leave_no_secret_in_the_log(
    backend_url: str, server_log: Callable[[], str]
) -> None:
    cookies = sign_in(backend_url, create_member("log_victim"))
    assert {"cp_access", "cp_refresh"} <= set(cookies)
    client = CraftedClient(backend_url, "; ".join(f"{k}={v}" for k, v in cookies.items()))
    secrets = {
        "password": TYPED_PASSWORD,
        "current_password": DEMO_PASSWORD,
        "code": RESET_CODE,
        "echo": f"cp_access={cookies['cp_access']}",
    }
    settings = SettingsState.get_full_name()
    try:
        client.send(f"{settings}.no_such_handler", secrets)
        client.send(
            f"{UpdateVarsInternalState.get_full_name()}.update_vars_internal",
            {"vars": {"no_such_state.password": TYPED_PASSWORD, **secrets}},
        )
        # `form` must be a dict: a string makes the handler raise.
        client.send(
            f"{settings}.change_password",
            {"form": f"current_password={DEMO_PASSWORD}&new_password={TYPED_PASSWORD}"},
        )
        wait_for(
            lambda: all(
                name in server_log()
                for name in ("no_such_handler", "update_vars_internal", "change_password")
            ),
            "the three failures in the log",
        )
        time.sleep(1)  # anything logged right after the failures counts too
    finally:
        client.close()

    log = server_log()
    assert "Traceback" in log  # the raising handler was logged with its traceback
    for name, secret in {
        "access cookie": cookies["cp_access"],
        "refresh cookie": cookies["cp_refresh"],
        "tab token": client.token,
        "typed password": TYPED_PASSWORD,
        "account password": DEMO_PASSWORD,
        "reset code": RESET_CODE,
    }.items():
        assert secret not in log, f"the {name} reached the log"
