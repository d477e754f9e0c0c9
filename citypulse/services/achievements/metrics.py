"""What each §4.7 metric counts, as SQL for one user (`:user_id`).

These definitions are the single truth: evaluation, the backfill and the progress shown
on /achievements all read them. Manual CityVisits are excluded from cities_visited
(§4.7.1), so editing "cities visited" on a profile affects no badge.
"""

from __future__ import annotations

from citypulse.models.enums import Metric

# Statuses are the stored enum values (ContentStatus, BuddyStatus, CompanionStatus, ...).
_ACTIVE_RECS_OF_USER = (
    "JOIN recommendations r ON r.id = x.recommendation_id "
    "WHERE r.author_id = :user_id AND r.status = 'active'"
)
_COMPLETED_TRIPS_OF_USER = (
    "FROM trip_companions c JOIN trips t ON t.id = c.trip_id "
    "WHERE c.user_id = :user_id AND c.status = 'accepted' AND t.status = 'completed'"
)
REVIEW_MIN_LENGTH = 20  # §4.7.1 reviews_written: "a non-removed review ≥20 characters"

METRIC_SQL: dict[Metric, str] = {
    Metric.recommendations_created: (
        "SELECT count(*) FROM recommendations WHERE author_id = :user_id AND status = 'active'"
    ),
    # Distinct cities of the active recommendations (all their cities) and of completed
    # trips the user owns or was accepted on (the owner has an accepted owner row).
    Metric.cities_visited: (
        "SELECT count(*) FROM ("
        "SELECT x.city_id FROM recommendation_cities x " + _ACTIVE_RECS_OF_USER + " UNION "
        "SELECT tc.city_id FROM trip_companions c JOIN trips t ON t.id = c.trip_id "
        "JOIN trip_cities tc ON tc.trip_id = t.id "
        "WHERE c.user_id = :user_id AND c.status = 'accepted' AND t.status = 'completed'"
        ") AS visited"
    ),
    Metric.buddies_connected: (
        "SELECT count(*) FROM buddy_connections WHERE status = 'accepted' "
        "AND (requester_id = :user_id OR addressee_id = :user_id)"
    ),
    Metric.likes_received: "SELECT count(*) FROM likes x " + _ACTIVE_RECS_OF_USER,
    Metric.ratings_received: "SELECT count(*) FROM ratings x " + _ACTIVE_RECS_OF_USER,
    # Ratings on others' recommendations (whatever their status now) with a review of
    # 20+ characters that no moderator removed.
    Metric.reviews_written: (
        "SELECT count(*) FROM ratings x JOIN recommendations r ON r.id = x.recommendation_id "
        "WHERE x.user_id = :user_id AND r.author_id <> :user_id "
        "AND x.review_status <> 'removed' "
        f"AND char_length(btrim(x.review)) >= {REVIEW_MIN_LENGTH}"
    ),
    Metric.trips_completed: "SELECT count(DISTINCT c.trip_id) " + _COMPLETED_TRIPS_OF_USER,
}

# The seven non-tier metrics, in the order of the enumeration ("families" of §4.8).
COUNTED: tuple[Metric, ...] = tuple(m for m in Metric if m is not Metric.tier_badge)
FAMILIES = len(COUNTED)


def metric_values_sql(metrics: tuple[Metric, ...]) -> str:
    """One SELECT returning each metric of `metrics` (non-tier) as a column of its name."""
    columns = ", ".join(f"({METRIC_SQL[m]}) AS {m.value}" for m in metrics)
    return f"SELECT {columns}"


# What each triggering event can change (§4.7.2), for the users it names.
PUBLISHED = frozenset({Metric.recommendations_created, Metric.cities_visited})  # author
# A recommendation leaving or re-entering "active" (deleted, removed, restored): author.
STATUS_CHANGED = frozenset({
    Metric.recommendations_created, Metric.cities_visited,
    Metric.likes_received, Metric.ratings_received,
})  # fmt: skip
CITY_CHANGED = frozenset({Metric.cities_visited})  # author edits the city
RATED_AUTHOR = frozenset({Metric.ratings_received})  # rating created/deleted: the author
RATED_RATER = frozenset({Metric.reviews_written})  # ... and the rater (review changed)
BUDDIES = frozenset({Metric.buddies_connected})  # accepted or removed: both users
# Trip completed: the owner and every accepted member. The trips issue must call
# `evaluate_users(session, affected={uid: TRIP_COMPLETED for uid in members}, now=now)`
# in the completing transaction (nothing calls it yet: trips are not built).
TRIP_COMPLETED = frozenset({Metric.trips_completed, Metric.cities_visited})
