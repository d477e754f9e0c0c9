"""No handler awards or resets a badge (PRODUCT.md §4.7.5, journey §7.26).

Every public handler of the app is called with the attack table's crafted arguments,
signed out and as the intruder (carol's role in §7.26), as in test_every_handler.py.
Afterwards no badge was reset (completed_at is never cleared or moved), every completed
badge is one the database justifies (its metric has reached the threshold; a tier badge
has an earned badge of its tier), and the intruder holds no Trusted Advisor.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from citypulse.models.enums import Metric
from citypulse.services.achievements.metrics import METRIC_SQL
from citypulse.services.unit_of_work import run_transaction
from tests.security.support.server_log import ServerLog
from tests.security.support.wire import CraftedTab
from tests.security.support.world import World
from tests.security.test_every_handler import IDENTITIES, attack_everything

Awards = dict[tuple[int, int], tuple]


def awards() -> Awards:
    """Every (user, badge) row with its completion and what the badge asks for."""

    def read(db: Session) -> Awards:
        rows = db.execute(sa.text(
            "SELECT ua.user_id, ua.achievement_id, ua.completed_at, a.code, a.metric, "
            "a.threshold, a.tier FROM user_achievements ua "
            "JOIN achievements a ON a.id = ua.achievement_id"
        )).all()  # fmt: skip
        return {(r.user_id, r.achievement_id): tuple(r)[2:] for r in rows}

    return run_transaction(read)


def unjustified(after: Awards, before: Awards) -> list[str]:
    """Completed badges that the data does not justify (kept earlier awards excepted)."""

    def check(db: Session) -> list[str]:
        problems = []
        for (user_id, badge), (completed_at, code, metric, threshold, tier) in after.items():
            if completed_at is None or before.get((user_id, badge), (None,))[0] == completed_at:
                continue
            if metric == Metric.tier_badge:
                value = sum(1 for (u, _), row in after.items()
                            if u == user_id and row[0] and row[2] != Metric.tier_badge
                            and row[4] == tier)  # fmt: skip
            else:
                value = db.execute(sa.text(METRIC_SQL[Metric(metric)]),
                                   {"user_id": user_id}).scalar_one()  # fmt: skip
            if value < threshold:
                problems.append(f"user {user_id} holds {code} with {metric} = {value}")
        return problems

    return run_transaction(check)


@pytest.mark.parametrize("identity", IDENTITIES)
def test_no_handler_awards_or_resets_a_badge(
    identity: str, backend_url: str, world: World, app_log: ServerLog
) -> None:
    before = awards()
    cookie = world.intruder_cookie if identity == "non-owner" else ""
    tab = CraftedTab(backend_url, cookie)
    try:
        attack_everything(tab, world, app_log)
        attack_everything(tab, world.within_reach(), app_log)
    finally:
        tab.close()
    after = awards()
    reset = [key for key, row in before.items() if row[0] and after.get(key, (None,))[0] != row[0]]
    assert not reset, f"{identity}: badges reset or re-dated: {reset}"
    assert not unjustified(after, before), identity
    held = sa.text(
        "SELECT a.code FROM user_achievements ua JOIN achievements a ON a.id = ua.achievement_id "
        "JOIN users u ON u.id = ua.user_id WHERE u.username = :name "
        "AND ua.completed_at IS NOT NULL"
    )
    name = {"name": world.intruder_username}
    intruder_badges = run_transaction(lambda db: set(db.execute(held, name).scalars()))
    assert "trusted_advisor" not in intruder_badges
