"""The chrome's navigation follows the page registry (issue 15 item 3).

No item may lead to a page that does not exist, and each item is shown only to the
viewers its page admits; a page registered later makes its item appear.
"""

import re

import pytest
import reflex as rx

import citypulse.pages  # noqa: F401  (registers every page)
from citypulse.components.layout import page_layout
from citypulse.components.navigation import (
    ACCOUNT_MENU,
    BOTTOM_NAV,
    SITE_LINKS,
    VISITOR_ENTRY,
    available,
    is_registered,
    registered_access,
)
from citypulse.pages.registry import PAGES, PageSpec

ALL_ITEMS = [*BOTTOM_NAV, *ACCOUNT_MENU, *VISITOR_ENTRY, *SITE_LINKS]


def labels(items) -> list[tuple[str, str]]:
    return [(item.label, audience) for item, audience in available(items)]


@pytest.fixture
def trips_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """A /trips page, as the trips feature will register it."""
    if "/trips" in registered_access():
        pytest.skip("/trips is registered already")
    monkeypatch.setattr(
        "citypulse.pages.registry.PAGES", [*PAGES, PageSpec("/trips", "Trips", "A", rx.fragment)]
    )


def test_only_registered_pages_are_offered() -> None:
    shown = [item for item, _ in available(ALL_ITEMS)]
    assert shown
    for item in ALL_ITEMS:
        assert (item in shown) == is_registered(item.route), item


def test_dynamic_segments_match_whatever_their_name() -> None:
    assert is_registered("/profile/[username]")  # registered as /profile/[profile_username]
    assert is_registered("/profile/edit")
    assert not is_registered("/profile/[username]/edit")


def test_a_page_registered_later_appears_in_the_navigation(trips_page: None) -> None:
    assert ("Trips", "A") in labels(BOTTOM_NAV)
    assert ("Trips", "A") in labels(ACCOUNT_MENU)


def test_items_are_shown_to_the_viewers_their_page_admits() -> None:
    assert ("Home", "G") in labels(BOTTOM_NAV)  # visitors' home is the landing page
    assert ("Home", "A") in labels(BOTTOM_NAV)
    assert ("Create", "A") in labels(BOTTOM_NAV)
    assert ("Profile", "A") in labels(BOTTOM_NAV)  # one's own profile needs a username
    assert ("Log in", "G") in labels(BOTTOM_NAV)
    assert ("Sign up", "G") in labels(BOTTOM_NAV)
    assert ("Moderator tools", "M") in labels(ACCOUNT_MENU)
    assert ("Settings", "A") in labels(ACCOUNT_MENU)
    assert {audience for _, audience in labels(SITE_LINKS)} == {"P"}


def test_dynamic_routes_have_a_concrete_link() -> None:
    for item in ALL_ITEMS:
        if "[" in item.route:
            assert item.href is not None, item
        else:
            assert item.link == item.route, item


def test_the_rendered_chrome_links_only_to_registered_pages() -> None:
    rendered = str(page_layout(rx.text("content")))
    # Links (`to`), forms (`action`) and menu items (`_redirect` events with a `path`).
    links = set(re.findall(r'(?:to|href|action|\["path"\] ?)[:=]\{? ?"(/[^"?#]*)', rendered))
    static = {route for route in registered_access() if "[" not in route}
    dynamic = [route.split("[")[0] for route in registered_access() if "[" in route]
    server_routes = {"/auth/logout"}
    assert {"/about", "/auth/logout", "/dashboard", "/settings"} <= links  # the pattern works
    for link in links - server_routes:
        assert link.rstrip("/") in static | {""} or any(
            link.startswith(prefix) for prefix in dynamic
        ), link
