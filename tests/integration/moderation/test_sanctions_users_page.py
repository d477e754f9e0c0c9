"""/moderator/users data: reported users first, search, and one user's panel."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from citypulse.models import ContentReport
from citypulse.services.errors import NotFound
from citypulse.services.moderation.authority import NOT_ON_MODERATOR, NOT_ON_SELF
from citypulse.services.moderation.users_page import moderated_user_panel, moderated_users
from citypulse.services.moderation.warnings import warning_issue
from tests.integration.moderation.support import NOW, act, make_cast, viewer
from tests.support.factories import create_user


def warn(session: Session, cast, target) -> None:
    act(session, warning_issue, actor=viewer(cast.mod), user_id=target.id, warning_type="spam",
        severity="low", message="Please stop posting adverts.", now=NOW)  # fmt: skip


def test_warned_users_first_then_search(session: Session) -> None:
    cast = make_cast(session)
    warn(session, cast, cast.bob)
    warn(session, cast, cast.bob)
    warn(session, cast, cast.alice)
    lines = moderated_users(session, actor=viewer(cast.mod), now=NOW).users
    assert [(line.username, line.active_warnings) for line in lines][:2] == [
        (cast.bob.username, 2), (cast.alice.username, 1)]  # fmt: skip
    found = moderated_users(session, actor=viewer(cast.mod), now=NOW, query="M_ALICE@example").users
    assert [line.username for line in found] == [cast.alice.username]
    assert moderated_users(session, actor=viewer(cast.mod), now=NOW, query="%").users == []
    with pytest.raises(NotFound):
        moderated_users(session, actor=viewer(cast.bob), now=NOW)


def test_the_panel_offers_only_what_the_moderator_may_do(session: Session) -> None:
    cast = make_cast(session)
    warn(session, cast, cast.alice)
    panel = moderated_user_panel(session, actor=viewer(cast.mod), user_id=cast.alice.id, now=NOW)
    assert [w.state for w in panel.warnings] == ["active"]
    assert (panel.refusal, panel.may_change_role) == ("", False)
    on_mod2 = moderated_user_panel(session, actor=viewer(cast.mod), user_id=cast.mod2.id, now=NOW)
    assert on_mod2.refusal == NOT_ON_MODERATOR
    on_self = moderated_user_panel(session, actor=viewer(cast.mod), user_id=cast.mod.id, now=NOW)
    assert on_self.refusal == NOT_ON_SELF
    by_admin = moderated_user_panel(session, actor=viewer(cast.admin), user_id=cast.bob.id,
                                    now=NOW)  # fmt: skip
    assert by_admin.may_change_role is True
    with pytest.raises(NotFound, match="User not found"):
        moderated_user_panel(session, actor=viewer(cast.mod), user_id=10**9, now=NOW)


@pytest.mark.parametrize("query", ["", "page_user"])
def test_pages_follow_the_cursor_without_repeats(session: Session, query: str) -> None:
    cast = make_cast(session)
    people = [create_user(session, username=f"page_user_{n:02d}") for n in range(23)]
    for person in people[:3]:
        warn(session, cast, person)
    for person in people[3:]:  # reported by bob: an open report each
        session.add(ContentReport(reporter_id=cast.bob.id, content_type="profile",
                                  content_id=person.id, content_owner_id=person.id,
                                  reason="spam"))  # fmt: skip
    session.flush()
    seen, cursor = [], None
    while True:
        page = moderated_users(session, actor=viewer(cast.mod), now=NOW, query=query,
                               cursor=cursor)  # fmt: skip
        seen += [line.username for line in page.users]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    mine = [name for name in seen if name.startswith("page_user")]
    assert sorted(mine) == sorted(p.username for p in people) and len(mine) == len(set(mine))
    if not query:
        assert mine[:3] == [p.username for p in people[:3]]  # warned first
    restarted = moderated_users(session, actor=viewer(cast.mod), now=NOW, query=query,
                                cursor="bogus")  # fmt: skip
    assert restarted.users[0].username == seen[0]
