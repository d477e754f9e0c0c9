"""Achievements, badges and the leaderboard: the service side (PRODUCT.md §4.7, §4.8, §6.5).

Contract for the pages (/achievements, /leaderboard, the profile's achievements tab) and
the live pop-up. Nothing here imports Reflex; no function takes a badge to award or reset
(§4.7.5: the only writers are the evaluations below, fed by the database).

Writers (server-side only, never wired to a handler)
    evaluate.evaluate(session, *, user_id, metrics: Iterable[Metric], now) -> tuple[int, ...]
    evaluate.evaluate_users(session, *, affected: Mapping[int, Iterable[Metric]], now)
        -> dict[int, tuple[int, ...]]
        Recount only `metrics` for the user(s) in the caller's transaction, under a
        per-user lock (the `achievement_totals` row, ascending user order); award each
        badge at most once (unique (user, achievement), completed_at never cleared), tier
        badges after the others, recount the user's totals, one achievement_unlocked
        notification per badge (`notify`, link /achievements, email per the
        "achievements" preference), then `AchievementUnlocked` after commit. Returns the
        awarded achievement ids. Event → metrics constants: `metrics.PUBLISHED`,
        `STATUS_CHANGED`, `CITY_CHANGED`, `RATED_AUTHOR`, `RATED_RATER`, `BUDDIES`,
        `TRIP_COMPLETED` (the trips issue calls evaluate_users with it for the owner and
        every accepted member when a trip is completed).
    likes.count_like(session, recommendation_id, delta, now) -> Counters
        The like toggle's counter statement (author's running likes_received in the same
        statement; evaluates only when a threshold is crossed).
    backfill.achievements_backfill(session, *, now, after_id=0, limit=None) -> BackfillReport
        Re-evaluate every user with every metric (operator command
        `python -m citypulse.cli achievements-backfill`); idempotent.
    leaderboard.engagement_refresh(session, now) -> int
        Job-runner pass: the 30-day engagement score of every user (§4.8, ≤1 min fresh).

Events (`events.py`, published after commit)
    AchievementUnlocked(user_id: int, achievement_ids: tuple[int, ...])
        The earner's badges just awarded (tier badges last). push.py: pop-up once across
        the earner's tabs (key `user-<id>`), refetch /achievements and the profile, and
        "Recently earned" / the leaderboard for everyone if mapped to a shared key.

Readers (loaders, `fn(session, *, viewer, ...)` via `_load`; return frozen dataclasses)
    pages.achievements_page(session, *, viewer: Viewer) -> AchievementsPage
        completed / total (active badges), percent, points, rank (Overall) or None,
        tiers: tuple[TierGroup(tier, badges: tuple[BadgeView, ...])] in tier order, each
        BadgeView with code, name, description, icon, tier, threshold, points,
        progress (current value, live), earned_at (None = locked), and
        recent: the last 10 unlocks by active users with public profiles (RecentUnlock).
    pages.recently_earned(session, *, viewer: Viewer | None, limit=10)
        -> tuple[RecentUnlock, ...]  (for a live refresh of that list alone)
    pages.profile_achievements(session, *, viewer: Viewer | None, username: str)
        -> ProfileAchievements
        The owner: every badge with progress and dates (as above). Others: earned badges
        only, no dates or progress, and nothing when the profile shows them the limited
        card (friends_only / private). Raises NotFound like the profile (§4.2.2).
    leaderboard.leaderboard(session, *, viewer: Viewer | None, board: Board | str,
        limit: int = 20) -> LeaderboardPage
        rows (rank, user_id, username, full_name, avatar_key, completed, points,
        families, score), `you` (the viewer's LeaderboardPosition or None = "Not ranked
        yet"; None for visitors too, check `viewer`), board, limit (clamped 1..100).
        Board values: overall | achievements | points | families | engagement
        (`leaderboard.BOARD_LABELS` has the tab titles). Unknown board → ValidationFailed.
    leaderboard.position(session, *, viewer, board="overall") -> LeaderboardPosition | None
        The viewer's rank alone (the /achievements rank link uses it).
    announce.claim_unlocks(session, *, actor, now) -> tuple[Unlocked, ...]  (H10's)
        The pop-up's once-across-tabs claim (marks seen_at; awards nothing).

Not wired yet (their issues call these in their transactions)
    Moderation removing/restoring a recommendation: evaluate(author, STATUS_CHANGED);
    removing a review's text: evaluate_users({rater: RATED_RATER}); completing a trip:
    evaluate_users({owner and accepted members: TRIP_COMPLETED}). Demo data written by
    the seed outside the services gets its badges from `cli achievements-backfill`.

Definitions where the spec leaves room (documented in docs and tests)
    Overall: sorted by points, then completed (§4.8's table; the same order as "Highest
        points", which the spec lists separately — both kept). Ties on every sort key
        share a rank (RANK(): 1, 2, 2, 4) and are listed by username.
    Families: how many of the 7 non-tier metrics (recommendations_created,
        cities_visited, buddies_connected, likes_received, ratings_received,
        reviews_written, trips_completed) have at least one earned badge.
    Eligible: active accounts with ≥1 completed badge (engagement: score > 0); banned,
        suspended and deactivated users are absent; users blocked either way with the
        viewer are left out of the viewer's board (ranks count only rows shown).
"""
