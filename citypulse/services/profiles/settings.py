"""The Privacy and Interests sections of `/settings` (§4.2.1, §4.2.8, §3.2 Profile,
TravelPreferences, UserInterest): the owner's own rows only, counted as profile edits.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, or_, select

from citypulse.models import Category, TravelPreferences, UserInterest
from citypulse.models.enums import ActivityLevel, Difficulty, TravelStyle, Visibility
from citypulse.models.profiles import MAX_TRAVEL_STYLES
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import ValidationFailed
from citypulse.services.feed.ahead import rank_after_commit
from citypulse.services.profiles.edit import count_profile_edit
from citypulse.services.profiles.queries import owner_account, profile_row

MAX_INTERESTS = 8
VISIBILITY_MESSAGE = "Choose Public, Buddies only or Private"


@dataclass(frozen=True)
class PrivacySettings:
    """The Privacy section of /settings (visibilities are public/friends_only/private)."""

    profile_visibility: str
    location_sharing: bool
    social_links_visible: bool
    buddy_requests_enabled: bool
    default_rec_visibility: str
    default_trip_visibility: str


@dataclass(frozen=True)
class InterestOption:
    """A category the user may pick as an interest."""

    category_id: int
    name: str
    icon: str | None
    selected: bool


@dataclass(frozen=True)
class TravelPreferencesView:
    """Travel styles (≤5, TravelStyle values), activity level and preferred difficulty."""

    travel_styles: tuple[str, ...]
    activity_level: str
    preferred_difficulty: str


@dataclass(frozen=True)
class InterestSettings:
    """Interests (system categories plus any chosen one) and travel preferences."""

    options: tuple[InterestOption, ...]
    selected_ids: tuple[int, ...]
    preferences: TravelPreferencesView


def _choice(value: object, enum_cls: type[enum.StrEnum]) -> bool:
    return isinstance(value, str) and value in {member.value for member in enum_cls}


def privacy_view(session: Session, *, actor: Viewer) -> PrivacySettings:
    """The actor's privacy switches (settings page)."""
    profile = profile_row(session, owner_account(session, actor).id)
    return PrivacySettings(**{f.name: getattr(profile, f.name) for f in fields(PrivacySettings)})


def privacy_update(
    session: Session,
    *,
    actor: Viewer,
    profile_visibility: str,
    location_sharing: bool,
    social_links_visible: bool,
    buddy_requests_enabled: bool,
    default_rec_visibility: str,
    default_trip_visibility: str,
    now: datetime,
) -> PrivacySettings:
    """Store all six privacy settings at once (the settings form sends them together).

    Raises:
        RateLimited: more than 30 profile edits in 15 min.
        ValidationFailed: a visibility outside public/friends_only/private or a non-boolean.
    """
    user = count_profile_edit(session, actor, now)
    values = dict(profile_visibility=profile_visibility, location_sharing=location_sharing,
                  social_links_visible=social_links_visible,
                  buddy_requests_enabled=buddy_requests_enabled,
                  default_rec_visibility=default_rec_visibility,
                  default_trip_visibility=default_trip_visibility)  # fmt: skip
    errors = {}
    for name, value in values.items():
        if name.endswith("visibility") and not _choice(value, Visibility):
            errors[name] = VISIBILITY_MESSAGE
        elif not name.endswith("visibility") and not isinstance(value, bool):
            errors[name] = "Invalid value"
    if errors:
        raise ValidationFailed(errors)
    profile = profile_row(session, user.id)
    for name, value in values.items():
        setattr(profile, name, value)
    session.add(profile)
    session.flush()
    return PrivacySettings(**values)


def _preferences(session: Session, user_id: int) -> TravelPreferences:
    row = session.exec(
        select(TravelPreferences).where(TravelPreferences.user_id == user_id)
    ).first()
    if row is None:  # every account gets one at sign-up; recreate rather than fail
        row = TravelPreferences(user_id=user_id)
        session.add(row)
        session.flush()
    return row


def _preferences_view(row: TravelPreferences) -> TravelPreferencesView:
    return TravelPreferencesView(
        tuple(row.travel_styles or ()), row.activity_level, row.preferred_difficulty
    )


def interests_view(session: Session, *, actor: Viewer) -> InterestSettings:
    """The interest choices (the system categories and any already chosen) and preferences."""
    user = owner_account(session, actor)
    selected = set(
        session.exec(select(UserInterest.category_id).where(UserInterest.user_id == user.id))
    )
    categories = session.exec(
        select(Category)
        .where(or_(col(Category.is_system), col(Category.id).in_(selected)))
        .order_by(Category.name)
    ).all()
    return InterestSettings(
        options=tuple(InterestOption(c.id, c.name, c.icon, c.id in selected) for c in categories),
        selected_ids=tuple(sorted(selected)),
        preferences=_preferences_view(_preferences(session, user.id)),
    )


def interests_replace(
    session: Session, *, actor: Viewer, category_ids: list[int], now: datetime
) -> tuple[int, ...]:
    """Replace the actor's interests as a whole set (0–8 existing categories, §4.2.8).

    Raises:
        RateLimited: more than 30 profile edits in 15 min.
        ValidationFailed: `interests` – more than 8, or an unknown category.
    """
    user = count_profile_edit(session, actor, now)
    if not isinstance(category_ids, list | tuple) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in category_ids
    ):
        raise ValidationFailed({"interests": "Unknown category"})
    wanted = set(category_ids)
    if len(wanted) > MAX_INTERESTS:
        raise ValidationFailed({"interests": f"Choose at most {MAX_INTERESTS} interests"})
    known = set(session.exec(select(Category.id).where(col(Category.id).in_(wanted))).all())
    if known != wanted:
        raise ValidationFailed({"interests": "Unknown category"})
    session.execute(delete(UserInterest).where(col(UserInterest.user_id) == user.id))
    session.add_all(UserInterest(user_id=user.id, category_id=i) for i in sorted(wanted))
    session.flush()
    rank_after_commit(session, user.id)
    return tuple(sorted(wanted))


def travel_preferences_update(
    session: Session,
    *,
    actor: Viewer,
    travel_styles: list[str],
    activity_level: str,
    preferred_difficulty: str,
    now: datetime,
) -> TravelPreferencesView:
    """Store the actor's travel styles (a set of ≤5), activity level and difficulty.

    Raises:
        RateLimited: more than 30 profile edits in 15 min.
        ValidationFailed: per field (`travel_styles`, `activity_level`, `preferred_difficulty`).
    """
    user = count_profile_edit(session, actor, now)
    errors = {}
    styles = list(travel_styles) if isinstance(travel_styles, list | tuple) else [None]
    if not all(_choice(style, TravelStyle) for style in styles):
        errors["travel_styles"] = "Unknown travel style"
    elif len(styles := list(dict.fromkeys(styles))) > MAX_TRAVEL_STYLES:
        errors["travel_styles"] = f"Choose at most {MAX_TRAVEL_STYLES} travel styles"
    if not _choice(activity_level, ActivityLevel):
        errors["activity_level"] = "Choose Low, Moderate or High"
    if not _choice(preferred_difficulty, Difficulty):
        errors["preferred_difficulty"] = "Choose Easy, Moderate, Hard or Expert"
    if errors:
        raise ValidationFailed(errors)
    row = _preferences(session, user.id)
    row.travel_styles = [str(style) for style in styles]
    row.activity_level, row.preferred_difficulty = activity_level, preferred_difficulty
    session.add(row)
    session.flush()
    return _preferences_view(row)


def interest_settings_save(
    session: Session,
    *,
    actor: Viewer,
    category_ids: list[int],
    travel_styles: list[str],
    activity_level: str,
    preferred_difficulty: str,
    now: datetime,
) -> InterestSettings:
    """The settings page's "Save interests and preferences": both, in one transaction.

    Returns the section as stored afterwards.

    Raises:
        RateLimited, ValidationFailed: see `interests_replace` and
            `travel_preferences_update`; nothing is stored when either refuses.
    """
    interests_replace(session, actor=actor, category_ids=category_ids, now=now)
    travel_preferences_update(
        session, actor=actor, travel_styles=travel_styles, activity_level=activity_level,
        preferred_difficulty=preferred_difficulty, now=now,
    )  # fmt: skip
    return interests_view(session, actor=actor)
