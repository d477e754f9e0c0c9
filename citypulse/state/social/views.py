"""Buddy, finder and block read models → the typed view models the pages render.

Frozen dataclasses with real booleans and numbers; the mappers below are the only place
that turns the social services' rows into display text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from citypulse.services.recommendations.cities import CategoryOption, CitySuggestion
from citypulse.services.social.active import ActiveBuddy
from citypulse.services.social.finder import FinderRow
from citypulse.services.social.lists import BuddyCounts, BuddyRow
from citypulse.state.accounts.views import format_moment
from citypulse.state.moments import moment_iso

TAB_LABELS = (
    ("buddies", "Buddies"),
    ("requests", "Requests"),
    ("sent", "Sent"),
    ("find", "Find buddies"),
    ("blocked", "Blocked"),
)
TAB_KEYS = tuple(key for key, _ in TAB_LABELS)
STYLE_NAMES = {"budget": "Budget", "mid_range": "Mid-range", "luxury": "Luxury",
               "backpacking": "Backpacking", "adventure": "Adventure", "cultural": "Cultural",
               "relaxation": "Relaxation", "family": "Family", "solo": "Solo",
               "group": "Group"}  # fmt: skip


def profile_href(username: str) -> str:
    return f"/profile/{quote(username, safe='')}"


def initial_of(full_name: str, username: str) -> str:
    return (full_name[:1] or username[:1]).upper()


@dataclass(frozen=True)
class BuddyTabView:
    """One tab link of /buddies with its count.

    The find tab has no total (a search, not a list of yours): while it is open it counts
    the people shown so far ("20+" when there are more), otherwise it shows no number.
    """

    key: str = ""
    label: str = ""
    count: str = ""
    href: str = ""
    is_current: bool = False


@dataclass(frozen=True)
class PersonRowView:
    """A person on a /buddies tab (or Settings → Blocked users)."""

    user_id: int = 0
    username: str = ""
    full_name: str = ""
    initial: str = ""
    avatar_url: str = ""
    href: str = ""
    message: str = ""  # the request's message (requests, sent)
    when_iso: str = ""  # buddies since / asked at / blocked at
    when: str = ""
    details: str = ""  # finder: city · travel styles · interests
    mutual: str = ""  # finder (suggested): "2 mutual buddies"
    requests_enabled: bool = True  # finder: False shows "Add buddy" disabled


@dataclass(frozen=True)
class ChoiceView:
    """An option of a finder filter (the value sent back, the label shown)."""

    value: str = ""
    label: str = ""


@dataclass(frozen=True)
class FinderFiltersView:
    """The find tab's filters as last searched (the form shows them again)."""

    text: str = ""
    city: str = ""
    interest_ids: tuple[str, ...] = ()  # category ids, as the checkboxes send them
    travel_style: str = ""
    activity_level: str = ""
    suggested: bool = False


@dataclass(frozen=True)
class FinderErrors:
    """Field errors of the filter form."""

    text: str = ""
    city: str = ""
    interests: str = ""
    travel_style: str = ""
    activity_level: str = ""


@dataclass(frozen=True)
class ActiveBuddyView:
    """One avatar of the dashboard's Active buddies panel."""

    username: str = ""
    full_name: str = ""
    initial: str = ""
    avatar_url: str = ""
    href: str = ""
    active: bool = False


def tab_views(counts: BuddyCounts, current: str, found: str) -> list[BuddyTabView]:
    """The five tabs; `found` is the find tab's number ("" when it is not open)."""
    numbers = {"buddies": str(counts.buddies), "requests": str(counts.requests),
               "sent": str(counts.sent), "blocked": str(counts.blocked), "find": found}  # fmt: skip
    return [
        BuddyTabView(key, label, numbers[key], f"/buddies?tab={key}", key == current)
        for key, label in TAB_LABELS
    ]


def _person(row: BuddyRow | FinderRow, **extra: object) -> PersonRowView:
    """The fields every person row has, plus the tab's own (`extra`)."""
    return PersonRowView(
        user_id=row.user_id,
        username=row.username,
        full_name=row.full_name,
        initial=initial_of(row.full_name, row.username),
        avatar_url=row.avatar_url,
        href=profile_href(row.username),
        **extra,  # type: ignore[arg-type]
    )


def buddy_row_views(rows: Iterable[BuddyRow]) -> list[PersonRowView]:
    return [
        _person(row, message=row.message, when_iso=moment_iso(row.at), when=format_moment(row.at))
        for row in rows
    ]


def _details(row: FinderRow) -> str:
    styles = ", ".join(STYLE_NAMES.get(style, style) for style in row.travel_styles)
    interests = ", ".join(row.interests)
    parts = (row.city, styles, f"Interests: {interests}" if interests else "")
    return " · ".join(part for part in parts if part)


def _mutual(count: int) -> str:
    if count <= 0:
        return ""
    return f"{count} mutual buddy" if count == 1 else f"{count} mutual buddies"


def finder_row_views(rows: Iterable[FinderRow]) -> list[PersonRowView]:
    return [
        _person(
            row,
            details=_details(row),
            mutual=_mutual(row.mutual_count),
            requests_enabled=row.requests_enabled,
        )
        for row in rows
    ]


def interest_choices(options: Iterable[CategoryOption]) -> list[ChoiceView]:
    return [ChoiceView(str(option.id), option.name) for option in options]


def city_choices(cities: Iterable[CitySuggestion]) -> list[ChoiceView]:
    return [ChoiceView(str(city.id), city.label) for city in cities]


def active_buddy_views(buddies: Iterable[ActiveBuddy]) -> list[ActiveBuddyView]:
    return [
        ActiveBuddyView(
            username=buddy.username,
            full_name=buddy.full_name,
            initial=initial_of(buddy.full_name, buddy.username),
            avatar_url=buddy.avatar_url,
            href=profile_href(buddy.username),
            active=buddy.active,
        )
        for buddy in buddies
    ]
