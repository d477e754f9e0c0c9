"""The report queue grouped by item, its filters and an item's detail (§2.3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models import ContentReport, ModerationWarning, Suspension
from citypulse.services.errors import NotFound
from citypulse.services.moderation.authority import NOT_ON_SELF, OWN_REPORT
from citypulse.services.moderation.queue import (
    QueueFilters,
    report_item_detail,
    report_queue,
)
from tests.integration.moderation.support import (
    NOW,
    make_cast,
    reported_recommendation,
    viewer,
)
from tests.integration.moderation.test_removal import remove
from tests.support.factories import create_recommendation, create_user


def report(session: Session, reporter, kind: str, ident: int, owner, reason: str, at=NOW) -> None:
    session.add(ContentReport(reporter_id=reporter.id, content_type=kind, content_id=ident,
                              content_owner_id=owner.id, reason=reason, created_at=at,
                              updated_at=at))  # fmt: skip
    session.flush()


def queue(session: Session, actor, **filters):
    page = report_queue(session, viewer=viewer(actor), filters=QueueFilters(**filters))
    return [(i.content_type, i.content_id, i.report_count, i.reasons) for i in page.items]


def test_grouped_by_item_with_counts_reasons_and_filters(session: Session) -> None:
    cast = make_cast(session)
    carol = create_user(session, username="m_carol")
    rec = reported_recommendation(session, cast, cast.bob)
    report(
        session, carol, "recommendation", rec.id, cast.alice, "misleading", NOW + timedelta(hours=1)
    )
    report(
        session,
        cast.bob,
        "profile",
        cast.alice.id,
        cast.alice,
        "impersonation",
        NOW - timedelta(days=2),
    )

    mine = [row for row in queue(session, cast.mod) if row[1] in (rec.id, cast.alice.id)]
    assert mine[:2] == [
        ("recommendation", rec.id, 2, ("misleading", "spam")),
        ("profile", cast.alice.id, 1, ("impersonation",)),
    ]
    assert ("profile", cast.alice.id, 1, ("impersonation",)) not in queue(
        session, cast.mod, content_type="recommendation"
    )
    by_reason = queue(session, cast.mod, reason="misleading")
    assert ("recommendation", rec.id, 1, ("misleading",)) in by_reason
    on_day = queue(
        session,
        cast.mod,
        day_from=(NOW - timedelta(days=2)).date(),
        day_to=(NOW - timedelta(days=2)).date(),
    )
    assert (
        on_day == [("profile", cast.alice.id, 1, ("impersonation",))]
        or ("profile", cast.alice.id, 1, ("impersonation",)) in on_day
    )
    remove(session, cast.mod, "recommendation", rec.id)
    assert ("recommendation", rec.id, 2, ("misleading", "spam")) in queue(
        session, cast.mod, status="resolved"
    )
    pending = queue(session, cast.mod, status="pending")
    assert all(row[1] != rec.id or row[0] != "recommendation" for row in pending), pending


def test_queue_pages_never_repeat_or_skip(session: Session) -> None:
    cast = make_cast(session)
    ids = []
    for n in range(23):
        rec = create_recommendation(session, author=cast.alice, title=f"Place number {n}")
        report(
            session,
            cast.bob,
            "recommendation",
            rec.id,
            cast.alice,
            "spam",
            NOW + timedelta(minutes=n),
        )
        ids.append(rec.id)
    first = report_queue(
        session, viewer=viewer(cast.mod), filters=QueueFilters(content_type="recommendation")
    )
    assert len(first.items) == 20 and first.next_cursor
    second = report_queue(
        session,
        viewer=viewer(cast.mod),
        filters=QueueFilters(content_type="recommendation"),
        cursor=first.next_cursor,
    )
    seen = [i.content_id for i in (*first.items, *second.items) if i.content_id in ids]
    assert seen == list(reversed(ids))
    again = report_queue(session, viewer=viewer(cast.mod), filters=QueueFilters(), cursor="garbage")
    assert again.items[0].content_id == ids[-1] or again.items  # an invalid cursor restarts


def test_detail_shows_removed_content_reports_warnings_and_sanctions(session: Session) -> None:
    cast = make_cast(session)
    rec = reported_recommendation(session, cast)
    session.add(
        ModerationWarning(
            user_id=cast.alice.id,
            moderator_id=cast.mod2.id,
            warning_type="spam",
            severity="low",
            message="Please stop posting ads.",
            expires_at=NOW + timedelta(days=180),
        )
    )
    session.add(
        Suspension(
            user_id=cast.alice.id,
            kind="suspension",
            imposed_by_id=cast.mod2.id,
            reason="Repeated spam after warnings",
            starts_at=NOW - timedelta(days=30),
            ends_at=NOW - timedelta(days=23),
            lifted_at=NOW - timedelta(days=23),
        )
    )
    session.flush()
    detail = report_item_detail(
        session, viewer=viewer(cast.mod), content_type="recommendation", content_id=rec.id
    )
    assert (detail.title, detail.owner, detail.removed) == ("Too good to be true", "m_alice", False)
    assert (
        detail.actions == ("start_review", "dismiss")
        and detail.can_remove
        and not detail.can_restore
    )
    assert [r.reporter for r in detail.reports] == ["m_bob"]
    assert [w.message for w in detail.warnings] == ["Please stop posting ads."]
    assert [s.kind for s in detail.sanctions] == ["suspension"]

    remove(session, cast.mod, "recommendation", rec.id)
    detail = report_item_detail(
        session, viewer=viewer(cast.mod), content_type="recommendation", content_id=rec.id
    )
    assert detail.removed and detail.can_restore and detail.actions == ("reopen",)
    assert detail.body  # the removed content is still shown to moderators


def test_detail_says_why_a_moderator_may_not_act(session: Session) -> None:
    cast = make_cast(session)
    own = create_recommendation(session, author=cast.mod)
    report(session, cast.bob, "recommendation", own.id, cast.mod, "spam")
    rec = create_recommendation(session, author=cast.alice)
    report(session, cast.mod, "recommendation", rec.id, cast.alice, "spam")
    mine = report_item_detail(
        session, viewer=viewer(cast.mod), content_type="recommendation", content_id=own.id
    )
    assert (mine.refusal, mine.actions, mine.can_remove) == (NOT_ON_SELF, (), False)
    filed = report_item_detail(
        session, viewer=viewer(cast.mod), content_type="recommendation", content_id=rec.id
    )
    assert (filed.refusal, filed.actions) == (OWN_REPORT, ())
    assert (
        report_item_detail(
            session, viewer=viewer(cast.mod2), content_type="recommendation", content_id=rec.id
        ).refusal
        == ""
    )


@pytest.mark.parametrize("who", [None, "bob", "alice"])
def test_only_moderators_read_the_queue(session: Session, who) -> None:
    cast = make_cast(session)
    rec = reported_recommendation(session, cast)
    actor = None if who is None else viewer(getattr(cast, who))
    with pytest.raises(NotFound):
        report_queue(session, viewer=actor, filters=QueueFilters())
    with pytest.raises(NotFound):
        report_item_detail(session, viewer=actor, content_type="recommendation", content_id=rec.id)


@pytest.mark.parametrize(
    ("kind", "ident"), [("recommendation", 10**9), ("planet", 1), ("review", "1")]
)
def test_detail_of_an_unreported_item_is_not_found(session: Session, kind, ident) -> None:
    cast = make_cast(session)
    with pytest.raises(NotFound):
        report_item_detail(session, viewer=viewer(cast.mod), content_type=kind, content_id=ident)
