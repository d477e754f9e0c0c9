"""What every trip membership command shares (PRODUCT.md §4.6.5): the one
`trip_companions` row per (trip, user), the 20-member cap, the notifications of §4.11
Trips, and saving a row with its live change. The commands live in `companions.py`
(invitations, members, roles) and `join_requests.py`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from citypulse.models import Trip, TripCompanion
from citypulse.models.enums import CompanionRole, CompanionStatus, NotificationType, TripStatus
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.achievements.evaluate import evaluate
from citypulse.services.achievements.metrics import TRIP_COMPLETED
from citypulse.services.errors import Conflict
from citypulse.services.notifications.create import notify
from citypulse.services.trips.events import COMPANIONS, DETAILS, trip_changed

MAX_MEMBERS = 20  # invited or accepted, the owner included (§3.2 TripCompanion)
MESSAGE_LENGTH = 300
FULL = f"This trip is full ({MAX_MEMBERS} members)"


def membership(session: Session, trip_id: int, user_id: int) -> TripCompanion | None:
    return session.execute(
        select(TripCompanion).where(
            TripCompanion.trip_id == trip_id, TripCompanion.user_id == user_id
        )
    ).scalar_one_or_none()


def _seats_taken(session: Session, trip_id: int) -> int:
    """Invited or accepted rows of the trip (the owner's included)."""
    return int(
        session.execute(
            select(func.count(TripCompanion.id)).where(
                TripCompanion.trip_id == trip_id,
                TripCompanion.status.in_((CompanionStatus.invited, CompanionStatus.accepted)),
            )
        ).scalar_one()
    )


def is_full(session: Session, trip_id: int) -> bool:
    """True when the trip has its 20 invited or accepted members."""
    return _seats_taken(session, trip_id) >= MAX_MEMBERS


def require_seat(session: Session, trip_id: int) -> None:
    if is_full(session, trip_id):
        raise Conflict(FULL)


def trip_url(trip_id: int, tab: str | None = None) -> str:
    return f"/trips/{trip_id}" + (f"?tab={tab}" if tab else "")


def tell(
    session: Session,
    kind: NotificationType,
    *,
    actor: Viewer,
    trip: Trip,
    recipient_ids: list[int],
    title: str,
    message: str,
    url: str,
    now: datetime,
    email: bool = True,
) -> None:
    """One notification per recipient (each once; `notify` skips the actor and blocks)."""
    title = title.format(name=actor.full_name, trip=trip.title)
    message = message.format(name=actor.full_name, username=actor.username, trip=trip.title)
    for recipient_id in dict.fromkeys(recipient_ids):
        notify(session, recipient_id=recipient_id, type=kind, actor=actor, title=title,
               message=message, target_type="trip", target_id=trip.id, action_url=url,
               now=now, email=email)  # fmt: skip


def organizer_ids(session: Session, trip_id: int) -> list[int]:
    """The owner and the accepted organizers of the trip, owner first."""
    rows = session.execute(
        select(TripCompanion.user_id)
        .where(
            TripCompanion.trip_id == trip_id,
            TripCompanion.status == CompanionStatus.accepted,
            TripCompanion.role.in_((CompanionRole.owner, CompanionRole.organizer)),
        )
        .order_by(TripCompanion.role.desc(), TripCompanion.id)  # 'owner' > 'organizer'
    )
    return list(rows.scalars())


def completed_membership_changed(session: Session, trip: Trip, user_id: int, now: datetime) -> None:
    """A member joined or left a completed trip: it counts for their badges (§4.7.1)."""
    if trip.status == TripStatus.completed:
        evaluate(session, user_id=user_id, metrics=TRIP_COMPLETED, now=now)


def save_membership(
    session: Session, row: TripCompanion, trip_id: int, *, access_lost: bool = False
) -> None:
    """Write the row; after the commit, open trip pages re-read the companions (and,
    when someone may have lost access, the details: their own tab then gets the 404)."""
    session.add(row)
    session.flush()
    trip_changed(session, trip_id, *((COMPANIONS, DETAILS) if access_lost else (COMPANIONS,)))
