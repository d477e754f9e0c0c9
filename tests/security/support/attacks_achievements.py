"""Attacks on the achievement handlers: /achievements, /leaderboard, the profile tab and
the unlock pop-up. None takes a badge, a user or an amount: they read the sender's own
badges (or public boards), and the pop-up claims only the sender's own unlocks, so the
owner's rows must stay as they were whatever is sent (§4.7.5: nothing awards by hand).
"""

from __future__ import annotations

from tests.security.support.steps import Attack, Step, one
from tests.security.support.wire import on

PAGE, BOARD, POPUP, TAB = (
    "AchievementsState",
    "LeaderboardState",
    "AchievementPopupState",
    "ProfileAchievementsState",
)
ACHIEVEMENTS, LEADERBOARD, PROFILE = "/achievements", "/leaderboard", "/profile/[profile_username]"


def _after_load(handler: str, **payload: object) -> Attack:
    page = on(ACHIEVEMENTS)
    return lambda w: [Step(f"{PAGE}.load", {}, page), Step(f"{PAGE}.{handler}", payload, page)]


def _board(handler: str, **payload: object) -> Attack:
    page = on(LEADERBOARD, board="overall")
    return lambda w: [Step(f"{BOARD}.load", {}, page), Step(f"{BOARD}.{handler}", payload, page)]


def achievement_attacks() -> dict[str, Attack]:
    dashboard = on("/dashboard")
    return {
        f"{PAGE}.load": one(f"{PAGE}.load", lambda w: on(ACHIEVEMENTS)),
        f"{PAGE}.unlocked": _after_load("unlocked"),
        f"{PAGE}.recent_changed": _after_load("recent_changed"),
        f"{PAGE}.leave": _after_load("leave"),
        f"{BOARD}.load": one(f"{BOARD}.load", lambda w: on(LEADERBOARD, board="points")),
        f"{BOARD}.show_board": _board("show_board", board="engagement"),
        f"{BOARD}.show_more": _board("show_more"),
        # The pop-up claims unlocks of the sender only: twice, so the second is a live one.
        f"{POPUP}.check": lambda w: [
            Step(f"{POPUP}.check", {}, dashboard),
            Step(f"{POPUP}.check", {}, dashboard),
        ],
        f"{POPUP}.dismiss": one(f"{POPUP}.dismiss", lambda w: dashboard),
        f"{TAB}.load": lambda w: [
            Step(
                f"{TAB}.load",
                {},
                on(PROFILE, profile_username=w.owner_username, tab="achievements"),
            ),
        ],
    }
