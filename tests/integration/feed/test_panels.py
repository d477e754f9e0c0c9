"""The dashboard's panels and banners (§2.2): stats, completion, interests, chips."""

from __future__ import annotations

from sqlmodel import Session

from citypulse.models import Category, Recommendation
from citypulse.services.feed.panels import dashboard_open, dashboard_panels
from tests.integration.feed.support import NOW, People, interests, post
from tests.integration.interactions.support import viewer
from tests.support.factories import create_category


def test_stats_banners_and_chips(session: Session, people: People) -> None:
    mine = post(session, people.alice)
    session.get(Recommendation, mine.id).likes_count = 3
    session.get(Recommendation, mine.id).views_count = 40
    removed = post(session, people.alice)
    removed.status, removed.likes_count = "removed", 9
    session.flush()

    panels = dashboard_panels(session, viewer=viewer(people.alice))

    assert (panels.recommendations, panels.buddies) == (1, 1)
    assert (panels.likes_received, panels.views) == (3, 40)
    assert not panels.has_interests and panels.show_completion
    system = session.query(Category).filter(Category.is_system).count()
    assert len(panels.chips) == system

    interests(session, people.alice, create_category(session))
    assert dashboard_panels(session, viewer=viewer(people.alice)).has_interests


def test_visitor_gets_nothing(session: Session) -> None:
    assert dashboard_panels(session, viewer=None) is None


def test_the_dashboard_opens_in_one_transaction_with_its_first_page(
    session: Session, people: People
) -> None:
    rec = post(session, people.dave)
    opening = dashboard_open(session, viewer=viewer(people.alice), tab="buddies",
                             window_days=7, now=NOW)  # fmt: skip
    assert opening.panels is not None and opening.first_page.started
    assert [item.card.id for item in opening.first_page.items] == [rec.id]
    assert (
        dashboard_open(session, viewer=None, tab="for_you", window_days=7, now=NOW).panels is None
    )
