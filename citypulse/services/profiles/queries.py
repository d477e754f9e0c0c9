"""Viewing a profile with the privacy rules of PRODUCT.md §4.2 (items 1, 2, 5 and 6).

Who sees what:
- 404 (`NotFound`): unknown usernames, accounts that are not active (deactivated, suspended,
  banned, never verified) and a block either way. Moderators in moderation context see
  every existing profile in full.
- limited card: friends_only profiles for non-buddies, private profiles for everyone but
  the owner.
- full view: everything else; location only with location sharing on, links only with
  social links visible (the owner always sees both). Email and phone go to the owner only
  (§5.4); coordinates are never part of a profile view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from citypulse.models import (
    Achievement,
    BuddyConnection,
    City,
    CityVisit,
    Profile,
    Recommendation,
    User,
    UserAchievement,
    UserInterest,
)
from citypulse.models.enums import AccountStatus, BuddyStatus, ContentStatus, Visibility
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound, PermissionDenied
from citypulse.services.policies import is_active_account, is_moderator_now
from citypulse.services.recommendations.visibility import recommendation_visible_to
from citypulse.services.social.graph import are_buddies, blocked_either_way

PRIVATE_NOTICE = "This profile is private"
BUDDIES_ONLY_NOTICE = "Only buddies can see this profile"
PROFILE_NOT_FOUND = "Profile not found"
RESTRICTED_MESSAGE = "This is not available while your account is restricted"
LINK_FIELDS = (
    "instagram_url", "facebook_url", "twitter_url", "linkedin_url", "website_url", "whatsapp",
)  # fmt: skip
COMPLETION_ITEMS = (
    "avatar", "cover", "bio", "current_location", "hometown", "city", "interest", "link",
)  # fmt: skip

Relationship = Literal["none", "buddies", "request_sent", "request_received"]


@dataclass(frozen=True)
class VisitedCity:
    """One entry of "cities visited"; `visit_month` is "YYYY-MM" or None."""

    city_id: int
    name: str
    state_province: str | None
    country: str
    visit_month: str | None
    source: str


@dataclass(frozen=True)
class ProfileLinks:
    """Social links (full URLs, http(s) only) and the WhatsApp contact text."""

    instagram_url: str | None = None
    facebook_url: str | None = None
    twitter_url: str | None = None
    linkedin_url: str | None = None
    website_url: str | None = None
    whatsapp: str | None = None


@dataclass(frozen=True)
class ProfileStats:
    """The four numbers of the profile header (§4.2.6), as this viewer may see them."""

    cities: int
    recommendations: int
    buddies: int
    points: int


@dataclass(frozen=True)
class ProfileCompletion:
    """§4.2.5: 8 items at 12.5 % each; the banner shows until both locations are set."""

    percent: float
    done: tuple[str, ...]
    missing: tuple[str, ...]
    show_banner: bool


@dataclass(frozen=True)
class ProfileView:
    """What `/profile/[username]` may show to this viewer.

    `kind == "limited"` fills only the identity fields, `notice` and the buddy fields;
    everything else stays empty. `email`, `phone`, `completion` and `profile_visibility`
    are set for the owner only.
    """

    kind: Literal["full", "limited"]
    user_id: int
    username: str
    full_name: str
    avatar_key: str | None
    is_owner: bool
    relationship: Relationship
    buddy_button: bool
    notice: str | None = None
    cover_key: str | None = None
    bio: str | None = None
    hometown: str | None = None
    current_location: str | None = None
    links: ProfileLinks | None = None
    cities_visited: tuple[VisitedCity, ...] = ()
    stats: ProfileStats | None = None
    completion: ProfileCompletion | None = None
    profile_visibility: str | None = None
    email: str | None = None
    phone: str | None = None


def profile_row(
    session: Session, user_id: int, *, lock: bool = False, create: bool = True
) -> Profile:
    """The user's Profile row (locked FOR UPDATE if asked).

    Every account gets one at sign-up; a missing row is recreated with the defaults
    (`create=False`: an unsaved default row, for read paths).
    """
    query = select(Profile).where(Profile.user_id == user_id)
    row = session.exec(query.with_for_update() if lock else query).first()
    if row is None:
        row = Profile(user_id=user_id)
        if create:
            session.add(row)
            session.flush()
    return row


def owner_account(session: Session, actor: Viewer) -> User:
    """The actor's own account, re-read from the database, for changes to their profile.

    Raises:
        NotFound: the account no longer exists.
        PermissionDenied: the account is not active (restricted users may not edit, §4.13.8).
    """
    user = session.get(User, actor.user_id)
    if user is None or user.account_status == AccountStatus.deactivated:
        raise NotFound(PROFILE_NOT_FOUND)
    if not is_active_account(user):
        raise PermissionDenied(RESTRICTED_MESSAGE)
    return user


def links_of(profile: Profile) -> ProfileLinks:
    """The profile's links as a read model."""
    return ProfileLinks(**{name: getattr(profile, name) for name in LINK_FIELDS})


def visited_cities(session: Session, user_id: int) -> tuple[VisitedCity, ...]:
    """The user's visited cities: dated ones newest first, then undated by name."""
    rows = session.exec(
        select(CityVisit, City)
        .join(City, col(City.id) == CityVisit.city_id)
        .where(CityVisit.user_id == user_id)
        .order_by(col(CityVisit.visit_month).desc().nulls_last(), func.lower(City.name), City.id)
    ).all()
    return tuple(
        VisitedCity(
            city.id, city.name, city.state_province, city.country, visit.visit_month, visit.source
        )
        for visit, city in rows
    )


def _count(session: Session, model: type, *conditions: object) -> int:
    return int(session.exec(select(func.count()).select_from(model).where(*conditions)).one())


def profile_stats(session: Session, user_id: int, viewer_id: int | None) -> ProfileStats:
    """Cities, recommendations visible to the viewer, buddies and points of `user_id`."""
    cities = _count(session, CityVisit, CityVisit.user_id == user_id)
    recommendations = _count(
        session,
        Recommendation,
        Recommendation.author_id == user_id,
        Recommendation.status == ContentStatus.active,
        recommendation_visible_to(viewer_id),
    )
    buddies = _count(
        session,
        BuddyConnection,
        BuddyConnection.status == BuddyStatus.accepted,
        or_(BuddyConnection.requester_id == user_id, BuddyConnection.addressee_id == user_id),
    )
    points = session.exec(
        select(func.coalesce(func.sum(Achievement.points), 0))
        .select_from(UserAchievement)
        .join(Achievement, col(Achievement.id) == UserAchievement.achievement_id)
        .where(UserAchievement.user_id == user_id, col(UserAchievement.completed_at).is_not(None))
    ).one()
    return ProfileStats(cities, recommendations, buddies, int(points))


def completion_of(session: Session, user: User, profile: Profile) -> ProfileCompletion:
    """§4.2.5 for one user (the owner's data only)."""
    has_city = _count(session, CityVisit, CityVisit.user_id == user.id) > 0
    has_interest = _count(session, UserInterest, UserInterest.user_id == user.id) > 0
    checks = {
        "avatar": bool(profile.avatar_key),
        "cover": bool(profile.cover_key),
        "bio": bool((user.bio or "").strip()),
        "current_location": bool((user.current_location or "").strip()),
        "hometown": bool((user.hometown or "").strip()),
        "city": has_city,
        "interest": has_interest,
        "link": any(getattr(profile, name) for name in LINK_FIELDS),
    }
    done = tuple(item for item in COMPLETION_ITEMS if checks[item])
    missing = tuple(item for item in COMPLETION_ITEMS if not checks[item])
    return ProfileCompletion(
        percent=len(done) * 12.5,
        done=done,
        missing=missing,
        show_banner=not (checks["current_location"] and checks["hometown"]),
    )


def profile_completion(session: Session, *, actor: Viewer) -> ProfileCompletion:
    """The signed-in user's own completion (dashboard and profile banners).

    Raises:
        NotFound: the account no longer exists.
    """
    user = session.get(User, actor.user_id)
    if user is None:
        raise NotFound(PROFILE_NOT_FOUND)
    return completion_of(session, user, profile_row(session, user.id, create=False))


def relationship_between(session: Session, viewer_id: int | None, user_id: int) -> Relationship:
    """The buddy relationship as the viewer sees it (pending requests by direction)."""
    if viewer_id is None or viewer_id == user_id:
        return "none"
    row = session.exec(
        select(BuddyConnection).where(
            or_(
                (BuddyConnection.requester_id == viewer_id)
                & (BuddyConnection.addressee_id == user_id),
                (BuddyConnection.requester_id == user_id)
                & (BuddyConnection.addressee_id == viewer_id),
            )
        )
    ).first()
    if row is None:
        return "none"
    if row.status == BuddyStatus.accepted:
        return "buddies"
    if row.status == BuddyStatus.pending:
        return "request_sent" if row.requester_id == viewer_id else "request_received"
    return "none"


def _find_user(session: Session, username: str) -> User:
    name = (username or "").strip().lower()
    query = select(User).where(func.lower(User.username) == name)
    user = session.exec(query).first() if name else None
    if user is None:
        raise NotFound(PROFILE_NOT_FOUND)
    return user


def profile_view(
    session: Session, *, viewer: Viewer | None, username: str, moderation_context: bool = False
) -> ProfileView:
    """The profile `username` as `viewer` (None for a visitor) may see it.

    Anyone may call it; what comes back follows §4.2.1. `moderation_context` only matters
    for moderators and admins (role re-read from the database).

    Raises:
        NotFound: unknown username, inactive account or a block either way (§4.2.2).
    """
    user = _find_user(session, username)
    viewer_id = viewer.user_id if viewer else None
    is_owner = viewer_id == user.id
    moderating = moderation_context and not is_owner and is_moderator_now(session, viewer)
    hidden = not is_active_account(user) or blocked_either_way(session, viewer_id, user.id)
    if hidden and not moderating:
        raise NotFound(PROFILE_NOT_FOUND)
    profile = profile_row(session, user.id, create=False)
    relationship = relationship_between(session, viewer_id, user.id)
    buddy_button = not is_owner and (relationship != "none" or profile.buddy_requests_enabled)
    identity = {
        "user_id": user.id,
        "username": user.username,
        "full_name": user.full_name,
        "avatar_key": profile.avatar_key,
        "is_owner": is_owner,
        "relationship": relationship,
        "buddy_button": buddy_button,
    }
    notice = None if is_owner or moderating else _limited_notice(session, profile, viewer_id)
    if notice is not None:
        return ProfileView(kind="limited", notice=notice, **identity)
    sees_all = is_owner or moderating
    return ProfileView(
        kind="full",
        cover_key=profile.cover_key,
        bio=user.bio,
        hometown=user.hometown,
        current_location=user.current_location if sees_all or profile.location_sharing else None,
        links=links_of(profile) if sees_all or profile.social_links_visible else None,
        cities_visited=visited_cities(session, user.id),
        stats=profile_stats(session, user.id, viewer_id),
        completion=completion_of(session, user, profile) if is_owner else None,
        profile_visibility=profile.profile_visibility if is_owner else None,
        email=user.email if is_owner else None,
        phone=user.phone if is_owner else None,
        **identity,
    )


def _limited_notice(session: Session, profile: Profile, viewer_id: int | None) -> str | None:
    """The limited card's notice, or None when this non-owner gets the full view."""
    if profile.profile_visibility == Visibility.public:
        return None
    if profile.profile_visibility == Visibility.friends_only:
        if viewer_id is not None and are_buddies(session, viewer_id, profile.user_id):
            return None
        return BUDDIES_ONLY_NOTICE
    return PRIVATE_NOTICE
