"""What the recipient sees: badge, bell, /notifications pages and filters (§4.11)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from citypulse.models import Block, Profile
from citypulse.models.enums import NotificationType
from citypulse.services.errors import NotFound, PermissionDenied
from citypulse.services.notifications import queries
from citypulse.services.notifications.queries import (
    FILTERS,
    LATEST_SIZE,
    PAGE_SIZE,
    NotificationRow,
    latest,
    notifications_page,
    unread_count,
)
from citypulse.services.notifications.types import TypeGroup, types_in
from tests.integration.interactions.support import viewer
from tests.integration.notifications.conftest import People
from tests.integration.notifications.support import stored
from tests.integration.support import NOW


def test_a_row_names_the_actor_and_carries_the_link(session: Session, people: People) -> None:
    profile = session.exec(select(Profile).where(Profile.user_id == people.bob.id)).one()
    profile.avatar_key = "avatars/bob.webp"
    session.add(profile)
    row = stored(
        session, people.alice, at=NOW, actor=people.bob, title="Bob Silva sent a request",
        message="Bob Silva (@n_bob) wants to be your buddy.",
    )  # fmt: skip

    page = notifications_page(session, viewer=viewer(people.alice))

    assert page.items == [
        NotificationRow(
            id=row.id,
            type="buddy_request",
            group="social",
            title="Bob Silva sent a request",
            message="Bob Silva (@n_bob) wants to be your buddy.",
            actor_username="n_bob",
            actor_full_name="Bob Silva",
            actor_avatar_key="avatars/bob.webp",
            action_url="/buddies?tab=requests",
            is_read=False,
            created_at=NOW,
        )
    ]
    assert (page.next_cursor, page.unread) == (None, 1)


def test_a_notice_without_actor_has_no_actor_fields(session: Session, people: People) -> None:
    stored(session, people.alice, at=NOW, type_=NotificationType.system, action_url=None)

    [row] = notifications_page(session, viewer=viewer(people.alice)).items

    assert (row.group, row.actor_username, row.actor_full_name, row.actor_avatar_key) == (
        "system", None, None, None,
    )  # fmt: skip
    assert row.action_url is None


def test_pages_of_twenty_newest_first_without_gaps_or_repeats(
    session: Session, people: People
) -> None:
    # 45 rows, several sharing a timestamp: the id breaks the tie.
    ids = [stored(session, people.alice, at=NOW + timedelta(minutes=i // 3)).id for i in range(45)]
    expected = sorted(ids, key=lambda i: (ids.index(i) // 3, i), reverse=True)
    alice = viewer(people.alice)

    seen, cursor, sizes = [], None, []
    while True:
        page = notifications_page(session, viewer=alice, cursor=cursor)
        seen += [row.id for row in page.items]
        sizes.append(len(page.items))
        if (cursor := page.next_cursor) is None:
            break

    assert sizes == [PAGE_SIZE, PAGE_SIZE, 5]
    assert seen == expected


def test_limit_is_kept_between_one_and_fifty(session: Session, people: People) -> None:
    for i in range(55):
        stored(session, people.alice, at=NOW + timedelta(seconds=i))
    alice = viewer(people.alice)
    assert len(notifications_page(session, viewer=alice, limit=0).items) == 1
    assert len(notifications_page(session, viewer=alice, limit=500).items) == 50


def test_an_invalid_cursor_restarts_the_list(session: Session, people: People) -> None:
    row = stored(session, people.alice, at=NOW)
    page = notifications_page(session, viewer=viewer(people.alice), cursor="not-a-cursor")
    assert [item.id for item in page.items] == [row.id]


def test_filters_unread_and_each_type_group(session: Session, people: People) -> None:
    made = {}
    for i, kind in enumerate(NotificationType):
        made[kind] = stored(session, people.alice, at=NOW + timedelta(seconds=i), type_=kind,
                            read=kind == NotificationType.buddy_declined).id  # fmt: skip
    alice = viewer(people.alice)

    def ids(filter_name: str) -> set[int]:
        page = notifications_page(session, viewer=alice, filter=filter_name, limit=50)
        return {row.id for row in page.items}

    assert ids("all") == set(made.values())
    assert ids("unread") == set(made.values()) - {made[NotificationType.buddy_declined]}
    for name in FILTERS[2:]:
        assert ids(name) == {made[kind] for kind in types_in(TypeGroup(name))}, name
    assert {made[NotificationType.report_update], made[NotificationType.account_banned]} <= ids(
        "moderation"
    )
    assert ids("social") == {
        made[NotificationType.buddy_request],
        made[NotificationType.buddy_accepted],
        made[NotificationType.buddy_declined],
    }


def test_an_unknown_filter_is_not_found(session: Session, people: People) -> None:
    with pytest.raises(NotFound):
        notifications_page(session, viewer=viewer(people.alice), filter="system'--")


def test_signed_out_sees_nothing(session: Session, people: People) -> None:
    stored(session, people.alice, at=NOW)
    for loader in (unread_count, notifications_page, latest):
        with pytest.raises(PermissionDenied, match="Sign in to continue"):
            loader(session, viewer=None)


def test_only_the_recipient_sees_a_notification(session: Session, people: People) -> None:
    stored(session, people.alice, at=NOW, actor=people.bob)
    carol = viewer(people.carol)

    assert unread_count(session, viewer=carol) == 0
    assert notifications_page(session, viewer=carol).items == []
    assert latest(session, viewer=carol).latest == []
    assert unread_count(session, viewer=viewer(people.alice)) == 1


def test_the_bell_counts_unread_and_shows_the_latest_ten(session: Session, people: People) -> None:
    rows = [
        stored(session, people.alice, at=NOW + timedelta(seconds=i), read=i % 2 == 0)
        for i in range(13)
    ]

    bell = latest(session, viewer=viewer(people.alice))

    assert bell.unread == 6 == unread_count(session, viewer=viewer(people.alice))
    assert [row.id for row in bell.latest] == [row.id for row in reversed(rows)][:LATEST_SIZE]


@pytest.mark.parametrize("blocker", ["recipient", "actor"])
def test_a_block_made_later_hides_that_actors_notifications(
    session: Session, people: People, blocker: str
) -> None:
    stored(session, people.alice, at=NOW, actor=people.bob)
    kept = stored(session, people.alice, at=NOW, actor=people.dave)
    alice, bob = people.alice, people.bob
    pair = (alice, bob) if blocker == "recipient" else (bob, alice)
    session.add(Block(blocker_id=pair[0].id, blocked_id=pair[1].id))
    session.flush()

    page = notifications_page(session, viewer=viewer(alice))

    assert [row.id for row in page.items] == [kept.id]
    assert page.unread == 1 == unread_count(session, viewer=viewer(alice))


def test_a_restricted_account_still_sees_its_notifications(
    session: Session, people: People
) -> None:
    """§4.13.8: a suspended or banned user keeps /notifications."""
    stored(session, people.alice, at=NOW, type_=NotificationType.account_suspended)
    people.alice.account_status = "suspended"
    session.add(people.alice)
    session.flush()
    assert unread_count(session, viewer=viewer(people.alice)) == 1


def test_the_badge_and_the_list_are_served_by_the_recipient_indexes(
    session: Session, people: People
) -> None:
    """The unread count can use the partial index (`NOT is_read` matches its predicate)."""
    alice = people.alice.id
    session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    plans = {}
    for name, statement, values in (
        ("unread", queries._UNREAD, {"viewer_id": alice}),
        ("unread list", queries._LISTS["unread"], {}),
        ("all list", queries._LISTS["all"], {}),
    ):
        sql = statement._sql or statement._compile(session)
        params = {"viewer_id": alice, "before_at": NOW, "before_id": 0, "row_limit": 21, **values}
        plan = session.connection().exec_driver_sql("EXPLAIN " + sql, params).scalars().all()
        plans[name] = "\n".join(plan)
    assert "ix_notifications_unread" in plans["unread"], plans["unread"]
    assert "ix_notifications_unread" in plans["unread list"], plans["unread list"]
    assert "ix_notifications_recipient_id_created_at_id" in plans["all list"], plans["all list"]
