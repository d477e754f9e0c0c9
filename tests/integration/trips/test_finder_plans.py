"""The companion finder's list statements are answered from indexes (§4.6.12, issue 12).

Each statement `find_companions`, `discover_trips`, `suggested_trips` and the Companions
tab send to list trips is EXPLAINed with sequential scans disabled: a `Seq Scan` left on
a trips table means no index can serve that part of the statement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import Session

from citypulse.models import TripCity
from citypulse.models.enums import TripStatus, Visibility
from citypulse.services.trips import finder as f
from citypulse.services.trips.comments import trip_comments
from citypulse.services.trips.companions_page import companions_tab
from tests.integration.profiles.support import viewer_of
from tests.integration.trips.support import People, make_trip
from tests.support.factories import create_city

TRIP_TABLES = {"trips", "trip_cities", "trip_companions", "trip_recommendations", "trip_comments"}


@contextmanager
def sent_statements(session: Session) -> Iterator[list[tuple[str, Any]]]:
    sent: list[tuple[str, Any]] = []

    def record(_conn, _cursor, statement, parameters, *_args) -> None:
        sent.append((statement, parameters))

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(connection, "before_cursor_execute", record)


def nodes(plan: dict) -> Iterator[dict]:
    yield plan
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def scanned_tables(session: Session, call: Callable[[], object]) -> set[str]:
    """Trips tables read by a sequential scan in any SELECT `call` sends."""
    with sent_statements(session) as sent:
        call()
    connection = session.connection()
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    found: set[str] = set()
    try:
        for statement, parameters in sent:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            plan = connection.exec_driver_sql(
                f"EXPLAIN (FORMAT JSON) {statement}", parameters
            ).scalar_one()[0]["Plan"]
            found |= {
                node["Relation Name"]
                for node in nodes(plan)
                if node["Node Type"] == "Seq Scan" and node["Relation Name"] in TRIP_TABLES
            }
    finally:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = on")
    return found


@pytest.fixture
def world(session: Session, people: People):
    lisbon = create_city(session, name="Lisbon")
    for n in range(5):
        trip = make_trip(session, people.bob, visibility=Visibility.public,
                         start=date(2025, 5, 1 + n), end=date(2025, 5, 9))  # fmt: skip
        session.add(TripCity(trip_id=trip.id, city_id=lisbon.id, position=1))
        if n % 2:
            trip.status = TripStatus.completed
            session.add(trip)
    session.flush()
    return lisbon, trip


def test_finder_lists_use_indexes(session: Session, people: People, world) -> None:
    lisbon, trip = world
    viewer = viewer_of(people.carol)
    calls = {
        "find": lambda: f.find_companions(
            session,
            viewer=viewer,
            city_id=lisbon.id,
            start=date(2025, 5, 2),
            end=date(2025, 5, 3),
            today=date(2025, 3, 1),
        ),
        "discover": lambda: f.discover_trips(session, viewer=viewer),
        "suggested": lambda: f.suggested_trips(session, viewer=viewer),
        "companions tab": lambda: companions_tab(session, viewer=viewer, trip_id=trip.id),
        "comments": lambda: trip_comments(session, viewer=viewer, trip_id=trip.id),
    }
    for name, call in calls.items():
        assert scanned_tables(session, call) == set(), name
