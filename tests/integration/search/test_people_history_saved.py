"""People and cities search, autocomplete, history and saved searches (§4.10)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from citypulse.models import SavedSearch, SearchHistory
from citypulse.models.enums import AccountStatus
from citypulse.services.errors import NotFound, ValidationFailed
from citypulse.services.search.history import (
    history_clear,
    history_delete,
    recent_searches,
    record_pick,
)
from citypulse.services.search.page import search_run
from citypulse.services.search.people import search_cities, search_people
from citypulse.services.search.saved import (
    saved_search_archive,
    saved_search_create,
    saved_search_delete,
    saved_search_rename,
    saved_searches,
)
from citypulse.services.search.suggest import suggestions
from tests.integration.search.support import NOW, World, block, place, set_private, viewer
from tests.integration.support import run_action


def usernames(session: Session, world: World, viewer_user, text: str) -> list[str]:
    return [p.username for p in search_people(session, viewer_user.id, text).items]


def test_people_privacy_blocks_inactive_and_typos(session: Session, world: World) -> None:
    w = world
    w.bob.bio = "Loves harbour walks"
    w.carol.bio = "Also loves harbour walks"
    session.add_all([w.bob, w.carol])
    set_private(session, w.carol)
    session.flush()
    assert usernames(session, w, w.alice, "harbour") == ["q_bob"]  # carol's bio is private
    carol = search_people(session, w.alice.id, "carol").items[0]
    assert carol.limited and carol.bio == ""  # a limited card
    assert usernames(session, w, w.alice, "Silvaa") == ["q_bob"]  # a typo of Silva
    block(session, w.bob, w.alice)
    assert usernames(session, w, w.alice, "bob") == []
    assert usernames(session, w, w.bob, "alice") == []
    w.dave.account_status = AccountStatus.banned
    session.add(w.dave)
    session.flush()
    assert usernames(session, w, w.alice, "dave") == []


def test_cities_by_name_with_typos_and_the_directory(session: Session, world: World) -> None:
    assert [c.name for c in search_cities(session, "Lisbonai").items] == ["Lisbonia"]
    directory = search_cities(session, "", limit=1)
    assert directory.next_cursor is not None
    second = search_cities(session, "", cursor=directory.next_cursor, limit=50)
    names = [c.name for c in (*directory.items, *second.items)]
    assert len(names) == len(set(names)) and names == sorted(names, key=str.lower)
    assert directory.items[0].href.startswith("/city/")


def test_autocomplete_respects_visibility_and_lists_kinds(session: Session, world: World) -> None:
    w = world
    place(session, author=w.bob, title="Lisbonia lookout", category=w.cafe, city=w.lisbon)
    place(session, author=w.bob, title="Lisbonia secret", category=w.cafe, city=w.lisbon,
          visibility="private")  # fmt: skip
    found = suggestions(session, viewer=viewer(w.alice), text="lisbonia")
    kinds = [(s.kind, s.label) for s in found]
    assert ("place", "Lisbonia lookout") in kinds and ("city", "Lisbonia, Portugal") in kinds
    assert all("secret" not in label for _, label in kinds)
    assert suggestions(session, viewer=viewer(w.alice), text="l") == ()
    assert len(found) <= 8


def test_one_history_entry_per_executed_search(session: Session, world: World) -> None:
    w = world
    alice = viewer(w.alice)

    def entries() -> list[SearchHistory]:
        session.expire_all()
        query = select(SearchHistory).where(SearchHistory.user_id == w.alice.id)
        return list(session.exec(query).all())

    filters = {"categories": [w.restaurant.id], "price": [0, 25], "min_rating": 4}
    run_action(session, search_run, actor=alice, text="coffee", filters=filters, now=NOW)
    assert len(entries()) == 1
    # Autocomplete (per keystroke) records nothing.
    suggestions(session, viewer=alice, text="cof")
    suggestions(session, viewer=alice, text="coff")
    assert len(entries()) == 1
    # The same search within 10 minutes refreshes the entry; later, a new one.
    later = NOW + timedelta(minutes=5)
    run_action(session, search_run, actor=alice, text="coffee", filters=filters, now=later)
    assert [e.searched_at for e in entries()] == [later]
    run_action(session, search_run, actor=alice, text="coffee", filters=filters,
               now=later + timedelta(minutes=11))  # fmt: skip
    assert len(entries()) == 2
    stored = entries()[0].filters
    assert stored == {"categories": [w.restaurant.id], "price": [0, 25], "min_rating": 4}
    # Newest 100 kept.
    for minute in range(105):
        run_action(session, search_run, actor=alice, text=f"q{minute}",
                   now=NOW + timedelta(hours=1, minutes=minute))  # fmt: skip
    assert len(entries()) == 100
    recent = recent_searches(session, viewer=alice)
    assert recent[0].query == "q104" and recent[0].href == "/search?q=q104"


def test_a_picked_suggestion_is_one_executed_search(session: Session, world: World) -> None:
    w = world
    alice = viewer(w.alice)
    shown = place(session, author=w.bob, title="Harbour cafe", category=w.cafe, city=w.lisbon)
    hidden = place(session, author=w.bob, title="Harbour den", category=w.cafe, city=w.lisbon,
                   visibility="private")  # fmt: skip

    def entries() -> list[tuple[str, int, int | None]]:
        session.expire_all()
        rows = session.exec(select(SearchHistory).where(SearchHistory.user_id == w.alice.id))
        return [(e.query, e.result_count, e.clicked_recommendation_id) for e in rows.all()]

    run_action(session, record_pick, actor=alice, text="harb", offered=4, place_id=shown.id,
               now=NOW)  # fmt: skip
    assert entries() == [("harb", 4, shown.id)]  # the typed text; the place it opened
    # Then a city or person picked for the same text: the same search, merged.
    run_action(session, record_pick, actor=alice, text="harb", offered=3,
               now=NOW + timedelta(minutes=1))  # fmt: skip
    assert entries() == [("harb", 3, shown.id)]
    with pytest.raises(NotFound):  # a place the picker may not see: nothing recorded
        run_action(session, record_pick, actor=viewer(w.carol), text="harb", offered=2,
                   place_id=hidden.id, now=NOW)  # fmt: skip
    with pytest.raises(ValidationFailed):
        run_action(session, record_pick, actor=alice, text="x" * 201, offered=1, now=NOW)
    run_action(session, record_pick, actor=alice, text=" ", offered=1, now=NOW)  # no query
    run_action(session, record_pick, actor=viewer(w.carol), text="port", offered=999, now=NOW)
    session.expire_all()
    carol = session.exec(select(SearchHistory).where(SearchHistory.user_id == w.carol.id)).one()
    assert (carol.query, carol.result_count) == ("port", 0)  # an impossible count is not kept
    assert entries() == [("harb", 3, shown.id)]


def test_history_delete_and_clear_are_the_owners_only(session: Session, world: World) -> None:
    w = world
    run_action(session, search_run, actor=viewer(w.alice), text="tea", now=NOW)
    entry = recent_searches(session, viewer=viewer(w.alice))[0]
    with pytest.raises(NotFound):
        run_action(session, history_delete, actor=viewer(w.carol), entry_id=entry.id, now=NOW)
    run_action(session, history_clear, actor=viewer(w.carol), now=NOW)
    assert len(recent_searches(session, viewer=viewer(w.alice))) == 1
    run_action(session, history_delete, actor=viewer(w.alice), entry_id=entry.id, now=NOW)
    assert recent_searches(session, viewer=viewer(w.alice)) == ()


def test_saved_search_lifecycle_and_ownership(session: Session, world: World) -> None:
    w = world
    alice, carol = viewer(w.alice), viewer(w.carol)
    filters = {"categories": [w.restaurant.id], "price": [0, 25], "min_rating": 4,
               "sort": "rating"}  # fmt: skip
    saved = run_action(session, saved_search_create, actor=alice, name="Cheap coffee",
                       text="coffee", filters=filters, now=NOW)  # fmt: skip
    assert saved.href == (
        f"/search?q=coffee&sort=rating&category={w.restaurant.id}&price=0-25&min_rating=4"
    )
    with pytest.raises(ValidationFailed) as taken:
        run_action(session, saved_search_create, actor=alice, name="cheap COFFEE", now=NOW)
    assert taken.value.field_errors == {"name": "You already have a saved search with this name"}
    with pytest.raises(ValidationFailed):
        run_action(session, saved_search_create, actor=alice, name="  ", now=NOW)
    for service, kwargs in (
        (saved_search_rename, {"name": "Mine now"}),
        (saved_search_archive, {"archived": True}),
        (saved_search_delete, {}),
    ):
        with pytest.raises(NotFound):
            run_action(session, service, actor=carol, saved_id=saved.id, now=NOW, **kwargs)
    session.expire_all()
    assert session.get(SavedSearch, saved.id).name == "Cheap coffee"
    run_action(session, saved_search_rename, actor=alice, saved_id=saved.id, name="Cheap cups",
               now=NOW)  # fmt: skip
    run_action(session, saved_search_archive, actor=alice, saved_id=saved.id, archived=True,
               now=NOW)  # fmt: skip
    assert saved_searches(session, viewer=alice) == ()
    assert [s.name for s in saved_searches(session, viewer=alice, archived=True)] == ["Cheap cups"]
    run_action(session, saved_search_delete, actor=alice, saved_id=saved.id, now=NOW)
    assert saved_searches(session, viewer=alice, archived=True) == ()


def test_at_most_fifty_saved_searches(session: Session, world: World) -> None:
    for number in range(50):
        session.add(SavedSearch(user_id=world.alice.id, name=f"Search {number}"))
    session.flush()
    with pytest.raises(ValidationFailed) as error:
        run_action(session, saved_search_create, actor=viewer(world.alice), name="One more",
                   now=NOW)  # fmt: skip
    assert error.value.field_errors == {"name": "You can keep at most 50 saved searches"}
