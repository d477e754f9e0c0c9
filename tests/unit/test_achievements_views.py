"""Achievements in the state layer: the unlock's pushes and the display text of the views."""

from __future__ import annotations

from datetime import UTC, datetime

from citypulse.services.achievements.events import AchievementUnlocked
from citypulse.services.achievements.leaderboard import (
    LeaderboardPage,
    LeaderboardPosition,
    LeaderboardRow,
)
from citypulse.services.achievements.pages import BadgeView, TierGroup
from citypulse.state.achievements.live import RECENT_KEY, RecentChannel
from citypulse.state.achievements.views import board_row_views, position_text, tier_views
from citypulse.state.push import pushes_for
from citypulse.state.session import UserChannel

EARNED = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)


class Blank:
    def __init__(self, **values: object) -> None:
        self.__dict__.update(values)


def test_an_unlock_tells_the_earner_and_the_recently_earned_list() -> None:
    pushes = pushes_for(AchievementUnlocked(user_id=5, achievement_ids=(1, 14)))
    assert [(cls, key) for cls, key, _ in pushes] == [
        (UserChannel, "user-5"),
        (RecentChannel, RECENT_KEY),
    ]
    channel, recent = Blank(achievements_epoch=2), Blank(recent_epoch=7)
    pushes[0][2](channel)
    pushes[1][2](recent)
    assert (channel.achievements_epoch, recent.recent_epoch) == (3, 8)


def badge(code: str, progress: int | None, threshold: int, earned: bool) -> BadgeView:
    earned_at = EARNED if earned and progress is not None else None
    return BadgeView(1, code, code.title(), "Do it", "footprints", "bronze", threshold, 10,
                     progress, earned_at, earned)  # fmt: skip


def test_progress_is_capped_at_the_threshold_and_locked_badges_say_so() -> None:
    (tier,) = tier_views([TierGroup("bronze", (
        badge("first_steps", 3, 1, True), badge("city_explorer", 2, 5, False),
    ))])  # fmt: skip
    first, explorer = tier.badges
    assert (first.progress, first.status, first.earned_iso) == (
        "1 / 1",
        "Earned",
        EARNED.isoformat(),
    )
    assert (explorer.progress, explorer.status, explorer.earned_iso) == ("2 / 5", "Locked", "")
    assert (tier.label, tier.earned, tier.total, tier.percent) == ("Bronze", 1, 2, 50)
    assert tier.summary == "1 of 2 bronze badges earned"


def test_someone_elses_badges_show_no_progress() -> None:
    (tier,) = tier_views([TierGroup("gold", (badge("voyager", None, 20, True),))])
    assert (tier.badges[0].progress, tier.badges[0].earned_iso) == ("", "")


def row(rank: int, username: str) -> LeaderboardRow:
    return LeaderboardRow(rank, rank, username, username.title(), None, 2, 30, 1, 12.345)


def test_board_rows_name_the_top_three_places_and_mark_the_viewer() -> None:
    views = board_row_views([row(1, "ann"), row(2, "bob"), row(2, "cat"), row(4, "dan")], "cat")
    assert [(v.rank, v.place, v.medal) for v in views] == [
        (1, "1st place", "gold"), (2, "2nd place", "silver"), (2, "2nd place", "silver"),
        (4, "", ""),
    ]  # fmt: skip
    assert [v.is_you for v in views] == [False, False, True, False]
    assert (views[0].href, views[0].score, views[0].avatar_url) == ("/profile/ann", "12.3", "")


def test_your_position_or_not_ranked_yet() -> None:
    page = LeaderboardPage("overall", (), None, 20, False)
    assert position_text(page, None) == "Not ranked yet"
    you = LeaderboardPosition(2, 2, 30, 1, 0.0)
    assert position_text(page, you) == "Your position: #2 (Overall)"
