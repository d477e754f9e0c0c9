"""One-click unsubscribe: the service and `GET /email/unsubscribe?token=` (§4.12, §2.4, §5.3).

The service tests use the rolled-back `session`. The route runs `run_transaction` on its
own connection (`citypulse.db.get_engine()`), so its tests commit for real through
`session_scope(engine)`; the fixture deletes the users of TEST_DOMAIN (their preferences
cascade) before and after each test.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import jwt
import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select
from starlette.testclient import TestClient

from citypulse.api.routes import build_api
from citypulse.db import session_scope
from citypulse.email.messages import PREFERENCE_CATEGORIES, PREFERENCE_LABELS
from citypulse.email.unsubscribe import unsubscribe_token
from citypulse.models import EmailPreferences, User
from citypulse.services.accounts.email_preferences import email_unsubscribe
from citypulse.services.errors import NotFound, ValidationFailed
from citypulse.settings import get_settings
from tests.integration.support import run_action
from tests.support.factories import create_user

TEST_DOMAIN = "unsubscribe-route.test"
ALL_ON = dict.fromkeys(PREFERENCE_CATEGORIES, True)


def preferences(session: Session, user_id: int) -> dict[str, bool]:
    session.expire_all()
    row = session.exec(select(EmailPreferences).where(EmailPreferences.user_id == user_id)).one()
    return {name: getattr(row, name) for name in PREFERENCE_CATEGORIES}


def all_on(session: Session, user: User) -> User:
    row = session.exec(select(EmailPreferences).where(EmailPreferences.user_id == user.id)).one()
    for name in PREFERENCE_CATEGORIES:
        setattr(row, name, True)
    session.add(row)
    session.flush()
    return user


def forge(claims: dict[str, object], secret: str | None = None) -> str:
    settings = get_settings()
    base = {"sub": "1", "cat": "trips", "typ": "unsubscribe", "iss": settings.jwt_issuer}
    return jwt.encode({**base, **claims}, secret or settings.jwt_secret, algorithm="HS256")


def swap_payload(token: str, other: str) -> str:
    """`token`'s header and signature around `other`'s payload."""
    header, _, signature = token.split(".")
    return f"{header}.{other.split('.')[1]}.{signature}"


def flip_signature(token: str) -> str:
    header, payload, signature = token.split(".")
    flipped = signature[:10] + ("B" if signature[10] == "A" else "A") + signature[11:]
    return f"{header}.{payload}.{flipped}"


@pytest.fixture
def nora(session: Session) -> User:
    return all_on(session, create_user(session, username="nora", email="nora@example.com"))


@pytest.fixture
def otto(session: Session) -> User:
    return all_on(session, create_user(session, username="otto", email="otto@example.com"))


# --- the service ---------------------------------------------------------------------


@pytest.mark.parametrize("category", PREFERENCE_CATEGORIES)
def test_a_valid_token_turns_exactly_that_category_off(
    session: Session, nora: User, otto: User, category: str
) -> None:
    label = run_action(session, email_unsubscribe, token=unsubscribe_token(nora.id, category))

    assert label == PREFERENCE_LABELS[category]
    assert preferences(session, nora.id) == {**ALL_ON, category: False}
    assert preferences(session, otto.id) == ALL_ON


def test_using_the_link_again_changes_nothing_more(session: Session, nora: User) -> None:
    token = unsubscribe_token(nora.id, "trips")
    run_action(session, email_unsubscribe, token=token)

    assert run_action(session, email_unsubscribe, token=token) == "trip"
    assert preferences(session, nora.id) == {**ALL_ON, "trips": False}


def test_a_category_switched_back_on_can_be_unsubscribed_again(
    session: Session, nora: User
) -> None:
    """The token is permanent: an old newsletter's link keeps working."""
    token = unsubscribe_token(nora.id, "weekly_digest")
    run_action(session, email_unsubscribe, token=token)
    all_on(session, nora)

    run_action(session, email_unsubscribe, token=token)

    assert preferences(session, nora.id) == {**ALL_ON, "weekly_digest": False}


def bad_tokens(nora_id: int, otto_id: int) -> dict[str, str]:
    nora_token = unsubscribe_token(nora_id, "trips")
    return {
        "otto's payload under nora's signature": swap_payload(
            nora_token, unsubscribe_token(otto_id, "trips")
        ),
        "another category's payload": swap_payload(
            nora_token, unsubscribe_token(nora_id, "marketing")
        ),
        "flipped signature": flip_signature(nora_token),
        "another secret": forge(
            {"sub": str(nora_id)}, secret="another-secret-that-is-long-enough-123456"
        ),
        "another token type": forge({"sub": str(nora_id), "typ": "access"}),
        "another issuer": forge({"sub": str(nora_id), "iss": "someone-else"}),
        "a transactional category": forge({"sub": str(nora_id), "cat": "moderation"}),
        "an unknown column": forge({"sub": str(nora_id), "cat": "user_id"}),
        "a non-numeric subject": forge({"sub": "nora"}),
        "no category": jwt.encode(
            {"sub": str(nora_id), "typ": "unsubscribe", "iss": get_settings().jwt_issuer},
            get_settings().jwt_secret,
            algorithm="HS256",
        ),
        "unsigned": jwt.encode(
            {"sub": str(nora_id), "cat": "trips", "typ": "unsubscribe", "iss": "citypulse"},
            key=None,
            algorithm="none",
        ),
        "garbage": "not-a-token",
        "empty": "",
    }


def test_forged_or_tampered_tokens_are_refused_and_nothing_changes(
    session: Session, nora: User, otto: User
) -> None:
    for name, token in bad_tokens(nora.id, otto.id).items():
        with pytest.raises(ValidationFailed) as error:
            run_action(session, email_unsubscribe, token=token)
        assert error.value.field_errors == {"token": "This unsubscribe link is not valid"}, name

    assert preferences(session, nora.id) == ALL_ON
    assert preferences(session, otto.id) == ALL_ON


def test_the_token_of_a_deleted_user_is_not_found(session: Session, nora: User) -> None:
    token = unsubscribe_token(nora.id, "trips")
    session.delete(nora)
    session.flush()

    with pytest.raises(NotFound, match="This account no longer exists"):
        run_action(session, email_unsubscribe, token=token)


# --- the route -----------------------------------------------------------------------


def _clean(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text("DELETE FROM users WHERE email LIKE :pattern"), {"pattern": f"%@{TEST_DOMAIN}"}
        )


@pytest.fixture
def committed(engine: Engine) -> Iterator[partial]:
    """Sessions that really commit, for the route's own connection (cleaned up afterwards)."""
    _clean(engine)
    yield partial(session_scope, engine)
    _clean(engine)


@pytest.fixture
def client(committed: partial) -> TestClient:
    return TestClient(build_api())


def committed_user(committed: partial, username: str) -> int:
    with committed() as db:
        return all_on(db, create_user(db, username=username, email=f"{username}@{TEST_DOMAIN}")).id


def committed_preferences(committed: partial, user_id: int) -> dict[str, bool]:
    with committed() as db:
        return preferences(db, user_id)


def test_the_route_unsubscribes_with_a_valid_token(client: TestClient, committed: partial) -> None:
    nora_id = committed_user(committed, "nora_unsub")
    otto_id = committed_user(committed, "otto_unsub")

    response = client.get(
        "/email/unsubscribe", params={"token": unsubscribe_token(nora_id, "trips")}
    )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>You're unsubscribed</h1>" in response.text
    assert "You will no longer receive trip emails." in response.text
    assert 'href="/settings"' in response.text
    assert committed_preferences(committed, nora_id) == {**ALL_ON, "trips": False}
    assert committed_preferences(committed, otto_id) == ALL_ON


def test_the_route_refuses_a_bad_token_with_400(client: TestClient, committed: partial) -> None:
    nora_id = committed_user(committed, "nora_bad")
    otto_id = committed_user(committed, "otto_bad")

    for name, token in bad_tokens(nora_id, otto_id).items():
        response = client.get("/email/unsubscribe", params={"token": token})
        assert response.status_code == 400, name
        assert "<h1>Unsubscribe failed</h1>" in response.text
        assert "This unsubscribe link is not valid" in response.text
    assert client.get("/email/unsubscribe").status_code == 400  # no token at all

    assert committed_preferences(committed, nora_id) == ALL_ON
    assert committed_preferences(committed, otto_id) == ALL_ON


def test_the_route_refuses_the_token_of_a_deleted_user(
    client: TestClient, committed: partial
) -> None:
    nora_id = committed_user(committed, "nora_gone")
    token = unsubscribe_token(nora_id, "marketing")
    with committed() as db:
        db.delete(db.get(User, nora_id))

    response = client.get("/email/unsubscribe", params={"token": token})

    assert response.status_code == 400
    assert "This account no longer exists" in response.text


def test_the_route_only_answers_get(client: TestClient, committed: partial) -> None:
    nora_id = committed_user(committed, "nora_post")
    token = unsubscribe_token(nora_id, "trips")

    assert client.post("/email/unsubscribe", params={"token": token}).status_code == 405
    assert committed_preferences(committed, nora_id) == ALL_ON
