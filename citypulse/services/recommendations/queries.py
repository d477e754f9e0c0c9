"""What viewers see of recommendations: the detail page and keyset-paged lists (§2.2, §4.14).

Every query filters with `visibility.recommendation_visible_to(viewer_id)`, the one rule.
Read models are frozen dataclasses with nothing a viewer may not see.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import aliased, defer
from sqlmodel import Session, col

from citypulse.media.processing import MEDIUM_WIDTH, THUMBNAIL_SIZE
from citypulse.media.storage import is_key, medium_key, medium_path
from citypulse.models import (
    Category,
    City,
    Photo,
    Profile,
    Recommendation,
    RecommendationCity,
    RecommendationTag,
    Tag,
    User,
)
from citypulse.models.enums import ContentStatus
from citypulse.services.cursors import keyset_before, keyset_page, keyset_position
from citypulse.services.errors import NotFound
from citypulse.services.prepared import PerViewer, Prepared
from citypulse.services.recommendations.visibility import recommendation_visible_to

PAGE_SIZE = 20
NOT_FOUND_MESSAGE = "Recommendation not found"
Author = aliased(User, name="author")  # never the `users` of the visibility subqueries


def upload_url(key: str | None) -> str:
    """The public URL of a stored file ('' when there is none)."""
    return f"/_upload/{key}" if key else ""


def _money(value: Decimal) -> str:
    text = f"{value:,.2f}"
    return f"${text.removesuffix('.00')}"


def price_display(price_min: Decimal | None, price_max: Decimal | None) -> str:
    """§2.2: "FREE", "From $x", "Up to $y", "$x–$y" ("$x" when equal), '' when unpriced."""
    if price_max is not None and price_max == 0:
        return "FREE"
    if price_max is None:
        return "" if price_min is None else f"From {_money(price_min)}"
    if price_min is None or price_min == 0:
        return f"Up to {_money(price_max)}"
    if price_min == price_max:
        return _money(price_min)
    return f"{_money(price_min)}–{_money(price_max)}"


def rating_display(value: Decimal | None) -> str:
    """Average rating with 1 decimal ("4.5")."""
    return str(Decimal(value or 0).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def coordinate_display(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


@dataclass(frozen=True)
class CityRef:
    """A city as links and labels show it."""

    id: int
    name: str
    state: str | None
    country: str

    @property
    def label(self) -> str:
        """ "Toronto, Ontario, Canada" or "Lisbon, Portugal"."""
        return ", ".join(part for part in (self.name, self.state, self.country) if part)


@dataclass(frozen=True)
class AuthorCard:
    """The "Created by" card."""

    id: int
    username: str
    full_name: str
    avatar_key: str | None
    avatar_url: str


@dataclass(frozen=True)
class PhotoView:
    """One photo of a recommendation."""

    id: int
    image_url: str
    thumb_url: str
    caption: str
    position: int
    is_primary: bool
    width: int
    height: int
    # The carousel's and the first paint's `srcset`: every stored size of this picture.
    srcset: str = ""


@dataclass(frozen=True)
class RecommendationDetail:
    """The detail page (and the result of create/update). Coordinates are '' when unset."""

    id: int
    title: str
    description: str
    category_id: int
    category_name: str
    category_icon: str
    city: CityRef | None
    address: str
    price_min: str  # "12.50", '' when unset (edit form)
    price_max: str
    price_display: str
    difficulty: str
    best_months: tuple[int, ...]
    best_time_text: str
    duration_suggestion: str
    author_rating: int
    latitude: str
    longitude: str
    author: AuthorCard
    tags: tuple[str, ...]
    photos: tuple[PhotoView, ...]  # primary first, then by position
    views_count: int
    likes_count: int
    saves_count: int
    shares_count: int
    ratings_count: int
    rating_avg: str
    visibility: str
    status: str
    removed_reason: str | None  # the author's only
    is_author: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class RecommendationCard:
    """A recommendation in a list (profile tab, city page)."""

    id: int
    title: str
    category_name: str
    category_icon: str
    city: CityRef | None
    author_username: str
    author_full_name: str
    author_avatar_url: str
    thumb_url: str  # the primary photo's thumbnail, '' without photos
    price_display: str
    rating_avg: str
    ratings_count: int
    likes_count: int
    saves_count: int
    views_count: int
    visibility: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class RecommendationPage:
    """One page of a list; pass `next_cursor` back for the next (None at the end)."""

    items: tuple[RecommendationCard, ...]
    next_cursor: str | None


def in_city(city_id: int) -> ColumnElement[bool]:
    """SQL: the recommendation is linked to this city."""
    link = aliased(RecommendationCity)  # the card query joins the primary link itself
    return exists(
        select(link.id).where(link.recommendation_id == Recommendation.id, link.city_id == city_id)
    )


def _with_category_author_city(statement: Any) -> Any:
    """Join what every card and the detail page show: category, author, primary city."""
    return (
        statement.join(Category, col(Category.id) == Recommendation.category_id)
        .join(Author, col(Author.id) == Recommendation.author_id)
        .outerjoin(Profile, col(Profile.user_id) == Recommendation.author_id)
        .outerjoin(
            RecommendationCity,
            and_(
                col(RecommendationCity.recommendation_id) == Recommendation.id,
                col(RecommendationCity.is_primary),
            ),
        )
        .outerjoin(City, col(City.id) == RecommendationCity.city_id)
    )


def card_query(viewer_id: int | None, *conditions: ColumnElement[bool]) -> Any:
    columns = select(
        Recommendation,
        Category.name,
        Category.icon,
        Author.username,
        Author.full_name,
        Profile.avatar_key,
        City,
        Photo.thumb_key,
    ).options(defer(Recommendation.search_vector))
    return (
        _with_category_author_city(columns)
        .outerjoin(
            Photo, and_(col(Photo.recommendation_id) == Recommendation.id, col(Photo.is_primary))
        )
        .where(recommendation_visible_to(viewer_id), *conditions)
    )


def _city_ref(city: City | None) -> CityRef | None:
    return CityRef(city.id, city.name, city.state_province, city.country) if city else None


def _card(row: Any) -> RecommendationCard:
    rec, category_name, icon, username, full_name, avatar_key, city, thumb_key = row
    return RecommendationCard(
        id=rec.id,
        title=rec.title,
        category_name=category_name,
        category_icon=icon or "",
        city=_city_ref(city),
        author_username=username,
        author_full_name=full_name,
        author_avatar_url=upload_url(avatar_key),
        thumb_url=upload_url(thumb_key),
        price_display=price_display(rec.price_min, rec.price_max),
        rating_avg=rating_display(rec.rating_avg),
        ratings_count=rec.ratings_count,
        likes_count=rec.likes_count,
        saves_count=rec.saves_count,
        views_count=rec.views_count,
        visibility=rec.visibility,
        status=rec.status,
        created_at=rec.created_at,
    )


def cards(session: Session, query: Any) -> tuple[RecommendationCard, ...]:
    """Run a `card_query` (ordered and limited by the caller) into cards."""
    return tuple(_card(row) for row in session.execute(query).all())


def newest_first_page(
    session: Session, viewer_id: int | None, cursor: str | None, *conditions: ColumnElement[bool]
) -> RecommendationPage:
    """Visible recommendations matching `conditions`, newest first, keyset-paged by 20."""
    query = (
        card_query(viewer_id, *conditions)
        .where(keyset_before(Recommendation.created_at, Recommendation.id, keyset_position(cursor)))
        .order_by(col(Recommendation.created_at).desc(), col(Recommendation.id).desc())
        .limit(PAGE_SIZE + 1)
    )
    page = keyset_page(cards(session, query), PAGE_SIZE)
    return RecommendationPage(tuple(page.items), page.next_cursor)


def recommendations_by_author(
    session: Session, *, viewer_id: int | None, author_id: int, cursor: str | None = None
) -> RecommendationPage:
    """The profile's recommendations tab: what this viewer may see of the author's posts.

    The author also sees their removed ones (`status` "removed"). Anyone may call it.
    """
    return newest_first_page(session, viewer_id, cursor, Recommendation.author_id == author_id)


_PHOTOS = Prepared(
    select(
        Photo.id,
        Photo.image_key,
        Photo.thumb_key,
        Photo.caption,
        Photo.position,
        Photo.is_primary,
        Photo.width,
        Photo.height,
    )
    .where(Photo.recommendation_id == bindparam("recommendation_id"))
    .order_by(col(Photo.is_primary).desc(), col(Photo.position))
)


def photo_srcset(image_key: str, thumb_key: str, width: int) -> str:
    """ "<thumb> 400w, [<medium copy> 800w, ]<photo> <width>w". The thumbnail is cropped to
    4:3 like most photos; the medium copy is left out until it exists (photos stored before
    copies were made: `python -m citypulse.cli media-variants`)."""
    sizes = [f"{upload_url(thumb_key)} {THUMBNAIL_SIZE[0]}w"]
    if width > MEDIUM_WIDTH and is_key(image_key) and medium_path(image_key).exists():
        sizes.append(f"{upload_url(medium_key(image_key))} {MEDIUM_WIDTH}w")
    return ", ".join([*sizes, f"{upload_url(image_key)} {width}w"])


def photo_views(session: Session, recommendation_id: int) -> tuple[PhotoView, ...]:
    """The photos, primary first, then by position."""
    rows = _PHOTOS.run(session, recommendation_id=recommendation_id)
    return tuple(
        PhotoView(
            id=p.id,
            image_url=upload_url(p.image_key),
            thumb_url=upload_url(p.thumb_key),
            caption=p.caption or "",
            position=p.position,
            is_primary=p.is_primary,
            width=p.width,
            height=p.height,
            srcset=photo_srcset(p.image_key, p.thumb_key, p.width),
        )
        for p in rows
    )


def tag_names(session: Session, recommendation_id: int) -> tuple[str, ...]:
    """The recommendation's tags, alphabetically."""
    return tuple(
        session.execute(
            select(Tag.name)
            .join(RecommendationTag, col(RecommendationTag.tag_id) == Tag.id)
            .where(RecommendationTag.recommendation_id == recommendation_id)
            .order_by(col(Tag.name))
        ).scalars()
    )


def primary_city(session: Session, recommendation_id: int) -> City | None:
    """The recommendation's primary city, if it has one."""
    return (
        session.execute(
            select(City)
            .join(RecommendationCity, col(RecommendationCity.city_id) == City.id)
            .where(
                RecommendationCity.recommendation_id == recommendation_id,
                col(RecommendationCity.is_primary),
            )
        )
        .scalars()
        .first()
    )


_SEARCH_COLUMNS = ("search_vector", "search_terms")  # large, and never shown


def detail_query(viewer: Any, seen: ColumnElement[bool] | None = None) -> Any:
    """The detail row of `bindparam("recommendation_id")` for `viewer` (None: a visitor).

    Plain columns only (no ORM entity): the author card, category, primary city and
    tags come in the same row. Callers may add columns and joins. `seen` replaces the
    visibility rule (a moderator's read of removed content); default: the rule.
    """
    tags = (
        select(func.array_agg(aggregate_order_by(Tag.name, Tag.name)))
        .join(RecommendationTag, col(RecommendationTag.tag_id) == Tag.id)
        .where(RecommendationTag.recommendation_id == Recommendation.id)
        .scalar_subquery()
    )
    columns = select(
        *(c for c in Recommendation.__table__.c if c.key not in _SEARCH_COLUMNS),
        Category.name.label("category_name"),
        Category.icon.label("category_icon"),
        Author.username.label("author_username"),
        Author.full_name.label("author_full_name"),
        Profile.avatar_key.label("author_avatar_key"),
        City.id.label("city_id"),
        City.name.label("city_name"),
        City.state_province.label("city_state"),
        City.country.label("city_country"),
        tags.label("tags"),
    )
    return _with_category_author_city(columns).where(
        Recommendation.id == bindparam("recommendation_id"),
        recommendation_visible_to(viewer) if seen is None else seen,
    )


_DETAIL = PerViewer(detail_query)


def recommendation_detail(
    session: Session, *, viewer_id: int | None, recommendation_id: int
) -> RecommendationDetail:
    """The detail page for anyone who may see the recommendation.

    Raises:
        NotFound: it does not exist, is deleted, or is hidden from this viewer (404).
    """
    row = _DETAIL.run(session, viewer_id, recommendation_id=recommendation_id).first()
    if row is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return detail_from_row(session, row, viewer_id)


def detail_from_row(
    session: Session, row: Any, viewer_id: int | None, **counters: int | str
) -> RecommendationDetail:
    """The read model of a `detail_query` row, with its photos (one more statement).

    `counters` override the row's counter fields (e.g. a view counted after the read).
    """
    is_author = viewer_id is not None and row.author_id == viewer_id
    city = None
    if row.city_id is not None:
        city = CityRef(row.city_id, row.city_name, row.city_state, row.city_country)
    avatar_key = row.author_avatar_key
    detail = RecommendationDetail(
        id=row.id,
        title=row.title,
        description=row.description,
        category_id=row.category_id,
        category_name=row.category_name,
        category_icon=row.category_icon or "",
        city=city,
        address=row.address,
        price_min="" if row.price_min is None else f"{row.price_min:.2f}",
        price_max="" if row.price_max is None else f"{row.price_max:.2f}",
        price_display=price_display(row.price_min, row.price_max),
        difficulty=row.difficulty or "",
        best_months=tuple(sorted(row.best_months or ())),
        best_time_text=row.best_time_text or "",
        duration_suggestion=row.duration_suggestion or "",
        author_rating=row.author_rating,
        latitude=coordinate_display(row.latitude),
        longitude=coordinate_display(row.longitude),
        author=AuthorCard(
            row.author_id,
            row.author_username,
            row.author_full_name,
            avatar_key,
            upload_url(avatar_key),
        ),
        tags=tuple(row.tags or ()),
        photos=photo_views(session, row.id),
        views_count=row.views_count,
        likes_count=row.likes_count,
        saves_count=row.saves_count,
        shares_count=row.shares_count,
        ratings_count=row.ratings_count,
        rating_avg=rating_display(row.rating_avg),
        visibility=row.visibility,
        status=row.status,
        removed_reason=(
            row.removed_reason if is_author and row.status == ContentStatus.removed else None
        ),
        is_author=is_author,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
    return replace(detail, **counters) if counters else detail
