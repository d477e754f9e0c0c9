"""find_buddies (§4.5.7): every filter, every exclusion, the requests-disabled flag, the
limited card of non-public profiles, validation, and the filter options."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from citypulse.models.enums import AccountStatus, BuddyStatus, TravelStyle, Visibility
from citypulse.services.errors import PermissionDenied, ValidationFailed
from citypulse.services.social.finder import (
    CITY_MESSAGE,
    INTERESTS_MESSAGE,
    LEVEL_MESSAGE,
    STYLE_MESSAGE,
    TEXT_MESSAGE,
    find_buddies,
    finder_options,
)
from tests.integration.interactions.support import viewer
from tests.integration.profiles.support import block, connect
from tests.integration.social.finder_support import find, names, person
from tests.support.factories import create_category, create_city


def test_lists_newest_people_first_and_never_the_viewer(session: Session) -> None:
    alice = person(session, "fn_alice")
    bob = person(session, "fn_bob")
    carol = person(session, "fn_carol")

    page = find(session, alice)

    assert names(page)[:2] == [carol.username, bob.username]
    assert alice.username not in names(page)
    assert page.rows[0].mutual_count == 0


def test_excludes_buddies_requests_either_way_blocks_either_way_and_inactive_users(
    session: Session,
) -> None:
    me = person(session, "fx_me")
    person(session, "fx_stranger")
    declined, removed = person(session, "fx_declined"), person(session, "fx_removed")
    connect(session, me, declined, status=BuddyStatus.declined)
    connect(session, removed, me, status=BuddyStatus.removed)
    my_buddy = person(session, "fx_buddy_mine")
    connect(session, me, my_buddy)
    their_buddy = person(session, "fx_buddy_theirs")
    connect(session, their_buddy, me)
    sent = person(session, "fx_sent")
    connect(session, me, sent, status=BuddyStatus.pending)
    received = person(session, "fx_received")
    connect(session, received, me, status=BuddyStatus.pending)
    blocked_by_me = person(session, "fx_blocked_by_me")
    block(session, me, blocked_by_me)
    blocked_me = person(session, "fx_blocked_me")
    block(session, blocked_me, me)
    for status in (AccountStatus.suspended, AccountStatus.banned, AccountStatus.deactivated):
        person(session, f"fx_{status}", status=status)
    person(session, "fx_unverified", verified=False)

    page = find(session, me, text="fx_", limit=50)

    assert set(names(page)) == {"fx_stranger", "fx_declined", "fx_removed"}


def test_people_who_switched_requests_off_are_listed_with_the_button_disabled(
    session: Session,
) -> None:
    me = person(session, "fr_me")
    person(session, "fr_open")
    person(session, "fr_closed", requests_enabled=False)

    rows = {row.username: row for row in find(session, me, text="fr_").rows}

    assert rows["fr_open"].requests_enabled is True
    assert rows["fr_closed"].requests_enabled is False


def test_text_matches_username_and_name_everywhere_and_bio_on_public_profiles_only(
    session: Session,
) -> None:
    me = person(session, "ft_me")
    by_username = person(session, "ft_kayaker")
    by_name = person(session, "ft_two", full_name="Maria KAYAK Lopes")
    by_bio = person(session, "ft_three", bio="Sea kayaking at dawn")
    person(session, "ft_four", bio="kayak", visibility=Visibility.friends_only)
    person(session, "ft_five", bio="kayak", visibility=Visibility.private)
    private_by_name = person(session, "ft_six", full_name="Kayak Hidden", visibility="private")
    person(session, "ft_seven", bio="Mountains")

    page = find(session, me, text="  Kayak ")

    assert set(names(page)) == {
        by_username.username,
        by_name.username,
        by_bio.username,
        private_by_name.username,
    }


def test_text_wildcards_are_literal(session: Session) -> None:
    me = person(session, "fw_me")
    person(session, "fw_abc")
    person(session, "fw_half", bio="Hostels at 50% off")

    assert names(find(session, me, text="%")) == []  # not "anything"
    assert names(find(session, me, text="0% o")) == ["fw_half"]
    assert names(find(session, me, text="fw_a")) == ["fw_abc"]  # "_" is not "any character"
    assert names(find(session, me, text="50% off")) == ["fw_half"]


def test_text_shorter_than_three_letters_matches_the_start_of_a_word(session: Session) -> None:
    me = person(session, "fk_me")
    person(session, "fk_alice", full_name="Alice Pereira")
    person(session, "fk_two", full_name="Rui Almeida")
    person(session, "fk_three", full_name="Natalia Reis", bio="Always travelling")
    person(session, "fk_four", full_name="Joana Costa", bio="Alps", visibility="private")

    assert set(names(find(session, me, text="Al"))) == {"fk_alice", "fk_two", "fk_three"}
    assert names(find(session, me, text="fk")) == ["fk_four", "fk_three", "fk_two", "fk_alice"]


def test_city_matches_visited_cities_and_a_shared_current_city_of_public_profiles(
    session: Session,
) -> None:
    porto, faro = create_city(session, name="Porto"), create_city(session, name="Faro")
    me = person(session, "fc_me")
    visited = person(session, "fc_visited", visited=[porto, faro])
    living = person(session, "fc_living", current_city=porto)
    person(session, "fc_hidden", current_city=porto, location_sharing=False)
    person(session, "fc_private", visited=[porto], visibility=Visibility.private)
    person(session, "fc_friends", current_city=porto, visibility=Visibility.friends_only)
    person(session, "fc_elsewhere", visited=[faro], current_city=faro)

    page = find(session, me, city=porto.id)
    rows = {row.username: row for row in page.rows}

    assert set(rows) == {visited.username, living.username}
    assert rows["fc_living"].city == "Porto, Portugal"
    assert rows["fc_visited"].city == ""  # no current city
    assert names(find(session, me, city=str(porto.id))) == names(page)  # a select's value


def test_interests_match_any_chosen_category_on_public_profiles(session: Session) -> None:
    food, art, bars = (create_category(session, name=n) for n in ("Fi Food", "Fi Art", "Fi Bars"))
    me = person(session, "fi_me")
    person(session, "fi_food", interests=[food, bars])
    person(session, "fi_art", interests=[art])
    person(session, "fi_bars", interests=[bars])
    person(session, "fi_private", interests=[food], visibility=Visibility.private)

    page = find(session, me, interests=(food.id, art.id))

    assert set(names(page)) == {"fi_food", "fi_art"}
    assert {row.username: row.interests for row in page.rows}["fi_food"] == ("Fi Bars", "Fi Food")
    assert set(names(find(session, me, interests=f"{food.id},{art.id}"))) == {"fi_food", "fi_art"}


def test_travel_style_and_activity_level_filters(session: Session) -> None:
    me = person(session, "fs_me")
    person(session, "fs_solo_high", styles=["budget", "solo"], level="high")
    person(session, "fs_lux_low", styles=["luxury"], level="low")
    person(session, "fs_private", styles=["budget"], level="high", visibility="private")

    assert names(find(session, me, travel_style="budget")) == ["fs_solo_high"]
    assert names(find(session, me, text="fs_", activity_level="low")) == ["fs_lux_low"]
    assert names(find(session, me, activity_level="high", text="fs_")) == ["fs_solo_high"]
    assert names(find(session, me, travel_style="budget", activity_level="low")) == []
    solo = find(session, me, travel_style=TravelStyle.solo).rows[0]
    assert solo.travel_styles == ("budget", "solo")


def test_filters_combine(session: Session) -> None:
    lagos = create_city(session, name="Lagos")
    me = person(session, "fb_me")
    person(session, "fb_match", visited=[lagos], styles=["adventure"])
    person(session, "fb_city_only", visited=[lagos], styles=["family"])
    person(session, "fb_style_only", styles=["adventure"])

    page = find(session, me, text="fb_", city=lagos.id, travel_style="adventure")

    assert names(page) == ["fb_match"]


def test_friends_only_and_private_profiles_show_a_limited_card(session: Session) -> None:
    lisbon, food = create_city(session, name="Lisboa"), create_category(session, name="Fl Food")
    me = person(session, "fl_me")
    shown = {"current_city": lisbon, "styles": ["solo"], "interests": [food]}
    person(session, "fl_public", **shown)  # type: ignore[arg-type]
    person(session, "fl_friends", visibility=Visibility.friends_only, **shown)  # type: ignore[arg-type]
    person(session, "fl_private", visibility=Visibility.private, **shown)  # type: ignore[arg-type]

    rows = {row.username: row for row in find(session, me, text="fl_").rows}

    assert (rows["fl_public"].limited, rows["fl_public"].city) == (False, "Lisboa, Portugal")
    assert rows["fl_public"].interests == ("Fl Food",)
    for username in ("fl_friends", "fl_private"):
        row = rows[username]
        assert row.limited is True
        assert (row.city, row.travel_styles, row.interests) == ("", (), ())
        assert row.full_name and row.avatar_url == ""


@pytest.mark.parametrize(
    ("filters", "field", "message"),
    [
        ({"text": "x" * 101}, "text", TEXT_MESSAGE),
        ({"text": "line\nbreak"}, "text", TEXT_MESSAGE),
        ({"text": 42}, "text", TEXT_MESSAGE),
        ({"city": "Porto"}, "city", CITY_MESSAGE),
        ({"city": -3}, "city", CITY_MESSAGE),
        ({"interests": ("food",)}, "interests", INTERESTS_MESSAGE),
        ({"interests": 7}, "interests", INTERESTS_MESSAGE),
        ({"interests": tuple(range(1, 22))}, "interests", INTERESTS_MESSAGE),
        ({"travel_style": "spaceship"}, "travel_style", STYLE_MESSAGE),
        ({"activity_level": "extreme"}, "activity_level", LEVEL_MESSAGE),
        ({"activity_level": ["low"]}, "activity_level", LEVEL_MESSAGE),
    ],
)
def test_invalid_filters_are_refused_per_field(
    session: Session, filters: dict, field: str, message: str
) -> None:
    me = person(session, "fv_me")

    with pytest.raises(ValidationFailed) as refused:
        find(session, me, **filters)

    assert refused.value.field_errors == {field: message}


def test_signed_out_restricted_and_unverified_viewers_are_refused(session: Session) -> None:
    with pytest.raises(PermissionDenied):
        find_buddies(session, viewer=None)
    for who in (
        person(session, "fp_suspended", status=AccountStatus.suspended),
        person(session, "fp_unverified", verified=False),
    ):
        with pytest.raises(PermissionDenied):
            find(session, who)
        with pytest.raises(PermissionDenied):
            finder_options(session, viewer=viewer(who))


def test_options_offer_the_interest_catalogue_the_enums_and_my_cities(session: Session) -> None:
    system = create_category(session, name="Fo System")
    system.is_system = True
    session.add(system)
    custom = create_category(session, name="Fo Custom")
    mine, theirs = create_city(session, name="Fo Mine"), create_city(session, name="Fo Theirs")
    me = person(session, "fo_me", visited=[mine])
    person(session, "fo_other", visited=[theirs])

    options = finder_options(session, viewer=viewer(me))

    interest_names = {option.name for option in options.interests}
    assert system.name in interest_names and custom.name not in interest_names
    assert options.travel_styles == tuple(style.value for style in TravelStyle)
    assert options.activity_levels == ("low", "moderate", "high")
    assert [city.id for city in options.cities] == [mine.id]


def test_page_size_is_bounded(session: Session) -> None:
    me = person(session, "fz_me")
    for i in range(3):
        person(session, f"fz_{i}", created_at=datetime(2032, 1, 1 + i, tzinfo=UTC))

    assert len(find(session, me, text="fz_", limit=0).rows) == 1
    assert len(find(session, me, text="fz_", limit=2).rows) == 2
