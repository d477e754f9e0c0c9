"""CityPulse tables (plain SQLModel; never import reflex here).

Importing this package registers every table on `metadata`, which alembic's env.py
uses as its target. Import models from here: `from citypulse.models import User`.
"""

from __future__ import annotations

from sqlmodel import SQLModel

from citypulse.models import enums
from citypulse.models.accounts import (
    AuthSession,
    DataExport,
    EmailPreferences,
    EmailVerificationToken,
    PasswordReset,
    User,
)
from citypulse.models.achievements import Achievement, AchievementTotals, UserAchievement
from citypulse.models.base import EXTENSIONS, NAMING_CONVENTION, TS_CONFIG
from citypulse.models.feed import FeedPoolEntry, FeedRanking, FeedSnapshot, TrendingScore
from citypulse.models.infra import EmailOutbox, RateLimitHit
from citypulse.models.interactions import InteractionNotice as InteractionNotice
from citypulse.models.moderation import (
    Appeal,
    ContentReport,
    ModerationWarning,
    ModeratorAction,
    Suspension,
    Warning,  # the entity's name in PRODUCT.md; shadows the builtin
)
from citypulse.models.notifications import Notification
from citypulse.models.places import City, CityVisit
from citypulse.models.profiles import Profile, TravelPreferences, UserInterest
from citypulse.models.recommendations import (
    Category,
    Photo,
    Recommendation,
    RecommendationCity,
    RecommendationTag,
    Tag,
)
from citypulse.models.search import SavedSearch, SearchHistory
from citypulse.models.social import Block, BuddyConnection, Like, Rating, Save, Share, View
from citypulse.models.trips import (
    ItineraryItem,
    Trip,
    TripCity,
    TripComment,
    TripCompanion,
    TripRecommendation,
)

metadata = SQLModel.metadata

__all__ = [
    "EXTENSIONS",
    "NAMING_CONVENTION",
    "TS_CONFIG",
    "Achievement",
    "AchievementTotals",
    "Appeal",
    "AuthSession",
    "Block",
    "BuddyConnection",
    "Category",
    "City",
    "CityVisit",
    "ContentReport",
    "DataExport",
    "EmailOutbox",
    "EmailPreferences",
    "EmailVerificationToken",
    "FeedPoolEntry",
    "FeedRanking",
    "FeedSnapshot",
    "ItineraryItem",
    "Like",
    "ModerationWarning",
    "ModeratorAction",
    "Notification",
    "PasswordReset",
    "Photo",
    "Profile",
    "RateLimitHit",
    "Rating",
    "Recommendation",
    "RecommendationCity",
    "RecommendationTag",
    "Save",
    "SavedSearch",
    "SearchHistory",
    "Share",
    "Suspension",
    "Tag",
    "TravelPreferences",
    "TrendingScore",
    "Trip",
    "TripCity",
    "TripComment",
    "TripCompanion",
    "TripRecommendation",
    "User",
    "UserAchievement",
    "UserInterest",
    "View",
    "Warning",
    "enums",
    "metadata",
]
