"""`/buddies?tab=find`: find buddies by filters, or suggested friends-of-friends (§4.5.7).

Who is listed: active users (active status, verified email) other than the viewer, with
no accepted or pending connection either way and no block either way
(`graph.blocked_between`, the one block rule). Users who switched buddy requests off are
listed with `requests_enabled` False (the UI disables the button).

Privacy (§4.2.1, like people search §4.10.1): a friends_only or private profile shows as
a limited card (avatar, name, @username) and matches on username and name only. Bio,
city (visited, or current when location sharing is on), interests, travel style and
activity level are matched and shown for public profiles only, so a filter never reveals
what the profile hides.

Order: newest users first (`created_at, id`); suggested: mutual-buddy count, then
newest. Keyset paging (`services.cursors`), never OFFSET. Every filter is served by an
index (migration 0003; the plans are in `docs/performance.md`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    any_,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
    union,
    union_all,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlmodel import Session, col

from citypulse.models import (
    BuddyConnection,
    Category,
    City,
    CityVisit,
    Profile,
    TravelPreferences,
    User,
    UserInterest,
)
from citypulse.models.enums import (
    AccountStatus,
    ActivityLevel,
    BuddyStatus,
    TravelStyle,
    Visibility,
)
from citypulse.params import parse_id, parse_text
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.cursors import (
    decode_cursor,
    encode_cursor,
    keyset_before,
    keyset_page,
    keyset_position,
)
from citypulse.services.errors import ValidationFailed
from citypulse.services.policies import require_active_actor
from citypulse.services.recommendations.cities import (
    CategoryOption,
    CitySuggestion,
    categories_list,
    city_suggestions,
)
from citypulse.services.recommendations.queries import upload_url
from citypulse.services.social.graph import blocked_between, buddy_ids

PAGE_SIZE = 20  # §4.14 "other lists"
MAX_PAGE_SIZE = 50
MAX_TEXT = 100
MIN_SUBSTRING = 3  # a trigram: shorter text matches word starts only
MAX_INTERESTS = 20
TEXT_MESSAGE = f"Search text must be at most {MAX_TEXT} characters, without line breaks"
INTERESTS_MESSAGE = "Choose interests from the list"
CITY_MESSAGE = "Choose a city from the list"
STYLE_MESSAGE = "Choose a travel style from the list"
LEVEL_MESSAGE = "Choose an activity level from the list"
POPULAR_CITY = 2_000  # visits + residents from which a city is walked, not gathered
_OPEN = (BuddyStatus.pending, BuddyStatus.accepted)  # a buddy, or a request either way


@dataclass(frozen=True)
class FinderRow:
    """One person card. For a limited card (`limited`) city, styles and interests are empty."""

    user_id: int
    username: str
    full_name: str
    avatar_url: str
    city: str  # "Lisbon, Portugal": the current city when shared, else ''
    travel_styles: tuple[str, ...]  # TravelStyle values
    interests: tuple[str, ...]  # category names, alphabetical
    mutual_count: int  # mutual buddies (suggested only; 0 otherwise)
    requests_enabled: bool  # False: show "Add buddy" disabled
    limited: bool  # friends_only/private profile: avatar, name and @username only


@dataclass(frozen=True)
class FinderPage:
    """One page of the find tab; `next_cursor` is None on the last page."""

    rows: tuple[FinderRow, ...]
    next_cursor: str | None


@dataclass(frozen=True)
class FinderOptions:
    """What the find tab's filters offer.

    `cities` are the viewer's own cities (visited or current) for the first render; other
    cities come from `recommendations.cities.city_suggestions` as the viewer types.
    """

    interests: tuple[CategoryOption, ...]  # the system categories (the interest catalogue)
    travel_styles: tuple[str, ...]
    activity_levels: tuple[str, ...]
    cities: tuple[CitySuggestion, ...]


@dataclass(frozen=True)
class _Filters:
    text: str
    city_id: int | None
    interest_ids: tuple[int, ...]
    travel_style: str
    activity_level: str

    @property
    def public_only(self) -> bool:
        """Filters on what only a public profile shows."""
        return bool(self.city_id or self.interest_ids or self.travel_style or self.activity_level)


def finder_options(session: Session, *, viewer: Viewer | None) -> FinderOptions:
    """The filter choices of the find tab."""
    actor = require_active_actor(session, viewer)
    return FinderOptions(
        interests=tuple(option for option in categories_list(session) if option.is_system),
        travel_styles=tuple(member.value for member in TravelStyle),
        activity_levels=tuple(member.value for member in ActivityLevel),
        cities=city_suggestions(session, viewer_id=actor.user_id, text=""),
    )


def _choice(raw: object, enum_cls: type[enum.StrEnum], field: str, message: str) -> str:
    if raw in ("", None):
        return ""
    if not isinstance(raw, str) or raw not in {member.value for member in enum_cls}:
        raise ValidationFailed({field: message})
    return raw


def _interest_ids(raw: object) -> tuple[int, ...]:
    """Category ids from a list/tuple/set or a comma-separated string."""
    if isinstance(raw, str):
        items: list[object] = raw.split(",")
    elif isinstance(raw, list | tuple | set | frozenset):
        items = list(raw)
    else:
        raise ValidationFailed({"interests": INTERESTS_MESSAGE})
    ids = {parse_id(item) for item in items if item not in ("", None)}
    if None in ids or len(ids) > MAX_INTERESTS:
        raise ValidationFailed({"interests": INTERESTS_MESSAGE})
    return tuple(sorted(ids))  # type: ignore[arg-type]


def _filters(
    text: object, city: object, interests: object, travel_style: object, activity_level: object
) -> _Filters:
    """The filters as values the query trusts (crafted events may send anything).

    Raises:
        ValidationFailed: per field, with the message the filter form shows.
    """
    parsed_text = parse_text(text if text is not None else "", max_length=MAX_TEXT)
    if parsed_text is None:
        raise ValidationFailed({"text": TEXT_MESSAGE})
    city_id = None
    if city not in ("", None):
        city_id = parse_id(city)
        if city_id is None:
            raise ValidationFailed({"city": CITY_MESSAGE})
    return _Filters(
        text=" ".join(parsed_text.split()),
        city_id=city_id,
        interest_ids=_interest_ids(interests if interests is not None else ()),
        travel_style=_choice(travel_style, TravelStyle, "travel_style", STYLE_MESSAGE),
        activity_level=_choice(activity_level, ActivityLevel, "activity_level", LEVEL_MESSAGE),
    )


def _connected_ids(viewer_id: int):
    """Ids of users with an accepted or pending connection to the viewer, either way."""
    bc = BuddyConnection
    return union_all(
        select(bc.addressee_id).where(bc.requester_id == viewer_id, col(bc.status).in_(_OPEN)),
        select(bc.requester_id).where(bc.addressee_id == viewer_id, col(bc.status).in_(_OPEN)),
    )


def _listed(viewer_id: int) -> list[ColumnElement[bool]]:
    """Who the finder may list to this viewer at all (exclusions of §4.5.7)."""
    return [
        User.id != viewer_id,
        User.account_status == AccountStatus.active,
        col(User.email_verified_at).is_not(None),
        col(User.id).not_in(_connected_ids(viewer_id)),
        ~blocked_between(viewer_id, User.id),
    ]


def _text_matches(column: Any, text: str, separator: str) -> ColumnElement[bool]:
    """SQL: `column` contains `text` (case-insensitive, wildcards literal).

    Text shorter than a trigram matches the start of a word only ("al" finds "Alice" and
    "Costa Almeida", not "Natalia"): a trigram index cannot find two letters inside
    words, so that would scan every user, and would match almost everyone anyway.
    """
    if len(text) >= MIN_SUBSTRING:
        return col(column).icontains(text, autoescape=True)
    return or_(
        col(column).istartswith(text, autoescape=True),
        col(column).icontains(separator + text, autoescape=True),
    )


def _in_city(session: Session, city_id: int) -> ColumnElement[bool]:
    """SQL: the user visited `city_id` or lives there and shares it.

    A city of a few people is answered from its people (`_among`); a popular one from the
    newest-first walk with one index probe per person, which fills a page after a few
    hundred rows. One bounded index count tells which (PostgreSQL's estimate of a city's
    share is too coarse to choose well on its own).
    """
    visited = select(CityVisit.user_id).where(CityVisit.city_id == city_id)
    living = select(Profile.user_id).where(
        Profile.current_city_id == city_id, col(Profile.location_sharing)
    )
    sample = union_all(visited, living).limit(POPULAR_CITY).subquery()
    people = session.execute(select(func.count()).select_from(sample)).scalar_one()
    if people < POPULAR_CITY:
        return _among(union(visited, living))
    return or_(
        exists(visited.where(CityVisit.user_id == User.id)),
        and_(Profile.current_city_id == city_id, col(Profile.location_sharing)),
    )


def _matching(session: Session, filters: _Filters) -> list[ColumnElement[bool]]:
    """The filter conditions; each one is a trigram index or an `IN` from an index."""
    conditions: list[ColumnElement[bool]] = []
    public = Profile.profile_visibility == Visibility.public
    if filters.public_only:
        conditions.append(public)
    if filters.text:
        # One OR over the users row: PostgreSQL answers it with a BitmapOr of the three
        # trigram indexes, then checks the profile's visibility for bio matches.
        conditions.append(
            or_(
                _text_matches(User.username, filters.text, "_"),
                _text_matches(User.full_name, filters.text, " "),
                and_(_text_matches(User.bio, filters.text, " "), public),
            )
        )
    if filters.city_id is not None:
        conditions.append(_in_city(session, filters.city_id))
    if filters.interest_ids:
        conditions.append(
            col(User.id).in_(
                select(UserInterest.user_id).where(
                    col(UserInterest.category_id).in_(filters.interest_ids)
                )
            )
        )
    if filters.travel_style:
        conditions.append(
            col(User.id).in_(
                select(TravelPreferences.user_id).where(
                    col(TravelPreferences.travel_styles).contains([filters.travel_style])
                )
            )
        )
    if filters.activity_level:
        conditions.append(
            col(User.id).in_(
                select(TravelPreferences.user_id).where(
                    TravelPreferences.activity_level == filters.activity_level
                )
            )
        )
    return conditions


def _among(ids: Any) -> ColumnElement[bool]:
    """SQL: `users.id = ANY(ARRAY(<ids>))`, for small sets (a city's people, friends of
    friends): the set is built once and each person is fetched by primary key. As a
    plain `IN`, a misestimate of the set makes PostgreSQL scan every user to join it."""
    return User.id == any_(func.array(ids.scalar_subquery()))


def _mutual_counts(viewer_id: int):
    """(user_id, mutual) for every buddy of the viewer's active buddies."""
    bc = BuddyConnection
    accepted = bc.status == BuddyStatus.accepted
    mine = buddy_ids(viewer_id).cte("mine")
    active_mine = (
        select(mine.c.user_id.label("buddy_id"))
        .join(User, User.id == mine.c.user_id)
        .where(
            User.account_status == AccountStatus.active, col(User.email_verified_at).is_not(None)
        )
        .cte("active_mine")
    )
    theirs = union_all(
        select(bc.addressee_id.label("user_id"))
        .join(active_mine, bc.requester_id == active_mine.c.buddy_id)
        .where(accepted),
        select(bc.requester_id.label("user_id"))
        .join(active_mine, bc.addressee_id == active_mine.c.buddy_id)
        .where(accepted),
    ).subquery("theirs")
    return (
        select(theirs.c.user_id, func.count().label("mutual")).group_by(theirs.c.user_id).cte("fof")
    )


def _interest_names():
    """Scalar subquery: the row's interest names, alphabetical (evaluated for page rows)."""
    return (
        select(func.array_agg(aggregate_order_by(Category.name, Category.name)))
        .join(UserInterest, UserInterest.category_id == Category.id)
        .where(UserInterest.user_id == User.id)
        .scalar_subquery()
    )


def _encode_suggested(mutual: int, at: datetime, row_id: int) -> str:
    """The suggested order needs the mutual count in the cursor: "<mutual>.<(at, id)>"."""
    return f"{mutual}.{encode_cursor(at, row_id)}"


def _suggested_position(cursor: str | None) -> tuple[int, datetime, int] | None:
    """Where the suggested page after `cursor` starts; None for the first page or an
    invalid cursor (the list restarts, §4.14)."""
    mutual_text, _, rest = (cursor or "").partition(".")
    mutual, position = parse_id(mutual_text), decode_cursor(rest)
    if mutual is None or position is None or _encode_suggested(mutual, *position) != cursor:
        return None  # only a cursor this module made ("03.<...>" is not one)
    return (mutual, *position)


def find_buddies(
    session: Session,
    *,
    viewer: Viewer | None,
    text: object = "",
    city: object = "",
    interests: object = (),
    travel_style: object = "",
    activity_level: object = "",
    suggested: bool = False,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> FinderPage:
    """One page of people the viewer may ask to be buddies (§4.5.7).

    `city` is a city id (int or digit string); `interests` category ids (any of them
    matches; a list or a comma-separated string); `travel_style` a TravelStyle value,
    `activity_level` an ActivityLevel value; '' / () means "any". `suggested` lists only
    friends-of-friends, by mutual-buddy count then newest; the filters still apply.

    Raises:
        PermissionDenied: signed out, restricted or unverified viewer.
        ValidationFailed: a filter value outside its choices (per field).
    """
    actor = require_active_actor(session, viewer)
    filters = _filters(text, city, interests, travel_style, activity_level)
    size = max(1, min(int(limit), MAX_PAGE_SIZE))
    query = (
        select(
            User.id,
            User.username,
            User.full_name,
            User.created_at,
            Profile.avatar_key,
            Profile.profile_visibility,
            Profile.location_sharing,
            Profile.buddy_requests_enabled,
            City.name.label("city_name"),
            City.country.label("city_country"),
            TravelPreferences.travel_styles,
            _interest_names().label("interest_names"),
        )
        .join(Profile, Profile.user_id == User.id)
        .outerjoin(City, City.id == Profile.current_city_id)
        .outerjoin(TravelPreferences, TravelPreferences.user_id == User.id)
        .where(*_listed(actor.user_id), *_matching(session, filters))
    )
    if suggested:
        fof = _mutual_counts(actor.user_id)
        query = (
            query.join(fof, fof.c.user_id == User.id)
            .where(_among(select(fof.c.user_id)))
            .add_columns(fof.c.mutual)
        )
        position = _suggested_position(cursor)
        if position is not None:
            query = query.where(tuple_(fof.c.mutual, User.created_at, User.id) < tuple_(*position))
        query = query.order_by(
            fof.c.mutual.desc(), col(User.created_at).desc(), col(User.id).desc()
        )
    else:
        query = query.add_columns(literal(0).label("mutual")).where(
            keyset_before(User.created_at, User.id, keyset_position(cursor))
        )
        query = query.order_by(col(User.created_at).desc(), col(User.id).desc())
    rows = session.execute(query.limit(size + 1)).all()
    page = keyset_page(rows, size, item=_row)
    next_cursor = page.next_cursor
    if suggested and next_cursor is not None:
        last = rows[size - 1]
        next_cursor = _encode_suggested(last.mutual, last.created_at, last.id)
    return FinderPage(tuple(page.items), next_cursor)


def _row(row: Any) -> FinderRow:
    public = row.profile_visibility == Visibility.public
    shares_city = public and row.location_sharing and row.city_name is not None
    return FinderRow(
        user_id=row.id,
        username=row.username,
        full_name=row.full_name,
        avatar_url=upload_url(row.avatar_key),
        city=f"{row.city_name}, {row.city_country}" if shares_city else "",
        travel_styles=tuple(row.travel_styles or ()) if public else (),
        interests=tuple(row.interest_names or ()) if public else (),
        mutual_count=int(row.mutual),
        requests_enabled=bool(row.buddy_requests_enabled),
        limited=not public,
    )
