"""Seed the reference data: categories, the achievement catalogue and cities (idempotent)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from citypulse.models import Achievement, Category, City
from citypulse.seed.catalogue import ACHIEVEMENTS, CATEGORIES
from citypulse.seed.places import demo_cities


def seed_categories(session: Session) -> dict[str, Category]:
    """The 8 system categories, by name."""
    existing = {c.name: c for c in session.exec(select(Category)).all()}
    for name, description, icon in CATEGORIES:
        if name not in existing:
            existing[name] = Category(name=name, description=description, icon=icon, is_system=True)
            session.add(existing[name])
    session.flush()
    return existing


def seed_achievements(session: Session) -> None:
    """The catalogue of PRODUCT.md §4.7, inserted once per code."""
    known = set(session.exec(select(Achievement.code)).all())
    for order, (code, name, description, metric, threshold, tier, points, icon) in enumerate(
        ACHIEVEMENTS
    ):
        if code not in known:
            session.add(
                Achievement(
                    code=code,
                    name=name,
                    description=description,
                    metric=metric,
                    threshold=threshold,
                    tier=tier,
                    points=points,
                    icon=icon,
                    sort_order=order,
                )
            )
    session.flush()


def seed_cities(session: Session) -> dict[str, City]:
    """The demo cities, by name (names are unique within the demo set)."""
    cities: dict[str, City] = {}
    for demo in demo_cities():
        city = session.exec(
            select(City).where(
                func.lower(City.name) == demo.name.lower(),
                func.lower(City.country) == demo.country.lower(),
            )
        ).first()
        if city is None:
            city = City(
                name=demo.name,
                state_province=demo.state_province,
                country=demo.country,
                latitude=demo.lat,
                longitude=demo.lng,
                timezone=demo.timezone,
                description=demo.description,
            )
            session.add(city)
        cities[demo.name] = city
    session.flush()
    return cities
