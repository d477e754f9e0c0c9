"""The create and edit pages' loaders: one transaction each, the author only for edit."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from citypulse.models import Profile, Recommendation
from citypulse.models.enums import ContentStatus, Visibility
from citypulse.services.errors import NotFound, PermissionDenied
from citypulse.services.recommendations.commands import recommendation_create
from citypulse.services.recommendations.form_page import (
    recommendation_create_page,
    recommendation_edit_page,
)
from tests.integration.recommendations.support import form, upload, viewer_for
from tests.integration.support import NOW, run_action
from tests.support.factories import create_category, create_user


@pytest.fixture
def world(session: Session):
    alice = create_user(session, username="fp_alice")
    bob = create_user(session, username="fp_bob")
    category = create_category(session, name="Bakery by the sea")
    detail = run_action(
        session, recommendation_create, actor=viewer_for(alice), now=NOW,
        form=form(category_id=category.id, tags=["buns"], best_months=[6, 7]),
        photos=[upload("Front door"), upload("Buns", primary=True)],
    )  # fmt: skip
    return alice, bob, category, detail.id


def test_create_page_lists_categories_and_the_viewers_default_visibility(
    session: Session, world
) -> None:
    alice, _bob, category, _rid = world
    profile = session.exec(select(Profile).where(Profile.user_id == alice.id)).one()
    profile.default_rec_visibility = Visibility.friends_only
    session.add(profile)
    page = run_action(session, recommendation_create_page, viewer=viewer_for(alice))
    assert page.default_visibility == "friends_only"
    names = [option.name for option in page.categories]
    assert category.name in names
    assert [option.is_system for option in page.categories] == sorted(
        (option.is_system for option in page.categories), reverse=True
    )  # the system categories first
    visitor = run_action(session, recommendation_create_page, viewer=None)
    assert visitor.default_visibility == "" and visitor.categories == page.categories


def test_edit_page_holds_the_current_form_photos_and_categories(session: Session, world):
    alice, _bob, category, rid = world
    page = run_action(
        session, recommendation_edit_page, viewer=viewer_for(alice), recommendation_id=rid
    )
    assert page.form.title == "Pilot Coffee Roasters" and page.form.category_id == category.id
    assert list(page.form.tags) == ["buns"] and sorted(page.form.best_months) == [6, 7]
    assert page.form.city_text == "Toronto, Canada"
    assert sorted((p.caption, p.is_primary) for p in page.photos) == [
        ("Buns", True),
        ("Front door", False),
    ]
    assert any(option.id == category.id for option in page.categories)


def test_edit_page_is_a_404_for_anyone_but_the_author(session: Session, world) -> None:
    _alice, bob, _category, rid = world
    for viewer, target in ((viewer_for(bob), rid), (None, rid), (viewer_for(bob), 2**31 - 1)):
        with pytest.raises(NotFound):
            run_action(session, recommendation_edit_page, viewer=viewer, recommendation_id=target)


def test_edit_page_of_removed_or_deleted_content(session: Session, world) -> None:
    alice, _bob, _category, rid = world
    rec = session.get(Recommendation, rid)
    rec.status = ContentStatus.removed
    session.add(rec)
    with pytest.raises(PermissionDenied, match="removed by a moderator"):
        run_action(
            session, recommendation_edit_page, viewer=viewer_for(alice), recommendation_id=rid
        )
    rec.status = ContentStatus.deleted
    session.add(rec)
    with pytest.raises(NotFound):
        run_action(
            session, recommendation_edit_page, viewer=viewer_for(alice), recommendation_id=rid
        )
