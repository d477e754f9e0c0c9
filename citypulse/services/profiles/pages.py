"""Page loaders of the profile pages: each page opens with one transaction.

`profile_page` is `/profile/[username]` (the profile as this viewer may see it plus one
page of the current tab's list); `profile_edit_page` is `/profile/edit`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlmodel import Session

from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import PermissionDenied
from citypulse.services.interactions.likes_saves import (
    InteractionListItem,
    liked_recommendations,
    saved_recommendations,
)
from citypulse.services.moderation.removal_banner import RemovalBanner, own_removal_banner
from citypulse.services.profiles.edit import ProfileEditForm, profile_for_edit
from citypulse.services.profiles.queries import ProfileView, profile_view
from citypulse.services.recommendations.queries import (
    RecommendationCard,
    recommendations_by_author,
)
from citypulse.services.trips.history import HistoryTrip, completed_trips

PUBLIC_TABS = ("recommendations", "history", "achievements")
OWNER_TABS = ("saved", "liked")  # private lists: only ever the owner's own
DEFAULT_TAB = "recommendations"


@dataclass(frozen=True)
class ProfilePage:
    """A profile and one page of its current tab.

    `tab` is the requested tab when this viewer may open it, else "recommendations".
    `cards` fill the recommendations tab, `entries` the owner's saved and liked tabs;
    both stay empty for the limited card and for tabs without a list; `trips` are the
    history tab's visible completed trips. `list_error` is
    the reason the list could not be shown (the profile itself still is).
    """

    profile: ProfileView
    tab: str
    cards: tuple[RecommendationCard, ...] = ()
    entries: tuple[InteractionListItem, ...] = ()
    next_cursor: str | None = None
    list_error: str = ""
    trips: tuple[HistoryTrip, ...] = ()
    removal: RemovalBanner | None = None  # the owner's own profile, removed by a moderator


def profile_page(
    session: Session,
    *,
    viewer: Viewer | None,
    username: str,
    tab: str = "",
    cursor: str | None = None,
    now: datetime | None = None,
) -> ProfilePage:
    """`_profile_page`, with the removal banner (reason and appeal, §4.13.3, §4.13.9) when
    the viewer is the owner of a profile a moderator removed (first pages only); nobody
    else ever gets it."""
    page = _profile_page(session, viewer=viewer, username=username, tab=tab, cursor=cursor)
    if not page.profile.is_owner or cursor is not None:
        return page
    removal = own_removal_banner(
        session, viewer=viewer, content_type="profile", content_id=page.profile.user_id,
        now=now or datetime.now(UTC),
    )  # fmt: skip
    return page if removal is None else replace(page, removal=removal)


def _profile_page(
    session: Session,
    *,
    viewer: Viewer | None,
    username: str,
    tab: str = "",
    cursor: str | None = None,
) -> ProfilePage:
    """The profile `username` as `viewer` may see it, with the page of `tab` after `cursor`.

    Anyone may call it (visitors too). The saved and liked tabs exist for the owner only:
    for anyone else they fall back to "recommendations", whatever the client asked for.

    Raises:
        NotFound: unknown username, inactive account or a block either way (§4.2.2).
    """
    profile = profile_view(session, viewer=viewer, username=username)
    tabs = PUBLIC_TABS + (OWNER_TABS if profile.is_owner else ())
    shown = tab if tab in tabs else DEFAULT_TAB
    if profile.kind != "full":
        return ProfilePage(profile, shown)
    if shown == "recommendations":
        viewer_id = viewer.user_id if viewer else None
        page = recommendations_by_author(
            session, viewer_id=viewer_id, author_id=profile.user_id, cursor=cursor
        )
        return ProfilePage(profile, shown, cards=page.items, next_cursor=page.next_cursor)
    if shown == "history":
        viewer_id = viewer.user_id if viewer else None
        trips = completed_trips(session, viewer_id=viewer_id, user_id=profile.user_id)
        return ProfilePage(profile, shown, trips=trips)
    if shown in OWNER_TABS and viewer is not None:  # is_owner: the viewer is the profile
        listing = saved_recommendations if shown == "saved" else liked_recommendations
        try:
            found = listing(session, actor=viewer, cursor=cursor)
        except PermissionDenied as error:  # checked before any read: nothing to undo
            return ProfilePage(profile, shown, list_error=error.message)
        return ProfilePage(
            profile, shown, entries=tuple(found.items), next_cursor=found.next_cursor
        )
    return ProfilePage(profile, shown)


def profile_edit_page(session: Session, *, viewer: Viewer | None) -> ProfileEditForm | None:
    """The signed-in viewer's own edit form; None for a visitor.

    Raises:
        NotFound: the account no longer exists.
        PermissionDenied: the account is restricted (§4.13.8).
    """
    return None if viewer is None else profile_for_edit(session, actor=viewer)
