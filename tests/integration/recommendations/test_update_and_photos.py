"""Editing: partial updates, ownership, removed content and photo management (§4.3.2, §7.9)."""

from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from citypulse.models import Category, City, Photo, Recommendation, RecommendationTag
from citypulse.services.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
)
from citypulse.services.recommendations.commands import (
    recommendation_create,
    recommendation_delete,
    recommendation_form_for_edit,
    recommendation_update,
)
from citypulse.services.recommendations.photos import (
    recommendation_photo_add,
    recommendation_photo_caption,
    recommendation_photo_remove,
    recommendation_photo_set_primary,
    recommendation_photos_reorder,
)
from citypulse.services.recommendations.queries import recommendation_detail
from tests.integration.recommendations.support import (
    city,
    form,
    stored_files,
    table_counts,
    upload,
    viewer_for,
)
from tests.integration.support import NOW, run_action
from tests.support.factories import create_category, create_user


@pytest.fixture
def world(session: Session):
    alice = create_user(session, username="ru_alice")
    bob = create_user(session, username="ru_bob")
    category = create_category(session, name="Restaurant")
    toronto = city(session, "Toronto", "Canada", "Ontario")
    detail = run_action(
        session,
        recommendation_create,
        actor=viewer_for(alice),
        form=form(
            category_id=category.id,
            price_min="10",
            price_max="20",
            difficulty="moderate",
            best_months=[4, 5],
            best_time_text="Spring evenings",
            duration_suggestion="2 hours",
            latitude="43.65",
            longitude="-79.38",
            tags=["coffee", "cozy"],
        ),
        photos=[upload("one"), upload("two"), upload("three")],
        now=NOW,
    )
    return alice, bob, category, toronto, detail


def update(session: Session, user, rec_id: int, **changes):
    return run_action(
        session,
        recommendation_update,
        actor=viewer_for(user),
        recommendation_id=rec_id,
        changes=changes,
        now=NOW + timedelta(minutes=1),
    )


def photo_action(session: Session, service, user, rec_id: int, **kwargs):
    return run_action(
        session, service, actor=viewer_for(user), recommendation_id=rec_id, now=NOW, **kwargs
    )


def test_editing_only_the_title_keeps_every_other_field(session: Session, world) -> None:
    alice, _, _, _, before = world
    after = update(session, alice, before.id, title="  Pilot Coffee, Wagstaff  ")
    assert after.title == "Pilot Coffee, Wagstaff"
    changed = {k for k, v in asdict(after).items() if asdict(before)[k] != v}
    assert changed == {"title", "updated_at"}


def test_form_for_edit_round_trips_and_edits_change_what_they_name(session: Session, world) -> None:
    alice, _, category, toronto, before = world
    prefilled = recommendation_form_for_edit(
        session, actor=viewer_for(alice), recommendation_id=before.id
    )
    assert prefilled.city_id == toronto.id and prefilled.city_text == "Toronto, Ontario, Canada"
    assert (prefilled.price_min, prefilled.latitude) == ("10.00", "43.65")
    assert prefilled.tags == ("coffee", "cozy")
    after = update(
        session,
        alice,
        before.id,
        city_text="Montreal, Canada",
        custom_category="Cafe",
        tags=["Espresso"],
        price_min="",
        latitude="",
        longitude="",
    )
    assert after.city.label == "Montreal, Canada" and after.category_name == "Cafe"
    assert after.tags == ("espresso",) and after.price_display == "Up to $20"
    assert after.latitude == after.longitude == ""
    assert after.description == before.description and len(after.photos) == 3
    rec = session.get(Recommendation, before.id)
    assert rec.search_terms == "espresso Montreal Cafe"
    back = update(session, alice, before.id, city_id=toronto.id, category_id=category.id)
    assert back.city.id == toronto.id and back.category_name == "Restaurant"


def test_invalid_and_unknown_changes_are_refused(session: Session, world) -> None:
    alice, _, _, _, before = world
    with pytest.raises(ValidationFailed) as refused:
        update(session, alice, before.id, price_min="30")
    assert refused.value.field_errors == {
        "price_max": "Maximum price must be at least the minimum price"
    }
    with pytest.raises(ValidationFailed) as refused:
        update(session, alice, before.id, latitude="")
    assert refused.value.field_errors == {
        "latitude": "Enter both latitude and longitude, or neither"
    }
    with pytest.raises(ValidationFailed) as refused:
        update(session, alice, before.id, author_id=2)
    assert refused.value.field_errors == {"author_id": "Unknown field"}
    detail = recommendation_detail(session, viewer_id=alice.id, recommendation_id=before.id)
    assert detail == before


def test_bob_cannot_edit_delete_or_manage_photos_of_alices(session: Session, world) -> None:
    _, bob, _, _, before = world
    photo_ids = [p.id for p in before.photos]
    snapshot = table_counts(session)
    attempts = [
        lambda: update(session, bob, before.id, title="Bob was here"),
        lambda: run_action(
            session,
            recommendation_delete,
            actor=viewer_for(bob),
            recommendation_id=before.id,
            now=NOW,
        ),
        lambda: recommendation_form_for_edit(
            session, actor=viewer_for(bob), recommendation_id=before.id
        ),
        lambda: photo_action(
            session,
            recommendation_photos_reorder,
            bob,
            before.id,
            photo_ids_in_order=list(reversed(photo_ids)),
        ),
        lambda: photo_action(
            session, recommendation_photo_remove, bob, before.id, photo_id=photo_ids[0]
        ),
        lambda: photo_action(
            session, recommendation_photo_set_primary, bob, before.id, photo_id=photo_ids[1]
        ),
        lambda: photo_action(
            session,
            recommendation_photo_caption,
            bob,
            before.id,
            photo_id=photo_ids[1],
            caption="mine",
        ),
        lambda: photo_action(session, recommendation_photo_add, bob, before.id, upload=upload()),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound) as refused:
            attempt()
        assert refused.value.message == "Recommendation not found"
    assert table_counts(session) == snapshot
    alice_view = recommendation_detail(
        session, viewer_id=before.author.id, recommendation_id=before.id
    )
    assert alice_view == before


def test_a_removed_recommendation_cannot_be_edited_but_can_be_deleted(
    session: Session, world
) -> None:
    alice, _, _, _, before = world
    rec = session.get(Recommendation, before.id)
    rec.status, rec.removed_reason = "removed", "Spam links in the description"
    session.flush()
    detail = recommendation_detail(session, viewer_id=alice.id, recommendation_id=before.id)
    assert detail.removed_reason == "Spam links in the description"
    for attempt in (
        lambda: update(session, alice, before.id, title="Fixed"),
        lambda: photo_action(
            session, recommendation_photo_remove, alice, before.id, photo_id=before.photos[0].id
        ),
    ):
        with pytest.raises(PermissionDenied) as refused:
            attempt()
        assert refused.value.message == "This recommendation was removed by a moderator"
    run_action(
        session,
        recommendation_delete,
        actor=viewer_for(alice),
        recommendation_id=before.id,
        now=NOW,
    )
    assert session.get(Recommendation, before.id).status == "deleted"


def test_fifty_edits_per_fifteen_minutes(session: Session, world) -> None:
    alice, _, _, _, before = world
    for index in range(50):
        update(session, alice, before.id, title=f"Title number {index}")
    with pytest.raises(RateLimited):
        update(session, alice, before.id, title="One too many")


def positions(session: Session, rec_id: int) -> list[tuple[str, int, bool]]:
    rows = session.exec(
        select(Photo).where(Photo.recommendation_id == rec_id).order_by(Photo.position)
    ).all()
    return [(row.caption, row.position, row.is_primary) for row in rows]


def test_removing_the_primary_promotes_the_lowest_position_and_deletes_files(
    session: Session, world, uploads: Path
) -> None:
    alice, _, _, _, before = world
    first = before.photos[0]
    assert first.is_primary and first.caption == "one"
    key = first.image_url.removeprefix("/_upload/")
    assert key in stored_files(uploads)
    photos = photo_action(session, recommendation_photo_remove, alice, before.id, photo_id=first.id)
    assert [(p.caption, p.position, p.is_primary) for p in photos] == [
        ("two", 0, True),
        ("three", 1, False),
    ]
    assert key not in stored_files(uploads)  # deleted once the removal committed
    assert len(stored_files(uploads)) == 4
    photo_action(session, recommendation_photo_remove, alice, before.id, photo_id=photos[1].id)
    assert positions(session, before.id) == [("two", 0, True)]


def test_removing_a_middle_photo_keeps_positions_contiguous(session: Session, world) -> None:
    alice, _, _, _, before = world
    middle = next(p for p in before.photos if p.caption == "two")
    photo_action(session, recommendation_photo_remove, alice, before.id, photo_id=middle.id)
    assert positions(session, before.id) == [("one", 0, True), ("three", 1, False)]


def test_a_failed_removal_keeps_the_files(session: Session, world, uploads: Path) -> None:
    alice, _, _, _, before = world
    files = stored_files(uploads)
    session.commit()
    recommendation_photo_remove(
        session,
        actor=viewer_for(alice),
        recommendation_id=before.id,
        photo_id=before.photos[0].id,
        now=NOW,
    )
    session.rollback()
    assert stored_files(uploads) == files
    assert len(positions(session, before.id)) == 3


def test_reorder_set_primary_and_caption(session: Session, world) -> None:
    alice, _, _, _, before = world
    by_caption = {p.caption: p.id for p in before.photos}
    order = [by_caption["three"], by_caption["one"], by_caption["two"]]
    photo_action(session, recommendation_photos_reorder, alice, before.id, photo_ids_in_order=order)
    assert positions(session, before.id) == [
        ("three", 0, False),
        ("one", 1, True),
        ("two", 2, False),
    ]
    for wrong in ([*order, order[0]], order[:2], [*order[:2], 999_999]):
        with pytest.raises(Conflict):
            photo_action(
                session, recommendation_photos_reorder, alice, before.id, photo_ids_in_order=wrong
            )
    photo_action(
        session, recommendation_photo_set_primary, alice, before.id, photo_id=by_caption["two"]
    )
    photo_action(
        session,
        recommendation_photo_caption,
        alice,
        before.id,
        photo_id=by_caption["three"],
        caption="  Night   view ",
    )
    assert positions(session, before.id) == [
        ("Night view", 0, False),
        ("one", 1, False),
        ("two", 2, True),
    ]
    with pytest.raises(ValidationFailed) as refused:
        photo_action(
            session,
            recommendation_photo_caption,
            alice,
            before.id,
            photo_id=by_caption["one"],
            caption="x" * 201,
        )
    assert refused.value.field_errors == {"caption": "Captions must be at most 200 characters"}


def test_adding_photos_up_to_five(session: Session, world, uploads: Path) -> None:
    alice, _, _, _, before = world
    photo_action(session, recommendation_photo_add, alice, before.id, upload=upload("four"))
    photos = photo_action(
        session, recommendation_photo_add, alice, before.id, upload=upload("five", primary=True)
    )
    assert photos[0].caption == "five" and photos[0].position == 4 and photos[0].is_primary
    assert sum(p.is_primary for p in photos) == 1
    files = stored_files(uploads)
    with pytest.raises(ValidationFailed) as refused:
        photo_action(session, recommendation_photo_add, alice, before.id, upload=upload("six"))
    assert refused.value.field_errors == {"photos": "At most 5 photos"}
    assert stored_files(uploads) == files and len(positions(session, before.id)) == 5


def test_photo_of_another_recommendation_is_not_found(session: Session, world) -> None:
    alice, _, category, _, before = world
    other = run_action(
        session,
        recommendation_create,
        actor=viewer_for(alice),
        form=form(category_id=category.id),
        photos=[upload()],
        now=NOW,
    )
    with pytest.raises(NotFound) as refused:
        photo_action(
            session, recommendation_photo_remove, alice, before.id, photo_id=other.photos[0].id
        )
    assert refused.value.message == "Photo not found"


def test_tag_links_are_replaced_not_added(session: Session, world) -> None:
    alice, _, _, _, before = world
    update(session, alice, before.id, tags=["cozy", "wifi"])
    links = session.exec(
        select(RecommendationTag).where(RecommendationTag.recommendation_id == before.id)
    ).all()
    assert len(links) == 2
    assert session.exec(select(Category).where(Category.name == "Restaurant")).one()
    assert session.exec(select(City).where(City.name == "Toronto")).one()
