"""Privacy, interests, travel preferences and profile completion (PRODUCT.md §4.2)."""

import pytest
from sqlmodel import Session

from citypulse.models import CityVisit, UserInterest
from citypulse.models.enums import Visibility
from citypulse.services.errors import RateLimited, ValidationFailed
from citypulse.services.profiles.queries import profile_completion, profile_view
from citypulse.services.profiles.settings import (
    PrivacySettings,
    TravelPreferencesView,
    interests_replace,
    interests_view,
    privacy_update,
    privacy_view,
    travel_preferences_update,
)
from tests.integration.profiles.support import People, profile_of, viewer_of
from tests.integration.support import NOW, count, run_action
from tests.support.factories import create_category, create_city, create_user

DEFAULTS = PrivacySettings("public", True, True, True, "public", "friends_only")


def set_privacy(session: Session, user, **overrides) -> PrivacySettings:
    values = {**DEFAULTS.__dict__, **overrides}
    return run_action(session, privacy_update, actor=viewer_of(user), now=NOW, **values)


def test_privacy_defaults_and_update(session: Session, people: People) -> None:
    assert privacy_view(session, actor=viewer_of(people.bob)) == DEFAULTS
    wanted = PrivacySettings("friends_only", False, False, False, "private", "public")
    assert set_privacy(session, people.alice, **wanted.__dict__) == wanted
    assert privacy_view(session, actor=viewer_of(people.alice)) == wanted
    assert profile_view(session, viewer=viewer_of(people.dave), username="alice").kind == "full"
    assert profile_view(session, viewer=viewer_of(people.bob), username="alice").kind == "limited"


def test_bad_privacy_values_are_refused(session: Session, people: People) -> None:
    with pytest.raises(ValidationFailed) as caught:
        set_privacy(
            session,
            people.alice,
            profile_visibility="buddies",
            location_sharing="false",
            default_trip_visibility=None,
        )
    assert caught.value.field_errors == {
        "profile_visibility": "Choose Public, Buddies only or Private",
        "location_sharing": "Invalid value",
        "default_trip_visibility": "Choose Public, Buddies only or Private",
    }
    assert privacy_view(session, actor=viewer_of(people.alice)) == DEFAULTS


def test_privacy_updates_count_as_profile_edits(session: Session, people: People) -> None:
    for _ in range(30):
        set_privacy(session, people.alice, profile_visibility=Visibility.private)
    with pytest.raises(RateLimited):
        set_privacy(session, people.alice)


def replace_interests(session: Session, user, ids: list) -> tuple[int, ...]:
    return run_action(session, interests_replace, actor=viewer_of(user), category_ids=ids, now=NOW)


def test_interests_are_replaced_as_a_whole_set_of_at_most_eight(
    session: Session, people: People
) -> None:
    categories = [create_category(session) for _ in range(9)]
    ids = [c.id for c in categories]
    assert replace_interests(session, people.alice, ids[:3] + ids[:1]) == tuple(sorted(ids[:3]))
    assert replace_interests(session, people.alice, ids[2:8]) == tuple(sorted(ids[2:8]))
    assert replace_interests(session, people.alice, ids[1:9]) == tuple(sorted(ids[1:9]))
    with pytest.raises(ValidationFailed) as caught:
        replace_interests(session, people.alice, ids)
    assert caught.value.field_errors == {"interests": "Choose at most 8 interests"}
    with pytest.raises(ValidationFailed) as caught:
        replace_interests(session, people.alice, [ids[0], 10**9])
    assert caught.value.field_errors == {"interests": "Unknown category"}
    with pytest.raises(ValidationFailed):
        replace_interests(session, people.alice, ["1"])
    stored = count(session, UserInterest, UserInterest.user_id == people.alice.id)
    assert stored == 8
    assert replace_interests(session, people.alice, []) == ()


def test_interest_choices_show_system_categories_and_the_chosen_ones(
    session: Session, people: People
) -> None:
    nature = create_category(session, name="Nature")
    nature.is_system = True
    custom, other = create_category(session, name="Street art"), create_category(session)
    session.add(nature)
    replace_interests(session, people.alice, [custom.id])
    shown = interests_view(session, actor=viewer_of(people.alice))
    assert [(o.name, o.selected) for o in shown.options] == [
        ("Nature", False),
        ("Street art", True),
    ]
    assert shown.selected_ids == (custom.id,) and other.id not in shown.selected_ids
    assert shown.preferences == TravelPreferencesView((), "moderate", "moderate")


def update_preferences(session: Session, user, **values) -> TravelPreferencesView:
    values = {
        "travel_styles": [],
        "activity_level": "moderate",
        "preferred_difficulty": "moderate",
        **values,
    }
    return run_action(session, travel_preferences_update, actor=viewer_of(user), now=NOW, **values)


def test_travel_preferences(session: Session, people: People) -> None:
    styles = ["budget", "solo", "cultural", "adventure", "family", "solo"]
    saved = update_preferences(
        session,
        people.alice,
        travel_styles=styles,
        activity_level="high",
        preferred_difficulty="expert",
    )
    assert saved == TravelPreferencesView(
        ("budget", "solo", "cultural", "adventure", "family"), "high", "expert"
    )
    assert interests_view(session, actor=viewer_of(people.alice)).preferences == saved
    with pytest.raises(ValidationFailed) as caught:
        update_preferences(
            session,
            people.alice,
            travel_styles=[*styles, "luxury"],
            activity_level="extreme",
            preferred_difficulty=None,
        )
    assert caught.value.field_errors == {
        "travel_styles": "Choose at most 5 travel styles",
        "activity_level": "Choose Low, Moderate or High",
        "preferred_difficulty": "Choose Easy, Moderate, Hard or Expert",
    }
    with pytest.raises(ValidationFailed) as caught:
        update_preferences(session, people.alice, travel_styles=["spa", ["x"]])
    assert caught.value.field_errors == {"travel_styles": "Unknown travel style"}


def test_completion_is_eight_items_of_twelve_and_a_half_percent(session: Session) -> None:
    nina = create_user(session, username="nina")
    actor = viewer_of(nina)
    empty = profile_completion(session, actor=actor)
    assert (empty.percent, empty.done, empty.show_banner) == (0.0, (), True)
    profile = profile_of(session, nina)
    steps = [
        ("avatar", lambda: setattr(profile, "avatar_key", "a" * 32 + ".jpg")),
        ("cover", lambda: setattr(profile, "cover_key", "c" * 32 + ".jpg")),
        ("bio", lambda: setattr(nina, "bio", "Hi")),
        ("current_location", lambda: setattr(nina, "current_location", "Lisbon")),
        ("hometown", lambda: setattr(nina, "hometown", "Porto")),
        ("city", lambda: session.add(CityVisit(user_id=nina.id, city_id=create_city(session).id))),
        (
            "interest",
            lambda: session.add(
                UserInterest(user_id=nina.id, category_id=create_category(session).id)
            ),
        ),
        ("link", lambda: setattr(profile, "whatsapp", "+351912345678")),
    ]
    for index, (item, apply) in enumerate(steps, start=1):
        apply()
        session.add_all([nina, profile])
        session.flush()
        done = profile_completion(session, actor=actor)
        assert done.percent == index * 12.5 and done.done[-1] == item
        assert done.show_banner == (index < 5)  # until both locations are set
    assert done.missing == ()
    nina.current_location = None
    session.add(nina)
    session.flush()
    assert profile_completion(session, actor=actor).show_banner
    assert profile_view(session, viewer=actor, username="nina").completion.percent == 87.5
    other = profile_view(session, viewer=None, username="nina")
    assert other.completion is None and other.profile_visibility is None
