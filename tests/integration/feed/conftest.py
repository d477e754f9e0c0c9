"""Feed service tests: real PostgreSQL, a small world of four people."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.services.feed import pool, ranking
from citypulse.services.feed.pool import feed_pool_refresh
from tests.integration.feed.support import NOW, People, make_people


@pytest.fixture
def people(session: Session) -> People:
    return make_people(session)


@pytest.fixture(params=["live", "pooled"])
def ranking_source(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """For You ranked with an empty pool (the last 90 days read live), or with the pool
    refreshed (`feed_pool_refresh`, as the job runner does) right before each ranking;
    then nothing is read live but what is newer than the pool (no margin)."""
    if request.param == "pooled":
        monkeypatch.setattr(pool, "LIVE_MARGIN", timedelta(0))
        rank = ranking.rank_for_you

        def refreshed_then_ranked(session: Session, *args: object, **kwargs: object):
            feed_pool_refresh(session, NOW)
            return rank(session, *args, **kwargs)

        monkeypatch.setattr(ranking, "rank_for_you", refreshed_then_ranked)
    return request.param
