"""The one live path: committed domain events (citypulse.realtime) become pushes to tabs.

Services publish small events after commit, from worker threads. Each event is mapped
here to a change of one shared state (`rx.SharedState` under a server-derived key) and
handed to the app's event loop, where `live_links.publish` applies it and Reflex fans
it out to every tab linked to the key, on any worker (Redis). Handing over never
blocks or fails the action; a failed push is only logged. Handlers never write shared
state themselves.

| event                          | key             | change                               |
|--------------------------------|-----------------|--------------------------------------|
| RecommendationCountersChanged  | rec-<id>        | counters (likes, saves, ..., views)  |
| RecommendationRatingsChanged   | rec-<id>        | ratings_version + 1 (viewers refetch)|
| ViewerInteractionChanged       | user-<id>       | own like/save/rating (other tabs)    |
| SessionsRevoked                | user-<id>       | session_epoch + 1 (tabs re-check)    |
| NotificationCreated            | user-<id>       | notification_epoch + 1 (new: toast)  |
| NotificationsChanged           | user-<id>       | notification_sync + 1 (read/deleted) |
| ContentReportCreated           | moderators      | reports_epoch + 1                    |
| ModeratorActionRecorded        | moderators      | actions_epoch + 1 (stats re-count)   |
| BuddiesChanged (each user)     | user-<id>       | buddies_epoch + 1                    |
| AchievementUnlocked            | user-<id>       | achievements_epoch + 1 (pop-up once) |
|                                | achievements-recent | recent_epoch + 1 ("Recently earned") |
| RecommendationPublished        | feed            | posts_epoch + 1 (feeds re-count new) |
| TripPublished                  | feed            | posts_epoch + 1 (feeds re-count new) |
| AccountStandingChanged         | user-<id>       | session_epoch + 1 (status/role re-read) |
| AppealsChanged                 | moderators      | appeals_epoch + 1                    |
| TripChanged                    | trip-<id>       | <part>_epoch + 1, serial + 1 (re-read) |
| (its itinerary, cities, details) | trip-<id>     | TripPlanLive: the itinerary read once, pushed |
| CityTravellersChanged (each city) | city-<id>    | epoch + 1 ("Upcoming travellers" re-read) |
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import reflex as rx

from citypulse.realtime import SessionsRevoked, relay, subscribe_batch
from citypulse.services.achievements.events import AchievementUnlocked
from citypulse.services.feed.events import RecommendationPublished, TripPublished
from citypulse.services.interactions.events import (
    ContentReportCreated,
    RecommendationCountersChanged,
    RecommendationRatingsChanged,
    ViewerInteractionChanged,
)
from citypulse.services.moderation.audit import ModeratorActionRecorded
from citypulse.services.moderation.events import AccountStandingChanged, AppealsChanged
from citypulse.services.notifications.events import NotificationCreated, NotificationsChanged
from citypulse.services.social.events import BuddiesChanged
from citypulse.services.trips.events import CityTravellersChanged, TripChanged
from citypulse.state import live_links
from citypulse.state.achievements.live import RECENT_KEY, RecentChannel
from citypulse.state.channels import MODERATORS_KEY, ModeratorChannel
from citypulse.state.feed.live import FEED_KEY, FeedChannel
from citypulse.state.recommendations import city_live
from citypulse.state.recommendations.live import (
    OwnInteractionsLive,
    RecommendationLive,
    channel_key,
)
from citypulse.state.recommendations.views import counters_view
from citypulse.state.session import UserChannel
from citypulse.state.trips import live as trip_live
from citypulse.state.trips import plan_live

Push = tuple[type[rx.SharedState], str, Callable[[Any], None]]


def _bump(field: str) -> Callable[[Any], None]:
    def change(shared: Any) -> None:
        setattr(shared, field, getattr(shared, field) + 1)

    return change


def _user(user_id: int) -> str:
    return f"user-{user_id}"


def push_for(event: object) -> Push | None:
    """The shared state, key and change an event calls for (None: nobody to tell)."""
    match event:
        case RecommendationCountersChanged():
            return RecommendationLive, channel_key(event.recommendation_id), event_counters(event)
        case RecommendationRatingsChanged():
            key = channel_key(event.recommendation_id)
            return RecommendationLive, key, _bump("ratings_version")
        case ViewerInteractionChanged():
            return OwnInteractionsLive, _user(event.user_id), own_interaction(event)
        case SessionsRevoked():
            return UserChannel, _user(event.user_id), _bump("session_epoch")
        case AccountStandingChanged():  # restricted screen, lift, Moderator tools (§6.6)
            return UserChannel, _user(event.user_id), _bump("session_epoch")
        case AppealsChanged():
            return ModeratorChannel, MODERATORS_KEY, _bump("appeals_epoch")
        case NotificationCreated():
            return UserChannel, _user(event.recipient_id), _bump("notification_epoch")
        case NotificationsChanged():
            return UserChannel, _user(event.recipient_id), _bump("notification_sync")
        case ContentReportCreated():
            return ModeratorChannel, MODERATORS_KEY, _bump("reports_epoch")
        case ModeratorActionRecorded():
            return ModeratorChannel, MODERATORS_KEY, _bump("actions_epoch")
        case RecommendationPublished() | TripPublished():
            return FeedChannel, FEED_KEY, _bump("posts_epoch")
    return None


def pushes_for(event: object) -> list[Push]:
    """Every push an event calls for: one per user for events about several users."""
    if isinstance(event, BuddiesChanged):
        return [(UserChannel, _user(user_id), _bump("buddies_epoch")) for user_id in event.user_ids]
    if isinstance(event, AchievementUnlocked):
        return [
            (UserChannel, _user(event.user_id), _bump("achievements_epoch")),
            (RecentChannel, RECENT_KEY, _bump("recent_epoch")),
        ]
    if isinstance(event, TripChanged):
        key = trip_live.channel_key(event.trip_id)
        pushes: list[Push] = [(trip_live.TripLive, key, trip_live.bump(event.parts))]
        if plan_live.PLAN_PARTS.intersection(event.parts):
            pushes.append((plan_live.TripPlanLive, key, plan_live.RefreshPlan(event.trip_id)))
        return pushes
    if isinstance(event, CityTravellersChanged):
        live = city_live.CityTravellersLive
        return [(live, city_live.channel_key(city), _bump("epoch")) for city in event.city_ids]
    push = push_for(event)
    return [] if push is None else [push]


def event_counters(event: RecommendationCountersChanged) -> Callable[[Any], None]:
    """Show the public counters exactly as the committed transaction left them."""
    counters = counters_view(event)

    def change(live: RecommendationLive) -> None:
        live.counters, live.ready = counters, True

    return change


def own_interaction(event: ViewerInteractionChanged) -> Callable[[Any], None]:
    """Tell the user's other tabs on that page what their like/save/rating now is."""

    def change(own: OwnInteractionsLive) -> None:
        own.recommendation_id, own.liked, own.saved = (
            event.recommendation_id,
            event.liked,
            event.saved,
        )
        own.my_rating, own.my_review = event.my_rating or 0, event.my_review or ""
        own.serial += 1

    return change


def hand_over(
    loop: asyncio.AbstractEventLoop, publish_all: Callable[[list[Push]], None]
) -> Callable[[list[object]], None]:
    """The handler of each transaction's committed events, called on the service's
    thread: their pushes go to the loop in one hand-over, which never waits or raises.

    One per push (1,000 for a notification to 1,000 people) woke the loop each time and
    traded the GIL with it: the last pushes reached the loop ~300 ms after the commit.
    """

    def handle_committed(events: list[object]) -> None:
        pushes = [push for event in events for push in pushes_for(event)]
        if pushes:
            loop.call_soon_threadsafe(publish_all, pushes)

    return handle_committed


async def start_live_pushes(app: rx.App) -> None:
    """Lifespan task: deliver committed events to open tabs — this worker's own, and
    (in one app process) those the job worker process relays (`realtime.relay`)."""
    loop = asyncio.get_running_loop()
    live_links.install(app)

    def publish_all(pushes: list[Push]) -> None:
        for push in pushes:
            live_links.publish(app, *push)

    def handle_relayed(event: object) -> None:  # already on the loop
        publish_all(pushes_for(event))

    subscribe_batch(hand_over(loop, publish_all))
    live_links.keep(loop.create_task(relay.listen(handle_relayed), name="live relay listener"))
