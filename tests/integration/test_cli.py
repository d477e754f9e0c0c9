"""Operator commands: create-admin, purge, build-exports, deliver-email, media-variants
(PRODUCT.md §1.4, §5.6).

The commands open their own sessions (`citypulse.db.session_scope`), so these tests commit
for real; the fixture deletes the users of TEST_DOMAIN and their queued mail afterwards.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine, text
from sqlmodel import select

from citypulse import cli, cli_admin
from citypulse.auth.passwords import verify_password
from citypulse.db import session_scope
from citypulse.media.storage import medium_path, store_photo
from citypulse.models import (
    DataExport,
    EmailPreferences,
    Photo,
    Profile,
    TravelPreferences,
    User,
)
from citypulse.models.enums import AccountStatus, DataExportStatus, Role
from citypulse.services.accounts.data_export import build_pending_exports, data_export_request
from citypulse.settings import get_settings
from tests.support import images
from tests.support.factories import create_category, create_recommendation, create_user

TEST_DOMAIN = "cli.test"
STRONG = "Harbour!Lights42"
CATEGORY = "CLI test category"  # committed with a test's place, deleted with it


def _clean(engine: Engine) -> None:
    pattern = {"pattern": f"%@{TEST_DOMAIN}"}
    with engine.begin() as connection:
        connection.execute(
            text(
                "DELETE FROM rate_limit_hits WHERE key IN "
                "(SELECT 'export:' || id FROM users WHERE email LIKE :pattern)"
            ),
            pattern,
        )
        connection.execute(text("DELETE FROM email_outbox WHERE to_address LIKE :pattern"), pattern)
        connection.execute(text("DELETE FROM users WHERE email LIKE :pattern"), pattern)
        connection.execute(text("DELETE FROM categories WHERE name = :name"), {"name": CATEGORY})


@pytest.fixture
def committed(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[partial]:
    """Sessions that really commit (cleaned up afterwards); files in temporary folders."""
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path / "data")
    monkeypatch.setattr(get_settings(), "upload_dir", tmp_path / "uploads")
    _clean(engine)
    yield partial(session_scope, engine)
    _clean(engine)


def create_admin(username: str, email: str, password: str | None = STRONG, **kwargs) -> int:
    environ = {} if password is None else {cli_admin.PASSWORD_ENV: password}
    return cli_admin.create_admin(
        username=username, email=email, full_name="Ops Person", environ=environ, **kwargs
    )


def test_create_admin_makes_a_verified_active_admin(
    committed: partial, capsys: pytest.CaptureFixture[str]
) -> None:
    # Reserved names are refused at sign-up but allowed for operator-made admins.
    assert create_admin("Support", f"Ops@{TEST_DOMAIN}") == 0

    assert capsys.readouterr().out.strip() == "support"
    with committed() as db:
        admin = db.exec(select(User).where(User.username == "support")).one()
        assert (admin.role, admin.account_status) == (Role.admin, AccountStatus.active)
        assert admin.email == f"ops@{TEST_DOMAIN}"
        assert admin.email_verified_at is not None and admin.terms_accepted_at is not None
        assert verify_password(admin.password_hash, STRONG)
        for model in (Profile, EmailPreferences, TravelPreferences):
            assert db.exec(select(model).where(model.user_id == admin.id)).one()


def test_create_admin_refuses_a_duplicate(
    committed: partial, capsys: pytest.CaptureFixture[str]
) -> None:
    assert create_admin("ops_one", f"one@{TEST_DOMAIN}") == 0
    capsys.readouterr()

    assert create_admin("OPS_ONE", f"other@{TEST_DOMAIN}") == 1
    assert 'username "ops_one" already exists' in capsys.readouterr().err
    assert create_admin("ops_two", f"ONE@{TEST_DOMAIN}") == 1
    assert f'email "one@{TEST_DOMAIN}" already exists' in capsys.readouterr().err
    with committed() as db:
        found = db.exec(select(User).where(User.email.like(f"%@{TEST_DOMAIN}"))).all()
        assert [u.username for u in found] == ["ops_one"]


@pytest.mark.parametrize(
    ("username", "email", "password", "expected"),
    [
        ("ops_weak", f"weak@{TEST_DOMAIN}", "password", "password:"),
        ("ops_weak", f"weak@{TEST_DOMAIN}", "Ops_weak!2024", "must not contain your username"),
        ("No Spaces!", f"bad@{TEST_DOMAIN}", STRONG, "username:"),
        ("ops_mail", "not-an-email", STRONG, "email:"),
    ],
)
def test_create_admin_refuses_invalid_input(
    committed: partial,
    capsys: pytest.CaptureFixture[str],
    username: str,
    email: str,
    password: str,
    expected: str,
) -> None:
    assert create_admin(username, email, password) == 1

    assert expected in capsys.readouterr().err
    with committed() as db:
        assert db.exec(select(User).where(User.role == Role.admin)).all() == []


def test_create_admin_needs_a_password_source(
    committed: partial, capsys: pytest.CaptureFixture[str]
) -> None:
    assert create_admin("ops_nopw", f"nopw@{TEST_DOMAIN}", password=None) == 2
    assert cli_admin.PASSWORD_ENV in capsys.readouterr().err


def test_create_admin_reads_the_password_from_stdin_through_the_parser(
    committed: partial, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(cli_admin.PASSWORD_ENV, raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{STRONG}\n"))
    argv = ["create-admin", "--username", "ops_stdin", "--email", f"stdin@{TEST_DOMAIN}"]

    assert cli.main([*argv, "--full-name", "Ops Stdin", "--password-stdin"]) == 0

    assert capsys.readouterr().out.strip() == "ops_stdin"
    with committed() as db:
        admin = db.exec(select(User).where(User.username == "ops_stdin")).one()
        assert verify_password(admin.password_hash, STRONG)


def test_purge_deletes_overdue_deactivated_accounts_only(
    committed: partial, capsys: pytest.CaptureFixture[str]
) -> None:
    now = datetime.now(UTC)
    with committed() as db:
        for name, due in (
            ("gone_soon", now - timedelta(days=1)),
            ("still_here", now + timedelta(days=3)),
        ):
            user = create_user(db, username=name, email=f"{name}@{TEST_DOMAIN}",
                               status=AccountStatus.deactivated)  # fmt: skip
            user.deactivated_at, user.deletion_due_at = due - timedelta(days=30), due
            db.add(user)

    assert cli_admin.purge(now=now) == 0

    assert capsys.readouterr().out.strip() == "Purged 1 account(s) and 0 export file(s)"
    with committed() as db:
        left = db.exec(select(User.username).where(User.email.like(f"%@{TEST_DOMAIN}"))).all()
        assert left == ["still_here"]


def test_purge_also_deletes_expired_export_files(
    committed: partial, capsys: pytest.CaptureFixture[str]
) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=2)
    with committed() as db:
        user = create_user(db, username="old_export", email=f"old_export@{TEST_DOMAIN}")
        export_id = data_export_request(db, user_id=user.id, now=long_ago).id
    assert build_pending_exports(now=long_ago) == 1
    with committed() as db:
        key = db.get(DataExport, export_id).file_key
    path = get_settings().data_dir / "exports" / key
    assert path.is_file()

    assert cli_admin.purge() == 0

    assert "and 1 export file(s)" in capsys.readouterr().out
    assert not path.exists()
    with committed() as db:
        assert db.get(DataExport, export_id).status == DataExportStatus.expired


def test_build_exports_builds_every_pending_export(
    committed: partial, capsys: pytest.CaptureFixture[str]
) -> None:
    now = datetime.now(UTC)
    with committed() as db:
        ids = []
        for name in ("exp_a", "exp_b"):
            user = create_user(db, username=name, email=f"{name}@{TEST_DOMAIN}")
            ids.append(data_export_request(db, user_id=user.id, now=now).id)

    assert cli.main(["build-exports"]) == 0

    assert capsys.readouterr().out.strip() == "Built 2 data export(s)"
    with committed() as db:
        assert {db.get(DataExport, i).status for i in ids} == {DataExportStatus.ready}


def test_deliver_email_runs_one_pass(
    committed: partial, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["deliver-email"]) == 0
    assert capsys.readouterr().out.startswith("Emails sent: ")


def test_media_variants_writes_the_missing_medium_copies_once(
    committed: partial, capsys: pytest.CaptureFixture[str]
) -> None:
    stored = [store_photo(images.pattern(size)) for size in ((1600, 1200), (1200, 900), (640, 480))]
    older = stored[:2]  # stored before medium copies were made
    for photo in older:
        medium_path(photo.image_key).unlink()
    with committed() as db:
        author = create_user(db, username="media_a", email=f"media_a@{TEST_DOMAIN}")
        category = create_category(db, name=CATEGORY)
        place = create_recommendation(db, author=author, category=category)
        for position, photo in enumerate(stored):
            db.add(
                Photo(recommendation_id=place.id, image_key=photo.image_key,
                      thumb_key=photo.thumb_key, width=photo.width, height=photo.height,
                      file_size=photo.file_size, position=position, is_primary=position == 0)
            )  # fmt: skip

    assert cli.main(["media-variants"]) == 0
    assert capsys.readouterr().out.strip().endswith("medium copies written: 2")
    sizes = [Image.open(medium_path(photo.image_key)).size for photo in older]
    assert sizes == [(800, 600), (800, 600)]
    assert not medium_path(stored[2].image_key).exists()  # as shown: no copy needed
    assert cli.main(["media-variants"]) == 0
    assert capsys.readouterr().out.strip().endswith("medium copies written: 0")
