"""Page registration: each page module declares its route, title and access level once.

Access levels (PRODUCT.md §2): P everyone, A signed-in users, G signed-out users,
M moderators and admins. The registry is the single list of routes the app serves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import reflex as rx

AccessLevel = Literal["P", "A", "G", "M"]
NOT_FOUND_ROUTE = "404"


@dataclass(frozen=True)
class PageSpec:
    """One routable page."""

    route: str
    title: str
    access: AccessLevel
    component: Callable[[], rx.Component]
    description: str = ""
    on_load: tuple = ()  # page-specific load events, run after the access guard
    live_title: Any = None  # a state var naming the thing shown (replaces `title` once loaded)


PAGES: list[PageSpec] = []


def page(
    route: str,
    title: str,
    access: AccessLevel = "P",
    description: str = "",
    on_load: tuple = (),
    live_title: Any = None,
) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    """Register the decorated component function as the page at `route`."""

    def register(component: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        PAGES.append(
            PageSpec(route, title, access, component, description, tuple(on_load), live_title)
        )
        return component

    return register


def full_title(title: str) -> str:
    """The browser tab title for a page."""
    return f"{title} · CityPulse"


def add_pages(app: rx.App) -> None:
    """Add every registered page, guarded by its access level on load and in rendering."""
    from citypulse.components.guards import guarded
    from citypulse.state.session import SessionState

    not_found = next(spec.component for spec in PAGES if spec.route == NOT_FOUND_ROUTE)
    for spec in PAGES:
        app.add_page(
            guarded(spec.access, spec.component, not_found),
            route=spec.route,
            title=full_title(spec.title) if spec.live_title is None else spec.live_title,
            description=spec.description or None,
            on_load=[SessionState.guard(spec.access), *spec.on_load],
        )
