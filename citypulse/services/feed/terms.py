"""What personalises a viewer's For You ranking, read once per ranking (one statement)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, func, literal, select, union
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session, col

from citypulse.models import CityVisit, Profile, UserInterest
from citypulse.services.social.graph import blocked_ids, buddy_ids


@dataclass(frozen=True)
class ViewerTerms:
    """The cities of C, the categories of I, the buddies of B, and the people blocked
    either way (the pool's sources filter on these lists instead of probing per row)."""

    city_ids: list[int]
    interest_ids: list[int]
    buddy_ids: list[int]
    blocked_ids: list[int]


def viewer_terms(session: Session, viewer_id: int) -> ViewerTerms:
    """The cities (visited, and the current city; trip cities join with trips), interests,
    buddies and blocks of `viewer_id`, in one statement."""
    visited = select(literal("city").label("kind"), CityVisit.city_id.label("key")).where(
        CityVisit.user_id == viewer_id
    )
    current = select(literal("city"), Profile.current_city_id).where(
        Profile.user_id == viewer_id, col(Profile.current_city_id).is_not(None)
    )
    interests = select(literal("interest"), UserInterest.category_id).where(
        UserInterest.user_id == viewer_id
    )
    buddies = buddy_ids(viewer_id).subquery("terms_buddies")
    blocked = blocked_ids(viewer_id).subquery("terms_blocked")
    rows = session.execute(
        union(
            visited,
            current,
            interests,
            select(literal("buddy"), buddies.c.user_id),
            select(literal("block"), blocked.c.user_id),
        )
    ).all()

    def of(kind: str) -> list[int]:
        return sorted({key for row_kind, key in rows if row_kind == kind})

    return ViewerTerms(of("city"), of("interest"), of("buddy"), of("block"))


def id_array(ids: list[int]) -> Any:
    """One array parameter: the statement's text is the same however many ids (a VALUES
    or IN list per count would be a new statement for psycopg to prepare)."""
    return literal(ids, ARRAY(Integer))


def keys(name: str, ids: list[int]) -> Any:
    """The ids as rows (column `key`) to drive a per-key LATERAL read."""
    return func.unnest(id_array(ids)).table_valued("key").render_derived(name=name)
