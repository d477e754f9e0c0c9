"""Editing one's own profile (PRODUCT.md §4.2.3, §2.2 `/profile/edit`); the Privacy and
Interests sections of `/settings` live in `profile_settings`.

Every change is made by the signed-in owner on their own rows only (there is no target
argument to forge) and counts against "Profile edits: 30 per 15 min" (§5.2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from citypulse.models import City, CityVisit, User
from citypulse.models.accounts import PHONE_PATTERN
from citypulse.models.enums import (
    CityVisitSource,
)
from citypulse.services import rate_limits
from citypulse.services.accounts.registration import username_problem, username_taken
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.display_text import spoofing_problem
from citypulse.services.errors import ValidationFailed
from citypulse.services.feed.ahead import rank_after_commit
from citypulse.services.profiles.queries import (
    LINK_FIELDS,
    ProfileCompletion,
    ProfileLinks,
    VisitedCity,
    completion_of,
    links_of,
    owner_account,
    profile_row,
    visited_cities,
)

PROFILE_EDITS = rate_limits.Limit("profile-edit", 30, timedelta(minutes=15))
USERNAME_TAKEN = "This username is taken"
MAX_CITY_VISITS = 200
VISIT_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
USER_FIELDS = ("full_name", "username", "bio", "current_location", "hometown", "phone")
EDITABLE_FIELDS = (*USER_FIELDS, *LINK_FIELDS)
TEXT_LIMITS = {"bio": ("Bio", 500), "current_location": ("Current location", 100),
               "hometown": ("Hometown", 100), "whatsapp": ("WhatsApp", 50)}  # fmt: skip
# (label, allowed hosts after an optional "www."; None = any host)
LINK_RULES: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "instagram_url": ("Instagram", ("instagram.com",)),
    "facebook_url": ("Facebook", ("facebook.com", "fb.com", "m.facebook.com")),
    "twitter_url": ("X", ("twitter.com", "x.com")),
    "linkedin_url": ("LinkedIn", ("linkedin.com",)),
    "website_url": ("Website", None),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
FIELD_LABELS = {"full_name": "Full name", "username": "Username", "phone": "Phone",
                **{field: label for field, (label, _) in TEXT_LIMITS.items()},
                **{field: f"{label} link" for field, (label, _) in LINK_RULES.items()}}  # fmt: skip
_PHONE_SEPARATORS = re.compile(r"[\s().-]")


@dataclass(frozen=True)
class ProfileEditForm:
    """The owner's current values for `/profile/edit` (their own email is not needed here)."""

    username: str
    full_name: str
    bio: str | None
    current_location: str | None
    hometown: str | None
    phone: str | None
    links: ProfileLinks
    avatar_key: str | None
    cover_key: str | None
    cities_visited: tuple[VisitedCity, ...]
    completion: ProfileCompletion


@dataclass(frozen=True)
class ProfileUpdated:
    """Result of a save: the (possibly new) username for the redirect, and what changed."""

    username: str
    username_changed: bool
    changed: tuple[str, ...]


def count_profile_edit(session: Session, actor: Viewer, now: datetime) -> User:
    user = owner_account(session, actor)
    rate_limits.hit(session, PROFILE_EDITS, str(user.id), now)
    return user


def profile_for_edit(session: Session, *, actor: Viewer) -> ProfileEditForm:
    """The signed-in user's editable values.

    Raises:
        NotFound / PermissionDenied: see `profiles.owner_account`.
    """
    user = owner_account(session, actor)
    profile = profile_row(session, user.id)
    return ProfileEditForm(
        username=user.username,
        full_name=user.full_name,
        bio=user.bio,
        current_location=user.current_location,
        hometown=user.hometown,
        phone=user.phone,
        links=links_of(profile),
        avatar_key=profile.avatar_key,
        cover_key=profile.cover_key,
        cities_visited=visited_cities(session, user.id),
        completion=completion_of(session, user, profile),
    )


def username_available(session: Session, *, actor: Viewer, username: str) -> bool:
    """Live check: True when `actor` may take `username` (their own counts as available).

    Checks every account, inactive and private ones included, and answers nothing else:
    invalid and reserved names are simply "taken" (False).
    """
    name = (username or "").strip().lower() if isinstance(username, str) else ""
    if username_problem(name):
        return False
    return not username_taken(session, name, except_user_id=actor.user_id)


def link_problem(field: str, url: str) -> str | None:
    """Why `url` cannot be stored in link `field` (http(s), ≤255, host per network)."""
    label, hosts = LINK_RULES[field]
    if len(url) > 255:
        return f"{label} link must be at most 255 characters"
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        host, parts = "", None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not host
        or parts.username is not None
        or re.search(r"\s", url)
    ):
        return f"{label} link must be a full http:// or https:// address"
    if hosts is not None and host.removeprefix("www.") not in hosts:
        allowed = hosts[0] if len(hosts) == 1 else f"{', '.join(hosts[:-1])} or {hosts[-1]}"
        return f"{label} link must be on {allowed}"
    return None


def _clean(field: str, value: object, current_username: str) -> str | None:
    """The value to store for `field`, or raise ValueError with the field message."""
    if value is not None and not isinstance(value, str):
        raise ValueError("Invalid value")
    text = (value or "").replace("\r\n", "\n").strip()
    if _CONTROL.search(text) or ("\n" in text and field != "bio"):
        raise ValueError("Use plain text without control characters")
    # The bio is free text (rendered isolated); every other field names or links.
    if field != "bio" and (problem := spoofing_problem(FIELD_LABELS[field], text)):
        raise ValueError(problem)
    if field == "full_name":
        if not 2 <= len(text) <= 100:
            raise ValueError("Full name must be 2–100 characters")
        return text
    if field == "username":
        name = text.lower()
        if name == current_username:
            return name
        if problem := username_problem(name):
            raise ValueError(problem)
        return name
    if not text:
        return None
    if field in TEXT_LIMITS:
        label, limit = TEXT_LIMITS[field]
        if len(text) > limit:
            raise ValueError(f"{label} must be at most {limit} characters")
        return text
    if field == "phone":
        phone = _PHONE_SEPARATORS.sub("", text)
        if not re.fullmatch(PHONE_PATTERN, phone):
            raise ValueError("Enter a valid phone number, e.g. +351912345678")
        return phone
    if problem := link_problem(field, text):
        raise ValueError(problem)
    return text


def profile_update(
    session: Session, *, actor: Viewer, changes: dict[str, object], now: datetime
) -> ProfileUpdated:
    """Change the provided fields of the actor's profile; omitted fields stay as they are.

    Keys: full_name, username, bio, current_location, hometown, phone, instagram_url,
    facebook_url, twitter_url, linkedin_url, website_url, whatsapp. Empty optional values
    clear the field. A new username moves the profile URL at once.

    Raises:
        RateLimited: more than 30 profile edits in 15 min.
        ValidationFailed: per-field errors (unknown keys included); nothing changes.
    """
    user = count_profile_edit(session, actor, now)
    profile = profile_row(session, user.id)
    if not isinstance(changes, dict):
        raise ValidationFailed({"profile": "Invalid changes"})
    errors: dict[str, str] = {}
    values: dict[str, str | None] = {}
    for field, raw in changes.items():
        if field not in EDITABLE_FIELDS:
            errors[str(field)] = "This field cannot be changed here"
            continue
        try:
            values[field] = _clean(field, raw, user.username)
        except ValueError as error:
            errors[field] = str(error)
    name = values.get("username")
    if name and name != user.username and username_taken(session, name, except_user_id=user.id):
        errors["username"] = USERNAME_TAKEN
    if errors:
        raise ValidationFailed(errors)
    changed = []
    for field, value in values.items():
        row = user if field in USER_FIELDS else profile
        if getattr(row, field) != value:
            setattr(row, field, value)
            session.add(row)
            changed.append(field)
    try:
        session.flush()
    except IntegrityError as error:  # a concurrent rename to the same name (caller rolls back)
        if "uq_users_username_lower" not in str(error.orig):
            raise
        raise ValidationFailed({"username": USERNAME_TAKEN}) from error
    return ProfileUpdated(user.username, "username" in changed, tuple(changed))


def _visit_rows(visits: object) -> dict[int, str | None]:
    """Validated {city_id: month} from [(city_id, "YYYY-MM" | None), ...] (last one wins)."""
    if not isinstance(visits, list | tuple):
        raise ValueError("Invalid city")
    if len(visits) > MAX_CITY_VISITS:
        raise ValueError(f"You can list at most {MAX_CITY_VISITS} cities")
    result: dict[int, str | None] = {}
    for item in visits:
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise ValueError("Invalid city")
        city_id, month = item
        if not isinstance(city_id, int) or isinstance(city_id, bool):
            raise ValueError("Invalid city")
        month = month.strip() if isinstance(month, str) else month
        if month and not (isinstance(month, str) and VISIT_MONTH.match(month)):
            raise ValueError("Use YYYY-MM for the month of a visit")
        result[city_id] = month or None
    return result


def city_visits_replace(
    session: Session, *, actor: Viewer, visits: list[tuple[int, str | None]], now: datetime
) -> tuple[VisitedCity, ...]:
    """Replace the actor's manually entered cities; returns the whole list afterwards.

    Cities added by a recommendation or a trip stay even when missing from `visits`; when
    listed, their month is updated and their source kept.

    Raises:
        RateLimited: more than 30 profile edits in 15 min.
        ValidationFailed: `cities_visited` – unknown city, bad month or too many cities.
    """
    user = count_profile_edit(session, actor, now)
    try:
        wanted = _visit_rows(visits)
    except ValueError as error:
        raise ValidationFailed({"cities_visited": str(error)}) from error
    known = set(session.exec(select(City.id).where(col(City.id).in_(wanted))).all())
    if len(known) != len(wanted):
        raise ValidationFailed({"cities_visited": "Unknown city"})
    existing = {
        row.city_id: row
        for row in session.exec(select(CityVisit).where(CityVisit.user_id == user.id)).all()
    }
    for city_id, row in existing.items():
        if city_id not in wanted and row.source == CityVisitSource.manual:
            session.delete(row)
        elif city_id in wanted and row.visit_month != wanted[city_id]:
            row.visit_month = wanted[city_id]
            session.add(row)
    for city_id, month in wanted.items():
        if city_id not in existing:
            session.add(CityVisit(user_id=user.id, city_id=city_id, visit_month=month))
    session.flush()
    rank_after_commit(session, user.id)
    return visited_cities(session, user.id)


@dataclass(frozen=True)
class ProfileSaved:
    """What "Save profile" did: the field update (None without field changes) and the form
    as stored afterwards."""

    updated: ProfileUpdated | None
    form: ProfileEditForm


def profile_save(
    session: Session,
    *,
    actor: Viewer,
    changes: dict[str, object],
    visits: list[tuple[int, str | None]] | None,
    now: datetime,
) -> ProfileSaved:
    """The edit page's Save: changed fields and (when given) the cities, in one transaction.

    Raises:
        RateLimited, ValidationFailed: see `profile_update` and `city_visits_replace`;
            nothing is stored when either refuses.
    """
    updated = profile_update(session, actor=actor, changes=changes, now=now) if changes else None
    if visits is not None:
        city_visits_replace(session, actor=actor, visits=visits, now=now)
    return ProfileSaved(updated, profile_for_edit(session, actor=actor))
