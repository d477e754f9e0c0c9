"""Every enumeration of PRODUCT.md §3.1, plus the small status sets named in §3.2.

Members are `enum.StrEnum`s (so `str` and `enum.Enum` at once) whose *name equals their
value*, so whatever a driver or serializer picks (name or value) the database receives
the same text, and `f"{Role.admin}"` is "admin". Columns store
them as VARCHAR guarded by a CHECK constraint built with `base.enum_check`.
"""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    user = "user"
    moderator = "moderator"
    admin = "admin"


class AccountStatus(enum.StrEnum):
    active = "active"
    suspended = "suspended"
    banned = "banned"
    deactivated = "deactivated"


class Visibility(enum.StrEnum):
    """`friends_only` is labelled "Buddies only" in the UI."""

    public = "public"
    friends_only = "friends_only"
    private = "private"


class Theme(enum.StrEnum):
    light = "light"
    dark = "dark"
    system = "system"


class TravelStyle(enum.StrEnum):
    budget = "budget"
    mid_range = "mid_range"
    luxury = "luxury"
    backpacking = "backpacking"
    adventure = "adventure"
    cultural = "cultural"
    relaxation = "relaxation"
    family = "family"
    solo = "solo"
    group = "group"


class ActivityLevel(enum.StrEnum):
    low = "low"
    moderate = "moderate"
    high = "high"


class Difficulty(enum.StrEnum):
    easy = "easy"
    moderate = "moderate"
    hard = "hard"
    expert = "expert"


class ContentStatus(enum.StrEnum):
    """removed = by a moderator; deleted = by the author (purged after 30 days)."""

    active = "active"
    removed = "removed"
    deleted = "deleted"


class SharePlatform(enum.StrEnum):
    copy_link = "copy_link"
    twitter = "twitter"
    facebook = "facebook"
    whatsapp = "whatsapp"
    email = "email"
    other = "other"


class BuddyStatus(enum.StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    cancelled = "cancelled"
    removed = "removed"


class TripStatus(enum.StrEnum):
    planning = "planning"
    active = "active"
    completed = "completed"
    cancelled = "cancelled"


class CompanionRole(enum.StrEnum):
    owner = "owner"
    organizer = "organizer"
    participant = "participant"


class CompanionStatus(enum.StrEnum):
    invited = "invited"
    requested = "requested"
    accepted = "accepted"
    declined = "declined"
    removed = "removed"
    left = "left"


class ActivityType(enum.StrEnum):
    sightseeing = "sightseeing"
    food = "food"
    transport = "transport"
    accommodation = "accommodation"
    activity = "activity"
    shopping = "shopping"
    nightlife = "nightlife"
    relaxation = "relaxation"
    other = "other"


class ItineraryStatus(enum.StrEnum):
    planned = "planned"
    confirmed = "confirmed"
    completed = "completed"
    cancelled = "cancelled"


class PlaceStatus(enum.StrEnum):
    wishlist = "wishlist"
    confirmed = "confirmed"
    visited = "visited"


class Metric(enum.StrEnum):
    recommendations_created = "recommendations_created"
    cities_visited = "cities_visited"
    buddies_connected = "buddies_connected"
    likes_received = "likes_received"
    ratings_received = "ratings_received"
    reviews_written = "reviews_written"
    trips_completed = "trips_completed"
    tier_badge = "tier_badge"


class Tier(enum.StrEnum):
    bronze = "bronze"
    silver = "silver"
    gold = "gold"
    platinum = "platinum"


class ReportContentType(enum.StrEnum):
    recommendation = "recommendation"
    review = "review"
    profile = "profile"
    trip = "trip"
    trip_comment = "trip_comment"


class ReportReason(enum.StrEnum):
    spam = "spam"
    inappropriate = "inappropriate"
    misleading = "misleading"
    offensive = "offensive"
    copyright = "copyright"
    harassment = "harassment"
    impersonation = "impersonation"
    other = "other"


class ReportStatus(enum.StrEnum):
    pending = "pending"
    under_review = "under_review"
    resolved = "resolved"
    dismissed = "dismissed"


class WarningType(enum.StrEnum):
    spam = "spam"
    harassment = "harassment"
    inappropriate_content = "inappropriate_content"
    misleading_content = "misleading_content"
    copyright = "copyright"
    impersonation = "impersonation"
    other = "other"


class Severity(enum.StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class RestrictionKind(enum.StrEnum):
    suspension = "suspension"
    ban = "ban"


class AppealTarget(enum.StrEnum):
    warning = "warning"
    suspension = "suspension"
    ban = "ban"
    content_removal = "content_removal"


class AppealStatus(enum.StrEnum):
    pending = "pending"
    granted = "granted"
    rejected = "rejected"


class ActionType(enum.StrEnum):
    report_status_update = "report_status_update"
    content_removal = "content_removal"
    content_restore = "content_restore"
    warning_issued = "warning_issued"
    warning_revoked = "warning_revoked"
    user_suspension = "user_suspension"
    user_ban = "user_ban"
    user_reinstatement = "user_reinstatement"
    suspension_expired = "suspension_expired"
    appeal_decision = "appeal_decision"
    role_change = "role_change"


class TargetType(enum.StrEnum):
    content_report = "content_report"
    recommendation = "recommendation"
    review = "review"
    profile = "profile"
    trip = "trip"
    trip_comment = "trip_comment"
    user = "user"
    appeal = "appeal"


class NotificationType(enum.StrEnum):
    """The notification types of PRODUCT.md §4.11, in its order."""

    buddy_request = "buddy_request"
    buddy_accepted = "buddy_accepted"
    buddy_declined = "buddy_declined"
    recommendation_like = "recommendation_like"
    recommendation_rating = "recommendation_rating"
    trip_invite = "trip_invite"
    trip_invite_response = "trip_invite_response"
    trip_join_request = "trip_join_request"
    trip_join_response = "trip_join_response"
    trip_removed = "trip_removed"
    trip_comment = "trip_comment"
    achievement_unlocked = "achievement_unlocked"
    report_update = "report_update"
    system = "system"
    content_removed = "content_removed"
    content_restored = "content_restored"
    warning_issued = "warning_issued"
    account_suspended = "account_suspended"
    account_banned = "account_banned"
    appeal_decided = "appeal_decided"
    account_reinstated = "account_reinstated"
    suspension_ended = "suspension_ended"


# --- Small status sets named inline in PRODUCT.md §3.2 ---------------------------------


class ModerationStatus(enum.StrEnum):
    """Rating.review_status and Trip.moderation_status."""

    active = "active"
    removed = "removed"


class CityVisitSource(enum.StrEnum):
    manual = "manual"
    recommendation = "recommendation"
    trip = "trip"


class DataExportStatus(enum.StrEnum):
    pending = "pending"
    ready = "ready"
    expired = "expired"
    failed = "failed"


class RevokeReason(enum.StrEnum):
    """Why an AuthSession was revoked."""

    logout = "logout"
    logout_all = "logout_all"
    rotated = "rotated"
    reuse_detected = "reuse_detected"
    password_changed = "password_changed"
    restricted = "restricted"
    deactivated = "deactivated"
    revoked_by_user = "revoked_by_user"


class SuspensionSource(enum.StrEnum):
    manual = "manual"
    warning_escalation = "warning_escalation"


class EmailStatus(enum.StrEnum):
    """Delivery state of an EmailOutbox row."""

    pending = "pending"
    sent = "sent"
    failed = "failed"
