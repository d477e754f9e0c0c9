"""The backfill agrees with incremental evaluation on random event sequences (hypothesis).

Thresholds are lowered (bronze and silver 1, gold 2, platinum 3) inside the test's
transaction so a dozen events earn badges of every kind. After each random sequence,
run through the real services (each event its own transaction):

- the backfill on top of the incremental state awards nothing and changes no totals
  (incremental evaluation missed nothing), and running it twice is a no-op;
- from scratch, the backfill awards a subset of what incremental evaluation awarded
  (completed_at is never cleared, so decreases keep earlier awards), and exactly the
  same when no event decreased a metric.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from citypulse.models import BuddyConnection, Category, Rating, Recommendation, User
from citypulse.models.enums import BuddyStatus, ContentStatus
from citypulse.services.achievements.backfill import achievements_backfill
from citypulse.services.errors import ServiceError
from citypulse.services.interactions.likes_saves import like_toggle
from citypulse.services.interactions.ratings import rating_delete, rating_upsert
from citypulse.services.recommendations.commands import recommendation_create, recommendation_delete
from citypulse.services.recommendations.forms import RecommendationForm
from citypulse.services.social.buddies import buddy_accept, buddy_remove, buddy_request
from tests.integration.achievements.support import act, earned, totals, viewer
from tests.integration.support import NOW
from tests.support.factories import create_category, create_user

PEOPLE = 3
CITIES = ("Porto, Portugal", "Lisbon, Portugal", "Faro, Portugal", "Braga, Portugal")
LONG = "A review long enough to count for Review Master."

person = st.integers(0, PEOPLE - 1)
events = st.lists(
    st.one_of(
        st.tuples(st.just("publish"), person, st.integers(0, len(CITIES) - 1)),
        st.tuples(st.just("delete"), person, st.just(0)),
        st.tuples(st.just("like"), person, person),
        st.tuples(st.just("rate"), person, person, st.booleans()),
        st.tuples(st.just("unrate"), person, person),
        st.tuples(st.just("buddies"), person, person),
    ),
    min_size=1,
    max_size=16,
)


def lower_thresholds(session: Session) -> None:
    session.execute(sa.text(
        "UPDATE achievements SET threshold = CASE tier WHEN 'bronze' THEN 1 "
        "WHEN 'silver' THEN 1 WHEN 'gold' THEN 2 ELSE 3 END WHERE metric <> 'tier_badge'"
    ))  # fmt: skip


def latest_rec(session: Session, user: User) -> int | None:
    return session.execute(
        sa.select(Recommendation.id)
        .where(Recommendation.author_id == user.id, Recommendation.status == ContentStatus.active)
        .order_by(Recommendation.id.desc())
        .limit(1)
    ).scalar()


class Run:
    """One random sequence played through the services; `decreased` if any event could."""

    def __init__(self, session: Session, category: Category) -> None:
        self.session, self.category = session, category
        self.users = [create_user(session) for _ in range(PEOPLE)]
        self.decreased = False
        self.now = NOW

    def do(self, service, **kwargs) -> None:
        self.now += timedelta(days=8)  # past every rate-limit window and cool-down
        with suppress(ServiceError):  # refused (e.g. a cool-down): the sequence goes on
            act(self.session, service, now=self.now, **kwargs)

    def play(self, event: tuple) -> None:
        kind, who, *rest = event
        me = self.users[who]
        if kind == "publish":
            form = RecommendationForm(
                category_id=self.category.id, title="Tram 28 at sunrise",
                description="Ride before the crowds and watch the city wake up.",
                city_text=CITIES[rest[0]], address="Praça Martim Moniz", author_rating=4,
            )  # fmt: skip
            self.do(recommendation_create, actor=viewer(me), form=form)
        elif kind == "delete":
            rec = latest_rec(self.session, me)
            if rec is not None:
                self.decreased = True
                self.do(recommendation_delete, actor=viewer(me), recommendation_id=rec)
        elif kind == "buddies":
            self.buddies(me, self.users[rest[0]])
        else:
            self.interact(kind, me, self.users[rest[0]], rest[1:])

    def interact(self, kind: str, me: User, author: User, rest: list) -> None:
        rec = latest_rec(self.session, author)
        if rec is None or author.id == me.id:
            return
        mine = sa.select(Rating.review).where(Rating.recommendation_id == rec,
                                              Rating.user_id == me.id)  # fmt: skip
        if kind == "like":
            self.decreased = True  # a toggle may unlike
            self.do(like_toggle, actor=viewer(me), recommendation_id=rec)
        elif kind == "rate":
            if self.session.execute(mine).first() is not None and not rest[0]:
                self.decreased = True  # a short review may replace a long one
            self.do(rating_upsert, actor=viewer(me), recommendation_id=rec, rating=4,
                    review=LONG if rest[0] else "Fine.")  # fmt: skip
        elif self.session.execute(mine).first() is not None:
            self.decreased = True
            self.do(rating_delete, actor=viewer(me), recommendation_id=rec)

    def buddies(self, me: User, other: User) -> None:
        if me.id == other.id:
            return
        pair = self.session.execute(sa.select(BuddyConnection.status).where(
            sa.or_(sa.and_(BuddyConnection.requester_id == me.id,
                           BuddyConnection.addressee_id == other.id),
                   sa.and_(BuddyConnection.requester_id == other.id,
                           BuddyConnection.addressee_id == me.id)))).scalar()  # fmt: skip
        if pair == BuddyStatus.accepted:
            self.decreased = True
            self.do(buddy_remove, actor=viewer(me), user_id=other.id)
        else:
            self.do(buddy_request, actor=viewer(me), user_id=other.id)
            self.do(buddy_accept, actor=viewer(other), user_id=me.id)

    def state(self) -> tuple[list[set[str]], list]:
        # No totals row yet is the same as zeros (the backfill creates the rows).
        return [earned(self.session, u) for u in self.users], [
            totals(self.session, u) or (0, 0, 0) for u in self.users
        ]

    def backfill(self) -> int:
        ids = [u.id for u in self.users]
        report, _ = act(self.session, achievements_backfill, now=self.now + timedelta(days=1),
                        after_id=min(ids) - 1, limit=PEOPLE)  # fmt: skip
        assert report.users == PEOPLE and report.last_id == max(ids)
        return report.awarded


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(sequence=events)
def test_backfill_agrees_with_incremental_evaluation(session: Session, sequence) -> None:
    lower_thresholds(session)
    run = Run(session, create_category(session))
    for event in sequence:
        run.play(event)
    incremental = run.state()
    assert run.backfill() == 0, (sequence, incremental)  # nothing was missed
    assert run.state() == incremental
    assert run.backfill() == 0  # idempotent
    ids = [u.id for u in run.users]
    session.execute(sa.text("DELETE FROM user_achievements WHERE user_id = ANY(:ids)"),
                    {"ids": ids})  # fmt: skip
    session.execute(sa.text("DELETE FROM achievement_totals WHERE user_id = ANY(:ids)"),
                    {"ids": ids})  # fmt: skip
    run.backfill()
    scratch = run.state()
    assert all(s <= i for s, i in zip(scratch[0], incremental[0], strict=True))
    if not run.decreased:
        assert scratch == incremental, sequence
