"""/recommendations/[id]/edit: the author's form, pre-filled; anyone else gets the 404.

Every handler reads the recommendation id from the page's route (`parse_id`) and runs
through `SessionState._call` / `_load`; the services check ownership (a crafted event
for someone else's recommendation is refused there). The page opens with one loader
transaction. Saving sends only the fields that differ from what was loaded, so untouched
fields are never rewritten. Photo actions (add, remove, reorder, primary) are saved at
once (photos are added as soon as they are chosen); captions are saved with the form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any

import reflex as rx
from sqlmodel import Session

from citypulse.media.validation import SIZE_MESSAGE
from citypulse.params import parse_id
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound, PermissionDenied, ValidationFailed
from citypulse.services.recommendations.commands import recommendation_update
from citypulse.services.recommendations.form_page import recommendation_edit_page
from citypulse.services.recommendations.forms import clean_tags
from citypulse.services.recommendations.photos import (
    CAPTION_ERROR,
    MAX_CAPTION,
    TOO_MANY_PHOTOS,
    PhotoUpload,
    recommendation_photo_add,
    recommendation_photo_caption,
    recommendation_photo_remove,
    recommendation_photo_set_primary,
    recommendation_photos_reorder,
)
from citypulse.services.recommendations.queries import PhotoView
from citypulse.state.recommendations.form_fields import RecommendationFormFields, rejected_message
from citypulse.state.recommendations.form_uploads import PhotoArrivals
from citypulse.state.recommendations.form_views import (
    FormErrors,
    FormInitial,
    initial_from_form,
    stored_photo_slots,
)
from citypulse.state.session import SessionState
from citypulse.state.uploads import read_limited, uploaded_files

EDIT_UPLOAD_ID = "recommendation-edit-photos"
MAX_CAPTION_INPUT = 500
PHOTO_GONE = "This photo is no longer there. Reload the page to see the current photos."


def as_submitted(initial: FormInitial, months: list[int]) -> dict:
    """The form data the page would submit if nothing were touched."""
    form = {key: value for key, value in asdict(initial).items() if key != "category_choice"}
    form["category_id"] = initial.category_choice
    return {**form, **{f"month_{month}": "on" for month in months}}


def changed_fields(before: dict, after: dict) -> dict:
    """The submitted values that differ from the loaded ones (tags compared normalised)."""
    changes = {key: value for key, value in after.items() if before.get(key) != value}
    same_tags = "tags" in before and clean_tags(before["tags"]) == clean_tags(after.get("tags"))
    if "tags" in changes and same_tags:
        del changes["tags"]
    return changes


def recommendation_save(
    db: Session,
    *,
    actor: Viewer,
    recommendation_id: int,
    changes: Mapping[str, Any],
    captions: Mapping[int, str],
    now: datetime,
) -> None:
    """The edit form's "Save changes": changed fields and captions in one transaction.

    Raises:
        NotFound, PermissionDenied, ValidationFailed, RateLimited: see
            `recommendation_update` and `recommendation_photo_caption`.
    """
    if changes:
        recommendation_update(
            db, actor=actor, recommendation_id=recommendation_id, changes=changes, now=now
        )
    for photo_id, caption in captions.items():
        recommendation_photo_caption(
            db, actor=actor, recommendation_id=recommendation_id, photo_id=photo_id,
            caption=caption, now=now,
        )  # fmt: skip


class RecommendationEditState(PhotoArrivals, RecommendationFormFields, SessionState):
    """The edit form of one of the viewer's own recommendations."""

    found: bool = True
    editable: bool = True
    recommendation_id: int = 0
    _loaded_id: int = 0
    _before: dict = {}
    _saved_captions: dict[str, str] = {}

    def _route_id(self) -> int:
        """The routed recommendation id (0 for anything that cannot be one: not found)."""
        return parse_id(self.router.page.params.get("id", "")) or 0

    def _not_sent_prefix(self) -> str:
        return "Not saved yet: "

    @rx.event
    async def load(self):
        """on_load: the author's current values; the 404 content for anyone else."""
        self.loaded, self.found, self.editable, self._loaded_id = False, True, True, 0
        self.photos, self._before, self._saved_captions = [], {}, {}
        self._reset_arrivals()
        self.recommendation_id = rid = self._route_id()
        outcome = await self._load(recommendation_edit_page, recommendation_id=rid)
        if not self.signed_in:
            return self._login_redirect()
        if isinstance(outcome.error, NotFound):
            self.found, self.loaded = False, True
            return None
        if isinstance(outcome.error, PermissionDenied):
            self.editable, self.form_error, self.loaded = False, outcome.message, True
            return None
        if not outcome.ok:
            return outcome.event
        page = outcome.value
        own = next((c for c in page.categories if c.id == page.form.category_id), None)
        months = sorted(int(m) for m in page.form.best_months or ())
        initial = initial_from_form(page.form, own)
        self._start_form(initial, months, page.categories, city_id=page.form.city_id or 0)
        self._before = self._form_values(as_submitted(initial, months))
        self._loaded_id = rid
        self._apply_photos(page.photos)
        return None

    def _apply_photos(self, views: tuple[PhotoView, ...]) -> None:
        """Show the stored photos by position, keeping captions typed but not yet saved."""
        typed = {
            photo.id: photo.caption
            for photo in self.photos
            if photo.caption != self._saved_captions.get(photo.id, "")
        }
        self._saved_captions = {str(view.id): view.caption or "" for view in views}
        self.photos = stored_photo_slots(views, typed)

    async def _photo_action(self, service, **kwargs: Any):
        """Run one photo service for the verified viewer on the routed recommendation."""
        self._clear_photo_errors()
        outcome = await self._call(
            service, recommendation_id=self._route_id(), now=datetime.now(UTC), **kwargs
        )
        if outcome.signed_out:
            return outcome.redirect
        if not outcome.ok:
            self.errors = replace(self.errors, photos=outcome.message)
            return None
        self._apply_photos(outcome.value)
        return None

    @rx.event
    async def set_primary(self, photo_id: str):
        """Make a photo the primary one (saved at once)."""
        pid = parse_id(photo_id) or 0
        return await self._photo_action(recommendation_photo_set_primary, photo_id=pid)

    @rx.event
    async def remove_photo(self, photo_id: str):
        """Remove a photo (saved at once; the next one becomes primary if needed)."""
        pid = parse_id(photo_id) or 0
        return await self._photo_action(recommendation_photo_remove, photo_id=pid)

    @rx.event
    async def move_photo(self, photo_id: str, step: int):
        """Move a photo one place up (-1) or down (+1) (saved at once)."""
        ids = [int(photo.id) for photo in self.photos]
        pid = parse_id(photo_id)
        if pid not in ids:  # e.g. removed in another tab meanwhile
            self.errors = replace(self.errors, photos=PHOTO_GONE)
            return None
        index = ids.index(pid)
        target = index + (1 if step == 1 else -1)
        if not 0 <= target < len(ids):
            return None
        ids[index], ids[target] = ids[target], ids[index]
        return await self._photo_action(recommendation_photos_reorder, photo_ids_in_order=ids)

    @rx.event
    def set_caption(self, photo_id: str, caption: str):
        """Edit a caption locally; "Save changes" stores it."""
        self.photos = [
            replace(photo, caption=str(caption)[:MAX_CAPTION_INPUT])
            if photo.id == str(photo_id)
            else photo
            for photo in self.photos
        ]

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        """Chosen photos arrive: each is checked and added at once (at most 5 in all)."""
        chosen = uploaded_files(files)
        if not chosen:  # everything was refused by the picker (photos_rejected says why)
            return await self._photos_arrived(refused=False)
        self._clear_photo_errors()
        rid, now = self._route_id(), datetime.now(UTC)
        error, added = "", 0
        for upload in chosen:
            data = await read_limited(upload)
            if data is None:
                error = error or SIZE_MESSAGE
                continue
            outcome = await self._call(
                recommendation_photo_add, recommendation_id=rid, upload=PhotoUpload(data), now=now
            )
            if outcome.signed_out:
                self._reset_arrivals()
                return outcome.redirect
            if not outcome.ok:
                error = error or outcome.field_errors.get("photos", outcome.message)
                if error == TOO_MANY_PHOTOS or not isinstance(outcome.error, ValidationFailed):
                    break
                continue
            self._apply_photos(outcome.value)
            added += 1
        self._photos_outcome(error, added)
        return await self._photos_arrived(refused=bool(error))

    @rx.event
    def photos_rejected(self, codes: list[str]):
        """The file picker refused files before upload (too many, or not an image type)."""
        self._photos_outcome(rejected_message(codes), 0)

    def _caption_changes(self) -> dict[int, str]:
        return {
            int(photo.id): photo.caption
            for photo in self.photos
            if photo.caption != self._saved_captions.get(photo.id, "")
        }

    @rx.event
    async def save(self, form: dict):
        """Save the changed fields (and captions) and go back to the recommendation.

        Pressed while chosen photos are still uploading, it waits for them.
        """
        values = self._form_values(form)
        if self._hold_while_uploading(values):
            return None
        return await self._send_values(values)

    async def _send_values(self, values: dict):
        rid = self._route_id()
        before = self._before if rid and rid == self._loaded_id else {}
        changes = changed_fields(before, values)
        captions = self._caption_changes() if before else {}
        too_long = {
            f"photos.{index}": CAPTION_ERROR
            for index, photo in enumerate(self.photos)
            if len(" ".join(photo.caption.split())) > MAX_CAPTION
        }
        if too_long:
            self._show_errors({"photos": CAPTION_ERROR, **too_long})
            return None
        outcome = await self._call(
            recommendation_save, recommendation_id=rid, changes=changes, captions=captions,
            now=datetime.now(UTC),
        )  # fmt: skip
        if outcome.signed_out:
            return outcome.redirect
        if not outcome.ok:
            self._show_errors(outcome.field_errors, "" if outcome.field_errors else outcome.message)
            return None
        self.errors, self.form_error = FormErrors(), ""
        return rx.redirect(f"/recommendations/{rid}")
