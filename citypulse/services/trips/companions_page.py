"""The Companions tab of a trip (PRODUCT.md §2.2 /trips/[id], §4.6.5): what the viewer sees.

Follows the trip's access (`trips.access`; a share link shows no members). Everyone who
may see the trip sees its members and pending invitations; join requests are shown to
the owner and organizers, and to the requester (their own). People blocked either way
with the viewer are left out (mutual hiding, §4.5.6). `invite_candidates` lists whom
the viewer may invite: their buddies on a buddies-only trip, matching active users on a
public one, never anyone already on the trip or blocked either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, literal, or_, select
from sqlmodel import Session

from citypulse.models import Profile, TripCompanion, User
from citypulse.models.enums import (
    AccountStatus,
    CompanionRole,
    CompanionStatus,
    TripStatus,
    Visibility,
)
from citypulse.params import parse_text
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound
from citypulse.services.recommendations.queries import upload_url
from citypulse.services.social.graph import blocked_between, buddies_with
from citypulse.services.trips.access import trip_for_viewer
from citypulse.services.trips.companions import MAX_MEMBERS, companion_invite, is_full
from citypulse.services.trips.join_requests import join_refusal

SHOWN = (CompanionStatus.accepted, CompanionStatus.invited, CompanionStatus.requested)
CANDIDATES = 8
USERNAME_LENGTH = 30  # users.username is at most 30 characters: a longer name is nobody's


@dataclass(frozen=True)
class CompanionRow:
    """One person on the tab and what the viewer may do about them."""

    user_id: int
    username: str
    full_name: str
    avatar_url: str
    role: str  # owner / organizer / participant
    status: str  # accepted / invited / requested
    message: str  # the invitation's or the request's message
    can_remove: bool  # remove a member, or withdraw an invitation
    can_change_role: bool
    can_answer: bool  # accept / decline a join request


@dataclass(frozen=True)
class CompanionsTab:
    """The tab for the viewer: people, counts and the viewer's own standing."""

    trip_id: int
    trip_title: str
    rows: tuple[CompanionRow, ...]
    members: int  # accepted, the owner included
    seats_taken: int  # invited or accepted (the cap counts these)
    max_members: int
    can_invite: bool
    invite_note: str  # why inviting is closed, or whom one may invite
    my_status: str  # the viewer's row status ("" for none)
    can_leave: bool
    can_request: bool
    request_refusal: str  # why "Request to join" is not offered ("" when it is)


@dataclass(frozen=True)
class Candidate:
    user_id: int
    username: str
    full_name: str


def _invite_note(visibility: str, status: str, organizer: bool) -> tuple[bool, str]:
    if not organizer:
        return False, ""
    if visibility == Visibility.private:
        return False, "A private trip has no companions."
    if status == TripStatus.cancelled:
        return False, "This trip is cancelled."
    if visibility == Visibility.friends_only:
        return True, "Buddies-only trip: you can invite your buddies."
    return True, "Public trip: you can invite any traveller."


def companions_tab(session: Session, *, viewer: Viewer | None, trip_id: int) -> CompanionsTab:
    """The Companions tab of the trip for `viewer` (None: a visitor).

    Raises:
        NotFound: the trip is hidden from the viewer (a share link shows no members).
    """
    access = trip_for_viewer(session, viewer, trip_id)
    if access.via_share:
        raise NotFound("Companions are not shared")
    trip, viewer_id = access.trip, access.viewer_id
    organizer = access.is_organizer and not access.is_removed
    c = TripCompanion
    rows = session.execute(
        select(
            c.user_id,
            c.role,
            c.status,
            c.message,
            User.username,
            User.full_name,
            Profile.avatar_key,
        )
        .join(User, User.id == c.user_id)
        .outerjoin(Profile, Profile.user_id == c.user_id)
        .where(
            c.trip_id == trip.id,
            c.status.in_(SHOWN),
            or_(c.status != CompanionStatus.requested, literal(organizer), c.user_id == viewer_id),
            User.account_status == AccountStatus.active,
            ~blocked_between(viewer_id, c.user_id),
        )
        .order_by(
            c.status != CompanionStatus.accepted,
            c.role != CompanionRole.owner,
            c.role != CompanionRole.organizer,
            c.id,
        )
    ).all()

    def row(r) -> CompanionRow:
        owner_row = r.role == CompanionRole.owner
        removable = r.status in (CompanionStatus.accepted, CompanionStatus.invited)
        return CompanionRow(
            user_id=r.user_id,
            username=r.username,
            full_name=r.full_name,
            avatar_url=upload_url(r.avatar_key),
            role=str(r.role),
            status=str(r.status),
            message=(r.message or "") if r.status != CompanionStatus.accepted else "",
            can_remove=organizer and removable and not owner_row
            and (access.is_owner or r.role != CompanionRole.organizer),
            can_change_role=access.is_owner and not access.is_removed and not owner_row
            and r.status == CompanionStatus.accepted,
            can_answer=organizer and r.status == CompanionStatus.requested,
        )  # fmt: skip

    can_invite, note = _invite_note(trip.visibility, trip.status, organizer)
    mine = session.execute(
        select(c).where(c.trip_id == trip.id, c.user_id == viewer_id)
    ).scalar_one_or_none()
    full = is_full(session, trip.id)
    refusal = join_refusal(session, access, mine, full=full) if viewer_id else ""
    counts = session.execute(
        select(
            func.count().filter(c.status == CompanionStatus.accepted),
            func.count().filter(c.status.in_((CompanionStatus.accepted, CompanionStatus.invited))),
        ).where(c.trip_id == trip.id)
    ).one()
    return CompanionsTab(
        trip_id=trip.id,
        trip_title=trip.title,
        rows=tuple(row(r) for r in rows),
        members=int(counts[0]),
        seats_taken=int(counts[1]),
        max_members=MAX_MEMBERS,
        can_invite=can_invite and not full,
        invite_note=f"This trip is full ({MAX_MEMBERS} members)." if can_invite and full else note,
        my_status=str(mine.status) if mine is not None else "",
        can_leave=mine is not None and mine.status == CompanionStatus.accepted
        and mine.role != CompanionRole.owner,
        can_request=viewer_id is not None and refusal is None,
        request_refusal="" if viewer_id is None else (refusal or ""),
    )  # fmt: skip


def invite_candidates(
    session: Session, *, viewer: Viewer | None, trip_id: int, text: str = ""
) -> tuple[Candidate, ...]:
    """Up to 8 people the viewer may invite, matching `text` (username or name).

    Empty for anyone but the owner and organizers, and on private or cancelled trips.
    Public trips need at least 2 characters of `text` (no listing of every user).

    Raises:
        NotFound: the trip is hidden from the viewer.
    """
    access = trip_for_viewer(session, viewer, trip_id)
    trip = access.trip
    if not access.is_organizer or access.is_removed or viewer is None:
        return ()
    if not _invite_note(trip.visibility, trip.status, True)[0]:
        return ()
    wanted = text.strip().lstrip("@").casefold()
    if trip.visibility == Visibility.public and len(wanted) < 2:
        return ()
    on_trip = select(TripCompanion.id).where(
        TripCompanion.trip_id == trip.id,
        TripCompanion.user_id == User.id,
        TripCompanion.status.in_(SHOWN),
    )
    pattern = "%" + wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    conditions = [
        User.id != viewer.user_id,
        User.account_status == AccountStatus.active,
        User.email_verified_at.is_not(None),
        ~on_trip.exists(),
        ~blocked_between(viewer.user_id, User.id),
        ~blocked_between(trip.owner_id, User.id),
    ]
    if wanted:
        conditions.append(
            or_(
                func.lower(User.username).like(pattern, escape="\\"),
                func.lower(User.full_name).like(pattern, escape="\\"),
            )
        )
    if trip.visibility == Visibility.friends_only:
        conditions.append(buddies_with(viewer.user_id, User.id))
    rows = session.execute(
        select(User.id, User.username, User.full_name)
        .where(and_(*conditions))
        .order_by(func.lower(User.username))
        .limit(CANDIDATES)
    ).all()
    return tuple(Candidate(*r) for r in rows)


def companion_invite_by_username(
    session: Session,
    *,
    actor: Viewer,
    trip_id: int,
    username: str,
    message: str = "",
    now: datetime,
) -> str:
    """`companion_invite` for the user named `username` (with or without "@").

    Returns the invitee's username. Raises what `companion_invite` raises (its trip
    checks come first; an unknown username is its "User not found").
    """
    name = parse_text(username.strip().lstrip("@").casefold(), max_length=USERNAME_LENGTH) or ""
    found = (
        session.execute(
            select(User.id, User.username).where(func.lower(User.username) == name)
        ).first()
        if name  # a name with control characters (a NUL) is nobody's: never sent to PostgreSQL
        else None
    )
    user_id = found.id if name and found is not None else 0
    companion_invite(
        session, actor=actor, trip_id=trip_id, user_id=user_id, message=message, now=now
    )
    return found.username if found is not None else ""
