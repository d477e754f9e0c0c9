"""Mark read, mark all read, delete one, delete all read: the recipient only (§4.11, §6.1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models import Block
from citypulse.models.enums import AccountStatus
from citypulse.services.errors import NotFound
from citypulse.services.notifications.commands import (
    NOT_FOUND,
    delete_all_read,
    delete_notification,
    mark_all_read,
    mark_read,
)
from citypulse.services.notifications.events import NotificationsChanged
from tests.integration.interactions.support import act, viewer
from tests.integration.notifications.conftest import People
from tests.integration.notifications.support import rows_of, stored
from tests.integration.support import NOW

LATER = NOW + timedelta(minutes=5)


def state(session: Session, people: People) -> list[tuple[int, bool, object]]:
    return [(row.id, row.is_read, row.read_at) for row in rows_of(session, people.alice)]


def test_mark_read_returns_the_link_and_tells_every_tab(session: Session, people: People) -> None:
    row = stored(session, people.alice, at=NOW, action_url="/profile/n_bob")

    url, events = act(
        session, mark_read, actor=viewer(people.alice), notification_id=row.id, now=LATER
    )

    assert url == "/profile/n_bob"
    assert state(session, people) == [(row.id, True, LATER)]
    assert events == [NotificationsChanged(people.alice.id)]


def test_marking_a_read_one_again_changes_nothing(session: Session, people: People) -> None:
    row = stored(session, people.alice, at=NOW, read=True, action_url=None)

    url, events = act(
        session, mark_read, actor=viewer(people.alice), notification_id=row.id, now=LATER
    )

    assert (url, events) == (None, [])
    assert state(session, people) == [(row.id, True, NOW)]  # read_at kept


def test_mark_all_read_marks_only_the_actors_unread(session: Session, people: People) -> None:
    unread = [stored(session, people.alice, at=NOW) for _ in range(3)]
    read = stored(session, people.alice, at=NOW, read=True)
    carols = stored(session, people.carol, at=NOW)

    marked, events = act(session, mark_all_read, actor=viewer(people.alice), now=LATER)

    assert marked == 3
    assert events == [NotificationsChanged(people.alice.id)]
    assert state(session, people) == [(r.id, True, LATER) for r in unread] + [(read.id, True, NOW)]
    assert [r.is_read for r in rows_of(session, people.carol)] == [False]
    assert rows_of(session, people.carol)[0].id == carols.id
    # Nothing left to mark: no change, no push.
    assert act(session, mark_all_read, actor=viewer(people.alice), now=LATER) == (0, [])


def test_delete_one(session: Session, people: People) -> None:
    gone, kept = stored(session, people.alice, at=NOW), stored(session, people.alice, at=NOW)

    _, events = act(
        session, delete_notification, actor=viewer(people.alice), notification_id=gone.id
    )

    assert [row.id for row in rows_of(session, people.alice)] == [kept.id]
    assert events == [NotificationsChanged(people.alice.id)]


def test_delete_all_read_keeps_unread_and_others(session: Session, people: People) -> None:
    for _ in range(2):
        stored(session, people.alice, at=NOW, read=True)
    unread = stored(session, people.alice, at=NOW)
    carols = stored(session, people.carol, at=NOW, read=True)

    deleted, events = act(session, delete_all_read, actor=viewer(people.alice))

    assert deleted == 2
    assert events == [NotificationsChanged(people.alice.id)]
    assert [row.id for row in rows_of(session, people.alice)] == [unread.id]
    assert [row.id for row in rows_of(session, people.carol)] == [carols.id]
    assert act(session, delete_all_read, actor=viewer(people.alice)) == (0, [])


@pytest.mark.parametrize("command", ["mark_read", "delete_notification"])
def test_carol_cannot_touch_alices_notification(
    session: Session, people: People, command: str
) -> None:
    """Someone else's id is the same NotFound as an id that does not exist."""
    row = stored(session, people.alice, at=NOW)
    service = {"mark_read": mark_read, "delete_notification": delete_notification}[command]
    extra = {"now": LATER} if command == "mark_read" else {}

    for actor, notification_id in ((people.carol, row.id), (people.alice, row.id + 1000)):
        with pytest.raises(NotFound) as refused:
            act(session, service, actor=viewer(actor), notification_id=notification_id, **extra)
        assert refused.value.message == NOT_FOUND

    assert state(session, people) == [(row.id, False, None)]


def test_carols_bulk_actions_leave_alices_alone(session: Session, people: People) -> None:
    stored(session, people.alice, at=NOW)
    stored(session, people.alice, at=NOW, read=True)
    before = state(session, people)

    assert act(session, mark_all_read, actor=viewer(people.carol), now=LATER) == (0, [])
    assert act(session, delete_all_read, actor=viewer(people.carol)) == (0, [])

    assert state(session, people) == before


def test_a_notification_from_a_blocked_actor_is_not_found(session: Session, people: People) -> None:
    row = stored(session, people.alice, at=NOW, actor=people.bob)
    session.add(Block(blocker_id=people.alice.id, blocked_id=people.bob.id))

    with pytest.raises(NotFound):
        act(session, mark_read, actor=viewer(people.alice), notification_id=row.id, now=LATER)


def test_a_suspended_user_can_manage_their_notifications(session: Session, people: People) -> None:
    people.alice.account_status = AccountStatus.suspended
    session.add(people.alice)
    row = stored(session, people.alice, at=NOW)

    act(session, mark_read, actor=viewer(people.alice), notification_id=row.id, now=LATER)
    act(session, delete_all_read, actor=viewer(people.alice))

    assert rows_of(session, people.alice) == []
