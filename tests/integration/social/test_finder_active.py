"""active_buddies (§4.5.8, §2.2 dashboard): up to 4 buddies, active ones first with the
green dot, each group by latest recommendation the viewer may see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from citypulse.auth.sessions import session_start
from citypulse.models import User
from citypulse.models.enums import AccountStatus, BuddyStatus, Visibility
from citypulse.services.social.active import active_buddies
from tests.integration.interactions.support import viewer
from tests.integration.profiles.support import connect
from tests.integration.social.finder_support import person
from tests.support.factories import create_recommendation

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def seen(session: Session, user: User, ago: timedelta) -> None:
    """`user` signed in (and so was last active) `ago` before NOW."""
    session_start(
        session, user_id=user.id, remember_me=False, user_agent=None, ip=None, now=NOW - ago
    )


def posted(session: Session, user: User, ago: timedelta, visibility: str = "public") -> None:
    recommendation = create_recommendation(session, author=user, visibility=visibility)
    recommendation.created_at = NOW - ago
    session.add(recommendation)
    session.flush()


def panel(session: Session, user: User, **kwargs: object) -> list[tuple[str, bool]]:
    found = active_buddies(session, viewer=viewer(user), now=NOW, **kwargs)  # type: ignore[arg-type]
    return [(buddy.username, buddy.active) for buddy in found]


def test_active_buddies_come_first_by_latest_recommendation(session: Session) -> None:
    me = person(session, "ab_me")
    recent, older, quiet, away = (
        person(session, f"ab_{name}") for name in ("recent", "older", "quiet", "away")
    )
    for buddy in (recent, older, quiet, away):
        connect(session, me, buddy)
    seen(session, recent, timedelta(hours=23))
    seen(session, older, timedelta(minutes=5))
    seen(session, quiet, timedelta(hours=1))
    seen(session, away, timedelta(hours=25))  # outside the 24 h window
    posted(session, recent, timedelta(days=1))
    posted(session, older, timedelta(days=3))
    posted(session, away, timedelta(hours=2))  # the newest post, but not active

    assert panel(session, me) == [
        ("ab_recent", True),
        ("ab_older", True),
        ("ab_quiet", True),  # active, no recommendation
        ("ab_away", False),
    ]


def test_inactive_buddies_fill_the_panel_up_to_four(session: Session) -> None:
    me = person(session, "af_me")
    buddies = [person(session, f"af_{i}") for i in range(6)]
    for buddy in buddies:
        connect(session, buddy, me)
    seen(session, buddies[5], timedelta(hours=2))
    posted(session, buddies[1], timedelta(days=10))
    posted(session, buddies[2], timedelta(days=5))

    assert panel(session, me) == [
        ("af_5", True),
        ("af_2", False),
        ("af_1", False),
        ("af_4", False),  # no recommendation: then by last seen (never), then newest id
    ]
    assert len(panel(session, me, limit=10)) == 6


def test_only_buddies_the_viewer_may_see_and_only_visible_recommendations_count(
    session: Session,
) -> None:
    me = person(session, "av_me")
    public_poster, private_poster = person(session, "av_public"), person(session, "av_private")
    for buddy in (public_poster, private_poster):
        connect(session, me, buddy)
        seen(session, buddy, timedelta(hours=1))
    posted(session, public_poster, timedelta(days=2))
    posted(session, private_poster, timedelta(days=9), visibility=Visibility.friends_only)
    posted(session, private_poster, timedelta(hours=1), visibility=Visibility.private)
    banned = person(session, "av_banned", status=AccountStatus.banned)
    asked = person(session, "av_asked")
    stranger = person(session, "av_stranger")
    connect(session, me, banned)
    connect(session, asked, me, status=BuddyStatus.pending)
    for other in (banned, asked, stranger):
        seen(session, other, timedelta(minutes=1))

    assert panel(session, me) == [("av_public", True), ("av_private", True)]


def test_last_active_at_counts_as_activity_and_visitors_get_an_empty_panel(
    session: Session,
) -> None:
    me, buddy = person(session, "al_me"), person(session, "al_buddy")
    connect(session, me, buddy)
    buddy.last_active_at = NOW - timedelta(hours=3)
    session.add(buddy)
    session.flush()

    assert panel(session, me) == [("al_buddy", True)]
    assert active_buddies(session, viewer=None) == []
