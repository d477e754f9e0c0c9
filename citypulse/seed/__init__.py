"""Demo and reference data: `python -m citypulse.cli seed` (also run by `make run`).

Reference data (categories, achievements, cities) is topped up on every run. The demo
world (accounts, recommendations, interactions, buddies, trips) is created only when the
database has no recommendations yet, so running the seed again changes nothing.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from citypulse.db import session_scope
from citypulse.models import Recommendation
from citypulse.seed.people import seed_users
from citypulse.seed.reference import seed_achievements, seed_categories, seed_cities
from citypulse.seed.social import seed_social
from citypulse.seed.world import seed_interactions, seed_recommendations, seed_trips


def seed_demo_data(session: Session | None = None) -> str:
    """Load reference data and, into an empty database, the demo world.

    Runs in `session` when given (the caller commits), otherwise in one transaction.
    """
    if session is None:
        with session_scope() as own_session:
            return seed_demo_data(own_session)
    categories = seed_categories(session)
    seed_achievements(session)
    cities = seed_cities(session)
    users = seed_users(session, categories, cities)
    if session.exec(select(func.count()).select_from(Recommendation)).one():
        return "Seed: reference data checked; demo world already present."
    recommendations = seed_recommendations(session, users, categories, cities)
    seed_interactions(session, users, recommendations)
    seed_social(session, users)
    seed_trips(session, users, cities)
    session.flush()
    return f"Seed: demo world created with {len(recommendations)} recommendations."
