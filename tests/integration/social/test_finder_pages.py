"""find_buddies: suggested friends-of-friends (§4.5.7) and keyset pages (§4.14)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from citypulse.models.enums import AccountStatus, BuddyStatus, Visibility
from tests.integration.profiles.support import block, connect
from tests.integration.social.finder_support import FUTURE, every_page, find, names, person


def test_suggested_lists_friends_of_friends_by_mutual_buddies_then_newest(
    session: Session,
) -> None:
    me = person(session, "sg_me")
    b1, b2, b3 = (person(session, f"sg_buddy{i}") for i in (1, 2, 3))
    for buddy in (b1, b2):
        connect(session, me, buddy)
    connect(session, b3, me)  # either direction is a buddy
    connect(session, b1, b2)  # a buddy of a buddy who is my buddy: not suggested
    three = person(session, "sg_three", created_at=FUTURE - timedelta(days=9))
    two = person(session, "sg_two", created_at=FUTURE - timedelta(days=8))
    one_new = person(session, "sg_one_new", created_at=FUTURE - timedelta(days=1))
    one_old = person(session, "sg_one_old", created_at=FUTURE - timedelta(days=2))
    for buddy in (b1, b2, b3):
        connect(session, three, buddy)
    connect(session, b1, two)
    connect(session, two, b3)
    connect(session, b2, one_new)
    connect(session, one_old, b3)
    pending_with_me = person(session, "sg_pending_with_me")
    connect(session, b1, pending_with_me)
    connect(session, pending_with_me, me, status=BuddyStatus.pending)
    blocked = person(session, "sg_blocked")
    connect(session, b2, blocked)
    block(session, blocked, me)
    only_asked = person(session, "sg_only_asked")  # a pending request is no buddy link
    connect(session, only_asked, b1, status=BuddyStatus.pending)
    private = person(session, "sg_private", visibility=Visibility.private)
    connect(session, b3, private)
    banned_buddy = person(session, "sg_banned", status=AccountStatus.banned)
    connect(session, me, banned_buddy)
    via_banned = person(session, "sg_via_banned")  # an inactive buddy does not count
    connect(session, banned_buddy, via_banned)
    person(session, "sg_stranger")

    page = find(session, me, suggested=True)

    assert [(row.username, row.mutual_count) for row in page.rows] == [
        ("sg_three", 3),
        ("sg_two", 2),
        ("sg_private", 1),  # the newest of those with one mutual buddy
        ("sg_one_new", 1),
        ("sg_one_old", 1),
    ]
    assert page.rows[2].limited is True
    assert page.next_cursor is None


def test_suggested_applies_the_filters_too(session: Session) -> None:
    me, buddy = person(session, "sf_me"), person(session, "sf_buddy")
    connect(session, me, buddy)
    for username in ("sf_alpha", "sf_beta"):
        connect(session, buddy, person(session, username))

    assert names(find(session, me, suggested=True, text="beta")) == ["sf_beta"]


def test_pages_never_repeat_or_skip_anyone_even_with_equal_timestamps(
    session: Session,
) -> None:
    me = person(session, "pg_me")
    # 45 people on 5 timestamps: the id breaks the ties.
    people = [
        person(session, f"pg_{i:02d}", created_at=FUTURE + timedelta(days=i % 5)) for i in range(45)
    ]

    pages = every_page(session, me, text="pg_", limit=20)

    assert [len(page) for page in pages] == [20, 20, 5]
    listed = [username for page in pages for username in page]
    expected = sorted(people, key=lambda user: (user.created_at, user.id), reverse=True)
    assert listed == [user.username for user in expected]


def test_someone_new_between_pages_is_not_repeated_or_skipped(session: Session) -> None:
    me = person(session, "pn_me")
    for i in range(5):
        person(session, f"pn_{i}")
    first = find(session, me, text="pn_", limit=3)
    person(session, "pn_newcomer")  # newer than everyone: belongs before page 1

    second = find(session, me, text="pn_", limit=3, cursor=first.next_cursor)

    assert names(first) == ["pn_4", "pn_3", "pn_2"]
    assert names(second) == ["pn_1", "pn_0"]


def test_suggested_pages_follow_mutual_count_then_newest_without_repeats(
    session: Session,
) -> None:
    me = person(session, "sp_me")
    buddies = [person(session, f"sp_buddy{i}") for i in range(3)]
    for buddy in buddies:
        connect(session, me, buddy)
    candidates = []
    for i in range(25):  # mutual counts 1..3, many ties on count and on time
        candidate = person(session, f"sp_{i:02d}", created_at=FUTURE + timedelta(days=i % 4))
        for buddy in buddies[: 1 + i % 3]:
            connect(session, buddy, candidate)
        candidates.append((1 + i % 3, candidate))

    pages = every_page(session, me, suggested=True, limit=10)

    assert [len(page) for page in pages] == [10, 10, 5]
    expected = sorted(
        candidates, key=lambda pair: (pair[0], pair[1].created_at, pair[1].id), reverse=True
    )
    assert [u for page in pages for u in page] == [user.username for _, user in expected]


def test_an_invalid_cursor_restarts_from_the_first_page(session: Session) -> None:
    me, buddy = person(session, "pi_me"), person(session, "pi_buddy")
    connect(session, me, buddy)
    for i in range(3):
        connect(session, buddy, person(session, f"pi_{i}"))
    first = find(session, me, text="pi_", limit=2)
    first_suggested = find(session, me, suggested=True, limit=2)

    for cursor in ("garbage", "3.garbage", "x.y", first.next_cursor + "!", "-1." + "A" * 8):
        assert names(find(session, me, text="pi_", limit=2, cursor=cursor)) == names(first)
        assert names(find(session, me, suggested=True, limit=2, cursor=cursor)) == names(
            first_suggested
        )
