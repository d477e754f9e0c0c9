"""Reports (PRODUCT.md §4.13.1): reasons per type, descriptions, duplicates, the daily cap."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models import ContentReport, Rating
from citypulse.models.enums import AccountStatus, Visibility
from citypulse.services.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
)
from citypulse.services.interactions.events import ContentReportCreated
from citypulse.services.moderation.reports import (
    ALREADY_REPORTED,
    OTHER_NEEDS_DESCRIPTION,
    OWN_CONTENT,
    REASON_INVALID,
    REPORT_REASONS,
    report_create,
)
from tests.integration.interactions.conftest import World
from tests.integration.interactions.support import act, block, viewer
from tests.integration.support import NOW, count
from tests.support.factories import create_recommendation, create_user


def report(session: Session, user, content_type: str, content_id: int, reason: str,
           description: str | None = None, now=NOW):  # fmt: skip
    return act(session, report_create, actor=viewer(user), content_type=content_type,
               content_id=content_id, reason=reason, description=description, now=now)  # fmt: skip


def test_journey_7_29_report_once(session: Session, world: World) -> None:
    receipt, events = report(session, world.bob, "recommendation", world.rec.id, "spam")
    assert (receipt.content_type, receipt.reason, receipt.status) == (
        "recommendation",
        "spam",
        "pending",
    )
    row = session.get(ContentReport, receipt.report_id)
    assert (row.reporter_id, row.content_owner_id, row.content_id) == (
        world.bob.id,
        world.alice.id,
        world.rec.id,
    )
    assert events == [ContentReportCreated(receipt.report_id, "recommendation")]

    with pytest.raises(Conflict) as repeated:
        report(session, world.bob, "recommendation", world.rec.id, "offensive", "Rude words here")
    assert repeated.value.message == ALREADY_REPORTED == "You have already reported this"
    assert count(session, ContentReport, ContentReport.reporter_id == world.bob.id) == 1


def test_reasons_are_validated_per_content_type(session: Session, world: World) -> None:
    assert REPORT_REASONS["recommendation"] == (
        "spam", "inappropriate", "misleading", "offensive", "copyright", "other",
    )  # fmt: skip
    for content_type, content_id, reason in (
        ("recommendation", world.rec.id, "harassment"),
        ("recommendation", world.rec.id, "impersonation"),
        ("profile", world.alice.id, "copyright"),
        ("recommendation", world.rec.id, "nonsense"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            report(session, world.bob, content_type, content_id, reason)
        assert refused.value.field_errors == {"reason": REASON_INVALID}
    receipt, _ = report(session, world.bob, "profile", world.alice.id, "impersonation")
    row = session.get(ContentReport, receipt.report_id)
    assert (row.content_type, row.content_id, row.content_owner_id) == (
        "profile",
        world.alice.id,
        world.alice.id,
    )
    for unsupported in ("trip", "trip_comment", "user", ""):
        with pytest.raises(ValidationFailed) as refused:
            report(session, world.bob, unsupported, 1, "spam")
        assert "content_type" in refused.value.field_errors


def test_descriptions(session: Session, world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        report(session, world.bob, "recommendation", world.rec.id, "other", "  too short ")
    assert refused.value.field_errors == {"description": OTHER_NEEDS_DESCRIPTION}
    with pytest.raises(ValidationFailed):
        report(session, world.bob, "recommendation", world.rec.id, "other")
    with pytest.raises(ValidationFailed) as refused:
        report(session, world.bob, "recommendation", world.rec.id, "spam", "x" * 1001)
    assert "description" in refused.value.field_errors
    receipt, _ = report(session, world.bob, "recommendation", world.rec.id, "other", "Exactly 10")
    assert session.get(ContentReport, receipt.report_id).description == "Exactly 10"
    receipt, _ = report(session, world.carol, "recommendation", world.rec.id, "spam", "   ")
    assert session.get(ContentReport, receipt.report_id).description is None


def test_a_description_with_a_nul_is_a_field_error(session: Session, world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        report(session, world.bob, "recommendation", world.rec.id, "other", "Fake \x00 listing")
    assert refused.value.field_errors == {
        "description": "Description cannot contain control characters"
    }


def test_own_content_is_refused(session: Session, world: World) -> None:
    with pytest.raises(PermissionDenied) as refused:
        report(session, world.alice, "recommendation", world.rec.id, "spam")
    assert refused.value.message == OWN_CONTENT
    with pytest.raises(PermissionDenied):
        report(session, world.bob, "profile", world.bob.id, "spam")


def test_target_must_be_visible_and_exist(session: Session, world: World) -> None:
    private = create_recommendation(session, author=world.alice, visibility=Visibility.private)
    with pytest.raises(NotFound):
        report(session, world.bob, "recommendation", private.id, "spam")
    with pytest.raises(NotFound):
        report(session, world.bob, "recommendation", 987_654_321, "spam")
    suspended = create_user(session, username="i_paused", status=AccountStatus.suspended)
    with pytest.raises(NotFound):
        report(session, world.bob, "profile", suspended.id, "spam")
    with pytest.raises(NotFound):
        report(session, world.bob, "profile", 987_654_321, "spam")


def test_a_block_hides_content_but_profiles_stay_reportable(session: Session, world: World) -> None:
    block(session, world.alice, world.bob)
    with pytest.raises(NotFound):
        report(session, world.bob, "recommendation", world.rec.id, "spam")
    # §4.5.6: "Reports remain allowed" (e.g. from the blocked list on /buddies).
    receipt, _ = report(session, world.bob, "profile", world.alice.id, "harassment")
    assert receipt.content_type == "profile"


def test_reviews_can_be_reported(session: Session, world: World) -> None:
    rating = Rating(recommendation_id=world.rec.id, user_id=world.bob.id, rating=1,
                    review="Terrible, avoid at all costs")  # fmt: skip
    session.add(rating)
    session.flush()
    receipt, _ = report(session, world.carol, "review", rating.id, "offensive")
    assert session.get(ContentReport, receipt.report_id).content_owner_id == world.bob.id
    with pytest.raises(ValidationFailed):
        report(session, world.dave, "review", rating.id, "copyright")
    with pytest.raises(PermissionDenied):
        report(session, world.bob, "review", rating.id, "spam")


def test_at_most_20_reports_a_day(session: Session, world: World) -> None:
    targets = [create_recommendation(session, author=world.alice) for _ in range(21)]
    for target in targets[:20]:
        report(session, world.bob, "recommendation", target.id, "spam")
    with pytest.raises(RateLimited) as limited:
        report(session, world.bob, "recommendation", targets[20].id, "spam")
    assert limited.value.message.startswith("Too many requests, try again in")
    assert count(session, ContentReport, ContentReport.reporter_id == world.bob.id) == 20
    report(session, world.carol, "recommendation", targets[20].id, "spam")  # per user
    report(
        session, world.bob, "recommendation", targets[20].id, "spam", now=NOW + timedelta(days=1)
    )
