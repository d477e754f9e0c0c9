"""A block made with `block_user` hides the two from each other everywhere (§4.5.6), both
ways, through the one rule (`graph.blocked_between`); `unblock_user` brings it all back.

Surfaces: profiles, the recommendation page, city pages (lists and every count), ratings
lists, interactions, notifications and buddy requests. The finder has its own tests
(test_finder.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import Session

from citypulse.models import City, CityVisit, Rating, Recommendation, RecommendationCity, User
from citypulse.models.enums import NotificationType
from citypulse.services.errors import NotFound, PermissionDenied
from citypulse.services.interactions.likes_saves import like_toggle
from citypulse.services.interactions.ratings import ratings_page
from citypulse.services.notifications.create import notify
from citypulse.services.profiles.pages import profile_page
from citypulse.services.recommendations.cities import city_overview, city_recommendations
from citypulse.services.recommendations.page import Visit, recommendation_page
from citypulse.services.social.blocks import block_user, unblock_user
from citypulse.services.social.buddies import buddy_request
from tests.integration.social.support import NOW, World, notes, run, viewer
from tests.support.factories import create_city, create_recommendation

NO_VISIT = Visit(anon_key=None, ip=None, is_bot=True)


@dataclass
class Scene:
    """alice's and bob's public recommendations in Porto (where both have been); both
    rated carol's."""

    world: World
    porto: City
    recs: dict[str, Recommendation]  # by author username: "alice", "bob", "carol"


@pytest.fixture
def scene(session: Session, world: World) -> Scene:
    porto = create_city(session, name="Porto")
    recs = {}
    for name in ("alice", "bob", "carol"):
        author = getattr(world, name)
        recs[name] = create_recommendation(session, author=author, title=f"{name}'s café")
        session.add(RecommendationCity(recommendation_id=recs[name].id, city_id=porto.id,
                                       is_primary=True))  # fmt: skip
        session.add(CityVisit(user_id=author.id, city_id=porto.id))
    for rater in (world.alice, world.bob):
        session.add(Rating(recommendation_id=recs["carol"].id, user_id=rater.id, rating=4))
    session.flush()
    return Scene(world, porto, recs)


def sees(session: Session, scene: Scene, who: User, whom: User) -> dict[str, object]:
    """Everything `who` can see of `whom` on each surface."""
    other = whom.username.removeprefix("s_")
    try:
        profile_page(session, viewer=viewer(who), username=whom.username)
        profile = True
    except NotFound:
        profile = False
    try:
        recommendation_page(session, viewer=viewer(who), recommendation_id=scene.recs[other].id,
                            visit=NO_VISIT, now=NOW)  # fmt: skip
        detail = True
    except NotFound:
        detail = False
    city = city_recommendations(session, viewer_id=who.id, city_id=scene.porto.id)
    overview = city_overview(session, viewer_id=who.id, name="Porto")
    raters = ratings_page(session, viewer_id=who.id, recommendation_id=scene.recs["carol"].id,
                          cursor=None)  # fmt: skip
    return {
        "profile": profile,
        "detail": detail,
        "city list": scene.recs[other].id in {card.id for card in city.items},
        "city counts": (
            overview.recommendations_count,
            overview.contributors_count,
            overview.visitors_count,
        ),
        "ratings": whom.username in {item.username for item in raters.items},
    }


VISIBLE = {"profile": True, "detail": True, "city list": True, "city counts": (3, 3, 3),
           "ratings": True}  # fmt: skip
HIDDEN = {"profile": False, "detail": False, "city list": False, "city counts": (2, 2, 2),
          "ratings": False}  # fmt: skip


@pytest.mark.parametrize(("blocker", "blocked"), [("alice", "bob"), ("bob", "alice")])
def test_a_block_hides_both_from_each_other_until_unblocked(
    session: Session, scene: Scene, blocker: str, blocked: str
) -> None:
    world = scene.world
    alice, bob = world.alice, world.bob
    assert sees(session, scene, alice, bob) == sees(session, scene, bob, alice) == VISIBLE

    run(session, block_user, getattr(world, blocker), user_id=getattr(world, blocked).id)
    assert sees(session, scene, alice, bob) == sees(session, scene, bob, alice) == HIDDEN
    assert sees(session, scene, world.carol, alice) == VISIBLE  # nobody else is affected

    run(session, unblock_user, getattr(world, blocker), user_id=getattr(world, blocked).id)
    assert sees(session, scene, alice, bob) == sees(session, scene, bob, alice) == VISIBLE


@pytest.mark.parametrize(("blocker", "blocked"), [("alice", "bob"), ("bob", "alice")])
def test_no_likes_notifications_or_requests_across_a_block(
    session: Session, scene: Scene, blocker: str, blocked: str
) -> None:
    world = scene.world
    run(session, block_user, getattr(world, blocker), user_id=getattr(world, blocked).id)
    for actor, other in ((world.alice, world.bob), (world.bob, world.alice)):
        other_name = other.username.removeprefix("s_")
        with pytest.raises(NotFound):
            run(session, like_toggle, actor, recommendation_id=scene.recs[other_name].id)
        with pytest.raises((NotFound, PermissionDenied)):
            run(session, buddy_request, actor, user_id=other.id)
        created = notify(session, recipient_id=other.id, type=NotificationType.buddy_request,
                         actor=viewer(actor), title="t", message="m", now=NOW)  # fmt: skip
        assert created is None
    assert notes(session, world.alice) == notes(session, world.bob) == []
