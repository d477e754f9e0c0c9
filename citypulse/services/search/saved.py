"""Saved searches (§4.10.9): save, run, rename, update, archive/unarchive, delete.

A name is unique per user ignoring case (the unique index decides under concurrency) and
a user keeps at most 50. Every command acts on the actor's own searches only: someone
else's id is `NotFound`, exactly like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from citypulse.models import SavedSearch
from citypulse.models.search import MAX_SAVED_SEARCHES_PER_USER
from citypulse.params import parse_id
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.display_text import spoofing_problem
from citypulse.services.errors import NotFound, ValidationFailed
from citypulse.services.policies import require_active_actor
from citypulse.services.search.request import parse_request

MAX_NAME = 100
NAME_MESSAGE = f"Name must be 1 to {MAX_NAME} characters"
NAME_TAKEN = "You already have a saved search with this name"
TOO_MANY = f"You can keep at most {MAX_SAVED_SEARCHES_PER_USER} saved searches"
SAVED_NOT_FOUND = "Saved search not found"


@dataclass(frozen=True)
class SavedSearchItem:
    id: int
    name: str
    query: str
    filters: dict[str, Any]
    is_active: bool
    href: str  # /search?… that runs it


def _name(raw: object) -> str:
    name = " ".join(raw.split()) if isinstance(raw, str) else ""
    if not 1 <= len(name) <= MAX_NAME:
        raise ValidationFailed({"name": NAME_MESSAGE})
    if problem := spoofing_problem("Name", name):
        raise ValidationFailed({"name": problem})
    return name


def _item(row: SavedSearch) -> SavedSearchItem:
    request = parse_request(row.query, row.filters)
    params = request.query_string()
    return SavedSearchItem(
        row.id,  # type: ignore[arg-type]
        row.name,
        row.query,
        dict(row.filters),
        row.is_active,
        f"/search?{params}" if params else "/search",
    )


def _own(session: Session, actor: Viewer, saved_id: object) -> SavedSearch:
    owner = require_active_actor(session, actor)
    target = parse_id(saved_id)
    row = session.execute(
        select(SavedSearch)
        .where(col(SavedSearch.id) == target, SavedSearch.user_id == owner.user_id)
        .with_for_update()
    ).scalar()
    if target is None or row is None:
        raise NotFound(SAVED_NOT_FOUND)
    return row


def _flush_unique(session: Session) -> None:
    """Flush; the case-insensitive unique index refusing the name is a field error."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as error:
        raise ValidationFailed({"name": NAME_TAKEN}) from error


def saved_search_create(
    session: Session,
    *,
    actor: Viewer,
    name: object,
    text: object = "",
    filters: object = None,
    now: datetime,
) -> SavedSearchItem:
    """Save the search under `name`.

    Raises:
        ValidationFailed: the name (length, taken), the search itself, or 50 already kept.
    """
    owner = require_active_actor(session, actor)
    clean = _name(name)
    request = parse_request(text, filters)
    # One lock per user: two saves at once cannot both pass the limit.
    session.execute(
        select(func.pg_advisory_xact_lock(func.hashtext(f"saved-search:{owner.user_id}")))
    )
    kept = session.execute(
        select(func.count()).where(SavedSearch.user_id == owner.user_id)
    ).scalar_one()
    if kept >= MAX_SAVED_SEARCHES_PER_USER:
        raise ValidationFailed({"name": TOO_MANY})
    row = SavedSearch(
        user_id=owner.user_id,
        name=clean,
        query=request.text,
        filters=request.filters_json(),
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    _flush_unique(session)
    return _item(row)


def saved_search_rename(
    session: Session, *, actor: Viewer, saved_id: object, name: object, now: datetime
) -> SavedSearchItem:
    """Rename one of the actor's saved searches (NotFound for anyone else's)."""
    row = _own(session, actor, saved_id)
    row.name, row.updated_at = _name(name), now
    session.add(row)
    _flush_unique(session)
    return _item(row)


def saved_search_update(
    session: Session,
    *,
    actor: Viewer,
    saved_id: object,
    text: object = "",
    filters: object = None,
    now: datetime,
) -> SavedSearchItem:
    """Replace the query and filters of one of the actor's saved searches."""
    row = _own(session, actor, saved_id)
    request = parse_request(text, filters)
    row.query, row.filters, row.updated_at = request.text, request.filters_json(), now
    session.add(row)
    session.flush()
    return _item(row)


def saved_search_archive(
    session: Session, *, actor: Viewer, saved_id: object, archived: bool, now: datetime
) -> SavedSearchItem:
    """Archive (or unarchive) one of the actor's saved searches."""
    row = _own(session, actor, saved_id)
    row.is_active, row.updated_at = not bool(archived), now
    session.add(row)
    session.flush()
    return _item(row)


def saved_search_delete(
    session: Session, *, actor: Viewer, saved_id: object, now: datetime
) -> None:
    """Delete one of the actor's saved searches."""
    row = _own(session, actor, saved_id)
    session.delete(row)
    session.flush()


def saved_searches(
    session: Session, *, viewer: Viewer | None, archived: bool = False
) -> tuple[SavedSearchItem, ...]:
    """The viewer's saved searches (active ones, or the archived ones), by name."""
    owner = require_active_actor(session, viewer)
    rows = session.execute(
        select(SavedSearch)
        .where(SavedSearch.user_id == owner.user_id, SavedSearch.is_active == (not archived))
        .order_by(func.lower(SavedSearch.name), col(SavedSearch.id))
        .limit(MAX_SAVED_SEARCHES_PER_USER)
    ).scalars()
    return tuple(_item(row) for row in rows)


def saved_search_lists(
    session: Session, *, viewer: Viewer | None
) -> tuple[tuple[SavedSearchItem, ...], tuple[SavedSearchItem, ...]]:
    """The viewer's active and archived saved searches."""
    return saved_searches(session, viewer=viewer), saved_searches(
        session, viewer=viewer, archived=True
    )
