"""Achievement and leaderboard read models → the typed view models the pages render.

The only place that turns the achievement services' rows into display text: progress
"x / y", tier names, ordinal places, dates (moments), avatars and profile links.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from citypulse.services.achievements.announce import Unlocked
from citypulse.services.achievements.leaderboard import (
    BOARD_LABELS,
    LeaderboardPage,
    LeaderboardPosition,
    LeaderboardRow,
)
from citypulse.services.achievements.pages import BadgeView, RecentUnlock, TierGroup
from citypulse.services.recommendations.queries import upload_url
from citypulse.state.accounts.views import format_moment
from citypulse.state.moments import moment_iso
from citypulse.state.social.views import initial_of, profile_href

BOARDS = tuple((board.value, label) for board, label in BOARD_LABELS.items())
PLACES = {1: "1st place", 2: "2nd place", 3: "3rd place"}
FALLBACK_ICON = "award"


def tier_label(tier: str) -> str:
    return tier.capitalize()


def _icon(icon: str | None) -> str:
    return icon or FALLBACK_ICON


@dataclass(frozen=True)
class BadgeItemView:
    """One badge on /achievements or a profile (progress and date only for the owner)."""

    code: str = ""
    name: str = ""
    description: str = ""
    icon: str = FALLBACK_ICON
    tier: str = ""
    points: int = 0
    earned: bool = False
    status: str = ""  # "Earned" / "Locked": said in words, not only by the grey
    progress: str = ""  # "x / y" ("" when not shown)
    progress_value: int = 0  # for the bar, capped at the threshold
    threshold: int = 1
    earned_iso: str = ""
    earned_text: str = ""


@dataclass(frozen=True)
class TierView:
    """A tier's badges and how many of them are earned (the chart's bar for the tier)."""

    tier: str = ""
    label: str = ""
    earned: int = 0
    total: int = 0
    percent: int = 0
    summary: str = ""  # "1 of 5 bronze badges earned"
    badges: list[BadgeItemView] = field(default_factory=list)


@dataclass(frozen=True)
class RecentView:
    """One of the last unlocks by users with public profiles."""

    key: str = ""
    username: str = ""
    full_name: str = ""
    href: str = ""
    avatar_url: str = ""
    initial: str = ""
    badge: str = ""
    icon: str = FALLBACK_ICON
    tier: str = ""
    iso: str = ""
    text: str = ""


@dataclass(frozen=True)
class BoardRowView:
    """One row of a leaderboard."""

    rank: int = 0
    place: str = ""  # "1st place" for ranks 1-3 (the icon's text alternative), else ""
    medal: str = ""  # gold / silver / bronze for ranks 1-3
    username: str = ""
    full_name: str = ""
    href: str = ""
    avatar_url: str = ""
    initial: str = ""
    completed: int = 0
    points: int = 0
    families: int = 0
    score: str = ""  # engagement (30 days), one decimal
    is_you: bool = False


@dataclass(frozen=True)
class UnlockView:
    """A badge in the celebration pop-up."""

    name: str = ""
    description: str = ""
    icon: str = FALLBACK_ICON
    tier: str = ""
    points: int = 0


def badge_views(badges: Iterable[BadgeView]) -> list[BadgeItemView]:
    items = []
    for badge in badges:
        shown = badge.progress is not None
        value = min(badge.progress or 0, badge.threshold)
        items.append(
            BadgeItemView(
                code=badge.code,
                name=badge.name,
                description=badge.description,
                icon=_icon(badge.icon),
                tier=tier_label(badge.tier),
                points=badge.points,
                earned=badge.earned,
                status="Earned" if badge.earned else "Locked",
                progress=f"{value} / {badge.threshold}" if shown else "",
                progress_value=value,
                threshold=badge.threshold,
                earned_iso=moment_iso(badge.earned_at),
                earned_text=format_moment(badge.earned_at),
            )
        )
    return items


def tier_views(groups: Iterable[TierGroup]) -> list[TierView]:
    views = []
    for group in groups:
        badges = badge_views(group.badges)
        earned = sum(1 for badge in badges if badge.earned)
        label = tier_label(group.tier)
        views.append(
            TierView(
                tier=group.tier,
                label=label,
                earned=earned,
                total=len(badges),
                percent=earned * 100 // len(badges) if badges else 0,
                summary=f"{earned} of {len(badges)} {group.tier} badges earned",
                badges=badges,
            )
        )
    return views


def recent_views(recent: Iterable[RecentUnlock]) -> list[RecentView]:
    return [
        RecentView(
            key=f"{item.username}-{item.achievement_id}",
            username=item.username,
            full_name=item.full_name,
            href=profile_href(item.username),
            avatar_url=upload_url(item.avatar_key),
            initial=initial_of(item.full_name, item.username),
            badge=item.achievement_name,
            icon=_icon(item.icon),
            tier=tier_label(item.tier),
            iso=moment_iso(item.earned_at),
            text=format_moment(item.earned_at),
        )
        for item in recent
    ]


def board_row_views(rows: Iterable[LeaderboardRow], viewer_username: str) -> list[BoardRowView]:
    medals = {1: "gold", 2: "silver", 3: "bronze"}
    return [
        BoardRowView(
            rank=row.rank,
            place=PLACES.get(row.rank, ""),
            medal=medals.get(row.rank, ""),
            username=row.username,
            full_name=row.full_name,
            href=profile_href(row.username),
            avatar_url=upload_url(row.avatar_key),
            initial=initial_of(row.full_name, row.username),
            completed=row.completed,
            points=row.points,
            families=row.families,
            score=f"{row.score:.1f}",
            is_you=row.username == viewer_username,
        )
        for row in rows
    ]


def position_text(page: LeaderboardPage | None, you: LeaderboardPosition | None) -> str:
    """ "Your position: #2 of the Overall board" or "Not ranked yet"."""
    if page is None or you is None:
        return "Not ranked yet"
    label = dict(BOARDS).get(page.board, "")
    return f"Your position: #{you.rank} ({label})"


def unlock_views(unlocks: Iterable[Unlocked]) -> list[UnlockView]:
    return [
        UnlockView(u.name, u.description, _icon(u.icon), tier_label(u.tier), u.points)
        for u in unlocks
    ]
