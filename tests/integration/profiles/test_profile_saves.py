"""The Save buttons that store several things at once: all of it, or nothing.

`profile_save` (/profile/edit: fields and cities) and `interest_settings_save` (/settings:
interests and travel preferences), each one transaction.
"""

import pytest
from sqlmodel import Session

from citypulse.models import CityVisit, User, UserInterest
from citypulse.models.enums import AccountStatus
from citypulse.services.errors import PermissionDenied, RateLimited, ValidationFailed
from citypulse.services.profiles.edit import profile_save
from citypulse.services.profiles.settings import interest_settings_save, interests_view
from tests.integration.profiles.support import People, viewer_of
from tests.integration.support import NOW, count, run_action
from tests.support.factories import create_category, create_city


def save(session: Session, user: User, changes: dict, visits=None):
    return run_action(
        session, profile_save, actor=viewer_of(user), changes=changes, visits=visits, now=NOW
    )


def test_fields_and_cities_are_saved_together(session: Session, people: People) -> None:
    oslo = create_city(session, name="Oslo")

    saved = save(session, people.alice, {"bio": "Fjords now."}, [(oslo.id, "2024-05")])

    assert saved.updated is not None and saved.updated.changed == ("bio",)
    assert saved.form.bio == "Fjords now."
    assert [(c.name, c.visit_month) for c in saved.form.cities_visited] == [("Oslo", "2024-05")]


def test_only_cities_or_a_rename(session: Session, people: People) -> None:
    rome = create_city(session, name="Rome")

    cities_only = save(session, people.alice, {}, [(rome.id, None)])
    renamed = save(session, people.alice, {"username": "alice_new"})

    assert cities_only.updated is None and [c.name for c in cities_only.form.cities_visited] == [
        "Rome"
    ]
    assert renamed.updated.username_changed and renamed.form.username == "alice_new"
    assert [c.name for c in renamed.form.cities_visited] == ["Rome"]  # None: cities untouched


def test_bad_cities_keep_the_valid_fields_from_being_saved(
    session: Session, people: People
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        save(session, people.alice, {"bio": "Should not stay"}, [(10**9, None)])

    assert caught.value.field_errors == {"cities_visited": "Unknown city"}
    session.expire_all()
    assert session.get(User, people.alice.id).bio == "Coffee and trams."


def test_bad_fields_keep_the_cities_from_being_saved(session: Session, people: People) -> None:
    oslo = create_city(session, name="Oslo")

    with pytest.raises(ValidationFailed) as caught:
        save(session, people.alice, {"instagram_url": "https://example.com/a"}, [(oslo.id, None)])

    assert set(caught.value.field_errors) == {"instagram_url"}
    assert count(session, CityVisit, CityVisit.user_id == people.alice.id) == 0


def test_a_restricted_account_saves_nothing(session: Session, people: People) -> None:
    people.bob.account_status = AccountStatus.suspended
    session.add(people.bob)
    session.flush()

    with pytest.raises(PermissionDenied):
        save(session, people.bob, {"bio": "Hi"})


def save_interests(session: Session, user: User, ids: list[int], **preferences):
    values = {"travel_styles": ["solo"], "activity_level": "high",
              "preferred_difficulty": "hard", **preferences}  # fmt: skip
    return run_action(
        session, interest_settings_save, actor=viewer_of(user), category_ids=ids, now=NOW, **values
    )


def test_interests_and_preferences_are_saved_together(session: Session, people: People) -> None:
    food, art = create_category(session), create_category(session)

    view = save_interests(session, people.alice, [food.id, art.id])

    assert view.selected_ids == tuple(sorted((food.id, art.id)))
    assert (view.preferences.travel_styles, view.preferences.activity_level) == (("solo",), "high")
    assert view == interests_view(session, actor=viewer_of(people.alice))


def test_a_bad_preference_keeps_the_interests_from_being_saved(
    session: Session, people: People
) -> None:
    food = create_category(session)

    with pytest.raises(ValidationFailed) as caught:
        save_interests(session, people.alice, [food.id], activity_level="extreme")

    assert set(caught.value.field_errors) == {"activity_level"}
    assert count(session, UserInterest, UserInterest.user_id == people.alice.id) == 0


def test_unknown_interests_are_refused(session: Session, people: People) -> None:
    with pytest.raises(ValidationFailed) as caught:
        save_interests(session, people.alice, [10**9])
    assert caught.value.field_errors == {"interests": "Unknown category"}


def test_saving_interests_counts_against_the_profile_edit_limit(
    session: Session, people: People
) -> None:
    for _ in range(15):  # each save is two profile edits (interests, then preferences)
        save_interests(session, people.alice, [])
    with pytest.raises(RateLimited):
        save_interests(session, people.alice, [])
