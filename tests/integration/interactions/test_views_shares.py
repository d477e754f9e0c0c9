"""Views and shares (PRODUCT.md §4.4.4–§4.4.5, journey §7.11 second half)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models import RateLimitHit, Share, View
from citypulse.models.enums import ContentStatus, Visibility
from citypulse.services.errors import NotFound, ValidationFailed
from citypulse.services.interactions.events import RecommendationCountersChanged
from citypulse.services.interactions.views_shares import share_record, view_record
from tests.integration.interactions.conftest import World
from tests.integration.interactions.support import (
    act,
    assert_counters_match_rows,
    events_of,
    stored_counters,
    viewer,
)
from tests.integration.support import NOW, count


def visit(session: Session, rec, *, user=None, anon=None, ip="203.0.113.7", bot=False, now=NOW):
    return act(session, view_record, viewer_id=user.id if user else None, anon_key=anon, ip=ip,
               is_bot=bot, recommendation_id=rec.id, now=now)  # fmt: skip


def views(session: Session, rec) -> int:
    return stored_counters(session, rec.id)["views_count"]


def test_journey_7_11_three_visits_by_bob_count_once(session: Session, world: World) -> None:
    rec = world.rec
    counted, events = visit(session, rec, user=world.bob)
    assert counted
    assert events_of(events, RecommendationCountersChanged)[0].views == 1
    for minutes in (10, 50):
        counted, events = visit(session, rec, user=world.bob, now=NOW + timedelta(minutes=minutes))
        assert not counted and events == []
    assert views(session, rec) == 1
    # After 24 h the same user counts again.
    assert visit(session, rec, user=world.bob, now=NOW + timedelta(hours=24, seconds=1))[0]
    assert views(session, rec) == 2
    assert_counters_match_rows(session, rec.id)


def test_author_moderators_and_bots_never_count(session: Session, world: World) -> None:
    rec = world.rec
    for minutes in range(3):
        assert not visit(session, rec, user=world.alice, now=NOW + timedelta(minutes=minutes))[0]
    assert not visit(session, rec, user=world.mod)[0]
    assert not visit(session, rec, user=world.carol, bot=True)[0]
    assert not visit(session, rec, anon="cookie-bot", bot=True)[0]
    assert not visit(session, rec, anon=None)[0]  # no cookie id: nothing to dedupe on
    assert views(session, rec) == 0 and count(session, View, View.recommendation_id == rec.id) == 0


def test_anonymous_once_per_hour_per_cookie(session: Session, world: World) -> None:
    rec = world.rec
    assert visit(session, rec, anon="cookie-a")[0]
    assert not visit(session, rec, anon="cookie-a", now=NOW + timedelta(minutes=59))[0]
    assert visit(session, rec, anon="cookie-b", now=NOW + timedelta(minutes=1))[0]
    assert visit(session, rec, anon="cookie-a", now=NOW + timedelta(minutes=61))[0]
    assert views(session, rec) == 3
    stored = session.exec(View.__table__.select().where(View.recommendation_id == rec.id)).all()
    assert all(row.anon_key_hash not in ("cookie-a", "cookie-b") for row in stored)
    assert all(len(row.anon_key_hash) == 64 and row.user_id is None for row in stored)


def test_at_most_20_anonymous_views_per_ip_per_day(session: Session, world: World) -> None:
    rec = world.rec
    results = [visit(session, rec, anon=f"cookie-{i}", ip="198.51.100.9")[0] for i in range(25)]
    assert results == [True] * 20 + [False] * 5
    assert visit(session, rec, anon="cookie-other-ip", ip="198.51.100.10")[0]
    # Repeat visits of a counted cookie do not use up the IP's budget.
    assert not visit(session, rec, anon="cookie-0", ip="198.51.100.10")[0]
    assert views(session, rec) == 21
    # The IP is stored only as a keyed hash in the rate-limit key.
    keys = session.exec(RateLimitHit.__table__.select()).all()
    assert not any("198.51.100" in row.key for row in keys)
    # Signed-in users are not capped by the anonymous IP budget.
    assert visit(session, rec, user=world.bob, ip="198.51.100.9")[0]
    # The next UTC day the IP may count again.
    assert visit(session, rec, anon="cookie-99", ip="198.51.100.9", now=NOW + timedelta(days=1))[0]
    assert_counters_match_rows(session, rec.id)


def test_views_of_hidden_or_removed_recommendations(session: Session, world: World) -> None:
    rec = world.rec
    rec.visibility = Visibility.friends_only
    session.flush()
    with pytest.raises(NotFound):
        visit(session, rec, user=world.bob)
    with pytest.raises(NotFound):
        visit(session, rec, anon="cookie-a")
    assert visit(session, rec, user=world.dave)[0]  # alice's buddy sees it
    rec.status = ContentStatus.removed
    session.flush()
    assert not visit(session, rec, user=world.alice)[0]


def share(session: Session, user, rec, platform: str, now=NOW):
    return act(session, share_record, actor=viewer(user), recommendation_id=rec.id,
               platform=platform, now=now)  # fmt: skip


def test_shares_count_once_per_user_platform_and_day(session: Session, world: World) -> None:
    rec = world.rec
    result, events = share(session, world.bob, rec, "copy_link")
    assert result.counted and result.link == f"/recommendations/{rec.id}"
    assert result.state.shares == 1
    assert events_of(events, RecommendationCountersChanged)[0].shares == 1
    result, events = share(session, world.bob, rec, "copy_link", NOW + timedelta(hours=23))
    assert not result.counted and result.state.shares == 1 and events == []
    assert share(session, world.bob, rec, "twitter")[0].counted
    assert share(session, world.carol, rec, "copy_link")[0].counted
    assert share(session, world.alice, rec, "email")[0].counted  # sharing your own is fine
    # A share counts when the user has not shared it on that platform in the previous 24 h.
    later = NOW + timedelta(hours=47)
    assert share(session, world.bob, rec, "copy_link", later)[0].counted
    assert stored_counters(session, rec.id)["shares_count"] == 5
    assert count(session, Share, Share.recommendation_id == rec.id) == 6  # every share recorded


@pytest.mark.parametrize("platform", ["myspace", "", None, "COPY_LINK"])
def test_unknown_platform_is_refused(session: Session, world: World, platform: object) -> None:
    with pytest.raises(ValidationFailed) as refused:
        share(session, world.bob, world.rec, platform)
    assert "platform" in refused.value.field_errors
    assert count(session, Share, Share.recommendation_id == world.rec.id) == 0
