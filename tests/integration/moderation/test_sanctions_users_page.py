"""/moderator/users data: reported users first, search, and one user's panel."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from citypulse.services.errors import NotFound
from citypulse.services.moderation.authority import NOT_ON_MODERATOR, NOT_ON_SELF
from citypulse.services.moderation.users_page import moderated_user_panel, moderated_users
from citypulse.services.moderation.warnings import warning_issue
from tests.integration.moderation.support import NOW, act, make_cast, viewer


def warn(session: Session, cast, target) -> None:
    act(session, warning_issue, actor=viewer(cast.mod), user_id=target.id, warning_type="spam",
        severity="low", message="Please stop posting adverts.", now=NOW)  # fmt: skip


def test_warned_users_first_then_search(session: Session) -> None:
    cast = make_cast(session)
    warn(session, cast, cast.bob)
    warn(session, cast, cast.bob)
    warn(session, cast, cast.alice)
    lines = moderated_users(session, actor=viewer(cast.mod), now=NOW)
    assert [(line.username, line.active_warnings) for line in lines][:2] == [
        (cast.bob.username, 2), (cast.alice.username, 1)]  # fmt: skip
    found = moderated_users(session, actor=viewer(cast.mod), now=NOW, query="M_ALICE@example")
    assert [line.username for line in found] == [cast.alice.username]
    assert moderated_users(session, actor=viewer(cast.mod), now=NOW, query="%") == []
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
