"""Stored files that follow the database transaction of the action that touched them.

Files written during an action are deleted again if its transaction rolls back; files
an action replaces or removes are deleted only once its transaction has committed. So a
failed action leaves no new files behind and a committed one leaves no orphans.
"""

from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from citypulse.media.storage import delete_stored

logger = logging.getLogger(__name__)
_WRITTEN = "citypulse.files_written"
_DOOMED = "citypulse.files_to_delete"
_HOOKED = "citypulse.file_hooks"


def _delete_quietly(keys: list[str]) -> None:
    try:
        delete_stored(*keys)
    except (OSError, ValueError):  # a stray file must never fail a committed action
        logger.exception("could not delete %d stored file(s)", len(keys))


def _after_commit(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    _delete_quietly(session.info.pop(_DOOMED, []))


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is not None:
        return  # a savepoint inside the action; the outer transaction decides
    session.info.pop(_DOOMED, None)
    _delete_quietly(session.info.pop(_WRITTEN, []))


def _track(session: Session, bucket: str, keys: list[str]) -> None:
    if not session.info.get(_HOOKED):
        session.info[_HOOKED] = True
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_soft_rollback", _after_soft_rollback)
    session.info.setdefault(bucket, []).extend(keys)


def written_in_transaction(session: Session, *keys: str | None) -> None:
    """These files were just stored: delete them if the transaction rolls back."""
    _track(session, _WRITTEN, [key for key in keys if key])


def delete_after_commit(session: Session, *keys: str | None) -> None:
    """Delete these stored files once the current transaction commits."""
    _track(session, _DOOMED, [key for key in keys if key])


def discard_now(session: Session, *keys: str) -> None:
    """Delete files this (failing) action wrote, without waiting for the rollback."""
    gone = set(keys)
    session.info[_WRITTEN] = [key for key in session.info.get(_WRITTEN, []) if key not in gone]
    _delete_quietly(list(keys))
