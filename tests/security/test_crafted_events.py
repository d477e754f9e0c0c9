"""Security journeys: handlers called directly over the WebSocket, outside the UI.

A signed-out client, or one signed in as someone else, sends the events an attacker
would. Every call must be refused and change nothing (ARCHITECTURE.md invariant 1).
"""

from sqlmodel import select

from citypulse.auth.passwords import verify_password
from citypulse.db import session_scope
from citypulse.models import AuthSession, User
from citypulse.seed.people import DEMO_PASSWORD
from citypulse.state.accounts.settings import SettingsState
from tests.e2e.support.crafted import CraftedClient
from tests.e2e.support.people import create_member
from tests.e2e.support.tabs import sign_in_cookie


def handler(name: str) -> str:
    return f"{SettingsState.get_full_name()}.{name}"


def user_row(username: str) -> User:
    with session_scope() as session:
        return session.exec(select(User).where(User.username == username)).one()


def test_signed_out_client_cannot_change_an_account(backend_url: str) -> None:
    create_member("target_one")
    before = user_row("target_one")
    client = CraftedClient(backend_url)
    try:
        reply = client.call(handler("change_password"), {"form": {
            "current_password": DEMO_PASSWORD, "new_password": "Hijack!Pass99",
            "confirm_password": "Hijack!Pass99"}})  # fmt: skip
        assert "/login" in reply  # told to sign in
        client.call(handler("deactivate"), {"form": {"confirmation": DEMO_PASSWORD}})
    finally:
        client.close()
    after = user_row("target_one")
    assert after.password_hash == before.password_hash
    assert after.account_status == "active"
    assert verify_password(after.password_hash, DEMO_PASSWORD)


def test_other_users_session_cannot_be_revoked(backend_url: str) -> None:
    victim_email, attacker_email = create_member("victim_two"), create_member("attacker_two")
    victim_cookie = sign_in_cookie(backend_url, victim_email)
    assert victim_cookie
    with session_scope() as session:
        victim = session.exec(select(User).where(User.username == "victim_two")).one()
        family = session.exec(
            select(AuthSession.family_id).where(AuthSession.user_id == victim.id)
        ).first()
    client = CraftedClient(backend_url, sign_in_cookie(backend_url, attacker_email))
    try:
        reply = client.call(handler("revoke_session"), {"family_id": str(family)})
        assert "Session not found" in reply
    finally:
        client.close()
    with session_scope() as session:
        open_rows = session.exec(
            select(AuthSession).where(
                AuthSession.family_id == family, AuthSession.revoked_at.is_(None)
            )
        ).all()
    assert len(open_rows) == 1


def test_state_sent_to_the_browser_holds_no_secrets(backend_url: str) -> None:
    email = create_member("secret_keeper")
    cookie = sign_in_cookie(backend_url, email)
    client = CraftedClient(backend_url, cookie)
    try:
        everything = client.call(handler("load"), {})
        wrong = {"current_password": "wrong", "new_password": "x", "confirm_password": "y"}
        everything += client.call(handler("change_password"), {"form": wrong})
    finally:
        client.close()
    with session_scope() as session:
        user = session.exec(select(User).where(User.username == "secret_keeper")).one()
        token_hashes = session.exec(
            select(AuthSession.token_hash).where(AuthSession.user_id == user.id)
        ).all()
    assert "secret_keeper" in everything  # the state really was sent
    assert "$argon2" not in everything
    assert user.password_hash not in everything
    for value in [*token_hashes, *(part.split("=", 1)[1] for part in cookie.split("; "))]:
        assert value not in everything
    assert "alice@citypulse.test" not in everything
