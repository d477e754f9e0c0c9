"""A burst of parallel sign-ins against the real `/auth/login` route (§5.2, issue 9 item 2).

The route runs on a real HTTP server (uvicorn on loopback, the app's own worker threads
and connection pool), and many threads post at once: the per-account lockout must hold
however the requests interleave. `verify_password` is wrapped (not replaced) to count the
password checks the burst obtained.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine, text

from citypulse.api.routes import build_api
from citypulse.db import session_scope
from citypulse.models import User
from citypulse.services.accounts import login as login_module
from citypulse.settings import get_settings
from tests.support.factories import DEFAULT_PASSWORD, create_user
from tests.support.harness import free_port

TEST_DOMAIN = "login-burst.test"
WRONG = "Wrong!Pass1"
BURST = 25


def _clean(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text("DELETE FROM rate_limit_hits WHERE key LIKE 'login-%'")  # this process's DB
        )
        connection.execute(
            text("DELETE FROM users WHERE email LIKE :pattern"), {"pattern": f"%@{TEST_DOMAIN}"}
        )


@pytest.fixture
def site(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app's HTTP routes served on loopback; the real limits (multiplier 1)."""
    monkeypatch.setattr(get_settings(), "rate_limit_multiplier", 1)
    _clean(engine)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(build_api(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    _clean(engine)


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The passwords the route really checked, in the order the checks started."""
    checked: list[str] = []
    real_verify = login_module.verify_password

    def counting(password_hash: str | None, password: str) -> bool:
        checked.append(password)
        return real_verify(password_hash, password)

    monkeypatch.setattr(login_module, "verify_password", counting)
    return checked


def member(username: str) -> tuple[int, str]:
    email = f"{username}@{TEST_DOMAIN}"
    with session_scope() as db:
        return create_user(db, username=username, email=email).id, email


def burst(site: str, email: str, passwords: list[str]) -> list[httpx.Response]:
    """Post every password at the same moment, one thread each."""
    start = threading.Barrier(len(passwords))

    def attempt(password: str) -> httpx.Response:
        with httpx.Client(base_url=site, timeout=60) as http:
            start.wait()
            return http.post(
                "/auth/login",
                data={"email": email, "password": password},
                headers={"Origin": get_settings().public_url.rstrip("/")},
            )

    with ThreadPoolExecutor(max_workers=len(passwords)) as pool:
        return list(pool.map(attempt, passwords))


def signed_in(response: httpx.Response) -> bool:
    return response.status_code == 303 and "cp_access" in response.headers.get("set-cookie", "")


def stored_user(user_id: int) -> User:
    with session_scope() as db:
        return db.get(User, user_id)


def test_a_burst_of_wrong_passwords_gets_five_checks_and_locks_the_account(
    site: str, checks: list[str]
) -> None:
    user_id, email = member("burst_wrong")

    responses = burst(site, email, [WRONG] * BURST)

    assert len(checks) == 5, f"{len(checks)} password checks in one burst"
    assert not any(signed_in(response) for response in responses)
    after = stored_user(user_id)
    assert after.failed_login_count == 5  # every checked failure counted, none lost
    assert after.login_locked_until is not None
    # The right password is now refused without a check.
    [late] = burst(site, email, [DEFAULT_PASSWORD])
    assert not signed_in(late)
    assert len(checks) == 5


def test_the_right_password_inside_a_burst_only_wins_within_the_first_five_checks(
    site: str, checks: list[str]
) -> None:
    user_id, email = member("burst_right")
    passwords = [WRONG] * BURST
    passwords.insert(BURST // 2, DEFAULT_PASSWORD)

    responses = burst(site, email, passwords)

    winners = [r for r, password in zip(responses, passwords, strict=True) if signed_in(r)]
    if DEFAULT_PASSWORD in checks[:5]:
        # Among the first five checks: a legitimate sign-in, which resets the failure
        # count (§4.1.3), so the rest of the burst may get at most five checks more.
        assert len(winners) == 1
        assert len(checks) <= 10
    else:
        assert len(checks) == 5, f"{len(checks)} password checks in one burst"
        assert not winners
        assert stored_user(user_id).failed_login_count == 5
