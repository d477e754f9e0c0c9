"""What each notification type is: its filter group and the email it calls for (§4.11, §4.12).

The /notifications filters are the groups; `EMAIL_CATEGORY` names the preference that
controls the type's email (`"moderation"`: always sent, transactional), or None when the
type sends no email of its own (recommendation likes and ratings go into the daily
summary instead, see `summaries.py`).
"""

from __future__ import annotations

import enum

from citypulse.models.enums import NotificationType as T


class TypeGroup(enum.StrEnum):
    """A /notifications filter; `system` has no filter of its own (All / Unread show it)."""

    social = "social"
    recommendations = "recommendations"
    trips = "trips"
    achievements = "achievements"
    moderation = "moderation"
    system = "system"


TYPE_GROUP: dict[T, TypeGroup] = {
    T.buddy_request: TypeGroup.social,
    T.buddy_accepted: TypeGroup.social,
    T.buddy_declined: TypeGroup.social,
    T.recommendation_like: TypeGroup.recommendations,
    T.recommendation_rating: TypeGroup.recommendations,
    T.trip_invite: TypeGroup.trips,
    T.trip_invite_response: TypeGroup.trips,
    T.trip_join_request: TypeGroup.trips,
    T.trip_join_response: TypeGroup.trips,
    T.trip_removed: TypeGroup.trips,
    T.trip_comment: TypeGroup.trips,
    T.achievement_unlocked: TypeGroup.achievements,
    # The outcome of the user's own report: a moderation matter, but never emailed.
    T.report_update: TypeGroup.moderation,
    T.system: TypeGroup.system,
    T.content_removed: TypeGroup.moderation,
    T.content_restored: TypeGroup.moderation,
    T.warning_issued: TypeGroup.moderation,
    T.account_suspended: TypeGroup.moderation,
    T.account_banned: TypeGroup.moderation,
    T.appeal_decided: TypeGroup.moderation,
    T.account_reinstated: TypeGroup.moderation,
    T.suspension_ended: TypeGroup.moderation,
}

MODERATION_EMAIL = "moderation"
EMAIL_CATEGORY: dict[T, str | None] = {
    T.buddy_request: "buddy_requests",
    T.buddy_accepted: "buddy_requests",
    T.buddy_declined: None,
    T.recommendation_like: None,  # daily summary ("recommendations")
    T.recommendation_rating: None,  # daily summary ("recommendations")
    T.trip_invite: "trips",
    T.trip_invite_response: "trips",  # acceptances only: the caller passes email=False
    T.trip_join_request: "trips",
    T.trip_join_response: "trips",
    T.trip_removed: "trips",
    T.trip_comment: None,
    T.achievement_unlocked: "achievements",
    T.report_update: None,
    T.system: None,
    T.content_removed: MODERATION_EMAIL,
    T.content_restored: MODERATION_EMAIL,
    T.warning_issued: MODERATION_EMAIL,
    T.account_suspended: MODERATION_EMAIL,
    T.account_banned: MODERATION_EMAIL,
    T.appeal_decided: MODERATION_EMAIL,
    T.account_reinstated: MODERATION_EMAIL,
    T.suspension_ended: MODERATION_EMAIL,
}

# Notices from the platform rather than from a person. A suspended or banned account
# still receives them: its restricted session can open /notifications (§4.13.8) and must
# learn about its sanction, appeal and reports. They name no actor (a moderator stays
# anonymous), so a block between the user and a moderator cannot hold them back.
PLATFORM_GROUPS = frozenset({TypeGroup.moderation, TypeGroup.system})


def types_in(group: TypeGroup) -> tuple[T, ...]:
    """Every notification type of `group`, in the enumeration's order."""
    return tuple(kind for kind in T if TYPE_GROUP[kind] == group)
