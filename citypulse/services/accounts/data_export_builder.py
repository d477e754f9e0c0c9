"""Collect one user's data for "Download my data" and write the ZIP (PRODUCT.md §5.6).

Only the user's own data goes in. Other people appear by username only, and nothing
secret is exported: no password, token or share hashes, Google ids, moderator identities
or notes, report resolution notes, or reporters (§4.13.1, §4.13.11, §5.4). Rows are copied
from explicit field lists, so a column added later stays out until someone decides it
belongs in the export; `pick` also refuses any secret-looking field name outright.
"""

from __future__ import annotations

import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import or_
from sqlmodel import Session, col, select

from citypulse import models as m
from citypulse.media.storage import path_for
from citypulse.models.enums import CompanionStatus, ContentStatus, Visibility

Documents = dict[str, Any]
SECRET_MARKERS = ("hash", "token", "secret", "password", "google_sub", "moderator", "_by_id")

# Exported fields, space-separated. Anything not named here is never exported.
# fmt: off
STAMPS = " created_at updated_at"
ACCOUNT = ("username full_name email phone bio current_location hometown role theme "
           "email_verified_at terms_accepted_at last_login_at deactivated_at deletion_due_at "
           "suspended_until" + STAMPS)
PROFILE = ("instagram_url facebook_url twitter_url linkedin_url website_url whatsapp latitude "
           "longitude profile_visibility location_sharing social_links_visible "
           "buddy_requests_enabled default_rec_visibility default_trip_visibility" + STAMPS)
EMAIL_PREFERENCES = "buddy_requests recommendations trips achievements weekly_digest marketing"
RECOMMENDATION = ("id title description price_min price_max difficulty address latitude "
                  "longitude best_months best_time_text duration_suggestion author_rating "
                  "visibility status removed_reason removed_at deleted_at views_count likes_count "
                  "saves_count shares_count ratings_count rating_avg" + STAMPS)
PHOTO = "position is_primary caption width height file_size" + STAMPS
TRIP = ("id title description start_date end_date status visibility is_collaborative "
        "total_budget currency moderation_status" + STAMPS)
TRIP_CITY = "position arrival_date departure_date notes"
ITEM = ("id day_number activity_date start_time duration_minutes title description "
        "activity_type estimated_cost location_name latitude longitude status notes "
        "position" + STAMPS)
PLACE = "recommendation_id itinerary_item_id status notes created_at"
COMMENT = "id body status created_at edited_at"
BUDDY = "status request_message response_message requested_at responded_at"
MEMBERSHIP = "trip_id role status message created_at responded_at"
BADGE = "code name description tier points threshold"
# Plain per-user listings: file (or moderation.json section) -> (model, owner column, fields).
LISTINGS: dict[str, tuple[type, str, str]] = {
    "notifications.json": (m.Notification, "recipient_id", "type title message target_type "
                           "target_id action_url is_read read_at created_at"),
    "search_history.json": (m.SearchHistory, "user_id", "query filters result_count searched_at "
                            "clicked_recommendation_id"),
    "saved_searches.json": (m.SavedSearch, "user_id", "name query filters is_active" + STAMPS),
    "reports_filed.json": (m.ContentReport, "reporter_id", "content_type content_id reason "
                           "description status created_at reviewed_at"),
}
MODERATION: dict[str, tuple[type, str, str]] = {
    "warnings": (m.Warning, "user_id", "id warning_type severity message is_active expires_at "
                 "revoked_at created_at"),
    "sanctions": (m.Suspension, "user_id", "id kind source warning_id reason starts_at ends_at "
                  "lifted_at lift_reason created_at"),
    "appeals": (m.Appeal, "appellant_id", "id target_type target_id message status "
                "decision_note decided_at created_at"),
}
# fmt: on


def pick(row: object, fields: str, **extra: Any) -> dict[str, Any]:
    """The space-separated `fields` of `row` plus `extra`; refuses secret-looking names."""
    data = {name: getattr(row, name) for name in fields.split()} | extra
    if leaked := [key for key in data if any(marker in key for marker in SECRET_MARKERS)]:
        raise ValueError(f"refusing to export {leaked}")
    return data


def city_label(city: m.City | None) -> str | None:
    """ "Lisbon, Portugal" or "Austin, Texas, United States"."""
    if city is None:
        return None
    return ", ".join(part for part in (city.name, city.state_province, city.country) if part)


class _Collector:
    """Reads everything of one user in the caller's session; remembers the photos to copy."""

    def __init__(self, session: Session, user: m.User) -> None:
        self.db, self.user, self.uid = session, user, user.id
        self.photos: list[str] = []

    def rows(self, statement: Any) -> list[Any]:
        return list(self.db.exec(statement).all())

    def linked(self, model: Any, key: str, ids: list[int], *order: Any, join: Any = None) -> list:
        """Rows of `model` (paired with their `join` row) whose `key` column is in `ids`."""
        query = select(model) if join is None else select(model, join).join(join)
        query = query.where(col(getattr(model, key)).in_(ids))
        return self.rows(query.order_by(*order, col(model.id)))

    def listing(self, model: Any, owner: str, fields: str) -> list[dict[str, Any]]:
        return [pick(row, fields) for row in self.linked(model, owner, [self.uid])]

    def one(self, model: Any, fields: str) -> dict[str, Any] | None:
        rows = self.linked(model, "user_id", [self.uid])
        return pick(rows[0], fields) if rows else None

    def photo(self, key: str | None) -> str | None:
        if key:
            self.photos.append(key)
        return f"photos/{key}" if key else None

    def title(self, rec: m.Recommendation) -> str | None:
        """Another author's title only while it is public and active (it may be hidden now)."""
        visible = rec.status == ContentStatus.active and rec.visibility == Visibility.public
        return rec.title if rec.author_id == self.uid or visible else None

    def account(self) -> dict[str, Any]:
        user = self.user
        methods = {"password": user.password_hash, "google": user.google_sub}
        signs_in_with = [name for name, configured in methods.items() if configured]
        return pick(user, ACCOUNT, status=user.account_status, sign_in_methods=signs_in_with)

    def profile(self) -> dict[str, Any]:
        rows = self.linked(m.Profile, "user_id", [self.uid])
        profile = None
        if rows:
            row = rows[0]
            city = self.db.get(m.City, row.current_city_id) if row.current_city_id else None
            avatar, cover = self.photo(row.avatar_key), self.photo(row.cover_key)
            profile = pick(row, PROFILE, current_city=city_label(city), avatar=avatar, cover=cover)
        interests = select(m.Category.name).join(m.UserInterest).order_by(m.Category.name)
        visits = self.linked(m.CityVisit, "user_id", [self.uid], join=m.City)
        return {
            "profile": profile,
            "travel_preferences": self.one(
                m.TravelPreferences, "travel_styles activity_level preferred_difficulty"
            ),
            "interests": self.rows(interests.where(m.UserInterest.user_id == self.uid)),
            "email_preferences": self.one(m.EmailPreferences, EMAIL_PREFERENCES),
            "city_visits": [
                pick(visit, "visit_month source created_at", city=city_label(city))
                for visit, city in visits
            ],
        }

    def recommendations(self) -> list[dict[str, Any]]:
        rec = m.Recommendation
        recs = self.linked(rec, "author_id", [self.uid], col(rec.created_at), join=m.Category)
        ids = [row.id for row, _ in recs]
        tags, cities, photos = defaultdict(list), defaultdict(list), defaultdict(list)
        for link, tag in self.linked(m.RecommendationTag, "recommendation_id", ids, join=m.Tag):
            tags[link.recommendation_id].append(tag.name)
        for link, city in self.linked(m.RecommendationCity, "recommendation_id", ids, join=m.City):
            cities[link.recommendation_id].append(pick(link, "is_primary", city=city_label(city)))
        for photo in self.linked(m.Photo, "recommendation_id", ids, col(m.Photo.position)):
            entry = pick(photo, PHOTO, file=self.photo(photo.image_key))
            photos[photo.recommendation_id].append(entry)
        return [
            pick(row, RECOMMENDATION, category=category.name, cities=cities[row.id],
                 tags=sorted(tags[row.id]), photos=photos[row.id])
            for row, category in recs
        ]  # fmt: skip

    def interactions(self, model: Any, fields: str = "") -> list[dict[str, Any]]:
        rows = self.linked(
            model, "user_id", [self.uid], col(model.created_at), join=m.Recommendation
        )
        return [
            pick(row, f"recommendation_id {fields} created_at", title=self.title(rec))
            for row, rec in rows
        ]

    def buddies(self) -> list[dict[str, Any]]:
        pairs = m.BuddyConnection
        mine = or_(pairs.requester_id == self.uid, pairs.addressee_id == self.uid)
        rows = self.rows(select(pairs).where(mine).order_by(col(pairs.requested_at)))
        other = {
            r.id: r.addressee_id if r.requester_id == self.uid else r.requester_id for r in rows
        }
        names = {u.id: u.username for u in self.linked(m.User, "id", list(other.values()))}
        return [
            pick(r, BUDDY, username=names.get(other[r.id]),
                 direction="sent" if r.requester_id == self.uid else "received")
            for r in rows
        ]  # fmt: skip

    def blocks(self) -> list[dict[str, Any]]:
        query = select(m.Block, m.User.username).join(m.User, m.User.id == m.Block.blocked_id)
        rows = self.rows(query.where(m.Block.blocker_id == self.uid).order_by(col(m.Block.id)))
        return [pick(block, "reason created_at", username=name) for block, name in rows]

    def trips(self) -> dict[str, Any]:
        members = self.linked(m.TripCompanion, "user_id", [self.uid])
        joined = {c.trip_id: c.role for c in members if c.status == CompanionStatus.accepted}
        mine = or_(m.Trip.owner_id == self.uid, col(m.Trip.id).in_(list(joined)))
        trips = self.rows(select(m.Trip).where(mine).order_by(col(m.Trip.created_at)))
        ids = [trip.id for trip in trips]
        parts = {
            name: defaultdict(list) for name in ("cities", "itinerary", "places", "my_comments")
        }
        stops = self.linked(m.TripCity, "trip_id", ids, col(m.TripCity.position), join=m.City)
        labels = {stop.id: city_label(city) for stop, city in stops}
        for stop, _ in stops:
            parts["cities"][stop.trip_id].append(pick(stop, TRIP_CITY, city=labels[stop.id]))
        item = m.ItineraryItem
        order = (col(item.day_number), col(item.start_time).nulls_last(), col(item.position))
        for row in self.linked(item, "trip_id", ids, *order):
            parts["itinerary"][row.trip_id].append(
                pick(row, ITEM, city=labels.get(row.trip_city_id))
            )
        for place, rec in self.linked(m.TripRecommendation, "trip_id", ids, join=m.Recommendation):
            parts["places"][place.trip_id].append(pick(place, PLACE, title=self.title(rec)))
        comments = self.linked(m.TripComment, "author_id", [self.uid])
        for comment in comments:  # only the user's own comments, never the others'
            parts["my_comments"][comment.trip_id].append(pick(comment, COMMENT))

        def detail(trip: m.Trip) -> dict[str, Any]:
            owner = trip.owner_id == self.uid
            return pick(
                trip, TRIP,
                my_role="owner" if owner else joined.get(trip.id),
                removed_reason=trip.removed_reason if owner else None,
                cover=self.photo(trip.cover_key) if owner else None,
                **{name: by_trip[trip.id] for name, by_trip in parts.items()},
            )  # fmt: skip

        return {
            "trips": [detail(trip) for trip in trips],
            "memberships": [pick(c, MEMBERSHIP) for c in members],
            "my_comments_on_other_trips": [
                pick(c, COMMENT, trip_id=c.trip_id) for c in comments if c.trip_id not in ids
            ],
        }

    def achievements(self) -> list[dict[str, Any]]:
        rows = self.linked(m.UserAchievement, "user_id", [self.uid], join=m.Achievement)
        return [
            pick(badge, BADGE, progress=mine.progress, completed_at=mine.completed_at,
                 seen_at=mine.seen_at)
            for mine, badge in rows
        ]  # fmt: skip


def collect_documents(session: Session, user: m.User) -> tuple[Documents, list[str]]:
    """Every JSON document of `user`'s export (file name -> data) and the photo keys to copy."""
    c = _Collector(session, user)
    documents: Documents = {
        "account.json": c.account(),
        "profile.json": c.profile(),
        "recommendations.json": c.recommendations(),
        "ratings.json": c.interactions(m.Rating, "rating review review_status"),
        "likes.json": c.interactions(m.Like),
        "saves.json": c.interactions(m.Save),
        "shares.json": c.interactions(m.Share, "platform"),
        "buddies.json": c.buddies(),
        "blocks.json": c.blocks(),
        "trips.json": c.trips(),
        "achievements.json": c.achievements(),
        **{name: c.listing(*spec) for name, spec in LISTINGS.items()},
        "moderation.json": {name: c.listing(*spec) for name, spec in MODERATION.items()},
    }
    return documents, c.photos


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, UUID | Enum):
        return str(value)
    raise TypeError(f"cannot export {type(value).__name__}")


def to_json(data: Any) -> bytes:
    """Pretty-printed UTF-8 JSON with ISO 8601 datetimes."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_value).encode()


def write_export_zip(path: Path, documents: Documents, photo_keys: Iterable[str]) -> None:
    """Write the ZIP at `path`: every document plus the stored photos under photos/. Blocking."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in documents.items():
            archive.writestr(name, to_json(data))
        for key in dict.fromkeys(photo_keys):
            try:
                source = path_for(key)
            except ValueError:  # not a generated key: never follow it to a path
                continue
            if source.is_file():
                archive.write(source, f"photos/{key}", compress_type=zipfile.ZIP_STORED)
