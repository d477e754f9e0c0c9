"""`/auth/login`, `/auth/refresh`, `/auth/logout(-all)`: the session cookies (§4.1, §5.3, §5.5).

The routes run `run_transaction` on their own connection (`citypulse.db.get_engine()`), so
these tests commit for real through `session_scope(engine)`. The fixture deletes the
users of TEST_DOMAIN (their sessions cascade) and the rate-limit rows these routes count
(per account, per test-client IP, per refresh token) before and after each test; this
database belongs to this pytest process and every other test rolls back.

The routes read the wall clock, so times checked here come from the rows they wrote.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import Engine, text
from sqlmodel import col, select
from starlette.testclient import TestClient

from citypulse.api import cookies
from citypulse.api.routes import build_api
from citypulse.auth import sessions
from citypulse.auth.sessions import (
    REMEMBER_ME_LIFETIME,
    ROTATION_GRACE,
    SESSION_LIFETIME,
    IssuedSession,
    SessionInvalid,
    session_rotate,
    session_start,
)
from citypulse.auth.tokens import read_access_token, token_hash
from citypulse.db import session_scope
from citypulse.models import AuthSession, FeedRanking, User
from citypulse.models.enums import AccountStatus, RevokeReason
from citypulse.services.feed import ahead
from citypulse.settings import get_settings
from tests.support.factories import DEFAULT_PASSWORD, create_user

TEST_DOMAIN = "auth-routes.test"
EVIL = "https://evil.example"


def _clean(engine: Engine) -> None:
    pattern = {"pattern": f"%@{TEST_DOMAIN}"}
    with engine.begin() as connection:
        connection.execute(
            text(
                "DELETE FROM rate_limit_hits WHERE key IN (SELECT 'login-account:' || id "
                "FROM users WHERE email LIKE :pattern)"
            ),
            pattern,
        )
        connection.execute(
            text(
                "DELETE FROM rate_limit_hits "
                "WHERE key = 'login-ip:testclient' OR key LIKE 'refresh:%'"
            )
        )
        connection.execute(text("DELETE FROM users WHERE email LIKE :pattern"), pattern)


@pytest.fixture
def committed(engine: Engine) -> Iterator[partial]:
    """Sessions that really commit (cleaned up afterwards, once the For You rankings a
    sign-in or a renewal queued have run)."""
    _clean(engine)
    yield partial(session_scope, engine)
    ahead.settle()
    _clean(engine)


@pytest.fixture
def client(committed: partial) -> TestClient:
    return TestClient(build_api(), follow_redirects=False)


def origin() -> str:
    return get_settings().public_url.rstrip("/")


def post(
    client: TestClient,
    path: str,
    *,
    data: dict[str, str] | None = None,
    sent_cookies: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
):
    """A same-site form POST carrying exactly `sent_cookies` (nothing from earlier responses)."""
    client.cookies.clear()
    all_headers = {"Origin": origin(), **(headers or {})}
    if sent_cookies:
        all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in sent_cookies.items())
    return client.post(path, data=data, headers=all_headers)


def set_cookies(response) -> dict[str, dict[str, str]]:
    """The response's Set-Cookie headers: name → {"value": ..., lower-cased attributes}."""
    parsed: dict[str, dict[str, str]] = {}
    for header in response.headers.get_list("set-cookie"):
        first, *attributes = (part.strip() for part in header.split(";"))
        name, value = first.split("=", 1)
        cookie = {"value": value}
        for attribute in attributes:
            key, _, attribute_value = attribute.partition("=")
            key = key.lower()
            cookie[key] = attribute_value.lower() if key == "samesite" else attribute_value
        parsed[name] = cookie
    return parsed


def assert_credential_cookie(cookie: dict[str, str], path: str, max_age: int) -> None:
    assert "httponly" in cookie
    assert cookie["samesite"] == "lax"
    assert cookie["path"] == path
    assert int(cookie["max-age"]) == max_age


def assert_cleared(cookie: dict[str, str], path: str) -> None:
    assert cookie["value"] in ("", '""')
    assert cookie["max-age"] == "0"
    assert cookie["path"] == path


def committed_user(committed: partial, username: str, **kwargs) -> int:
    with committed() as db:
        return create_user(db, username=username, email=f"{username}@{TEST_DOMAIN}", **kwargs).id


def committed_session(committed: partial, user_id: int, now: datetime | None = None):
    with committed() as db:
        return session_start(
            db,
            user_id=user_id,
            remember_me=False,
            user_agent="pytest",
            ip=None,
            now=now or datetime.now(UTC),
        )


def login(client: TestClient, username: str, password: str = DEFAULT_PASSWORD, **extra: str):
    data = {"email": f"{username}@{TEST_DOMAIN}", "password": password, **extra}
    return post(client, "/auth/login", data=data)


def rows(committed: partial, *conditions) -> list[AuthSession]:
    with committed() as db:
        return list(
            db.exec(select(AuthSession).where(*conditions).order_by(col(AuthSession.id))).all()
        )


def open_families(committed: partial, user_id: int) -> set[uuid.UUID]:
    found = rows(committed, AuthSession.user_id == user_id, col(AuthSession.revoked_at).is_(None))
    return {row.family_id for row in found}


def user(committed: partial, user_id: int) -> User:
    with committed() as db:
        return db.get(User, user_id)


def stored_rankings(committed: partial, user_id: int) -> list[datetime]:
    """When the user's For You rankings of every category were made, once the rankings
    queued after the route's commit have run."""
    ahead.settle()
    with committed() as db:
        found = select(FeedRanking.ranked_at).where(
            FeedRanking.user_id == user_id, col(FeedRanking.category_id).is_(None)
        )
        return list(db.exec(found).all())


# --- POST /auth/login ----------------------------------------------------------------


def test_login_sets_the_session_cookies_and_goes_to_next(
    client: TestClient, committed: partial
) -> None:
    nora_id = committed_user(committed, "nora_login")

    response = login(client, "nora_login", next="/trips?tab=mine")

    assert response.status_code == 303
    assert response.headers["location"] == "/trips?tab=mine"
    assert response.headers["cache-control"] == "no-store"
    jar = set_cookies(response)
    assert cookies.FLASH_COOKIE not in jar
    lifetime = int(SESSION_LIFETIME.total_seconds())
    assert_credential_cookie(jar[cookies.ACCESS_COOKIE], "/", lifetime)
    assert_credential_cookie(jar[cookies.REFRESH_COOKIE], "/auth", lifetime)
    assert "httponly" not in jar[cookies.EXPIRY_HINT_COOKIE]  # a hint, not a credential
    assert "secure" not in jar[cookies.ACCESS_COOKIE]  # local http only (see the https test)

    claims = read_access_token(jar[cookies.ACCESS_COOKIE]["value"])
    assert claims.user_id == nora_id
    [row] = rows(committed, AuthSession.user_id == nora_id)
    assert row.family_id == claims.family_id
    assert row.token_hash == token_hash(jar[cookies.REFRESH_COOKIE]["value"])
    assert row.revoked_at is None
    assert row.remember_me is False
    assert user(committed, nora_id).last_login_at is not None


def test_a_sign_in_ranks_the_feed_ahead_and_a_refused_one_does_not(
    client: TestClient, committed: partial
) -> None:
    nora_id = committed_user(committed, "nora_ranked")
    login(client, "nora_ranked", password="not-hers")
    assert stored_rankings(committed, nora_id) == []

    assert login(client, "nora_ranked").status_code == 303
    assert len(stored_rankings(committed, nora_id)) == 1


def test_remember_me_makes_a_30_day_session(client: TestClient, committed: partial) -> None:
    nora_id = committed_user(committed, "nora_remember")

    response = login(client, "nora_remember", remember_me="on")

    assert response.headers["location"] == "/dashboard"
    jar = set_cookies(response)
    lifetime = int(REMEMBER_ME_LIFETIME.total_seconds())
    assert_credential_cookie(jar[cookies.ACCESS_COOKIE], "/", lifetime)
    assert_credential_cookie(jar[cookies.REFRESH_COOKIE], "/auth", lifetime)
    [row] = rows(committed, AuthSession.user_id == nora_id)
    assert row.remember_me is True


def test_cookies_are_secure_behind_https(
    client: TestClient, committed: partial, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "public_url", "https://citypulse.example")
    committed_user(committed, "nora_https")

    response = login(client, "nora_https")

    assert response.status_code == 303
    jar = set_cookies(response)
    assert "secure" in jar[cookies.ACCESS_COOKIE]
    assert "secure" in jar[cookies.REFRESH_COOKIE]


@pytest.mark.parametrize(
    "unsafe_next",
    [EVIL, "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/\t/evil.example", ""],
)
def test_an_unsafe_next_goes_to_the_dashboard(
    client: TestClient, committed: partial, unsafe_next: str
) -> None:
    committed_user(committed, "nora_next")

    response = login(client, "nora_next", next=unsafe_next)

    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    assert cookies.ACCESS_COOKIE in set_cookies(response)


@pytest.mark.parametrize("status", [AccountStatus.suspended, AccountStatus.banned])
def test_a_restricted_account_lands_on_settings(
    client: TestClient, committed: partial, status: AccountStatus
) -> None:
    committed_user(committed, "nora_restricted", status=status)

    response = login(client, "nora_restricted", next="/trips")

    assert response.status_code == 303
    assert response.headers["location"] == "/settings"
    assert cookies.ACCESS_COOKIE in set_cookies(response)


def test_a_wrong_password_goes_back_to_login_with_a_flash(
    client: TestClient, committed: partial
) -> None:
    nora_id = committed_user(committed, "nora_wrong")

    response = login(client, "nora_wrong", password="Wrong!Pass1", next="/trips")

    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Ftrips"
    jar = set_cookies(response)
    assert set(jar) == {cookies.FLASH_COOKIE}  # no session cookie of any kind
    assert "httponly" in jar[cookies.FLASH_COOKIE]
    flash = cookies.read_flash({cookies.FLASH_COOKIE: jar[cookies.FLASH_COOKIE]["value"]})
    assert flash == {
        "error": "Invalid email or password",
        "reason": "invalid",
        "email": f"nora_wrong@{TEST_DOMAIN}",
    }
    assert rows(committed, AuthSession.user_id == nora_id) == []
    assert user(committed, nora_id).failed_login_count == 1  # committed despite the refusal


def test_an_unknown_email_gets_the_same_answer(client: TestClient, committed: partial) -> None:
    response = login(client, "nobody_here", next="/dashboard")

    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    jar = set_cookies(response)
    assert set(jar) == {cookies.FLASH_COOKIE}
    flash = cookies.read_flash({cookies.FLASH_COOKIE: jar[cookies.FLASH_COOKIE]["value"]})
    assert (flash["error"], flash["reason"]) == ("Invalid email or password", "invalid")


def test_an_email_with_a_nul_gets_the_same_answer(client: TestClient, committed: partial) -> None:
    """PostgreSQL cannot compare a NUL: such an address is an unknown one, not a 500."""
    committed_user(committed, "nora_nul")
    email = f"nora_nul\x00@{TEST_DOMAIN}"
    response = post(client, "/auth/login", data={"email": email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 303
    jar = set_cookies(response)
    assert set(jar) == {cookies.FLASH_COOKIE}
    flash = cookies.read_flash({cookies.FLASH_COOKIE: jar[cookies.FLASH_COOKIE]["value"]})
    assert (flash["error"], flash["reason"]) == ("Invalid email or password", "invalid")


def test_an_unverified_account_is_asked_to_verify(client: TestClient, committed: partial) -> None:
    nora_id = committed_user(committed, "nora_unverified", verified=False)

    response = login(client, "nora_unverified")

    jar = set_cookies(response)
    assert set(jar) == {cookies.FLASH_COOKIE}
    flash = cookies.read_flash({cookies.FLASH_COOKIE: jar[cookies.FLASH_COOKIE]["value"]})
    assert (flash["error"], flash["reason"]) == ("Please verify your email", "unverified")
    assert rows(committed, AuthSession.user_id == nora_id) == []


@pytest.mark.parametrize(
    "headers",
    [{"Origin": EVIL}, {"Origin": "null"}, {"Origin": "", "Sec-Fetch-Site": "cross-site"}],
    ids=["evil-origin", "null-origin", "no-origin-cross-site"],
)
def test_a_cross_site_login_is_refused(
    client: TestClient, committed: partial, headers: dict[str, str]
) -> None:
    nora_id = committed_user(committed, "nora_csrf")
    data = {"email": f"nora_csrf@{TEST_DOMAIN}", "password": DEFAULT_PASSWORD}
    client.cookies.clear()
    request_headers = {k: v for k, v in headers.items() if v}

    response = client.post("/auth/login", data=data, headers=request_headers)

    assert response.status_code == 403
    assert set_cookies(response) == {}
    assert rows(committed, AuthSession.user_id == nora_id) == []
    assert user(committed, nora_id).last_login_at is None


def test_a_cross_site_wrong_password_is_not_even_counted(
    client: TestClient, committed: partial
) -> None:
    nora_id = committed_user(committed, "nora_csrf_count")
    data = {"email": f"nora_csrf_count@{TEST_DOMAIN}", "password": "Wrong!Pass1"}
    client.cookies.clear()

    assert client.post("/auth/login", data=data, headers={"Origin": EVIL}).status_code == 403

    assert user(committed, nora_id).failed_login_count == 0


# --- POST /auth/refresh --------------------------------------------------------------


def refresh(client: TestClient, token: str | None, **headers: str):
    sent = {cookies.REFRESH_COOKIE: token} if token else None
    return post(client, "/auth/refresh", sent_cookies=sent, headers=headers)


def test_refresh_rotates_the_refresh_token(client: TestClient, committed: partial) -> None:
    nora_id = committed_user(committed, "nora_refresh")
    issued = committed_session(committed, nora_id)

    response = refresh(client, issued.refresh_token)

    assert response.status_code == 204
    jar = set_cookies(response)
    new_refresh = jar[cookies.REFRESH_COOKIE]["value"]
    assert new_refresh != issued.refresh_token
    assert jar[cookies.REFRESH_COOKIE]["path"] == "/auth"
    assert "httponly" in jar[cookies.REFRESH_COOKIE]
    claims = read_access_token(jar[cookies.ACCESS_COOKIE]["value"])
    assert (claims.user_id, claims.family_id) == (nora_id, issued.family_id)

    old, new = rows(committed, AuthSession.family_id == issued.family_id)
    assert old.token_hash == token_hash(issued.refresh_token)
    assert old.revoke_reason == RevokeReason.rotated
    assert old.replaced_by_id == new.id
    assert new.token_hash == token_hash(new_refresh)
    assert new.revoked_at is None
    assert new.expires_at == old.expires_at  # rotation does not extend the session


def test_a_refresh_ranks_the_feed_ahead_only_if_none_is_stored(
    client: TestClient, committed: partial
) -> None:
    nora_id = committed_user(committed, "nora_returns")
    issued = committed_session(committed, nora_id)

    renewed = set_cookies(refresh(client, issued.refresh_token))[cookies.REFRESH_COOKIE]
    [ranked_at] = stored_rankings(committed, nora_id)

    refresh(client, renewed["value"])
    assert stored_rankings(committed, nora_id) == [ranked_at]  # kept: one was stored


def test_a_replay_within_the_grace_is_a_sibling_tab_and_changes_nothing(
    client: TestClient, committed: partial
) -> None:
    nora_id = committed_user(committed, "nora_sibling")
    issued = committed_session(committed, nora_id)
    new_refresh = set_cookies(refresh(client, issued.refresh_token))[cookies.REFRESH_COOKIE]

    response = refresh(client, issued.refresh_token)

    assert response.status_code == 204
    assert set_cookies(response) == {}  # the browser already holds the successor's cookies
    [open_row] = rows(
        committed,
        AuthSession.family_id == issued.family_id,
        col(AuthSession.revoked_at).is_(None),
    )
    assert open_row.token_hash == token_hash(new_refresh["value"])


def test_a_replay_after_the_grace_revokes_the_whole_family(
    client: TestClient, committed: partial
) -> None:
    """Reuse detection: the grace is 30 s, so the replay runs the service at a later `now`."""
    nora_id = committed_user(committed, "nora_replay")
    issued = committed_session(committed, nora_id)
    other = committed_session(committed, nora_id)
    new_refresh = set_cookies(refresh(client, issued.refresh_token))[cookies.REFRESH_COOKIE]
    [rotated] = rows(committed, AuthSession.token_hash == token_hash(issued.refresh_token))
    later = rotated.revoked_at + ROTATION_GRACE + timedelta(seconds=1)

    with pytest.raises(SessionInvalid), committed() as db:
        session_rotate(db, refresh_token=issued.refresh_token, now=later)

    family = rows(committed, AuthSession.family_id == issued.family_id)
    assert all(row.revoked_at is not None for row in family)
    assert family[-1].revoke_reason == RevokeReason.reuse_detected
    assert open_families(committed, nora_id) == {other.family_id}  # only that family

    # The successor the thief or the victim holds is dead too.
    response = refresh(client, new_refresh["value"])
    assert response.status_code == 401
    jar = set_cookies(response)
    assert_cleared(jar[cookies.ACCESS_COOKIE], "/")
    assert_cleared(jar[cookies.REFRESH_COOKIE], "/auth")


def test_the_route_keeps_the_family_revoked_after_a_late_replay(
    client: TestClient, committed: partial, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same rule through the route, whose unit of work rolls back on the refusal."""
    monkeypatch.setattr(sessions, "ROTATION_GRACE", timedelta(seconds=-1))  # already over
    nora_id = committed_user(committed, "nora_late_replay")
    issued = committed_session(committed, nora_id)
    new_refresh = set_cookies(refresh(client, issued.refresh_token))[cookies.REFRESH_COOKIE]

    response = refresh(client, issued.refresh_token)

    assert response.status_code == 401
    assert_cleared(set_cookies(response)[cookies.REFRESH_COOKIE], "/auth")
    family = rows(committed, AuthSession.family_id == issued.family_id)
    assert [row.revoke_reason for row in family] == [
        RevokeReason.rotated,
        RevokeReason.reuse_detected,
    ]
    assert refresh(client, new_refresh["value"]).status_code == 401


def test_an_access_token_is_not_a_refresh_token(client: TestClient, committed: partial) -> None:
    nora_id = committed_user(committed, "nora_access_as_refresh")
    issued = committed_session(committed, nora_id)

    response = refresh(client, issued.access_token)

    assert response.status_code == 401
    assert_cleared(set_cookies(response)[cookies.REFRESH_COOKIE], "/auth")
    assert open_families(committed, nora_id) == {issued.family_id}


def test_an_unknown_refresh_token_is_401(client: TestClient, committed: partial) -> None:
    response = refresh(client, "not-a-real-refresh-token")

    assert response.status_code == 401
    assert_cleared(set_cookies(response)[cookies.ACCESS_COOKIE], "/")


def test_refresh_without_a_cookie_does_nothing(client: TestClient, committed: partial) -> None:
    response = refresh(client, None)

    assert response.status_code == 204
    assert set_cookies(response) == {}


def test_a_cross_site_refresh_is_refused(client: TestClient, committed: partial) -> None:
    nora_id = committed_user(committed, "nora_refresh_csrf")
    issued = committed_session(committed, nora_id)

    response = refresh(client, issued.refresh_token, Origin=EVIL)

    assert response.status_code == 403
    assert set_cookies(response) == {}
    [row] = rows(committed, AuthSession.family_id == issued.family_id)
    assert row.revoked_at is None


# --- POST /auth/logout and /auth/logout-all ------------------------------------------


def logout(client: TestClient, issued: IssuedSession | None, path: str = "/auth/logout", **h):
    sent = {cookies.ACCESS_COOKIE: issued.access_token} if issued else None
    return post(client, path, sent_cookies=sent, headers=h)


def assert_signed_out(response) -> None:
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    jar = set_cookies(response)
    assert_cleared(jar[cookies.ACCESS_COOKIE], "/")
    assert_cleared(jar[cookies.REFRESH_COOKIE], "/auth")
    assert_cleared(jar[cookies.EXPIRY_HINT_COOKIE], "/")


def test_logout_clears_the_cookies_and_revokes_this_session(
    client: TestClient, committed: partial
) -> None:
    nora_id = committed_user(committed, "nora_logout")
    laptop = committed_session(committed, nora_id)
    phone = committed_session(committed, nora_id)

    assert_signed_out(logout(client, laptop))

    [row] = rows(committed, AuthSession.family_id == laptop.family_id)
    assert (row.revoked_at is not None, row.revoke_reason) == (True, RevokeReason.logout)
    assert open_families(committed, nora_id) == {phone.family_id}
    assert refresh(client, laptop.refresh_token).status_code == 401


def test_logout_with_an_expired_access_token_still_revokes(
    client: TestClient, committed: partial
) -> None:
    nora_id = committed_user(committed, "nora_logout_late")
    issued = committed_session(committed, nora_id, now=datetime.now(UTC) - timedelta(hours=1))

    assert_signed_out(logout(client, issued))

    assert open_families(committed, nora_id) == set()


def test_logout_without_a_session_just_clears_the_cookies(
    client: TestClient, committed: partial
) -> None:
    assert_signed_out(logout(client, None))
    response = post(client, "/auth/logout", sent_cookies={cookies.ACCESS_COOKIE: "forged.jwt.x"})
    assert_signed_out(response)


def test_logout_all_revokes_every_session_of_that_user(
    client: TestClient, committed: partial
) -> None:
    nora_id = committed_user(committed, "nora_everywhere")
    otto_id = committed_user(committed, "otto_everywhere")
    current = committed_session(committed, nora_id)
    committed_session(committed, nora_id)
    committed_session(committed, nora_id)
    otto_session = committed_session(committed, otto_id)

    assert_signed_out(logout(client, current, "/auth/logout-all"))

    nora_rows = rows(committed, AuthSession.user_id == nora_id)
    assert len(nora_rows) == 3
    assert {row.revoke_reason for row in nora_rows} == {RevokeReason.logout_all}
    assert open_families(committed, otto_id) == {otto_session.family_id}


@pytest.mark.parametrize("path", ["/auth/logout", "/auth/logout-all"])
def test_a_cross_site_logout_is_refused(client: TestClient, committed: partial, path: str) -> None:
    nora_id = committed_user(committed, "nora_logout_csrf")
    issued = committed_session(committed, nora_id)

    response = logout(client, issued, path, Origin=EVIL)

    assert response.status_code == 403
    assert set_cookies(response) == {}
    assert open_families(committed, nora_id) == {issued.family_id}


def test_the_auth_routes_only_accept_post(client: TestClient, committed: partial) -> None:
    for path in ("/auth/login", "/auth/logout", "/auth/logout-all", "/auth/refresh"):
        assert client.get(path).status_code == 405, path
