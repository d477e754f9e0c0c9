"""Where the chrome's links lead (PRODUCT.md §2 Layout), checked against the page registry.

Each item names the registered route it opens. An item is shown only once that route is
registered (so Search, Trips, Buddies, Notifications... appear when their features add
their pages) and only to the viewers the page admits: P everyone, A signed-in users,
G visitors, M moderators. No navigation item can lead to the 404 page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import reflex as rx
from reflex.vars import Var

from citypulse.state.session import SessionState

Audience = str  # an access level of the registry: "P", "A", "G" or "M"


@dataclass(frozen=True)
class NavItem:
    """One navigation entry."""

    label: str
    route: str  # the registry route this opens, e.g. "/profile/[username]"
    icon: str = ""
    href: str | Var[str] | None = None  # needed for dynamic routes; default: `route`
    audience: Audience | None = None  # who sees it; default: the page's access level

    @property
    def link(self) -> str | Var[str]:
        """Where the item points."""
        return self.route if self.href is None else self.href


OWN_PROFILE = "/profile/" + SessionState.username

BOTTOM_NAV = (
    NavItem("Home", "/", "house", audience="G"),
    NavItem("Home", "/dashboard", "house"),
    NavItem("Search", "/search", "search"),
    NavItem("Create", "/recommendations/create", "circle-plus"),
    NavItem("Trips", "/trips", "map"),
    NavItem("Profile", "/profile/[username]", "user", OWN_PROFILE, audience="A"),
    NavItem("Log in", "/login", "log-in"),
    NavItem("Sign up", "/signup", "user-plus"),
)
ACCOUNT_MENU = (
    NavItem("Dashboard", "/dashboard", "house"),
    NavItem("Profile", "/profile/[username]", "user", OWN_PROFILE, audience="A"),
    NavItem("Trips", "/trips", "map"),
    NavItem("Buddies", "/buddies", "users"),
    NavItem("Achievements", "/achievements", "trophy"),
    NavItem("Settings", "/settings", "settings"),
    NavItem("Moderator tools", "/moderator/dashboard", "shield"),
)
VISITOR_ENTRY = (
    NavItem("Log in", "/login", "log-in"),
    NavItem("Sign up", "/signup", "user-plus"),
)
SITE_LINKS = (
    NavItem("About", "/about"),
    NavItem("Features", "/features"),
    NavItem("Terms", "/terms"),
    NavItem("Privacy", "/privacy"),
)
SEARCH_ROUTE = "/search"
NOTIFICATIONS_ROUTE = "/notifications"


def registered_access() -> dict[str, Audience]:
    """Every registered route with its access level.

    Read when a page is rendered (at compile time), after every page module has
    registered itself; importing `citypulse.pages` makes sure they all have.
    """
    import citypulse.pages  # noqa: F401  (registers every page)
    from citypulse.pages.registry import PAGES

    return {spec.route: spec.access for spec in PAGES}


def _shape(route: str) -> tuple[str, ...]:
    """A route's segments, dynamic ones whatever their argument name ("/profile/[*]")."""
    return tuple("[*]" if part.startswith("[") else part for part in route.split("/"))


def page_access(route: str) -> Audience | None:
    """The access level of the page registered at `route` (None: no such page)."""
    by_shape = {_shape(registered): access for registered, access in registered_access().items()}
    return by_shape.get(_shape(route))


def is_registered(route: str) -> bool:
    """True when the app serves a page at `route`."""
    return page_access(route) is not None


def available(items: Sequence[NavItem]) -> list[tuple[NavItem, Audience]]:
    """The items whose page exists, each with the audience that may see it."""
    found = [(item, page_access(item.route)) for item in items]
    return [(item, item.audience or access) for item, access in found if access is not None]


def for_audience(audience: Audience, component: rx.Component) -> rx.Component:
    """Show `component` only to the viewers of `audience`."""
    if audience == "A":
        return rx.cond(SessionState.signed_in, component)
    if audience == "G":
        return rx.cond(SessionState.signed_in, rx.fragment(), component)
    if audience == "M":
        return rx.cond(SessionState.is_moderator, component)
    return component


def nav_links(
    items: Sequence[NavItem], render: Callable[[NavItem], rx.Component]
) -> list[rx.Component]:
    """Render every available item for its audience."""
    return [for_audience(audience, render(item)) for item, audience in available(items)]
