"""Evaluation in the triggering transaction, through the real services (§4.7, §7.26)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session

from citypulse.models import Notification, User, UserAchievement
from citypulse.models.enums import Metric, NotificationType
from citypulse.services.achievements.evaluate import evaluate, evaluate_users
from citypulse.services.achievements.events import AchievementUnlocked
from citypulse.services.achievements.metrics import STATUS_CHANGED
from citypulse.services.achievements.pages import achievements_page
from citypulse.services.interactions.likes_saves import like_toggle
from citypulse.services.interactions.ratings import rating_delete, rating_upsert
from citypulse.services.notifications.events import NotificationCreated
from citypulse.services.recommendations.commands import recommendation_create, recommendation_delete
from citypulse.services.recommendations.forms import RecommendationForm
from citypulse.services.social.buddies import buddy_accept, buddy_remove, buddy_request
from tests.integration.achievements.support import (
    TOTAL,
    act,
    badge_id,
    earned,
    likes_from,
    recommendation_in,
    totals,
    trip_completed_by,
    viewer,
)
from tests.integration.support import NOW
from tests.support.factories import create_category, create_user

LONG_REVIEW = "Worth the queue: the custard is still warm at eight."


def publish(session: Session, author: User, city: str = "Lisbon, Portugal", *, at=NOW):
    form = RecommendationForm(
        category_id=create_category(session).id,
        title="Pastéis at dawn",
        description="Warm custard tarts straight from the oven.",
        city_text=city,
        address="Rua de Belém 84",
        author_rating=5,
    )
    return act(session, recommendation_create, actor=viewer(author), form=form, now=at)


def progress_of(session: Session, user: User, code: str) -> int | None:
    session.expire_all()
    return session.execute(
        sa.select(UserAchievement.progress).where(
            UserAchievement.user_id == user.id,
            UserAchievement.achievement_id == badge_id(session, code),
        )
    ).scalar()


def unlock_notices(session: Session, user: User) -> list[Notification]:
    session.expire_all()
    return list(session.execute(sa.select(Notification).where(
        Notification.recipient_id == user.id,
        Notification.type == NotificationType.achievement_unlocked,
    ).order_by(Notification.id)).scalars())  # fmt: skip


def test_carols_first_recommendation_unlocks_first_steps_then_bronze_achiever(
    session: Session,
) -> None:
    """Journey §7.26 at the service level."""
    carol = create_user(session, username="carol_a")
    _, events = publish(session, carol)
    assert earned(session, carol) == {"first_steps", "bronze_achiever"}
    unlocked = [e for e in events if isinstance(e, AchievementUnlocked)]
    ids = (badge_id(session, "first_steps"), badge_id(session, "bronze_achiever"))
    assert unlocked == [AchievementUnlocked(carol.id, ids)]  # one event: one pop-up
    notices = unlock_notices(session, carol)
    assert [n.title for n in notices] == [
        "Achievement unlocked: First Steps", "Achievement unlocked: Bronze Achiever",
    ]  # fmt: skip
    assert all(n.action_url == "/achievements" and n.actor_id is None for n in notices)
    created = {e.notification_id for e in events if isinstance(e, NotificationCreated)}
    assert {n.id for n in notices} <= created  # live notifications
    assert totals(session, carol) == (15, 2, 1)  # 10 + 5 points, 2 badges, 1 family
    page = achievements_page(session, viewer=viewer(carol))
    assert (page.completed, page.total, page.points) == (2, TOTAL, 15)
    assert "trusted_advisor" not in earned(session, carol)


def test_evaluation_is_idempotent(session: Session) -> None:
    carol = create_user(session, username="carol_b")
    publish(session, carol)
    for _ in range(2):
        again, events = act(session, evaluate, user_id=carol.id, metrics=set(Metric), now=NOW)
        assert again == () and not [e for e in events if isinstance(e, AchievementUnlocked)]
    assert len(unlock_notices(session, carol)) == 2
    assert totals(session, carol) == (15, 2, 1)


def test_only_the_events_metrics_are_recounted(session: Session) -> None:
    """25 likes arranged behind the services' back: publishing does not look at them."""
    author = create_user(session, username="author_c")
    rec = recommendation_in(session, author)
    likes_from(session, rec, [create_user(session) for _ in range(25)])
    publish(session, author)
    assert "rising_star" not in earned(session, author)
    awarded, _ = act(session, evaluate, user_id=author.id, metrics={Metric.likes_received}, now=NOW)
    ids = (badge_id(session, "rising_star"), badge_id(session, "silver_achiever"))
    assert awarded == ids  # the tier badge after the badge that earned it


def test_the_like_that_crosses_25_awards_rising_star_once(session: Session) -> None:
    author = create_user(session, username="author_d")
    rec = recommendation_in(session, author)
    likers = [create_user(session) for _ in range(26)]
    for liker in likers[:24]:
        _, events = act(session, like_toggle, actor=viewer(liker), recommendation_id=rec.id,
                        now=NOW)  # fmt: skip
        assert not [e for e in events if isinstance(e, AchievementUnlocked)]
    assert "rising_star" not in earned(session, author)
    _, events = act(session, like_toggle, actor=viewer(likers[24]), recommendation_id=rec.id,
                    now=NOW)  # fmt: skip
    assert {"rising_star", "silver_achiever"} <= earned(session, author)
    assert [e.user_id for e in events if isinstance(e, AchievementUnlocked)] == [author.id]
    # Unlike and like again crosses 25 again: evaluated, nothing new.
    for _ in range(2):
        _, events = act(session, like_toggle, actor=viewer(likers[24]),
                        recommendation_id=rec.id, now=NOW)  # fmt: skip
        assert not [e for e in events if isinstance(e, AchievementUnlocked)]
    assert progress_of(session, author, "rising_star") == 25
    assert len([n for n in unlock_notices(session, author) if "Rising Star" in n.title]) == 1


def test_the_running_like_count_is_reset_by_a_recount(session: Session) -> None:
    """Likes stored behind the like path (or a purged liker) cannot make it award late."""
    author = create_user(session, username="author_e")
    rec = recommendation_in(session, author)
    likes_from(session, rec, [create_user(session) for _ in range(24)])
    publish(session, author)  # the running count is 0: the arranged likes predate it
    act(session, evaluate, user_id=author.id, metrics=STATUS_CHANGED, now=NOW)
    liker = create_user(session)
    act(session, like_toggle, actor=viewer(liker), recommendation_id=rec.id, now=NOW)
    assert "rising_star" in earned(session, author)


def test_ratings_count_for_the_author_and_long_reviews_for_the_rater(session: Session) -> None:
    author, rater = create_user(session, username="author_f"), create_user(session)
    rec = recommendation_in(session, author)
    act(session, rating_upsert, actor=viewer(rater), recommendation_id=rec.id, rating=4,
        review="Too short", now=NOW)  # fmt: skip
    assert progress_of(session, author, "trusted_advisor") == 1
    assert progress_of(session, rater, "review_master") is None  # no progress yet: no row
    act(session, rating_upsert, actor=viewer(rater), recommendation_id=rec.id, rating=5,
        review=LONG_REVIEW, now=NOW)  # fmt: skip
    assert progress_of(session, rater, "review_master") == 1
    assert progress_of(session, author, "trusted_advisor") == 1
    act(session, rating_delete, actor=viewer(rater), recommendation_id=rec.id, now=NOW)
    assert progress_of(session, rater, "review_master") == 0  # progress may decrease
    assert progress_of(session, author, "trusted_advisor") == 0


def test_accepted_and_removed_buddies_count_for_both(session: Session) -> None:
    ann, ben = create_user(session, username="ann_g"), create_user(session, username="ben_g")
    act(session, buddy_request, actor=viewer(ann), user_id=ben.id, now=NOW)
    act(session, buddy_accept, actor=viewer(ben), user_id=ann.id, now=NOW)
    assert progress_of(session, ann, "social_butterfly") == 1
    assert progress_of(session, ben, "travel_network_elite") == 1
    act(session, buddy_remove, actor=viewer(ann), user_id=ben.id, now=NOW)
    assert progress_of(session, ann, "social_butterfly") == 0
    assert progress_of(session, ben, "social_butterfly") == 0


def test_five_cities_unlock_city_explorer_and_a_deletion_keeps_earned_badges(
    session: Session,
) -> None:
    author = create_user(session, username="author_h")
    details = []
    for i, city in enumerate(["Porto", "Braga", "Faro", "Évora", "Coimbra"]):
        detail, _ = publish(session, author, f"{city}, Portugal", at=NOW + timedelta(hours=i))
        details.append(detail)
    assert {"first_steps", "city_explorer", "bronze_achiever"} <= earned(session, author)
    assert progress_of(session, author, "city_explorer") == 5
    act(session, recommendation_delete, actor=viewer(author),
        recommendation_id=details[0].id, now=NOW + timedelta(hours=6))  # fmt: skip
    assert progress_of(session, author, "city_explorer") == 4  # progress follows the data
    assert "city_explorer" in earned(session, author)  # completed_at is never cleared
    assert totals(session, author) == (25, 3, 2)


def test_trip_badges_follow_completed_trips(session: Session) -> None:
    """trips_completed is provided for the trips issue, which calls evaluate_users."""
    owner, member = create_user(session, username="owner_i"), create_user(session)
    trip_completed_by(session, owner, [member])
    affected = {owner.id: {Metric.trips_completed, Metric.cities_visited},
                member.id: {Metric.trips_completed, Metric.cities_visited}}  # fmt: skip
    awarded, _ = act(session, evaluate_users, affected=affected, now=NOW)
    weekend = badge_id(session, "weekend_wanderer")
    assert weekend in awarded[owner.id] and weekend in awarded[member.id]
    assert progress_of(session, member, "city_explorer") == 1  # the trip's city


def test_an_unlock_email_follows_the_achievements_preference(session: Session) -> None:
    from tests.integration.notifications.support import set_preference
    from tests.integration.support import outbox

    on, off = create_user(session, username="mail_on"), create_user(session, username="mail_off")
    set_preference(session, off, "achievements", False)
    publish(session, on)
    publish(session, off)
    assert len(outbox(session, on.email)) == 2
    assert outbox(session, off.email) == []
