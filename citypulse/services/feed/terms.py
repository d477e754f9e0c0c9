"""What personalises a viewer's For You ranking, read once per ranking (one statement)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Text, and_, any_, cast, func, literal, or_, select, union
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session, col

from citypulse.models import CityVisit, Profile, UserInterest
from citypulse.models.enums import Visibility
from citypulse.services.social.graph import blocked_ids, buddy_ids


@dataclass(frozen=True)
class ViewerTerms:
    """The cities of C, the categories of I, the buddies of B, and the people blocked
    either way (the pool's sources filter on these lists instead of probing per row)."""

    city_ids: list[int]
    interest_ids: list[int]
    buddy_ids: list[int]
    blocked_ids: list[int]


def terms_columns(viewer_id: int) -> tuple[Any, Any, Any, Any]:
    """SQL: the viewer's cities (visited, and the current city; trip cities join with
    trips), interests, buddies and blocks (either way), each a sorted array of distinct
    ids (as `ViewerTerms` orders its fields). Also what a stored ranking is checked
    against (`feed.ready`)."""
    visited = select(CityVisit.city_id.label("key")).where(CityVisit.user_id == viewer_id)
    current = select(Profile.current_city_id).where(
        Profile.user_id == viewer_id, col(Profile.current_city_id).is_not(None)
    )
    interests = select(UserInterest.category_id.label("key")).where(
        UserInterest.user_id == viewer_id
    )
    buddies = buddy_ids(viewer_id).subquery("terms_buddies")
    blocked = blocked_ids(viewer_id).subquery("terms_blocked")
    sets = (
        union(visited, current).subquery("terms_cities"),
        interests.distinct().subquery("terms_interests"),
        select(buddies.c.user_id.label("key")).distinct().subquery("terms_buddy_ids"),
        select(blocked.c.user_id.label("key")).distinct().subquery("terms_blocked_ids"),
    )
    return tuple(  # type: ignore[return-value]
        func.array(select(ids.c[0]).order_by(ids.c[0]).scalar_subquery()) for ids in sets
    )


def viewer_terms(session: Session, viewer_id: int) -> ViewerTerms:
    """The viewer's terms, in one statement."""
    row = session.execute(select(*terms_columns(viewer_id))).one()
    return ViewerTerms(*(list(ids) for ids in row))


def id_array(ids: list[int]) -> Any:
    """One array parameter: the statement's text is the same however many ids (a VALUES
    or IN list per count would be a new statement for psycopg to prepare). Sent as text
    (`array_value`): as a list, psycopg typed it by its values (int2[], int4[], and no
    type when empty), and each combination of types was a statement of its own to
    prepare, planned at every call until then (a viewer without interests: 4.5 ms)."""
    return array_value(ids)


def array_text(values: list[Any]) -> str:
    """Numbers as PostgreSQL's array text, to send a long array as one string: the driver
    adapting a list of 500 numbers element by element took ~0.5 ms of the statement's
    execute; joining them here takes ~0.03 ms."""
    return "{" + ",".join(map(repr, values)) + "}"


def written(number: int) -> Any:
    """A number written into the statement's text as it runs, not sent as a parameter,
    where a prepared statement's generic plan must know it: a LIMIT (a parameter is
    taken for a tenth of the rows), a partial index's predicate (a parameter never
    matches it: a first look, `feed.first_look`, sorted the whole pool, 20 ms)."""
    return literal(number, literal_execute=True)


def array_value(values: list[Any], item: Any = Integer) -> Any:
    """An array parameter sent as PostgreSQL's array text (`array_text`)."""
    return cast(literal(array_text(values), Text), ARRAY(item))


def keys(name: str, ids: list[int]) -> Any:
    """The ids as rows (column `key`) to drive a per-key LATERAL read."""
    return func.unnest(id_array(ids)).table_valued("key").render_derived(name=name)


def seen_without_the_rule(
    viewer_id: Any, author_id: Any, visibility: Any, buddies: Any, blocked: Any
) -> list[Any]:
    """What a ranking may filter on before the one visibility rule: not the viewer's own,
    no block either way (`blocked`), public or a buddy's (`buddies`) buddies-only. The
    rule itself runs when a session's page is read (an inactive author is skipped there).
    `buddies` and `blocked` are SQL arrays."""
    return [
        author_id != viewer_id,
        author_id != func.all(blocked),
        or_(
            visibility == Visibility.public,
            and_(visibility == Visibility.friends_only, author_id == any_(buddies)),
        ),
    ]
