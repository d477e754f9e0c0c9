"""Hidden, blocked (either way), removed, deleted, private and buddies-only items never
reach the wrong viewer, in every feed list and in the "N new posts" count (§4.9, issue 11).

Each case makes one post by a stranger (or a buddy for buddies-only) that alice must not
see, next to one she must see, then reads For You, Buddies, Trending (both windows) and
the new-posts count.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models import Block, Recommendation, User
from citypulse.models.enums import AccountStatus
from citypulse.services.feed import pool as feed_pool
from citypulse.services.feed.pages import new_posts_count
from citypulse.services.feed.pool import feed_pool_refresh
from citypulse.services.feed.trending import trending_refresh
from tests.integration.feed.support import NOW, People, like, post, scroll
from tests.integration.interactions.support import block, viewer
from tests.integration.profiles.support import connect
from tests.support.factories import create_user

SINCE = NOW - timedelta(days=1)


def _status(status: str) -> Callable[[Session, People, Recommendation], None]:
    def change(session: Session, people: People, rec: Recommendation) -> None:
        rec.status = status
        session.add(rec)

    return change


def _author_status(status: AccountStatus) -> Callable[[Session, People, Recommendation], None]:
    def change(session: Session, people: People, rec: Recommendation) -> None:
        author = session.get(User, rec.author_id)
        author.account_status = status
        session.add(author)

    return change


def _blocked_by_viewer(session: Session, people: People, rec: Recommendation) -> None:
    block(session, people.alice, session.get(User, rec.author_id))


def _viewer_blocked(session: Session, people: People, rec: Recommendation) -> None:
    block(session, session.get(User, rec.author_id), people.alice)


def _visibility(value: str) -> Callable[[Session, People, Recommendation], None]:
    def change(session: Session, people: People, rec: Recommendation) -> None:
        rec.visibility = value
        session.add(rec)

    return change


HIDDEN_CASES = {
    "removed": _status("removed"),
    "deleted": _status("deleted"),
    "author suspended (hidden)": _author_status(AccountStatus.suspended),
    "author deactivated (hidden)": _author_status(AccountStatus.deactivated),
    "blocked by the viewer": _blocked_by_viewer,
    "the viewer is blocked": _viewer_blocked,
    "private": _visibility("private"),
}


def _lists(session: Session, user: User) -> dict[str, set[int]]:
    trending_refresh(session, NOW)
    return {
        "for_you": set(scroll(session, user, "for_you")),
        "buddies": set(scroll(session, user, "buddies")),
        "trending 7": set(scroll(session, user, "trending", window_days=7)),
        "trending 30": set(scroll(session, user, "trending", window_days=30)),
    }


def _new(session: Session, user: User, tab: str) -> int:
    return new_posts_count(session, viewer=viewer(user), tab=tab, since=SINCE)


@pytest.mark.parametrize("case", list(HIDDEN_CASES))
@pytest.mark.parametrize("by_buddy", [False, True], ids=["stranger", "buddy"])
@pytest.mark.parametrize("pool", ["no pool", "fresh pool", "stale pool"])
def test_hidden_items_appear_in_no_list(
    session: Session,
    people: People,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    by_buddy: bool,
    pool: str,
) -> None:
    author = people.carol if by_buddy else people.bob
    if by_buddy:
        connect(session, people.alice, people.carol)
    fan = create_user(session)
    shown, hidden = post(session, people.dave), post(session, author)
    for rec in (shown, hidden):
        like(session, rec, fan, timedelta(hours=1))
    if pool != "no pool":  # every place from the pool, none read live
        monkeypatch.setattr(feed_pool, "LIVE_MARGIN", timedelta(0))
    if pool == "stale pool":  # refreshed while the item was visible: its pages re-check
        feed_pool_refresh(session, NOW)
    HIDDEN_CASES[case](session, people, hidden)
    session.flush()
    if pool == "fresh pool":
        feed_pool_refresh(session, NOW)

    lists = _lists(session, people.alice)

    assert shown.id in lists["for_you"] | lists["buddies"]
    for name, found in lists.items():
        assert hidden.id not in found, name
    assert _new(session, people.alice, "for_you") == 1
    assert _new(session, people.alice, "buddies") == 1


@pytest.mark.usefixtures("ranking_source")
def test_buddies_only_reaches_buddies_and_never_trending(session: Session, people: People) -> None:
    fan = create_user(session)
    friends = post(session, people.dave, visibility="friends_only")
    stranger_friends = post(session, people.bob, visibility="friends_only")
    for rec in (friends, stranger_friends):
        like(session, rec, fan, timedelta(hours=1))

    lists = _lists(session, people.alice)

    assert friends.id in lists["for_you"] and friends.id in lists["buddies"]
    assert friends.id not in lists["trending 7"] | lists["trending 30"]  # public only
    assert stranger_friends.id not in set().union(*lists.values())
    assert _new(session, people.alice, "for_you") == 1
    assert _new(session, people.carol, "for_you") == 0


@pytest.mark.usefixtures("ranking_source")
def test_unblocking_restores_visibility(session: Session, people: People) -> None:
    rec = post(session, people.bob)
    block(session, people.bob, people.alice)
    assert rec.id not in _lists(session, people.alice)["for_you"]
    session.query(Block).delete()
    session.flush()
    assert rec.id in _lists(session, people.alice)["for_you"]


def test_own_posts_never_counted_as_new(session: Session, people: People) -> None:
    post(session, people.alice)
    assert _new(session, people.alice, "for_you") == 0
    assert _new(session, people.alice, "buddies") == 0
