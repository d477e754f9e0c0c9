"""Places search: matching, filters, sorts, paging, visibility, typos and nearby (§4.10)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from citypulse.models import User
from citypulse.models.enums import AccountStatus
from citypulse.services.errors import NotFound, ValidationFailed
from citypulse.services.search import places
from citypulse.services.search.page import search_page
from citypulse.services.search.places import search_places
from citypulse.services.search.request import parse_request
from tests.integration.search.support import World, block, place, viewer


def titles(session: Session, user: User, text: str = "", **filters) -> list[str]:
    page = search_places(session, user.id, parse_request(text, filters), limit=50)
    return [item.card.title for item in page.items]


def test_words_are_stemmed_accent_insensitive_and_the_last_is_a_prefix(
    session: Session, world: World
) -> None:
    place(session, author=world.bob, title="Café Coffee Roasters", category=world.cafe,
          city=world.lisbon)  # fmt: skip
    place(session, author=world.bob, title="Quiet library", category=world.cafe,
          city=world.lisbon, description="Reading rooms and no coffee at all here.")  # fmt: skip
    assert titles(session, world.alice, "cafe") == ["Café Coffee Roasters"]
    assert titles(session, world.alice, "roaster") == ["Café Coffee Roasters"]
    assert titles(session, world.alice, "cof") == ["Café Coffee Roasters", "Quiet library"]
    # Title (weight A) ranks above description (weight C).
    assert titles(session, world.alice, "coffee") == ["Café Coffee Roasters", "Quiet library"]
    # Tags, city and category names (search_terms, weight B) match too.
    assert len(titles(session, world.alice, "lisbonia drinkery")) == 2


def test_special_characters_are_text_and_break_nothing(session: Session, world: World) -> None:
    place(session, author=world.bob, title="Coffee corner", category=world.cafe, city=world.lisbon)
    for text in ("'; DROP TABLE users; --", "a & | ! ( ) :* <->", "%_\\", "“quoted”"):
        assert titles(session, world.alice, text) == []
    assert titles(session, world.alice, "coffee") == ["Coffee corner"]


def test_journey_filters_and_rating_sort(session: Session, world: World) -> None:
    """§7.20: "coffee", Restaurant, price 0–25, min rating 4, by rating."""
    w = world

    def coffee(title: str, **kw) -> None:
        place(session, author=w.bob, title=title, category=kw.pop("category", w.restaurant),
              city=w.lisbon, **kw)  # fmt: skip

    coffee("Coffee and toast", price=(5, 15), rating=(4.2, 10))
    coffee("Coffee tasting menu", price=(20, 40), rating=(4.9, 3))  # overlaps 0-25
    coffee("Coffee brunch", price=(10, 20), rating=(4.5, 8))
    coffee("Coffee fine dining", price=(60, 90), rating=(5, 2))  # too dear
    coffee("Coffee diner", price=(5, 10), rating=(3.9, 40))  # below 4
    coffee("Coffee unrated", price=(5, 10))  # unrated: excluded by min rating
    coffee("Coffee free entry", rating=(4.8, 1))  # unpriced: excluded by the price filter
    coffee("Coffee bar", category=w.cafe, price=(2, 4), rating=(4.7, 9))  # other category
    filters = {"categories": [w.restaurant.id], "price": [0, 25], "min_rating": 4,
               "sort": "rating"}  # fmt: skip
    assert titles(session, w.alice, "coffee", **filters) == [
        "Coffee tasting menu", "Coffee brunch", "Coffee and toast"
    ]  # fmt: skip
    # Filters alone (the category's covering index, then the rows): the same three.
    assert titles(session, w.alice, "", **filters) == [
        "Coffee tasting menu", "Coffee brunch", "Coffee and toast"
    ]  # fmt: skip


def test_sorts_recent_price_and_unpriced_last(session: Session, world: World) -> None:
    w = world
    a = place(
        session, author=w.bob, title="Tea one", category=w.cafe, city=w.lisbon, price=(10, 30)
    )
    b = place(session, author=w.bob, title="Tea two", category=w.cafe, city=w.lisbon)
    c = place(session, author=w.bob, title="Tea three", category=w.cafe, city=w.lisbon,
              price=(0, 5), photo=True)  # fmt: skip
    assert titles(session, w.alice, "tea", sort="recent") == [c.title, b.title, a.title]
    assert titles(session, w.alice, "tea", sort="price_low") == [c.title, a.title, b.title]
    assert titles(session, w.alice, "tea", sort="price_high") == [a.title, c.title, b.title]
    assert titles(session, w.alice, "tea", has_photos=True) == [c.title]
    assert titles(session, w.alice, "tea", price=[0, 0]) == [c.title]  # "Free" = max 0
    assert titles(session, w.alice, "tea", price=[20, 1000]) == [a.title]  # 1000 is "1000+"


def test_keyset_pages_never_repeat_or_skip(session: Session, world: World) -> None:
    for number in range(7):
        place(session, author=world.bob, title=f"Bakery number {number}", category=world.cafe,
              city=world.lisbon, rating=(number % 3 + 1, 1))  # fmt: skip
    for sort in ("relevance", "recent", "rating", "popular", "price_low"):
        request = parse_request("bakery", {"sort": sort})
        seen, cursor = [], None
        while True:
            page = search_places(session, world.alice.id, request, cursor=cursor, limit=3)
            assert page.total == 7
            seen += [item.card.id for item in page.items]
            if (cursor := page.next_cursor) is None:
                break
        assert len(seen) == len(set(seen)) == 7, sort
    # An invalid cursor restarts from the first page.
    first = search_places(session, world.alice.id, parse_request("bakery"), limit=3)
    again = search_places(session, world.alice.id, parse_request("bakery"), cursor="junk", limit=3)
    assert [i.card.id for i in again.items] == [i.card.id for i in first.items]


def test_hidden_items_never_reach_the_wrong_viewer(session: Session, world: World) -> None:
    w = world

    def mk(title: str, author: User = w.bob, **kw):
        return place(session, author=author, title=f"Secret {title}", category=w.cafe,
                     city=w.lisbon, coordinates=(38.72, -9.14), **kw)  # fmt: skip

    mk("public")
    mk("removed", author=w.dave, status="removed")
    mk("deleted", status="deleted")
    mk("private", visibility="private")
    mk("buddies", author=w.dave, visibility="friends_only")
    mk("blocker", author=w.carol)
    block(session, w.carol, w.alice)  # carol blocked alice: neither sees the other's
    near = {"near": {"lat": 38.72, "lng": -9.14, "radius_km": 5}}
    for text, filters in (("secret", {}), ("", near), ("", {"categories": [w.cafe.id]})):
        assert sorted(titles(session, w.alice, text, **filters)) == [
            "Secret buddies", "Secret public"]  # fmt: skip
        assert sorted(titles(session, w.bob, text, **filters)) == [
            "Secret blocker", "Secret private", "Secret public"]  # fmt: skip
        assert sorted(titles(session, w.carol, text, **filters)) == [
            "Secret blocker",
            "Secret public",
        ]
    w.bob.account_status = AccountStatus.banned
    session.add(w.bob)
    session.flush()
    assert titles(session, w.alice, "secret") == ["Secret buddies"]


def test_misspelt_word_finds_the_place_and_says_did_you_mean(
    session: Session, world: World
) -> None:
    place(session, author=world.bob, title="Blue Coffee Roasters", category=world.cafe,
          city=world.lisbon)  # fmt: skip
    results = search_page(session, viewer=viewer(world.alice), text="cofee")
    assert results.showing_for == "coffee"
    assert [item.card.title for item in results.places.items] == ["Blue Coffee Roasters"]
    # A word the viewer may not see (a private title) is never suggested.
    place(session, author=world.bob, title="Zanzibarian hideout", category=world.cafe,
          city=world.lisbon, visibility="private")  # fmt: skip
    results = search_page(session, viewer=viewer(world.alice), text="zanzibarean")
    assert results.showing_for == "" and results.total == 0


def test_near_me_and_near_this_place_nearest_first(session: Session, world: World) -> None:
    w = world
    here = place(session, author=w.bob, title="Here", category=w.cafe, city=w.lisbon,
                 coordinates=(38.7100, -9.1400))  # fmt: skip
    place(session, author=w.bob, title="Two km", category=w.cafe, city=w.lisbon,
          coordinates=(38.7280, -9.1400))  # fmt: skip
    place(session, author=w.bob, title="City centre", category=w.cafe, city=w.lisbon)  # city's
    place(session, author=w.bob, title="Porto", category=w.cafe, city=w.porto,
          coordinates=(41.15, -8.61))  # fmt: skip
    request = parse_request("", {"near": {"lat": 38.71, "lng": -9.14, "radius_km": 10}})
    page = search_places(session, w.alice.id, request)
    assert [i.card.title for i in page.items] == ["Here", "City centre", "Two km"]
    assert [i.distance_km for i in page.items] == [0.0, 1.1, 2.0]
    request = parse_request("", {"near": {"recommendation": here.id, "radius_km": 200}})
    assert [i.card.title for i in search_places(session, w.alice.id, request).items] == [
        "Here", "City centre", "Two km"]  # Porto is 275 km away  # fmt: skip
    hidden = place(session, author=w.bob, title="Mine", category=w.cafe, city=w.lisbon,
                   visibility="private")  # fmt: skip
    with pytest.raises(NotFound):
        search_places(session, w.alice.id,
                      parse_request("", {"near": {"recommendation": hidden.id}}))  # fmt: skip


def test_a_common_word_reads_only_its_newest_window(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bounded plan: past `WINDOW` matches only the newest are read; the filters and the
    visibility rule apply to those, and the count says there may be more (capped)."""
    w = world
    monkeypatch.setattr(places, "WINDOW", 4)
    for number in range(5):
        place(session, author=w.bob, title=f"Harbour view {number}", city=w.lisbon,
              category=w.restaurant if number % 2 == 0 else w.cafe)  # fmt: skip
    place(session, author=w.bob, title="Harbour view hidden", category=w.restaurant,
          city=w.lisbon, visibility="private")  # the newest: read, never shown  # fmt: skip
    page = search_places(session, w.alice.id, parse_request("harbour"), limit=50)
    assert [i.card.title for i in page.items] == [
        "Harbour view 4", "Harbour view 3", "Harbour view 2"]  # fmt: skip
    assert (page.total, page.capped) == (3, True)
    filtered = search_places(
        session, w.alice.id, parse_request("harbour", {"categories": [w.restaurant.id]})
    )
    assert [i.card.title for i in filtered.items] == ["Harbour view 4", "Harbour view 2"]
    assert filtered.capped
    place(session, author=w.bob, title="Lighthouse one", category=w.cafe, city=w.lisbon)
    rare = search_places(session, w.alice.id, parse_request("lighthouse"))
    assert (rare.total, rare.capped) == (1, False)  # every match read: exact


def test_a_frequent_word_reads_only_the_newest_rows(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A word with `FREQUENT` matches among the newest `PROBE_ROWS` rows is read from the
    newest `RECENT_ROWS` rows only, however few of them match (capped: older rows were not
    read); a rarer word's newest matches are read from all rows (exact). Hidden, removed
    and blocked rows are walked, never shown; special characters stay text."""
    w = world
    monkeypatch.setattr(places, "PROBE_ROWS", 3)
    monkeypatch.setattr(places, "FREQUENT", 2)
    monkeypatch.setattr(places, "RECENT_ROWS", 6)
    place(session, author=w.bob, title="Lighthouse old", category=w.cafe, city=w.lisbon)
    place(session, author=w.bob, title="Harbour view oldest", category=w.cafe, city=w.lisbon)
    place(session, author=w.bob, title="Quiet corner", category=w.cafe, city=w.lisbon)
    place(session, author=w.carol, title="Harbour view blocked", category=w.cafe, city=w.lisbon)
    place(session, author=w.bob, title="Harbour view removed", category=w.cafe, city=w.lisbon,
          status="removed")  # not active: not one of the newest rows  # fmt: skip
    place(session, author=w.bob, title="Harbour view cheap", category=w.restaurant,
          city=w.lisbon, price=(5, 10))  # fmt: skip
    place(session, author=w.bob, title="Green park", category=w.cafe, city=w.lisbon)
    place(session, author=w.bob, title="Harbour view hidden", category=w.cafe, city=w.lisbon,
          visibility="private")  # fmt: skip
    place(session, author=w.bob, title="Harbour view new", category=w.cafe, city=w.lisbon)
    block(session, w.alice, w.carol)
    page = search_places(session, w.alice.id, parse_request("harbo"), limit=50)
    # The newest 6 active rows hold 4 harbours (the oldest is not read); 2 are hidden.
    assert [i.card.title for i in page.items] == ["Harbour view new", "Harbour view cheap"]
    assert (page.total, page.capped) == (2, True)
    filtered = search_places(session, w.alice.id, parse_request("harbour", {"price": [0, 20]}))
    assert ([i.card.title for i in filtered.items], filtered.capped) == (
        ["Harbour view cheap"], True)  # fmt: skip
    rare = search_places(session, w.alice.id, parse_request("lighthouse"))
    assert ([i.card.title for i in rare.items], rare.capped) == (["Lighthouse old"], False)
    assert titles(session, w.alice, "harbour' OR 1=1; --") == []
    monkeypatch.setattr(places, "RECENT_ROWS", 100)  # every active row read: exact
    everything = search_places(session, w.alice.id, parse_request("harbour"), limit=50)
    assert [i.card.title for i in everything.items] == [
        "Harbour view new", "Harbour view cheap", "Harbour view oldest"]  # fmt: skip
    assert (everything.total, everything.capped) == (3, False)


@pytest.mark.parametrize(
    ("text", "filters", "field"),
    [
        ("x" * 201, {}, "q"),
        ("line\nbreak", {}, "q"),
        ("", {"price": [30, 10]}, "price"),
        ("", {"price": "abc"}, "price"),
        ("", {"min_rating": 6}, "min_rating"),
        ("", {"categories": "1,x"}, "categories"),
        ("", {"difficulty": ["impossible"]}, "difficulty"),
        ("", {"sort": "random"}, "sort"),
        ("", {"sort": "distance"}, "sort"),
        ("", {"near": {"lat": 91, "lng": 0}}, "near"),
        ("", {"near": {"lat": 1, "lng": 2, "radius_km": 500}}, "radius"),
    ],
)
def test_invalid_input_is_a_field_error(text: str, filters: dict, field: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        parse_request(text, filters)
    assert field in error.value.field_errors
