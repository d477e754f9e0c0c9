"""Who may moderate whom (§1.5, §4.13.10): the shared check behind every moderation action."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from citypulse.models.enums import AccountStatus
from citypulse.services.errors import NotFound, PermissionDenied
from citypulse.services.moderation.authority import (
    ADMIN_ONLY,
    NOT_ON_ADMIN,
    NOT_ON_MODERATOR,
    NOT_ON_SELF,
    OWN_REPORT,
    USER_NOT_FOUND,
    require_admin,
    require_may_act_on,
    require_may_handle_report,
    require_moderator,
)
from tests.integration.moderation.support import make_cast, viewer
from tests.support.factories import create_user


def test_only_active_moderators_and_admins_pass(session: Session) -> None:
    cast = make_cast(session)
    assert require_moderator(session, viewer(cast.mod)).is_admin is False
    assert require_moderator(session, viewer(cast.admin)).is_admin is True
    for actor in (None, viewer(cast.bob)):
        with pytest.raises(NotFound):
            require_moderator(session, actor)


def test_a_demoted_or_suspended_moderator_is_refused_at_once(session: Session) -> None:
    cast = make_cast(session)
    stale = viewer(cast.mod)  # built before the change, as a kept viewer would be
    cast.mod.role = "user"
    cast.mod2.account_status = AccountStatus.suspended
    session.flush()
    for actor in (stale, viewer(cast.mod2)):
        with pytest.raises(NotFound):
            require_moderator(session, actor)


def test_admin_only(session: Session) -> None:
    cast = make_cast(session)
    assert require_admin(session, viewer(cast.admin)).is_admin
    with pytest.raises(PermissionDenied, match=ADMIN_ONLY):
        require_admin(session, viewer(cast.mod))
    with pytest.raises(NotFound):
        require_admin(session, viewer(cast.bob))


@pytest.mark.parametrize(
    ("actor", "target", "refusal"),
    [
        ("mod", "alice", None),
        ("admin", "alice", None),
        ("admin", "mod", None),
        ("mod", "mod", NOT_ON_SELF),
        ("admin", "admin", NOT_ON_SELF),
        ("mod", "mod2", NOT_ON_MODERATOR),
        ("mod", "admin", NOT_ON_ADMIN),
        ("admin", "admin2", NOT_ON_ADMIN),
    ],
)
def test_who_may_act_on_whom(
    session: Session, actor: str, target: str, refusal: str | None
) -> None:
    cast = make_cast(session)
    people = {**vars(cast), "admin2": create_user(session, username="m_admin2", role="admin")}
    moderator = require_moderator(session, viewer(people[actor]))
    if refusal is None:
        target_user = require_may_act_on(session, moderator, people[target].id, lock=True)
        assert target_user.username == people[target].username
    else:
        with pytest.raises(PermissionDenied, match=refusal):
            require_may_act_on(session, moderator, people[target].id)


@pytest.mark.parametrize("target_id", [0, -1, 10**12, "1", True, None])
def test_a_missing_user_is_not_found(session: Session, target_id: object) -> None:
    cast = make_cast(session)
    moderator = require_moderator(session, viewer(cast.mod))
    with pytest.raises(NotFound, match=USER_NOT_FOUND):
        require_may_act_on(session, moderator, target_id)  # type: ignore[arg-type]


def test_reports_the_moderator_filed_or_about_their_content_are_refused(session: Session) -> None:
    cast = make_cast(session)
    moderator = require_moderator(session, viewer(cast.mod))
    with pytest.raises(PermissionDenied, match=OWN_REPORT):
        require_may_handle_report(
            session, moderator, reporter_id=cast.mod.id, owner_id=cast.alice.id
        )
    with pytest.raises(PermissionDenied, match=NOT_ON_SELF):
        require_may_handle_report(session, moderator, reporter_id=cast.bob.id, owner_id=cast.mod.id)
    handled = require_may_handle_report(
        session, moderator, reporter_id=None, owner_id=cast.alice.id
    )
    assert handled.user_id == cast.alice.id
