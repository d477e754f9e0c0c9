"""`GET /exports/{id}/download`: the owner gets the ZIP, everyone else the same 404.

The route runs its own transaction on its own connection (`run_transaction`), so these
tests commit for real through `session_scope(engine)`; the fixture deletes the users of
TEST_DOMAIN (their exports and sessions cascade) and their rate-limit rows afterwards.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import update
from starlette.applications import Starlette
from starlette.testclient import TestClient

from citypulse.api.cookies import ACCESS_COOKIE
from citypulse.api.export_routes import EXPORT_ROUTES
from citypulse.auth.sessions import session_start
from citypulse.db import session_scope
from citypulse.models import DataExport
from citypulse.models.enums import DataExportStatus
from citypulse.services.accounts.data_export import (
    data_export_build,
    data_export_latest,
    data_export_request,
    start_export_build_in_background,
)
from citypulse.settings import get_settings
from tests.support.factories import create_user

TEST_DOMAIN = "export-route.test"


def _clean(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "DELETE FROM rate_limit_hits WHERE key IN (SELECT 'export:' || id FROM users "
                "WHERE email LIKE :pattern)"
            ),
            {"pattern": f"%@{TEST_DOMAIN}"},
        )
        connection.execute(
            text("DELETE FROM users WHERE email LIKE :pattern"), {"pattern": f"%@{TEST_DOMAIN}"}
        )


@pytest.fixture
def committed(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[partial]:
    """Sessions that really commit (cleaned up afterwards); exports in a temporary folder."""
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    monkeypatch.setattr(get_settings(), "upload_dir", tmp_path / "uploads")
    _clean(engine)
    yield partial(session_scope, engine)
    _clean(engine)


@pytest.fixture
def client() -> TestClient:
    return TestClient(Starlette(routes=EXPORT_ROUTES))


def signed_in_user(committed: partial, username: str) -> tuple[int, str]:
    """A committed user and the access token of a fresh session of theirs."""
    with committed() as db:
        user = create_user(db, username=username, email=f"{username}@{TEST_DOMAIN}")
        issued = session_start(
            db, user_id=user.id, remember_me=False, user_agent="pytest", ip=None,
            now=datetime.now(UTC),
        )  # fmt: skip
        return user.id, issued.access_token


def ready_export(committed: partial, user_id: int) -> int:
    now = datetime.now(UTC)
    with committed() as db:
        export_id = data_export_request(db, user_id=user_id, now=now).id
    with committed() as db:
        assert data_export_build(db, export_id=export_id, now=now).status == "ready"
    return export_id


def download(client: TestClient, export_id: int, token: str | None = None):
    headers = {"Cookie": f"{ACCESS_COOKIE}={token}"} if token else {}
    return client.get(f"/exports/{export_id}/download", headers=headers)


def assert_not_found(response) -> None:
    assert response.status_code == 404
    assert response.headers["cache-control"] == "no-store"
    assert "zip" not in response.headers["content-type"]


def test_the_owner_downloads_the_zip(client: TestClient, committed: partial) -> None:
    nora_id, token = signed_in_user(committed, "nora_dl")
    export_id = ready_export(committed, nora_id)

    response = download(client, export_id, token)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == (
        'attachment; filename="citypulse-data-nora_dl.zip"'
    )
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert b'"username": "nora_dl"' in archive.read("account.json")


def test_without_a_session_cookie_it_is_404(client: TestClient, committed: partial) -> None:
    nora_id, _ = signed_in_user(committed, "nora_anon")
    export_id = ready_export(committed, nora_id)

    assert_not_found(download(client, export_id))
    assert_not_found(download(client, export_id, "not-a-real-token"))


def test_another_user_gets_404(client: TestClient, committed: partial) -> None:
    nora_id, _ = signed_in_user(committed, "nora_owner")
    _, otto_token = signed_in_user(committed, "otto_other")
    export_id = ready_export(committed, nora_id)

    assert_not_found(download(client, export_id, otto_token))
    assert_not_found(download(client, export_id + 1000, otto_token))  # same as a missing one


def test_a_pending_or_expired_export_is_404(client: TestClient, committed: partial) -> None:
    nora_id, token = signed_in_user(committed, "nora_late")
    with committed() as db:
        pending_id = data_export_request(db, user_id=nora_id, now=datetime.now(UTC)).id
    assert_not_found(download(client, pending_id, token))

    with committed() as db:
        data_export_build(db, export_id=pending_id, now=datetime.now(UTC) - timedelta(hours=25))
    assert_not_found(download(client, pending_id, token))


def test_the_background_build_makes_the_export_downloadable(
    client: TestClient, committed: partial
) -> None:
    nora_id, token = signed_in_user(committed, "nora_bg")
    with committed() as db:
        export_id = data_export_request(db, user_id=nora_id, now=datetime.now(UTC)).id

    thread = start_export_build_in_background(export_id)
    assert thread is not None
    thread.join(timeout=60)

    with committed() as db:
        latest = data_export_latest(db, user_id=nora_id, now=datetime.now(UTC))
    assert latest is not None and latest.status == DataExportStatus.ready
    assert latest.download_url == f"/exports/{export_id}/download"
    assert download(client, export_id, token).status_code == 200


def test_a_deleted_file_is_404_not_an_error(client: TestClient, committed: partial) -> None:
    nora_id, token = signed_in_user(committed, "nora_gone")
    export_id = ready_export(committed, nora_id)
    with committed() as db:
        db.exec(
            update(DataExport).where(DataExport.id == export_id).values(file_key="f" * 32 + ".zip")
        )

    assert_not_found(download(client, export_id, token))


@pytest.mark.parametrize("odd", ["99999999999999999999", "2147483648", "%C2%B2", "-1", "0", "1.5"])
def test_an_odd_id_is_404_not_an_error(client: TestClient, committed: partial, odd: str) -> None:
    """Ids outside the column's range, unicode digits and signs are "no such export"."""
    _, token = signed_in_user(committed, "nora_odd")
    headers = {"Cookie": f"{ACCESS_COOKIE}={token}"}
    assert_not_found(client.get(f"/exports/{odd}/download", headers=headers))
