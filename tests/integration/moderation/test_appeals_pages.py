"""The restricted screen's data and the moderators' appeals queue."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.services.errors import NotFound
from citypulse.services.moderation.appeal_pages import appeals_queue, restricted_screen
from citypulse.services.moderation.appeals import OWN_ACTION, TOO_LATE, appeal_create
from citypulse.services.moderation.sanctions import user_ban, user_reinstate, user_suspend
from citypulse.services.moderation.warnings import warning_issue
from tests.integration.moderation.support import NOW, act, make_cast, viewer

MESSAGE = "I was travelling that week and did not post any of this."


def test_the_restricted_screen_lists_the_sanction_and_warnings(session: Session) -> None:
    cast = make_cast(session)
    assert restricted_screen(session, viewer=viewer(cast.alice), now=NOW) is None
    assert restricted_screen(session, viewer=None, now=NOW) is None
    for _ in range(3):
        act(session, warning_issue, actor=viewer(cast.mod), user_id=cast.alice.id,
            warning_type="spam", severity="medium", message="Please stop posting adverts.",
            now=NOW)  # fmt: skip
    alice = replace(viewer(cast.alice), status="suspended")
    screen = restricted_screen(session, viewer=alice, now=NOW)
    assert (screen.kind, screen.ends_at) == ("suspension", NOW + timedelta(days=7))
    assert screen.sanction.target_type == "suspension" and screen.sanction.appeal_status == ""
    assert len(screen.warnings) == 3 and screen.warnings[0].summary.startswith("Medium severity")
    act(session, appeal_create, actor=alice, target_type="suspension",
        target_id=screen.sanction.target_id, message=MESSAGE, now=NOW)  # fmt: skip
    again = restricted_screen(session, viewer=alice, now=NOW + timedelta(days=31))
    assert again.sanction.appeal_status == "pending" and again.sanction.refusal == ""
    assert {w.refusal for w in again.warnings} == {TOO_LATE}


def test_the_queue_is_for_moderators_and_says_who_may_decide(session: Session) -> None:
    cast = make_cast(session)
    receipt, _ = act(session, user_suspend, actor=viewer(cast.mod), user_id=cast.alice.id,
                     days=3, reason="Spam across many reviews", now=NOW)  # fmt: skip
    act(session, appeal_create, actor=viewer(cast.alice), target_type="suspension",
        target_id=receipt.suspension_id, message=MESSAGE, now=NOW)  # fmt: skip
    for outsider in (None, viewer(cast.bob)):
        with pytest.raises(NotFound):
            appeals_queue(session, actor=outsider, status="pending")
    [mine] = appeals_queue(session, actor=viewer(cast.mod), status="pending").items
    [theirs] = appeals_queue(session, actor=viewer(cast.mod2), status="pending").items
    assert (mine.refusal, theirs.refusal) == (OWN_ACTION, "")
    assert mine.appellant == cast.alice.username and mine.summary.startswith("Suspension: Spam")
    assert appeals_queue(session, actor=viewer(cast.admin), status="granted").items == []


def test_a_ban_is_permanent_and_a_lifted_sanction_is_not_shown(session: Session) -> None:
    cast = make_cast(session)
    act(session, user_ban, actor=viewer(cast.mod), user_id=cast.alice.id,
        reason="Spam across many reviews", now=NOW)  # fmt: skip
    alice = replace(viewer(cast.alice), status="banned")
    screen = restricted_screen(session, viewer=alice, now=NOW)
    assert (screen.kind, screen.ends_at, screen.reason) == ("ban", None, "Spam across many reviews")
    act(session, user_reinstate, actor=viewer(cast.admin), user_id=cast.alice.id,
        reason="Reinstated after review", now=NOW)  # fmt: skip
    assert restricted_screen(session, viewer=alice, now=NOW) is None
