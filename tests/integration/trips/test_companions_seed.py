"""The demo seed's trip companions (issue 12): dave plans alice's trip with her."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from citypulse.models import Trip, User
from citypulse.seed import seed_demo_data
from citypulse.services.trips.comments import comment_post
from citypulse.services.trips.companions_page import companions_tab
from tests.integration.profiles.support import viewer_of
from tests.integration.support import NOW, run_action


@pytest.fixture
def seeded(session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Session:
    from citypulse.settings import get_settings

    monkeypatch.setattr(get_settings(), "upload_dir", tmp_path)
    seed_demo_data(session)
    return session


def test_dave_is_an_accepted_companion_of_alices_collaborative_trip(seeded: Session) -> None:
    users = {u.username: u for u in seeded.exec(select(User)).all()}
    trip = seeded.exec(select(Trip).where(Trip.owner_id == users["alice"].id)).one()
    assert trip.is_collaborative and trip.visibility == "friends_only"
    tab = companions_tab(seeded, viewer=viewer_of(users["dave"]), trip_id=trip.id)
    assert [(r.username, r.role, r.status) for r in tab.rows] == [
        ("alice", "owner", "accepted"),
        ("dave", "participant", "accepted"),
    ]
    assert tab.can_leave and tab.my_status == "accepted"
    # a member: dave may comment on it
    run_action(seeded, comment_post, actor=viewer_of(users["dave"]), trip_id=trip.id,
               body="See you in Toronto!", now=NOW)  # fmt: skip
