"""/search and the header overlay (issue 11, journey §7.20, §4.10).

Harness only for the rows it arranges (places with set ratings and prices, history
counts read from the database).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, func, inspect, select
from sqlmodel import col

from citypulse.db import get_engine, session_scope
from citypulse.models import Recommendation, SearchHistory, User
from tests.e2e.support import target
from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.people import create_place, log_in_as

pytestmark = [pytest.mark.journeys, pytest.mark.demo_data]
INJECTION = "'; DROP TABLE users; --"


def _priced(title: str, price: tuple[int, int], rating: float, count: int, **kw) -> int:
    rid = create_place("bob", title=title, **kw)
    with session_scope() as session:
        rec = session.get(Recommendation, rid)
        rec.price_min, rec.price_max = Decimal(price[0]), Decimal(price[1])
        rec.rating_avg, rec.ratings_count = Decimal(str(rating)), count
        session.add(rec)
    return rid


def _history_count(username: str) -> int:
    with session_scope() as session:
        return session.execute(
            select(func.count())
            .select_from(SearchHistory)
            .join(User, col(User.id) == SearchHistory.user_id)
            .where(User.username == username)
        ).scalar_one()


def _clear_history(username: str) -> None:
    """A rerun within 10 minutes would merge into the earlier entry (§4.10.8): start clean."""
    with session_scope() as session:
        user_id = select(User.id).where(User.username == username).scalar_subquery()
        session.execute(delete(SearchHistory).where(col(SearchHistory.user_id) == user_id))


def _place_titles(page: Page) -> list[str]:
    section = page.locator("section").filter(has=page.get_by_role("heading", name="Places"))
    return section.get_by_role("heading", level=3).all_inner_texts()


def test_journey_7_20_filters_history_injection_and_saved_search(page: Page) -> None:
    target.needs_harness("arranges ratings and prices in the test database")
    _priced("Coffee Harbour Grill", (20, 30), 4.9, 3)
    _priced("Coffee Tram Stop Kitchen", (10, 20), 4.6, 7)
    _priced("Coffee Lantern Bistro", (5, 10), 3.5, 10)  # below the minimum rating
    _priced("Coffee Gold Room", (80, 120), 5.0, 2)  # too dear
    _priced("Coffee Private Den", (5, 10), 4.8, 4, visibility="private")  # bob's own
    log_in_as(page, "alice")
    _clear_history("alice")
    before = _history_count("alice")

    page.goto("/search")
    expect(page.get_by_text("Try one of these:")).to_be_visible()  # loaded
    page.get_by_label("Search text").fill("coffee")
    page.get_by_label("Category").select_option(label="Restaurant")
    page.get_by_label("Min price").fill("0")
    page.get_by_label("Max price").fill("25")
    page.get_by_label("Min rating").select_option(label="4+")
    page.get_by_label("Sort by").select_option(label="Rating")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page).to_have_url(re.compile(r"/search\?q=coffee&sort=rating&category=\d+"))
    expect(page.get_by_role("heading", name="Coffee Harbour Grill")).to_be_visible()
    titles = _place_titles(page)
    assert titles.index("Coffee Harbour Grill") < titles.index("Coffee Tram Stop Kitchen")
    for absent in ("Coffee Lantern Bistro", "Coffee Gold Room", "Coffee Private Den"):
        assert absent not in titles
    expect(page.get_by_role("link", name=re.compile(r"^Places \(\d+\)"))).to_be_visible()
    assert _history_count("alice") == before + 1

    page.get_by_label("Name for this search").fill("Cheap coffee")
    page.get_by_role("button", name="Save search").click()
    expect(page.get_by_role("link", name="Run saved search Cheap coffee")).to_be_visible()

    expect(page.get_by_role("button", name="Save search")).to_be_visible()
    page.get_by_label("Search text").fill(INJECTION)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="No results found")).to_be_visible()
    assert inspect(get_engine()).has_table("users")
    assert _history_count("alice") == before + 2

    page.goto("/search")
    expect(page.get_by_text("Try one of these:")).to_be_visible()
    page.get_by_role("link", name="Run saved search Cheap coffee").click()
    expect(page.get_by_label("Search text")).to_have_value("coffee")
    expect(page.get_by_label("Category")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("Category").locator("option:checked")).to_have_text("Restaurant")
    expect(page.get_by_label("Max price")).to_have_value("25")
    expect(page.get_by_label("Min rating")).to_have_value("4")
    expect(page.get_by_label("Sort by")).to_have_value("rating")
    expect(page.get_by_role("heading", name="Coffee Harbour Grill")).to_be_visible()


def _open_overlay(page: Page, *, keys: bool = True):
    """Open the header overlay as a person does once the signed-in header is on screen:
    Ctrl+K (assets/search-shortcut.js clicks the header button) or a click on the button.
    The button is rendered once the session is known; a Ctrl+K before that reaches the
    browser, not the page."""
    trigger = page.get_by_role("button", name="Open search (Ctrl+K)")
    expect(trigger).to_be_visible()
    if keys:
        page.keyboard.press("Control+k")
    else:
        trigger.click()
    dialog = page.get_by_role("dialog", name="Search CityPulse")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("combobox", name="Search")).to_be_focused()
    return dialog


def test_overlay_keyboard_suggestions_and_one_history_entry(page: Page) -> None:
    harness = not target.is_external()
    log_in_as(page, "carol")
    if harness:
        _clear_history("carol")
    before = _history_count("carol") if harness else 0

    dialog = _open_overlay(page)
    box = dialog.get_by_role("combobox", name="Search")
    box.press_sequentially("toron", delay=60)
    options = dialog.get_by_role("option")
    expect(dialog.get_by_role("option", name=re.compile(r"^Toronto.*City$"))).to_be_visible()
    expect(dialog.get_by_role("option", name=re.compile(r"^Toronto Island Park"))).to_be_visible()
    expect(dialog.get_by_text(re.compile(r"^\d+ suggestions$"))).to_have_count(1)  # announced
    if harness:
        assert _history_count("carol") == before  # typing records nothing
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "search-option-0")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.first).to_have_attribute("aria-selected", "false")
    box.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(dialog).to_be_hidden()

    dialog = _open_overlay(page, keys=False)  # the header button opens it too
    box.press_sequentially("tremblay", delay=40)
    person = dialog.get_by_role("option", name=re.compile("Alice Tremblay.*@alice"))
    expect(person).to_be_visible()
    index = options.all_inner_texts().index(person.inner_text())
    for _ in range(index + 1):
        box.press("ArrowDown")
    expect(person).to_have_attribute("aria-selected", "true")
    box.press("Enter")  # Enter opens the active suggestion
    expect(page).to_have_url(re.compile(r"/profile/alice$"))
    if harness:  # a picked suggestion is one executed search of the typed text
        assert _history_count("carol") == before + 1

    dialog = _open_overlay(page)
    box.press_sequentially("toronto", delay=40)
    expect(options.first).to_be_visible()
    box.press("Enter")  # no active suggestion: Enter searches the text
    expect(page).to_have_url(re.compile(r"/search\?q=toronto$"))
    expect(page.get_by_role("link", name=re.compile(r"^Cities \(\d+\)"))).to_be_visible()
    if harness:
        assert _history_count("carol") == before + 2  # one submitted search, one entry

    dialog = _open_overlay(page)
    recent = dialog.get_by_role("listbox", name="Recent searches")
    expect(recent.get_by_role("option", name=re.compile("toronto"))).to_be_visible()
    expect(recent.get_by_role("option", name=re.compile("tremblay"))).to_be_visible()
    dialog.get_by_role("button", name="Clear history").click()
    expect(dialog.get_by_text("No recent searches.")).to_be_visible()
    if harness:
        assert _history_count("carol") == 0


@pytest.mark.parametrize("size", [(1280, 900), (390, 844)], ids=["desktop", "mobile"])
def test_overlay_passes_axe(page: Page, size: tuple[int, int]) -> None:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    log_in_as(page, "alice")
    dialog = _open_overlay(page)
    dialog.get_by_role("combobox", name="Search").press_sequentially("toron", delay=40)
    expect(dialog.get_by_role("option").first).to_be_visible()
    dialog.get_by_role("combobox", name="Search").press("ArrowDown")
    expect(dialog.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    assert blocking_violations(page) == []


@pytest.mark.parametrize("size", [(1280, 900), (390, 844)], ids=["desktop", "mobile"])
def test_search_page_passes_axe(page: Page, size: tuple[int, int]) -> None:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    log_in_as(page, "alice")
    page.goto("/search?q=toronto")
    expect(page.get_by_role("link", name=re.compile(r"^All \(\d+\+?\)"))).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert blocking_violations(page) == []
    page.goto("/search?q=zzqqxxv")
    expect(page.get_by_role("heading", name="No results found")).to_be_visible()
    assert blocking_violations(page) == []


def test_did_you_mean_grid_list_cities_directory_and_saved_search_lifecycle(page: Page) -> None:
    log_in_as(page, "dave")
    page.goto("/search?q=cofee")  # misspelt: pg_trgm finds the word people meant
    expect(page.get_by_role("status").filter(has_text="Did you mean")).to_contain_text("coffee")
    expect(page.get_by_role("heading", name="Sam James Coffee Bar")).to_be_visible()

    grid, listed = (page.get_by_role("button", name=n) for n in ("Grid view", "List view"))
    listed.click()
    expect(listed).to_have_attribute("aria-pressed", "true")
    expect(grid).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_role("heading", name="Sam James Coffee Bar")).to_be_visible()
    grid.click()
    expect(grid).to_have_attribute("aria-pressed", "true")

    page.goto("/search?type=cities")  # no text: the directory of every city
    cities_tab = page.get_by_role("link", name=re.compile(r"^Cities \(\d+\+?\)"))
    expect(cities_tab).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name=re.compile(r"^Amsterdam\b"))).to_be_visible()  # A-Z
    expect(page.get_by_role("link", name=re.compile(r"^Lisbon\b"))).to_be_visible()
    page.get_by_role("button", name="Load more").click()  # 20 per page, keyset
    expect(page.get_by_role("link", name=re.compile(r"^Toronto\b"))).to_be_visible()

    page.goto("/search?q=toronto")
    expect(page.get_by_role("link", name=re.compile(r"^All \(\d+\+?\)"))).to_be_visible()
    page.get_by_label("Name for this search").fill("Toronto picks")
    page.get_by_role("button", name="Save search").click()
    expect(page.get_by_role("link", name="Run saved search Toronto picks")).to_be_visible()

    page.get_by_role("button", name="Rename Toronto picks").click()
    page.get_by_label("New name").fill("Toronto favourites")
    page.get_by_role("button", name="Save", exact=True).click()
    favourites = page.get_by_role("link", name="Run saved search Toronto favourites")
    expect(favourites).to_be_visible()

    page.get_by_role("button", name="Archive Toronto favourites").click()
    expect(favourites).to_be_hidden()
    page.get_by_role("button", name="Show archived").click()
    archived = page.get_by_role("list", name="Archived saved searches")
    expect(archived.get_by_role("link", name="Run saved search Toronto favourites")).to_be_visible()
    archived.get_by_role("button", name="Unarchive Toronto favourites").click()
    expect(archived.get_by_role("link", name="Run saved search Toronto favourites")).to_be_hidden()
    expect(favourites).to_be_visible()

    page.get_by_role("button", name="Delete Toronto favourites").click()
    expect(page.get_by_role("link", name=re.compile("Toronto favourites"))).to_have_count(0)
