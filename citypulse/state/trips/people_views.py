"""Companions, comments and finder read models → the typed view models the pages render.

Frozen dataclasses with real booleans and numbers; these mappers are the only place that
turns the trips-people services' rows into display text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from citypulse.services.trips.comments import CommentRow
from citypulse.services.trips.companions_page import Candidate, CompanionRow
from citypulse.services.trips.finder import TripCard
from citypulse.state.accounts.views import format_moment
from citypulse.state.moderation.removal_appeal import removal_banner_view
from citypulse.state.moments import moment_iso
from citypulse.state.social.views import initial_of, profile_href

ROLE_LABELS = {"owner": "Owner", "organizer": "Organizer", "participant": "Participant"}
STATUS_LABELS = {"accepted": "", "invited": "Invited", "requested": "Asked to join"}


@dataclass(frozen=True)
class CompanionView:
    user_id: int
    username: str
    full_name: str
    initial: str
    href: str
    avatar_url: str
    role: str
    role_label: str
    status: str
    status_label: str
    message: str
    can_remove: bool
    remove_label: str  # "Remove" for members, "Withdraw invitation" for invitees
    can_change_role: bool
    next_role: str  # the role the role button gives
    role_button: str
    can_answer: bool


@dataclass(frozen=True)
class CandidateView:
    user_id: int
    username: str
    full_name: str


@dataclass(frozen=True)
class CommentView:
    id: int
    author_username: str
    author_name: str
    href: str
    body: str
    at_iso: str
    at_text: str
    edited: bool
    hidden: bool
    can_edit: bool
    can_delete: bool
    # Removed by a moderator (its author and moderators see it): the removal banner's
    # fields (state.moderation.removal_appeal.RemovalBannerView), flat for the list.
    removed: bool = False
    removed_reason: str = ""
    can_appeal: bool = False
    appeal_status: str = ""
    decision_note: str = ""
    refusal: str = ""


@dataclass(frozen=True)
class HighlightView:
    title: str
    href: str


@dataclass(frozen=True)
class TripCardView:
    trip_id: int
    title: str
    href: str
    owner_username: str
    owner_name: str
    owner_href: str
    owner_initial: str
    owner_avatar_url: str
    owner_is_buddy: bool
    dates: str
    cities: str  # "Lisbon, Porto +1 more"
    companions: str  # "2 companions"
    state: str  # "" | "requested" | "joined" | "invited"
    can_request: bool
    refusal: str
    highlights: list[HighlightView]


def companion_view(row: CompanionRow) -> CompanionView:
    organizer = row.role == "organizer"
    return CompanionView(
        user_id=row.user_id,
        username=row.username,
        full_name=row.full_name,
        initial=initial_of(row.full_name, row.username),
        href=profile_href(row.username),
        avatar_url=row.avatar_url,
        role=row.role,
        role_label=ROLE_LABELS.get(row.role, row.role),
        status=row.status,
        status_label=STATUS_LABELS.get(row.status, row.status),
        message=row.message,
        can_remove=row.can_remove,
        remove_label="Remove" if row.status == "accepted" else "Withdraw invitation",
        can_change_role=row.can_change_role,
        next_role="participant" if organizer else "organizer",
        role_button="Make participant" if organizer else "Make organizer",
        can_answer=row.can_answer,
    )


def candidate_view(row: Candidate) -> CandidateView:
    return CandidateView(row.user_id, row.username, row.full_name)


def comment_view(row: CommentRow) -> CommentView:
    removal = removal_banner_view(row.removal)
    return CommentView(
        id=row.id,
        author_username=row.author_username,
        author_name=row.author_name,
        href=profile_href(row.author_username) if row.author_username else "",
        body=row.body,
        at_iso=moment_iso(row.created_at),
        at_text=format_moment(row.created_at),
        edited=row.edited,
        hidden=row.hidden,
        can_edit=row.can_edit,
        can_delete=row.can_delete,
        removed=removal.shown,
        removed_reason=removal.reason,
        can_appeal=removal.can_appeal,
        appeal_status=removal.appeal_status,
        decision_note=removal.decision_note,
        refusal=removal.refusal,
    )


def date_range(start: date | None, end: date | None) -> str:
    """ "1 May – 5 May 2026"; "No dates yet" without dates."""
    if start is None or end is None:
        return "No dates yet"
    first = f"{start.day} {start:%b}" + (f" {start.year}" if start.year != end.year else "")
    return f"{first} – {end.day} {end:%b} {end.year}"


def _state(card: TripCard) -> str:
    return {"requested": "requested", "accepted": "joined", "invited": "invited"}.get(
        card.my_status, ""
    )


def trip_card_view(card: TripCard) -> TripCardView:
    cities = ", ".join(card.cities) or "No cities yet"
    if card.more_cities:
        cities += f" +{card.more_cities} more"
    count = card.companions
    return TripCardView(
        trip_id=card.trip_id,
        title=card.title,
        href=f"/trips/{card.trip_id}",
        owner_username=card.owner_username,
        owner_name=card.owner_name,
        owner_href=profile_href(card.owner_username),
        owner_initial=initial_of(card.owner_name, card.owner_username),
        owner_avatar_url=card.owner_avatar_url,
        owner_is_buddy=card.owner_is_buddy,
        dates=date_range(card.start_date, card.end_date),
        cities=cities,
        companions=f"{count} companion" + ("" if count == 1 else "s"),
        state=_state(card),
        can_request=card.can_request,
        refusal=card.refusal,
        highlights=[
            HighlightView(h.title, f"/recommendations/{h.recommendation_id}")
            for h in card.highlights
        ],
    )
