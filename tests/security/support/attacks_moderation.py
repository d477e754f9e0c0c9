"""Attacks on the moderation A handlers: /moderator/reports (queue, detail, decisions),
/moderator/actions (the audit log) — §7.33 — and the review and /buddies report dialogs.

Neither identity is a moderator, so every read is the 404 it is for them (no queue, no
detail, no log) and every decision aimed at the owner's content (remove their public
and private recommendations, their profile, restore, change report statuses) is
refused, leaving the owner's rows as they were and writing no audit entry.
"""

from __future__ import annotations

from tests.security.support.attacks_accounts import DETAIL, PROFILE
from tests.security.support.steps import Attack, Step
from tests.security.support.wire import on
from tests.security.support.world import World

QUEUE, LOG = "ModerationQueueState", "AuditLogState"
REASON = "Crafted by someone who is not a moderator"
REPORTS, ACTIONS = on("/moderator/reports"), on("/moderator/actions")
TRIP = "/trips/[id]"
APPEAL = {"message": "Crafted appeal of a removal that is not the sender's at all"}


def _on_item(handler: str, key, payload) -> Attack:
    """Load the queue (refused), open the owner's item, then send `handler`."""
    return lambda w: [
        Step(f"{QUEUE}.load", {}, REPORTS),
        Step(f"{QUEUE}.open_item", {"key": key(w)}, REPORTS),
        Step(f"{QUEUE}.{handler}", payload, REPORTS),
    ]


def _public(w: World) -> str:
    return f"recommendation:{w.public_id}"


def _private(w: World) -> str:
    return f"recommendation:{w.private_id}"


def _profile(w: World) -> str:
    return f"profile:{w.owner_id}"


def _review_report(handler: str, payload) -> Attack:
    """Open the owner's private recommendation (a 404 for both), then report a review."""
    rec = "RecommendationDetailState"
    return lambda w: [
        Step(f"{rec}.load", {}, on(DETAIL, id=w.private_id)),
        Step(f"{rec}.open_review_report", {"rating_id": "1"}, on(DETAIL, id=w.private_id)),
        Step(f"{rec}.{handler}", payload, on(DETAIL, id=w.private_id)),
    ]


def _user_report(handler: str, payload) -> Attack:
    """/buddies: open the report dialog on the owner, then send `handler` (a report of a
    visible profile is allowed to anyone signed in; it changes none of the owner's rows)."""
    buddies = on("/buddies")
    return lambda w: [
        Step(
            "BuddiesState.open_report",
            {"user_id": str(w.owner_id), "username": w.owner_username},
            buddies,
        ),
        Step(f"BuddiesState.{handler}", payload(w), buddies),
    ]


def moderation_attacks() -> dict[str, Attack]:
    form = {"form": {"reason": REASON}}
    return {
        f"{QUEUE}.load": lambda w: [Step(f"{QUEUE}.load", {}, REPORTS)],
        f"{QUEUE}.apply_filters": _on_item("apply_filters", _public, {"form": {
            "status": "", "content_type": "recommendation", "reason": "", "day_from": "",
            "day_to": ""}}),
        f"{QUEUE}.more": _on_item("more", _public, {}),
        f"{QUEUE}.open_item": _on_item("open_item", _private, {"key": "profile:1"}),
        f"{QUEUE}.close_item": _on_item("close_item", _public, {}),
        f"{QUEUE}.transition": _on_item("transition", _public, {"action": "start_review"}),
        f"{QUEUE}.dismiss": _on_item("dismiss", _public, form),
        f"{QUEUE}.reopen": _on_item("reopen", _public, form),
        f"{QUEUE}.remove": _on_item("remove", _private, form),
        f"{QUEUE}.restore": _on_item("restore", _profile, form),
        f"{QUEUE}.reports_arrived": _on_item("reports_arrived", _public, {}),
        f"{QUEUE}.leave": _on_item("leave", _public, {}),
        "RecommendationDetailState.open_review_report": _review_report(
            "open_review_report", {"rating_id": "2"}),
        "RecommendationDetailState.set_review_report_open": _review_report(
            "set_review_report_open", {"open": True}),
        "RecommendationDetailState.report_review": _review_report(
            "report_review", {"form": {"reason": "other", "description": REASON}}),
        "BuddiesState.open_report": _user_report(
            "open_report", lambda w: {"user_id": str(w.owner_id), "username": "x"}),
        "BuddiesState.set_report_open": _user_report(
            "set_report_open", lambda w: {"open": True}),
        "BuddiesState.report": _user_report("report", lambda w: {
            "form": {"reason": "other", "description": REASON}}),
        f"{LOG}.load": lambda w: [Step(f"{LOG}.load", {}, ACTIONS)],
        f"{LOG}.apply_filters": lambda w: [
            Step(f"{LOG}.apply_filters", {"form": {
                "action_type": "", "moderator": "", "target_user": w.owner_username,
                "day_from": "", "day_to": ""}}, ACTIONS),
        ],
        f"{LOG}.more": lambda w: [
            Step(f"{LOG}.load", {}, ACTIONS), Step(f"{LOG}.more", {}, ACTIONS)],
        f"{LOG}.actions_arrived": lambda w: [
            Step(f"{LOG}.load", {}, ACTIONS), Step(f"{LOG}.actions_arrived", {}, ACTIONS)],
        f"{LOG}.leave": lambda w: [Step(f"{LOG}.leave", {}, ACTIONS)],
        # The removal appeal names no target: the page keeps the removal it showed its
        # owner server-side, and nobody else is shown one (nothing to appeal).
        "RecommendationDetailState.appeal_removal": lambda w: [
            Step("RecommendationDetailState.load", {}, on(DETAIL, id=w.public_id)),
            Step("RecommendationDetailState.appeal_removal", {"form": APPEAL},
                 on(DETAIL, id=w.public_id)),
        ],
        "TripState.appeal_removal": lambda w: [
            Step("TripState.load", {}, on(TRIP, id=w.public_trip_id, tab="overview")),
            Step("TripState.appeal_removal", {"form": APPEAL},
                 on(TRIP, id=w.public_trip_id, tab="overview")),
        ],
        # The owner's review (of a third author's place) and the owner's profile: the
        # pages keep the viewer's own removal server-side; the attacker has none there.
        "RecommendationDetailState.appeal_review_removal": lambda w: [
            Step("RecommendationDetailState.load", {}, on(DETAIL, id=w.third_id)),
            Step("RecommendationDetailState.appeal_review_removal", {"form": APPEAL},
                 on(DETAIL, id=w.third_id)),
        ],
        "ProfileState.appeal_removal": lambda w: [
            Step("ProfileState.load", {}, on(PROFILE, profile_username=w.owner_username)),
            Step("ProfileState.appeal_removal", {"form": APPEAL},
                 on(PROFILE, profile_username=w.owner_username)),
        ],
    }  # fmt: skip
