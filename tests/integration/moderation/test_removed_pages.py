"""A removed item's own page (§4.13.3): its owner and moderators see it with the
"Removed by moderation" banner; everyone else gets the 404. The owner's banner carries
the appeal of the removal (§4.13.9): once, within 30 days, while it is removed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models import User
from citypulse.models.enums import AccountStatus, Role
from citypulse.services.errors import Conflict, NotFound, ValidationFailed
from citypulse.services.moderation.appeals import (
    ALREADY_APPEALED,
    TOO_LATE,
    appeal_create,
    appeal_decide,
)
from citypulse.services.moderation.removal import content_remove
from citypulse.services.recommendations.page import Visit, recommendation_page
from tests.integration.moderation.support import NOW, act, make_cast, viewer
from tests.support.factories import create_recommendation

REASON = "Advertising a ticket reseller, not a place"
NO_VISIT = Visit(anon_key=None, ip=None, is_bot=False)


def removed_place(session: Session, cast) -> tuple[int, int]:
    place = create_recommendation(session, author=cast.alice, title="Tickets Tickets Tickets")
    done, _ = act(session, content_remove, actor=viewer(cast.mod), content_type="recommendation",
                  content_id=place.id, reason=REASON, now=NOW)  # fmt: skip
    return place.id, done.audit_id


def page_for(session: Session, who: User | None, place_id: int, *, now=NOW):
    return recommendation_page(session, viewer=viewer(who) if who else None,
                               recommendation_id=place_id, visit=NO_VISIT, now=now)  # fmt: skip


def test_owner_and_moderators_see_it_with_the_banner_others_get_404(session: Session) -> None:
    cast = make_cast(session)
    place_id, removal_id = removed_place(session, cast)
    for who in (cast.bob, None):
        with pytest.raises(NotFound):
            page_for(session, who, place_id)
    for moderator in (cast.mod, cast.mod2, cast.admin):
        page = page_for(session, moderator, place_id)
        assert page.detail.status == "removed"
        assert page.removal is not None and page.removal.reason == REASON
        assert not page.removal.owner_view and not page.removal.can_appeal
    owner = page_for(session, cast.alice, place_id).removal
    assert owner is not None and owner.reason == REASON and owner.owner_view
    assert owner.removal_id == removal_id and owner.can_appeal
    # A demoted moderator loses the view at once (the role is read now, not from the viewer).
    cast.mod2.role = Role.user
    session.add(cast.mod2)
    session.flush()
    with pytest.raises(NotFound):
        page_for(session, cast.mod2, place_id)
    # A suspended moderator neither.
    cast.mod.account_status = AccountStatus.suspended
    session.add(cast.mod)
    session.flush()
    with pytest.raises(NotFound):
        page_for(session, cast.mod, place_id)


def test_an_active_place_has_no_banner(session: Session) -> None:
    cast = make_cast(session)
    place = create_recommendation(session, author=cast.alice)
    assert page_for(session, cast.alice, place.id).removal is None
    assert page_for(session, cast.mod, place.id).removal is None


def test_the_owner_appeals_the_removal_once_from_the_banner(session: Session) -> None:
    cast = make_cast(session)
    place_id, removal_id = removed_place(session, cast)
    with pytest.raises(ValidationFailed) as short:
        act(session, appeal_create, actor=viewer(cast.alice), target_type="content_removal",
            target_id=removal_id, message="Too short", now=NOW)  # fmt: skip
    assert short.value.field_errors == {"message": "Message must be 20–2000 characters"}
    message = "It is a real place: I went there with my family last spring."
    act(session, appeal_create, actor=viewer(cast.alice), target_type="content_removal",
        target_id=removal_id, message=message, now=NOW)  # fmt: skip
    with pytest.raises(Conflict, match=ALREADY_APPEALED):
        act(session, appeal_create, actor=viewer(cast.alice), target_type="content_removal",
            target_id=removal_id, message=message, now=NOW)  # fmt: skip
    banner = page_for(session, cast.alice, place_id).removal
    assert banner is not None and banner.appeal_status == "pending" and not banner.can_appeal


def test_after_30_days_the_banner_says_why_not(session: Session) -> None:
    cast = make_cast(session)
    place_id, _ = removed_place(session, cast)
    later = NOW + timedelta(days=31)
    banner = page_for(session, cast.alice, place_id, now=later).removal
    assert banner is not None and banner.refusal == TOO_LATE and not banner.can_appeal


def test_a_rejected_appeal_shows_the_note_on_the_banner(session: Session) -> None:
    cast = make_cast(session)
    place_id, removal_id = removed_place(session, cast)
    message = "It is a real place and the prices are real too."
    appeal_id, _ = act(session, appeal_create, actor=viewer(cast.alice),
                       target_type="content_removal", target_id=removal_id, message=message,
                       now=NOW)  # fmt: skip
    note = "The page still links to a reseller."
    act(session, appeal_decide, actor=viewer(cast.mod2), appeal_id=appeal_id, grant=False,
        note=note, now=NOW + timedelta(hours=1))  # fmt: skip
    banner = page_for(session, cast.alice, place_id).removal
    assert banner is not None and banner.appeal_status == "rejected"
    assert banner.decision_note == note
