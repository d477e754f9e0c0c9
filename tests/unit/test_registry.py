"""Route registry: every page is registered once, with a title and a valid access level."""

from collections import Counter

import citypulse.pages  # noqa: F401  (registers every page)
from citypulse.pages.registry import NOT_FOUND_ROUTE, PAGES, full_title

PUBLIC_ROUTES = {"/", "/about", "/features", "/terms", "/privacy", NOT_FOUND_ROUTE}


def test_routes_are_unique() -> None:
    duplicates = [route for route, n in Counter(s.route for s in PAGES).items() if n > 1]
    assert duplicates == []


def test_public_pages_are_registered_as_public() -> None:
    by_route = {spec.route: spec for spec in PAGES}
    assert set(by_route) >= PUBLIC_ROUTES
    assert all(by_route[route].access == "P" for route in PUBLIC_ROUTES)


def test_every_page_has_title_and_known_access_level() -> None:
    for spec in PAGES:
        assert spec.title.strip(), spec.route
        assert spec.access in {"P", "A", "G", "M"}, spec.route


def test_full_title_names_the_product() -> None:
    assert full_title("About") == "About · CityPulse"
