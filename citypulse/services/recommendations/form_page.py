"""The loaders of the recommendation create and edit pages: one transaction each.

`SessionState._load` runs them with the viewer the page's guard established, so opening
either form costs one loader transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound, ServiceError
from citypulse.services.profiles.settings import privacy_view
from citypulse.services.recommendations.cities import CategoryOption, categories_list
from citypulse.services.recommendations.commands import recommendation_form_for_edit
from citypulse.services.recommendations.forms import RecommendationForm
from citypulse.services.recommendations.queries import NOT_FOUND_MESSAGE, PhotoView, photo_views


@dataclass(frozen=True)
class RecommendationCreatePage:
    """The empty create form: the categories and the viewer's default visibility."""

    categories: tuple[CategoryOption, ...]
    default_visibility: str  # "" when the viewer has none (or is signed out)


@dataclass(frozen=True)
class RecommendationEditPage:
    """The author's edit form: current values, stored photos and the categories."""

    form: RecommendationForm
    photos: tuple[PhotoView, ...]
    categories: tuple[CategoryOption, ...]


def recommendation_create_page(
    session: Session, *, viewer: Viewer | None
) -> RecommendationCreatePage:
    """Open the create form (the page itself is for signed-in members only)."""
    default = ""
    if viewer is not None:
        try:
            default = str(privacy_view(session, actor=viewer).default_rec_visibility or "")
        except ServiceError:  # e.g. a restricted account: the page's guard sends it away
            default = ""
    return RecommendationCreatePage(categories_list(session), default)


def recommendation_edit_page(
    session: Session, *, viewer: Viewer | None, recommendation_id: int
) -> RecommendationEditPage:
    """Open the edit form of the viewer's own recommendation.

    Raises:
        NotFound: signed out, missing, deleted or someone else's (the page is a 404).
        PermissionDenied: "This recommendation was removed by a moderator".
    """
    if viewer is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    form = recommendation_form_for_edit(session, actor=viewer, recommendation_id=recommendation_id)
    return RecommendationEditPage(
        form, photo_views(session, recommendation_id), categories_list(session)
    )
