"""QA mode (issue 16): `/qa/outbox` and `cli qa-accounts` are refused unless QA mode is on.

The endpoint is driven through the real Starlette app with mail really written by the
file backend; the command commits through its own sessions, so the fixture removes the
QA domain's users and mail afterwards.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import select
from starlette.testclient import TestClient

from citypulse import cli, cli_qa
from citypulse.api.routes import build_api
from citypulse.auth.passwords import verify_password
from citypulse.db import session_scope
from citypulse.email.messages import EmailMessage
from citypulse.email.senders import FileSender
from citypulse.models import Recommendation, User
from citypulse.models.enums import AccountStatus
from citypulse.settings import get_settings
from tests.support.factories import create_category, create_recommendation, create_user

QA_DOMAIN = "qa-mode.test"
TOKEN = "qa-token-" + "x7Gd2" * 8
PASSWORD = "Harbour!Lights42"
REAL_EMAIL = "qa_real@example.com"  # a real person's account beside the QA pool
LEFTOVER_CATEGORY = "QA mode leftover"  # committed too: other tests count categories


def _clean(engine: Engine) -> None:
    pattern = {"pattern": f"%@{QA_DOMAIN}"}
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM email_outbox WHERE to_address LIKE :pattern"), pattern)
        connection.execute(
            text("DELETE FROM users WHERE email LIKE :pattern OR email = :real"),
            {**pattern, "real": REAL_EMAIL},
        )
        connection.execute(
            text("DELETE FROM categories WHERE name = :name"), {"name": LEFTOVER_CATEGORY}
        )


@pytest.fixture
def qa_settings(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """QA mode on with the file backend in a temporary DATA_DIR; QA rows cleaned up."""
    settings = get_settings()
    for name, value in {
        "qa_mode": True,
        "qa_token": TOKEN,
        "qa_account_prefix": "qa_",
        "qa_email_domain": QA_DOMAIN,
        "email_backend": "file",
        "data_dir": tmp_path / "data",
        "upload_dir": tmp_path / "uploads",
    }.items():
        monkeypatch.setattr(settings, name, value)
    _clean(engine)
    yield settings
    _clean(engine)


@pytest.fixture
def client(qa_settings) -> Iterator[TestClient]:
    yield TestClient(build_api())


def capture(settings, to: str, subject: str) -> None:
    """Mail as the running app sends it in QA mode: through the file backend."""
    message = EmailMessage(to, subject, "<p>hi</p>", f"{subject}\n\n  123456\n", "reset_code")
    FileSender(settings.data_dir / "outbox").send(message)


def bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_outbox_serves_a_qa_address_its_own_mail(client: TestClient, qa_settings) -> None:
    capture(qa_settings, f"qa_007@{QA_DOMAIN}", "Your reset code")
    capture(qa_settings, f"qa_008@{QA_DOMAIN}", "Not for 007")
    capture(qa_settings, f"qa_007@{QA_DOMAIN}", "Your password was changed")

    response = client.get("/qa/outbox", params={"to": f"QA_007@{QA_DOMAIN}"}, headers=bearer())

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    messages = response.json()["messages"]
    assert [m["subject"] for m in messages] == ["Your reset code", "Your password was changed"]
    assert "123456" in messages[0]["text"]
    assert set(messages[0]) == {"to", "subject", "category", "text", "created_at"}


def test_outbox_is_not_found_without_qa_mode(
    client: TestClient, qa_settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    capture(qa_settings, f"qa_001@{QA_DOMAIN}", "Your reset code")
    monkeypatch.setattr(qa_settings, "qa_mode", False)
    response = client.get("/qa/outbox", params={"to": f"qa_001@{QA_DOMAIN}"}, headers=bearer())
    assert response.status_code == 404
    assert "reset code" not in response.text


@pytest.mark.parametrize(
    "headers",
    [{}, bearer("wrong-token"), bearer(TOKEN[:-1]), {"Authorization": TOKEN}, bearer("")],
)
def test_outbox_refuses_a_missing_or_wrong_token(
    client: TestClient, qa_settings, headers: dict[str, str]
) -> None:
    capture(qa_settings, f"qa_001@{QA_DOMAIN}", "Your reset code")
    response = client.get("/qa/outbox", params={"to": f"qa_001@{QA_DOMAIN}"}, headers=headers)
    assert response.status_code == 401
    assert "reset code" not in response.text


def test_outbox_refuses_when_no_token_is_configured(
    client: TestClient, qa_settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(qa_settings, "qa_token", None)
    response = client.get("/qa/outbox", params={"to": f"qa_001@{QA_DOMAIN}"}, headers=bearer(""))
    assert response.status_code == 401


@pytest.mark.parametrize(
    "address", ["alice@citypulse.test", f"alice@{QA_DOMAIN}", "qa_001@citypulse.test", ""]
)
def test_outbox_never_shows_a_real_persons_mail(
    client: TestClient, qa_settings, address: str
) -> None:
    if address:
        capture(qa_settings, address, "Your reset code")
    response = client.get("/qa/outbox", params={"to": address}, headers=bearer())
    assert response.status_code == 400
    assert "reset code" not in response.text


def test_outbox_says_when_mail_is_not_captured(
    client: TestClient, qa_settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(qa_settings, "email_backend", "console")
    response = client.get("/qa/outbox", params={"to": f"qa_001@{QA_DOMAIN}"}, headers=bearer())
    assert response.status_code == 409
    assert "EMAIL_BACKEND=file" in response.json()["error"]


def run_qa_accounts(*argv: str, password: str | None = PASSWORD) -> int:
    environ = {} if password is None else {cli_qa.PASSWORD_ENV: password}
    args = cli.build_parser().parse_args(["qa-accounts", *argv])
    return cli_qa.qa_accounts(count=args.count, environ=environ)


def qa_users() -> list[User]:
    with session_scope() as session:
        return list(
            session.exec(
                select(User).where(User.email.endswith(f"@{QA_DOMAIN}")).order_by(User.username)
            ).all()
        )


def test_qa_accounts_creates_the_pool_verified(
    qa_settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_qa_accounts("--count", "3") == 0

    users = qa_users()
    assert [u.username for u in users] == ["qa_001", "qa_002", "qa_003"]
    assert [u.email for u in users] == [f"qa_00{n}@{QA_DOMAIN}" for n in (1, 2, 3)]
    assert all(u.email_verified_at and u.account_status == AccountStatus.active for u in users)
    assert verify_password(users[0].password_hash, PASSWORD)
    assert "qa_001 … qa_003" in capsys.readouterr().out


def test_qa_accounts_resets_what_journeys_changed_and_spares_real_people(qa_settings) -> None:
    assert run_qa_accounts("--count", "2") == 0
    with session_scope() as session:
        first = session.exec(select(User).where(User.username == "qa_001")).one()
        first.account_status = AccountStatus.deactivated  # a deletion journey ran
        leftover = create_category(session, name=LEFTOVER_CATEGORY)
        create_recommendation(
            session, author=first, category=leftover, title="Left over by a journey"
        )
        create_user(session, username="qa_signup_x1", email=f"qa_signup_x1@{QA_DOMAIN}")
        # Same prefix, real domain / QA domain, no prefix: not QA accounts.
        create_user(session, username="qa_real_person", email=REAL_EMAIL)
        create_user(session, username="someone", email=f"someone@{QA_DOMAIN}")

    assert run_qa_accounts("--count", "2") == 0

    users = qa_users()
    assert [u.username for u in users] == ["qa_001", "qa_002", "someone"]
    assert users[0].account_status == AccountStatus.active
    with session_scope() as session:
        titles = session.exec(select(Recommendation.title)).all()
        assert "Left over by a journey" not in titles
        assert session.exec(select(User).where(User.username == "qa_real_person")).one()


def test_qa_accounts_is_refused_in_production_without_qa_mode(
    qa_settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(qa_settings, "app_env", "production")
    monkeypatch.setattr(qa_settings, "qa_mode", False)
    assert run_qa_accounts("--count", "2") == 1
    assert "refused in production unless QA_MODE=1" in capsys.readouterr().err
    assert qa_users() == []


def test_qa_accounts_runs_in_production_with_qa_mode(
    qa_settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(qa_settings, "app_env", "production")
    assert run_qa_accounts("--count", "1") == 0
    assert [u.username for u in qa_users()] == ["qa_001"]


@pytest.mark.parametrize(
    ("argv", "password", "code", "message"),
    [
        ((), None, 2, "set QA_ACCOUNT_PASSWORD"),
        ((), "password", 1, "QA_ACCOUNT_PASSWORD: Password needs"),
        (("--count", "0"), PASSWORD, 1, "--count must be between 1 and 999"),
        (("--count", "1000"), PASSWORD, 1, "--count must be between 1 and 999"),
    ],
)
def test_qa_accounts_refuses_bad_input_and_creates_nothing(
    qa_settings, capsys: pytest.CaptureFixture[str], argv, password, code, message
) -> None:
    assert run_qa_accounts(*argv, password=password) == code
    assert message in capsys.readouterr().err
    assert qa_users() == []


@pytest.mark.parametrize("prefix", ["", "q", "QA_", "qa-", "%", "_qa"])
def test_qa_accounts_refuses_a_prefix_that_could_match_anyone(
    qa_settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], prefix: str
) -> None:
    monkeypatch.setattr(qa_settings, "qa_account_prefix", prefix)
    assert run_qa_accounts() == 1
    assert "QA_ACCOUNT_PREFIX" in capsys.readouterr().err


def test_qa_accounts_reads_the_password_from_stdin(qa_settings) -> None:
    code = cli_qa.qa_accounts(count=1, password_stdin=True, stdin=io.StringIO(PASSWORD + "\n"))
    assert code == 0
    assert verify_password(qa_users()[0].password_hash, PASSWORD)
