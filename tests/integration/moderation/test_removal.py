"""Removing and restoring content (§4.13.3): every type, audited, notified, authorised."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from citypulse.models import ContentReport, Profile, Rating, Recommendation, User
from citypulse.models.trips import Trip, TripComment
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.moderation.authority import NOT_ON_ADMIN, NOT_ON_SELF
from citypulse.services.moderation.removal import (
    ALREADY_REMOVED,
    NOT_REMOVED,
    content_remove,
    content_restore,
)
from citypulse.services.recommendations.visibility import recommendation_visible
from tests.integration.interactions.support import notifications
from tests.integration.moderation.support import (
    NOW,
    act,
    audit_rows,
    make_cast,
    reported_recommendation,
    viewer,
)
from tests.integration.support import outbox
from tests.support.factories import create_recommendation

REASON = "Spam links to a ticket reseller"


def remove(session: Session, actor, kind: str, ident, reason: str = REASON, restore=False):
    service = content_restore if restore else content_remove
    return act(session, service, actor=None if actor is None else viewer(actor),
               content_type=kind, content_id=ident, reason=reason, now=NOW)  # fmt: skip


def test_removing_a_recommendation(session: Session) -> None:
    cast = make_cast(session)
    rec = reported_recommendation(session, cast)
    done, _ = remove(session, cast.mod, "recommendation", rec.id)
    session.expire_all()
    stored = session.get(Recommendation, rec.id)
    assert (stored.status, stored.removed_reason, stored.removed_by_id) == (
        "removed",
        REASON,
        cast.mod.id,
    )
    # Only the owner still sees it (with the banner's reason); everyone else gets a 404.
    assert recommendation_visible(session, cast.alice.id, rec.id).status == "removed"
    assert recommendation_visible(session, cast.bob.id, rec.id) is None
    assert recommendation_visible(session, None, rec.id) is None
    # Its open reports are resolved; the reporter hears the outcome, the owner the removal.
    [report] = session.exec(select(ContentReport).where(ContentReport.content_id == rec.id)).all()
    assert (report.status, report.reviewed_by_id) == ("resolved", cast.mod.id)
    assert done.resolved_reports == (report.id,)
    assert len(notifications(session, cast.bob, "report_update")) == 1
    [removed] = notifications(session, cast.alice, "content_removed")
    assert REASON in removed.message and removed.action_url == f"/recommendations/{rec.id}"
    assert any("removed" in mail.subject.lower() for mail in outbox(session, cast.alice.email))
    [entry] = audit_rows(session)
    assert (entry.action_type, entry.target_type, entry.target_id) == (
        "content_removal",
        "recommendation",
        rec.id,
    )
    assert (entry.actor_id, entry.target_user_id, entry.reason) == (
        cast.mod.id,
        cast.alice.id,
        REASON,
    )
    assert entry.details["resolved_reports"] == [report.id]

    with pytest.raises(Conflict, match=ALREADY_REMOVED):
        remove(session, cast.mod, "recommendation", rec.id)
    remove(
        session,
        cast.mod2,
        "recommendation",
        rec.id,
        "Appeal showed the links are the venue's",
        restore=True,
    )
    session.expire_all()
    assert session.get(Recommendation, rec.id).status == "active"
    assert recommendation_visible(session, cast.bob.id, rec.id) is not None
    assert len(notifications(session, cast.alice, "content_restored")) == 1
    assert [e.action_type for e in audit_rows(session)] == ["content_removal", "content_restore"]
    with pytest.raises(Conflict, match=NOT_REMOVED):
        remove(session, cast.mod, "recommendation", rec.id, restore=True)


def test_removing_a_review_hides_the_text_and_keeps_the_rating(session: Session) -> None:
    cast = make_cast(session)
    rec = create_recommendation(session, author=cast.alice)
    rating = Rating(
        recommendation_id=rec.id, user_id=cast.bob.id, rating=1, review="Terrible, avoid!!"
    )
    session.add(rating)
    session.flush()
    remove(session, cast.mod, "review", rating.id)
    session.expire_all()
    stored = session.get(Rating, rating.id)
    assert (stored.review_status, stored.rating) == ("removed", 1)
    assert len(notifications(session, cast.bob, "content_removed")) == 1
    remove(session, cast.mod, "review", rating.id, "Reviewed again: it is fair", restore=True)
    session.expire_all()
    assert session.get(Rating, rating.id).review_status == "active"


def test_removing_a_profile_clears_bio_photos_and_links_and_restore_puts_them_back(
    session: Session,
) -> None:
    cast = make_cast(session)
    cast.alice.bio = "Buy followers at spam.example"
    profile = session.exec(select(Profile).where(Profile.user_id == cast.alice.id)).one()
    profile.website_url, profile.avatar_key = "https://spam.example", "avatar-key.webp"
    session.flush()
    remove(session, cast.mod, "profile", cast.alice.id)
    session.expire_all()
    profile = session.exec(select(Profile).where(Profile.user_id == cast.alice.id)).one()
    assert session.get(User, cast.alice.id).bio is None
    assert (profile.website_url, profile.avatar_key) == (None, None)
    with pytest.raises(Conflict, match=ALREADY_REMOVED):
        remove(session, cast.mod, "profile", cast.alice.id)

    profile.website_url = "https://new.example"  # the owner set a new link since
    session.flush()
    remove(session, cast.mod, "profile", cast.alice.id, "It was a parody account", restore=True)
    session.expire_all()
    profile = session.exec(select(Profile).where(Profile.user_id == cast.alice.id)).one()
    assert session.get(User, cast.alice.id).bio == "Buy followers at spam.example"
    assert (profile.website_url, profile.avatar_key) == ("https://new.example", "avatar-key.webp")


def test_removing_trips_and_comments(session: Session) -> None:
    cast = make_cast(session)
    trip = Trip(owner_id=cast.alice.id, title="Lisbon weekend")
    session.add(trip)
    session.flush()
    comment = TripComment(trip_id=trip.id, author_id=cast.alice.id, body="Join my pyramid scheme")
    session.add(comment)
    session.flush()
    remove(session, cast.mod, "trip", trip.id)
    remove(session, cast.mod, "trip_comment", comment.id)
    session.expire_all()
    assert session.get(Trip, trip.id).moderation_status == "removed"
    assert session.get(Trip, trip.id).removed_reason == REASON
    assert session.get(TripComment, comment.id).status == "removed"
    remove(session, cast.mod, "trip", trip.id, "Restored after review", restore=True)
    session.expire_all()
    assert (
        session.get(Trip, trip.id).moderation_status,
        session.get(Trip, trip.id).removed_reason,
    ) == ("active", None)


@pytest.mark.parametrize("reason", ["", "too short", "x" * 1001, "bad\x00reason", None])
def test_a_reason_of_10_to_1000_characters_is_required(session: Session, reason) -> None:
    cast = make_cast(session)
    rec = reported_recommendation(session, cast)
    with pytest.raises(ValidationFailed):
        remove(session, cast.mod, "recommendation", rec.id, reason)
    session.expire_all()
    assert session.get(Recommendation, rec.id).status == "active" and audit_rows(session) == []


def test_authorization_matrix(session: Session) -> None:
    cast = make_cast(session)
    rec = reported_recommendation(session, cast)
    recs = {
        who: create_recommendation(session, author=getattr(cast, who))
        for who in ("mod", "mod2", "admin")
    }

    def refused(actor, rec_id: int, error, match=None) -> None:
        with pytest.raises(error, match=match):
            remove(session, actor, "recommendation", rec_id)
        session.expire_all()
        assert session.get(Recommendation, rec_id).status == "active"

    refused(None, rec.id, NotFound)  # visitor
    refused(cast.bob, rec.id, NotFound)  # user
    refused(cast.alice, rec.id, NotFound)  # the affected user
    refused(cast.mod, recs["mod"].id, PermissionDenied, NOT_ON_SELF)
    refused(cast.mod, recs["mod2"].id, PermissionDenied, "Only an admin")
    refused(cast.mod, recs["admin"].id, PermissionDenied, NOT_ON_ADMIN)
    refused(cast.admin, recs["admin"].id, PermissionDenied, NOT_ON_SELF)
    assert audit_rows(session) == [] and notifications(session, cast.alice, "content_removed") == []
    remove(session, cast.admin, "recommendation", recs["mod2"].id)
    remove(session, cast.mod, "recommendation", rec.id)
    assert len(audit_rows(session)) == 2


@pytest.mark.parametrize(
    ("kind", "ident"),
    [("recommendation", 10**9), ("review", 0), ("planet", 1), ("trip", "1"), ("profile", True)],
)
def test_missing_items_are_not_found(session: Session, kind, ident) -> None:
    cast = make_cast(session)
    with pytest.raises(NotFound):
        remove(session, cast.mod, kind, ident)


def test_a_recommendation_deleted_by_its_author_is_not_found(session: Session) -> None:
    cast = make_cast(session)
    rec = create_recommendation(session, author=cast.alice)
    rec.status = "deleted"
    session.flush()
    with pytest.raises(NotFound):
        remove(session, cast.mod, "recommendation", rec.id)
