"""The push adapter's routing: every published domain event reaches one shared key.

The delivery itself (Reflex fan-out, pruning, workers) is covered by
tests/e2e/test_live_fanout.py and tests/deploy/test_live_across_workers.py.
"""

from __future__ import annotations

import pytest

from citypulse.realtime import SessionsRevoked
from citypulse.services.feed.events import RecommendationPublished, TripPublished
from citypulse.services.interactions import events
from citypulse.services.notifications.events import NotificationCreated, NotificationsChanged
from citypulse.services.social.events import BuddiesChanged
from citypulse.state.channels import MODERATORS_KEY, ModeratorChannel
from citypulse.state.feed.live import FEED_KEY, FeedChannel
from citypulse.state.push import hand_over, push_for, pushes_for
from citypulse.state.recommendations.live import OwnInteractionsLive, RecommendationLive
from citypulse.state.recommendations.views import CountersView
from citypulse.state.session import UserChannel


class Blank:
    """Stands in for a shared state: the change functions only set attributes."""

    def __init__(self, **values: object) -> None:
        self.__dict__.update(values)


COUNTERS = events.RecommendationCountersChanged(
    recommendation_id=7, likes=3, saves=2, shares=1, ratings_count=4, rating_avg=4.25, views=9
)


def test_counters_land_on_the_recommendation_key_as_shown() -> None:
    shared_cls, key, change = push_for(COUNTERS)
    assert (shared_cls, key) == (RecommendationLive, "rec-7")
    live = Blank(ready=False, counters=CountersView())
    change(live)
    assert live.ready is True
    assert live.counters == CountersView(
        likes=3, saves=2, shares=1, views=9, ratings_count=4, rating_avg=4.25, rating_label="4.3"
    )


def test_ratings_changes_bump_the_version_viewers_refetch_on() -> None:
    shared_cls, key, change = push_for(events.RecommendationRatingsChanged(recommendation_id=7))
    live = Blank(ratings_version=5)
    change(live)
    assert (shared_cls, key, live.ratings_version) == (RecommendationLive, "rec-7", 6)


def test_own_interaction_goes_to_that_users_tabs_only() -> None:
    event = events.ViewerInteractionChanged(
        user_id=42, recommendation_id=7, liked=True, saved=False, my_rating=4, my_review="Nice"
    )
    shared_cls, key, change = push_for(event)
    own = Blank(serial=1, recommendation_id=0, liked=False, saved=True, my_rating=3)
    change(own)
    assert (shared_cls, key) == (OwnInteractionsLive, "user-42")
    assert vars(own) == {
        "serial": 2,
        "recommendation_id": 7,
        "liked": True,
        "saved": False,
        "my_rating": 4,
        "my_review": "Nice",
    }


@pytest.mark.parametrize(
    ("event", "shared_cls", "key", "field"),
    [
        (SessionsRevoked(user_id=5), UserChannel, "user-5", "session_epoch"),
        (NotificationCreated(5, 99), UserChannel, "user-5", "notification_epoch"),
        (NotificationsChanged(5), UserChannel, "user-5", "notification_sync"),
        (
            events.ContentReportCreated(8, "profile"),
            ModeratorChannel,
            MODERATORS_KEY,
            "reports_epoch",
        ),
        (RecommendationPublished(12, 5), FeedChannel, FEED_KEY, "posts_epoch"),
        (TripPublished(3, 5), FeedChannel, FEED_KEY, "posts_epoch"),
    ],
)
def test_user_and_moderator_signals_bump_an_epoch(event, shared_cls, key, field) -> None:
    routed_cls, routed_key, change = push_for(event)
    channel = Blank(**{field: 1})
    change(channel)
    assert (routed_cls, routed_key, getattr(channel, field)) == (shared_cls, key, 2)
    assert field in shared_cls.get_fields()


def test_unknown_events_are_not_pushed() -> None:
    assert push_for(object()) is None


def test_buddies_changes_bump_the_epoch_of_every_user_involved() -> None:
    pushes = pushes_for(BuddiesChanged(user_ids=(3, 4)))
    assert [(cls, key) for cls, key, _ in pushes] == [
        (UserChannel, "user-3"),
        (UserChannel, "user-4"),
    ]
    channel = Blank(buddies_epoch=1)
    for _, _, change in pushes:
        change(channel)
    assert channel.buddies_epoch == 3
    assert "buddies_epoch" in UserChannel.get_fields()


def test_single_key_events_keep_their_one_push() -> None:
    assert pushes_for(SessionsRevoked(user_id=5))[0][:2] == (UserChannel, "user-5")
    assert len(pushes_for(SessionsRevoked(user_id=5))) == 1
    assert pushes_for(object()) == []


class RecordingLoop:
    """Stands in for the app's event loop: records what a service thread hands over."""

    def __init__(self) -> None:
        self.handed: list[tuple[object, tuple]] = []

    def call_soon_threadsafe(self, callback: object, *args: object) -> None:
        self.handed.append((callback, args))


def test_a_transactions_pushes_reach_the_loop_in_one_hand_over_in_order() -> None:
    loop = RecordingLoop()

    def publish_all(pushes: list) -> None:
        raise AssertionError("called on the loop, never on the service's thread")

    handle = hand_over(loop, publish_all)  # type: ignore[arg-type]
    handle([NotificationCreated(recipient_id, 10 + recipient_id) for recipient_id in (3, 1, 2)]
           + [object()])  # fmt: skip
    assert len(loop.handed) == 1
    callback, (pushes,) = loop.handed[0]
    assert callback is publish_all
    assert [(cls, key) for cls, key, _ in pushes] == [
        (UserChannel, "user-3"),
        (UserChannel, "user-1"),
        (UserChannel, "user-2"),
    ]


def test_a_transaction_without_pushes_hands_nothing_over() -> None:
    loop = RecordingLoop()
    hand_over(loop, lambda pushes: None)([object()])  # type: ignore[arg-type]
    hand_over(loop, lambda pushes: None)([])  # type: ignore[arg-type]
    assert loop.handed == []
