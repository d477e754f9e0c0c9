"""Editing the profile: fields, link hosts, renames, cities visited (PRODUCT.md §4.2.3)."""

import pytest
from sqlmodel import Session

from citypulse.models import CityVisit, User
from citypulse.models.enums import AccountStatus
from citypulse.services.errors import NotFound, PermissionDenied, RateLimited, ValidationFailed
from citypulse.services.profiles.edit import (
    ProfileUpdated,
    city_visits_replace,
    link_problem,
    profile_for_edit,
    profile_update,
    username_available,
)
from citypulse.services.profiles.queries import profile_view
from tests.integration.profiles.support import People, profile_of, viewer_of
from tests.integration.support import NOW, count, run_action
from tests.support.factories import create_city, create_user


def update(session: Session, user: User, **changes: object) -> ProfileUpdated:
    return run_action(session, profile_update, actor=viewer_of(user), changes=changes, now=NOW)


def field_errors(session: Session, user: User, **changes: object) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        update(session, user, **changes)
    return caught.value.field_errors


def test_an_instagram_link_on_example_com_is_refused_and_nothing_changes(
    session: Session, people: People
) -> None:
    errors = field_errors(
        session, people.alice, bio="New bio", instagram_url="https://example.com/alice"
    )
    assert errors == {"instagram_url": "Instagram link must be on instagram.com"}
    session.refresh(people.alice)
    assert people.alice.bio == "Coffee and trams."
    assert profile_of(session, people.alice).instagram_url == "https://instagram.com/alice"


@pytest.mark.parametrize(
    ("field", "url"),
    [
        ("instagram_url", "https://www.instagram.com/alice"),
        ("instagram_url", "http://instagram.com"),
        ("facebook_url", "https://facebook.com/alice"),
        ("facebook_url", "https://m.facebook.com/alice"),
        ("facebook_url", "https://www.fb.com/alice"),
        ("twitter_url", "https://x.com/alice"),
        ("twitter_url", "https://twitter.com/alice"),
        ("linkedin_url", "https://www.linkedin.com/in/alice"),
        ("website_url", "https://alice.example.org/blog?x=1"),
        ("website_url", "HTTP://ALICE.DEV"),
    ],
)
def test_links_on_their_network_hosts_are_accepted(field: str, url: str) -> None:
    assert link_problem(field, url) is None


IG_HOST = "Instagram link must be on instagram.com"
FB_HOST = "Facebook link must be on facebook.com, fb.com or m.facebook.com"
IG_URL = "Instagram link must be a full http:// or https:// address"
WEB_URL = "Website link must be a full http:// or https:// address"


@pytest.mark.parametrize(
    ("field", "url", "message"),
    [
        ("instagram_url", "https://instagram.com.evil.net/a", IG_HOST),
        ("instagram_url", "https://notinstagram.com/a", IG_HOST),
        ("instagram_url", "https://api.instagram.com/a", IG_HOST),
        ("facebook_url", "https://facebook.co/a", FB_HOST),
        ("twitter_url", "https://mastodon.social/@a", "X link must be on twitter.com or x.com"),
        ("linkedin_url", "https://linked.in/a", "LinkedIn link must be on linkedin.com"),
        ("instagram_url", "https://instagram.com@evil.net/", IG_URL),
        ("instagram_url", "instagram.com/alice", IG_URL),
        ("website_url", "javascript:alert(1)", WEB_URL),
        ("website_url", "ftp://files.example.org", WEB_URL),
        ("website_url", "https://exa mple.org", WEB_URL),
        ("website_url", "https://example.org:99999/", WEB_URL),
        (
            "website_url",
            "https://example.org/" + "a" * 240,
            "Website link must be at most 255 characters",
        ),
    ],
)
def test_links_off_their_host_or_not_http_are_refused(field: str, url: str, message: str) -> None:
    assert link_problem(field, url) == message


def test_only_the_provided_fields_change(session: Session, people: People) -> None:
    result = update(
        session,
        people.alice,
        full_name="  Alice T.  ",
        phone="+351 912-345 679",
        bio="",
        website_url=" https://alice.dev ",
        whatsapp="+351912345679",
    )
    assert result == ProfileUpdated(
        "alice", False, ("full_name", "phone", "bio", "website_url", "whatsapp")
    )
    session.refresh(people.alice)
    alice = people.alice
    assert (alice.full_name, alice.phone, alice.bio) == ("Alice T.", "+351912345679", None)
    assert (alice.hometown, alice.current_location) == ("Porto", "Lisbon")
    profile = profile_of(session, alice)
    assert profile.website_url == "https://alice.dev"
    assert profile.instagram_url == "https://instagram.com/alice"
    assert update(session, alice, hometown="Porto").changed == ()


def test_field_limits_are_refused_per_field(session: Session, people: People) -> None:
    errors = field_errors(
        session,
        people.alice,
        full_name="A",
        bio="b" * 501,
        current_location="c" * 101,
        hometown="h" * 101,
        phone="0123",
        whatsapp="w" * 51,
        email="evil@example.com",
    )
    assert errors == {
        "full_name": "Full name must be 2–100 characters",
        "bio": "Bio must be at most 500 characters",
        "current_location": "Current location must be at most 100 characters",
        "hometown": "Hometown must be at most 100 characters",
        "phone": "Enter a valid phone number, e.g. +351912345678",
        "whatsapp": "WhatsApp must be at most 50 characters",
        "email": "This field cannot be changed here",
    }
    assert field_errors(session, people.alice, full_name=["x"]) == {"full_name": "Invalid value"}
    assert "hometown" in field_errors(session, people.alice, hometown="Por\x00to")
    assert update(session, people.alice, bio=" " + "b" * 500 + " \n").changed == ("bio",)


def test_renaming_moves_the_profile_url(session: Session, people: People) -> None:
    result = update(session, people.alice, username="Alice_T")
    assert result == ProfileUpdated("alice_t", True, ("username",))
    assert profile_view(session, viewer=None, username="alice_t").user_id == people.alice.id
    with pytest.raises(NotFound):
        profile_view(session, viewer=None, username="alice")
    assert username_available(session, actor=viewer_of(people.bob), username="alice")


def test_reserved_invalid_and_taken_usernames_are_refused(session: Session, people: People) -> None:
    gone = create_user(session, username="gone_user", status=AccountStatus.deactivated)
    cases = {
        "admin": "This username is reserved",
        "Settings": "This username is reserved",
        "BOB": "This username is taken",
        gone.username: "This username is taken",
        "a": "Username must be 3–30 characters: lowercase letters, digits and _",
        "alice!": "Username must be 3–30 characters: lowercase letters, digits and _",
    }
    for name, message in cases.items():
        assert field_errors(session, people.alice, username=name) == {"username": message}
    session.refresh(people.alice)
    assert people.alice.username == "alice"
    assert update(session, people.alice, username="ALICE").changed == ()


def test_username_availability_answers_only_available_or_taken(
    session: Session, people: People
) -> None:
    create_user(session, username="hidden_one", status=AccountStatus.banned)
    profile = profile_of(session, people.carol)
    profile.profile_visibility = "private"
    session.add(profile)
    actor = viewer_of(people.alice)
    answers = {
        name: username_available(session, actor=actor, username=name)
        for name in ("alice", "fresh_name", "Bob", "carol", "hidden_one", "mod", "x", "")
    }
    assert answers == {
        "alice": True,
        "fresh_name": True,
        "Bob": False,
        "carol": False,
        "hidden_one": False,
        "mod": False,
        "x": False,
        "": False,
    }


def test_thirty_edits_per_fifteen_minutes(session: Session, people: People) -> None:
    for index in range(30):
        update(session, people.alice, bio=f"Edit {index}")
    with pytest.raises(RateLimited) as caught:
        update(session, people.alice, bio="one too many")
    assert caught.value.message == "Too many requests, try again in 15 minutes"
    update(session, people.bob, bio="others are not affected")


def test_restricted_accounts_cannot_edit(session: Session, people: People) -> None:
    people.alice.account_status = AccountStatus.suspended
    session.add(people.alice)
    with pytest.raises(PermissionDenied):
        update(session, people.alice, bio="x")
    with pytest.raises(PermissionDenied):
        profile_for_edit(session, actor=viewer_of(people.alice))


def test_edit_form_shows_the_owner_current_values(session: Session, people: People) -> None:
    form = profile_for_edit(session, actor=viewer_of(people.alice))
    assert (form.username, form.full_name, form.phone) == (
        "alice",
        "Alice Traveller",
        "+351912345678",
    )
    assert form.links.instagram_url == "https://instagram.com/alice"
    assert form.completion.percent == 50.0  # bio, both locations, a link


def replace_visits(session: Session, user: User, visits: list) -> tuple:
    return run_action(session, city_visits_replace, actor=viewer_of(user), visits=visits, now=NOW)


def test_cities_visited_replace_the_manual_set_only(session: Session, people: People) -> None:
    alice = people.alice
    oslo, rome, bern, faro = (
        create_city(session, name=n) for n in ("Oslo", "Rome", "Bern", "Faro")
    )
    session.add(
        CityVisit(user_id=alice.id, city_id=faro.id, source="recommendation", visit_month="2022-01")
    )
    listed = replace_visits(session, alice, [(oslo.id, "2024-05"), (rome.id, None)])
    assert [(c.name, c.visit_month, c.source) for c in listed] == [
        ("Oslo", "2024-05", "manual"),
        ("Faro", "2022-01", "recommendation"),
        ("Rome", None, "manual"),
    ]
    listed = replace_visits(session, alice, [(bern.id, ""), (faro.id, "2021-12")])
    assert [(c.name, c.visit_month, c.source) for c in listed] == [
        ("Faro", "2021-12", "recommendation"),
        ("Bern", None, "manual"),
    ]
    assert count(session, CityVisit, CityVisit.user_id == alice.id) == 2
    listed = replace_visits(session, alice, [])
    assert [c.name for c in listed] == ["Faro"]  # a recommendation's city stays


@pytest.mark.parametrize(
    ("visits", "message"),
    [
        ([(10**9, None)], "Unknown city"),
        ([("1", None)], "Invalid city"),
        ([(True, None)], "Invalid city"),
        ([("CITY", "2024-13")], "Invalid city"),
        ([(None, None, None)], "Invalid city"),
        ("not a list", "Invalid city"),
        ([(1, None)] * 201, "You can list at most 200 cities"),
    ],
)
def test_bad_cities_visited_are_refused(
    session: Session, people: People, visits: object, message: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        replace_visits(session, people.alice, visits)  # type: ignore[arg-type]
    assert caught.value.field_errors == {"cities_visited": message}


@pytest.mark.parametrize("month", ["2024-13", "2024-00", "24-05", "2024/05", "2024-5", 202405])
def test_visit_months_must_be_yyyy_mm(session: Session, people: People, month: object) -> None:
    city = create_city(session)
    with pytest.raises(ValidationFailed) as caught:
        replace_visits(session, people.alice, [(city.id, month)])
    assert caught.value.field_errors == {"cities_visited": "Use YYYY-MM for the month of a visit"}
    assert count(session, CityVisit, CityVisit.user_id == people.alice.id) == 0
