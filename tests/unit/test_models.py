"""Pure checks of the table definitions (no database): enums, shared columns, keys, names."""

from __future__ import annotations

import enum
import re
import subprocess
import sys

import pytest
import sqlalchemy as sa

from citypulse import models
from citypulse.models import enums
from citypulse.models.base import enum_check

# PRODUCT.md §3.1, value for value (and §4.11 for notification types).
EXPECTED_ENUMS: dict[str, list[str]] = {
    "Role": ["user", "moderator", "admin"],
    "AccountStatus": ["active", "suspended", "banned", "deactivated"],
    "Visibility": ["public", "friends_only", "private"],
    "Theme": ["light", "dark", "system"],
    "TravelStyle": [
        "budget", "mid_range", "luxury", "backpacking", "adventure", "cultural",
        "relaxation", "family", "solo", "group",
    ],
    "ActivityLevel": ["low", "moderate", "high"],
    "Difficulty": ["easy", "moderate", "hard", "expert"],
    "ContentStatus": ["active", "removed", "deleted"],
    "SharePlatform": ["copy_link", "twitter", "facebook", "whatsapp", "email", "other"],
    "BuddyStatus": ["pending", "accepted", "declined", "cancelled", "removed"],
    "TripStatus": ["planning", "active", "completed", "cancelled"],
    "CompanionRole": ["owner", "organizer", "participant"],
    "CompanionStatus": ["invited", "requested", "accepted", "declined", "removed", "left"],
    "ActivityType": [
        "sightseeing", "food", "transport", "accommodation", "activity", "shopping",
        "nightlife", "relaxation", "other",
    ],
    "ItineraryStatus": ["planned", "confirmed", "completed", "cancelled"],
    "PlaceStatus": ["wishlist", "confirmed", "visited"],
    "Metric": [
        "recommendations_created", "cities_visited", "buddies_connected", "likes_received",
        "ratings_received", "reviews_written", "trips_completed", "tier_badge",
    ],
    "Tier": ["bronze", "silver", "gold", "platinum"],
    "ReportContentType": ["recommendation", "review", "profile", "trip", "trip_comment"],
    "ReportReason": [
        "spam", "inappropriate", "misleading", "offensive", "copyright", "harassment",
        "impersonation", "other",
    ],
    "ReportStatus": ["pending", "under_review", "resolved", "dismissed"],
    "WarningType": [
        "spam", "harassment", "inappropriate_content", "misleading_content", "copyright",
        "impersonation", "other",
    ],
    "Severity": ["low", "medium", "high"],
    "RestrictionKind": ["suspension", "ban"],
    "AppealTarget": ["warning", "suspension", "ban", "content_removal"],
    "AppealStatus": ["pending", "granted", "rejected"],
    "ActionType": [
        "report_status_update", "content_removal", "content_restore", "warning_issued",
        "warning_revoked", "user_suspension", "user_ban", "user_reinstatement",
        "suspension_expired", "appeal_decision", "role_change",
    ],
    "TargetType": [
        "content_report", "recommendation", "review", "profile", "trip", "trip_comment",
        "user", "appeal",
    ],
    "NotificationType": [
        "buddy_request", "buddy_accepted", "buddy_declined", "recommendation_like",
        "recommendation_rating", "trip_invite", "trip_invite_response", "trip_join_request",
        "trip_join_response", "trip_removed", "trip_comment", "achievement_unlocked",
        "report_update", "system", "content_removed", "content_restored", "warning_issued",
        "account_suspended", "account_banned", "appeal_decided", "account_reinstated",
        "suspension_ended",
    ],
}  # fmt: skip

ENTITIES = (
    "User", "EmailVerificationToken", "PasswordReset", "AuthSession", "EmailPreferences",
    "DataExport", "Profile", "TravelPreferences", "UserInterest", "City", "CityVisit",
    "Category", "Recommendation", "RecommendationCity", "Tag", "RecommendationTag", "Photo",
    "Rating", "Like", "Save", "View", "Share", "BuddyConnection", "Block", "Achievement",
    "UserAchievement", "SearchHistory", "SavedSearch", "Notification", "Trip", "TripCity",
    "TripCompanion", "ItineraryItem", "TripRecommendation", "TripComment", "ContentReport",
    "Warning", "Suspension", "Appeal", "ModeratorAction", "RateLimitHit", "EmailOutbox",
)  # fmt: skip

# Rows never edited after insert (or only through a dedicated timestamp such as read_at).
IMMUTABLE_TABLES = {
    "email_verification_tokens", "user_interests", "tags", "recommendation_tags", "likes",
    "saves", "views", "shares", "blocks", "notifications", "moderator_actions",
    "rate_limit_hits", "interaction_notices", "trending_scores", "feed_snapshots",
}  # fmt: skip
UNCOUNTABLE_TABLE_NAMES = {"search_history", "email_outbox"}
TABLES = models.metadata.sorted_tables


def test_every_enum_of_the_product_spec_exists_with_exact_values() -> None:
    for name, values in EXPECTED_ENUMS.items():
        enum_cls = getattr(enums, name)
        assert issubclass(enum_cls, str)
        assert issubclass(enum_cls, enum.Enum)
        assert [m.value for m in enum_cls] == values, name
        assert all(m.name == m.value for m in enum_cls), name


def test_every_entity_has_a_table() -> None:
    for name in ENTITIES:
        model = getattr(models, name)
        assert model.__table__ is models.metadata.tables[model.__tablename__]
    assert len(models.metadata.tables) >= 36


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_table_has_integer_id_and_server_created_at(table: sa.Table) -> None:
    assert [c.name for c in table.primary_key.columns] == ["id"]
    assert isinstance(table.c.id.type, sa.Integer)
    created_at = table.c.created_at
    assert isinstance(created_at.type, sa.DateTime) and created_at.type.timezone
    assert not created_at.nullable and created_at.server_default is not None


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_mutable_tables_have_updated_at(table: sa.Table) -> None:
    assert ("updated_at" in table.c) == (table.name not in IMMUTABLE_TABLES)


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_table_names_are_plural_snake_case(table: sa.Table) -> None:
    assert re.fullmatch(r"[a-z]+(_[a-z]+)*", table.name)
    assert table.name.endswith("s") or table.name in UNCOUNTABLE_TABLE_NAMES


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_foreign_keys_have_deliberate_delete_rules(table: sa.Table) -> None:
    for fk in table.foreign_keys:
        assert fk.ondelete in {"CASCADE", "SET NULL", "RESTRICT"}, fk.parent
        if fk.ondelete == "SET NULL":
            assert fk.parent.nullable, fk.parent


def test_specific_delete_rules_from_the_spec() -> None:
    def rule(model: type, column: str) -> str | None:
        return next(iter(model.__table__.c[column].foreign_keys)).ondelete

    assert rule(models.ContentReport, "reporter_id") == "SET NULL"
    assert rule(models.SearchHistory, "clicked_recommendation_id") == "SET NULL"
    assert rule(models.ModeratorAction, "actor_id") == "SET NULL"
    assert rule(models.ModeratorAction, "target_user_id") == "SET NULL"
    assert rule(models.Notification, "actor_id") == "SET NULL"
    assert rule(models.Recommendation, "category_id") == "RESTRICT"
    assert rule(models.Recommendation, "author_id") == "CASCADE"


def test_constraint_names_are_stable_and_fit_postgres() -> None:
    assert models.metadata.naming_convention == models.NAMING_CONVENTION
    for table in TABLES:
        named = [*table.constraints, *table.indexes]
        for item in named:
            name = item.name
            assert isinstance(name, str) and name, (table.name, item)
            assert len(name) <= 63, name


def test_enum_columns_are_varchar_with_a_check() -> None:
    users = models.User.__table__
    assert isinstance(users.c.role.type, sa.String)
    checks = {
        c.name: str(c.sqltext) for c in users.constraints if isinstance(c, sa.CheckConstraint)
    }
    assert checks["ck_users_role_valid"] == "role IN ('user', 'moderator', 'admin')"
    assert str(enum_check("x", enums.Severity).sqltext) == "x IN ('low', 'medium', 'high')"


def test_search_vector_is_a_stored_generated_column() -> None:
    column = models.Recommendation.__table__.c.search_vector
    assert column.computed is not None and column.computed.persisted
    assert models.TS_CONFIG in str(column.computed.sqltext)


def test_models_do_not_import_reflex() -> None:
    code = "import sys, citypulse.models; print('reflex' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
