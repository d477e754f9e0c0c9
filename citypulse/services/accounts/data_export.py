"""Data exports, "Download my data" (PRODUCT.md §5.6): request, build, status, download, purge.

A request creates a pending DataExport (at most 1 per 24 h). The caller starts the build
right after its commit with `start_export_build_in_background`, so the ZIP is ready in
seconds; `build_pending_exports` (the job worker's `build_exports` pass every minute, CLI
`build-exports`) catches up on anything left pending by a restart. Files live under
`<data_dir>/exports/<32 hex>.zip`: random names never built from user input, outside the
public upload folder, served only to their owner by `GET /exports/{id}/download` for
24 h, then deleted by the worker's daily `purge_exports` pass.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from citypulse.db import session_scope
from citypulse.models import DataExport, User
from citypulse.models.enums import DataExportStatus
from citypulse.services import rate_limits
from citypulse.services.accounts.data_export_builder import collect_documents, write_export_zip
from citypulse.services.errors import NotFound, RateLimited
from citypulse.settings import get_settings

logger = logging.getLogger(__name__)

EXPORT_LIFETIME = timedelta(hours=24)
ORPHAN_GRACE = timedelta(hours=1)  # a file written but not yet committed is not an orphan
FILE_KEY_PATTERN = re.compile(r"^[0-9a-f]{32}\.zip$")
NOT_AVAILABLE = "This export does not exist or has expired"

SessionFactory = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class ExportView:
    """One export as its owner may see it."""

    id: int
    status: str
    created_at: datetime
    expires_at: datetime | None

    @property
    def download_url(self) -> str | None:
        """The owner-only download route while the file is ready."""
        return f"/exports/{self.id}/download" if self.status == DataExportStatus.ready else None


def _view(row: DataExport) -> ExportView:
    return ExportView(row.id, row.status, row.created_at, row.expires_at)


def exports_dir() -> Path:
    """The private folder holding export files (never served directly)."""
    folder = get_settings().data_dir / "exports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def export_path(file_key: str) -> Path:
    """The file of a generated key; refuses anything else."""
    if not FILE_KEY_PATTERN.match(file_key):
        raise ValueError("not an export file key")
    return exports_dir() / file_key


def _delete_file(row: DataExport) -> None:
    if row.file_key:
        export_path(row.file_key).unlink(missing_ok=True)
    row.file_key = None


def _expire_if_due(session: Session, row: DataExport, now: datetime) -> bool:
    """Mark a ready export whose link has lapsed as expired and delete its file."""
    if row.status != DataExportStatus.ready or row.expires_at is None or row.expires_at > now:
        return False
    row.status = DataExportStatus.expired
    _delete_file(row)
    session.add(row)
    return True


def _lapsed(session: Session, now: datetime, *where: Any) -> list[DataExport]:
    ready = DataExport.status == DataExportStatus.ready
    return list(
        session.exec(select(DataExport).where(ready, col(DataExport.expires_at) <= now, *where))
    )


def data_export_request(session: Session, *, user_id: int, now: datetime) -> ExportView:
    """Queue an export of the user's own data (the caller then starts the build).

    Who: the signed-in user, for themselves (restricted accounts too, §4.13.8).

    Raises:
        NotFound: the user does not exist.
        RateLimited: an export was already requested in the last 24 hours (failed
            builds do not count).
    """
    if session.get(User, user_id) is None:
        raise NotFound("User not found")
    limit = rate_limits.DATA_EXPORT_PER_USER
    # The fixed-window counter below serialises concurrent requests; this sliding check
    # makes "1 per 24 h" hold across window boundaries too.
    recent = session.exec(
        select(func.count(), func.min(DataExport.created_at)).where(
            DataExport.user_id == user_id,
            DataExport.status != DataExportStatus.failed,
            col(DataExport.created_at) > now - limit.window,
        )
    ).one()
    # One export per 24 h is a product rule (§5.6), so the test multiplier does not apply.
    if recent[0] >= limit.count:
        raise RateLimited((recent[1] + limit.window - now).total_seconds())
    rate_limits.hit(session, limit, str(user_id), now)
    row = DataExport(user_id=user_id, status=DataExportStatus.pending, created_at=now)
    session.add(row)
    session.flush()
    return _view(row)


def data_export_build(session: Session, *, export_id: int, now: datetime) -> ExportView | None:
    """Build the ZIP of a pending export; ready for 24 h, or failed on any error. Blocking.

    Who: background jobs only. Returns None when the export is gone, no longer pending,
    or being built by another worker right now (its row is locked).
    """
    row = session.exec(
        select(DataExport).where(DataExport.id == export_id).with_for_update(skip_locked=True)
    ).first()
    if row is None or row.status != DataExportStatus.pending:
        return None
    key = f"{secrets.token_hex(16)}.zip"
    path = export_path(key)
    partial = path.with_suffix(".part")
    try:
        with session.begin_nested():  # a database error must not poison the status update
            documents, photos = collect_documents(session, session.get(User, row.user_id))
        write_export_zip(partial, documents, photos)
        partial.chmod(0o600)
        partial.replace(path)
    except Exception:
        logger.exception("Data export %s failed", export_id)
        partial.unlink(missing_ok=True)
        row.status = DataExportStatus.failed
        # A failure is ours, not the user's: let them ask again at once.
        rate_limits.forget(session, rate_limits.DATA_EXPORT_PER_USER, str(row.user_id))
    else:
        row.status, row.file_key = DataExportStatus.ready, key
        row.expires_at = now + EXPORT_LIFETIME
    session.add(row)
    session.flush()
    return _view(row)


def data_export_latest(session: Session, *, user_id: int, now: datetime) -> ExportView | None:
    """The user's newest export (lapsed links are marked expired first), or None.

    Who: the signed-in user, for themselves.
    """
    for row in _lapsed(session, now, DataExport.user_id == user_id):
        _expire_if_due(session, row, now)
    newest = session.exec(
        select(DataExport)
        .where(DataExport.user_id == user_id)
        .order_by(col(DataExport.created_at).desc(), col(DataExport.id).desc())
    ).first()
    return None if newest is None else _view(newest)


def data_export_file_for_download(
    session: Session, *, user_id: int, export_id: int, now: datetime
) -> Path:
    """The ZIP of a ready, unexpired export owned by `user_id`.

    Raises:
        NotFound: no such export, someone else's (so existence never leaks), not ready,
            expired, or its file is gone.
    """
    row = session.get(DataExport, export_id)
    if row is None or row.user_id != user_id:
        raise NotFound(NOT_AVAILABLE)
    if _expire_if_due(session, row, now) or row.status != DataExportStatus.ready:
        raise NotFound(NOT_AVAILABLE)
    path = export_path(row.file_key or "")
    if not path.is_file():
        raise NotFound(NOT_AVAILABLE)
    return path


def data_exports_purge_expired(session: Session, now: datetime) -> int:
    """Daily job: expire lapsed exports and delete their files and orphaned files.

    Orphans are export files no ready export refers to (a purged account's, a crashed
    build's), older than an hour. Returns how many files were removed.
    """
    removed = sum(_expire_if_due(session, row, now) for row in _lapsed(session, now))
    session.flush()
    keep = set(
        session.exec(
            select(DataExport.file_key).where(DataExport.status == DataExportStatus.ready)
        ).all()
    )
    for path in exports_dir().iterdir():
        if path.name in keep or not path.is_file():
            continue
        try:
            modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        except FileNotFoundError:  # removed meanwhile
            continue
        if modified < now - ORPHAN_GRACE:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def build_pending_exports(
    now: datetime | None = None, session_factory: SessionFactory = session_scope
) -> int:
    """Build every pending export, each in its own transaction. Blocking; returns how many
    became ready."""
    with session_factory() as session:
        pending = session.exec(
            select(DataExport.id)
            .where(DataExport.status == DataExportStatus.pending)
            .order_by(col(DataExport.created_at))
        ).all()
    built = 0
    for export_id in pending:
        try:
            with session_factory() as session:
                moment = now or datetime.now(UTC)
                view = data_export_build(session, export_id=export_id, now=moment)
        except Exception:
            logger.exception("Building data export %s failed", export_id)
            continue
        built += view is not None and view.status == DataExportStatus.ready
    return built


def _build_one(export_id: int) -> None:
    try:
        with session_scope() as session:
            data_export_build(session, export_id=export_id, now=datetime.now(UTC))
    except Exception:  # the row stays pending; build_pending_exports retries it
        logger.exception("Background build of data export %s failed", export_id)


def start_export_build_in_background(export_id: int) -> threading.Thread | None:
    """Build one export in a daemon thread; call it after the request's commit.

    Never blocks and never raises. Returns the thread, or None when none could start.
    """
    thread = threading.Thread(
        target=_build_one, args=(export_id,), name=f"data-export-{export_id}", daemon=True
    )
    try:
        thread.start()
    except RuntimeError:
        logger.exception("Could not start the data export thread")
        return None
    return thread
