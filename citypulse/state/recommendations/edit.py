"""/recommendations/[id]/edit: the author's form, pre-filled; anyone else gets the 404.

Every handler reads the recommendation id from the page's route and the viewer from the
session cookie, then lets the service check ownership (a crafted event for someone
else's recommendation is refused there). Saving sends only the fields that differ from
what was loaded, so untouched fields are never rewritten. Photo actions (add, remove,
reorder, primary) are saved at once; captions are saved with the form.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import reflex as rx

from citypulse.media.validation import SIZE_MESSAGE
from citypulse.services.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from citypulse.services.recommendations.cities import categories_list
from citypulse.services.recommendations.commands import (
    recommendation_form_for_edit,
    recommendation_update,
)
from citypulse.services.recommendations.forms import RecommendationForm, clean_tags
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
from citypulse.services.recommendations.queries import PhotoView, photo_views
from citypulse.services.unit_of_work import run_transaction
from citypulse.state.recommendations.form import read_limited, uploaded_files
from citypulse.state.recommendations.form_fields import (
    TEXT_FIELDS,
    RecommendationFormFields,
    rejected_message,
    tags_text,
)
from citypulse.state.session import SessionState

EDIT_UPLOAD_ID = "recommendation-edit-photos"
MAX_CAPTION_INPUT = 500


def initial_fields(form: RecommendationForm) -> dict[str, str]:
    """The form's pre-filled text values, as the inputs show them."""
    values = {name: str(getattr(form, name) or "") for name in TEXT_FIELDS}
    return {
        **values,
        "category_choice": str(form.category_id or ""),
        "custom_category": "",
        "city_text": form.city_text or "",
        "author_rating": str(form.author_rating or ""),
        "tags": tags_text(form.tags or ()),
        "visibility": str(form.visibility or ""),
    }


def as_submitted(initial: dict[str, str], months: list[int]) -> dict:
    """The form data the page would submit if nothing were touched."""
    form = {key: value for key, value in initial.items() if key != "category_choice"}
    form["category_id"] = initial["category_choice"]
    return {**form, **{f"month_{month}": "on" for month in months}}


def changed_fields(before: dict, after: dict) -> dict:
    """The submitted values that differ from the loaded ones (tags compared normalised)."""
    changes = {key: value for key, value in after.items() if before.get(key) != value}
    same_tags = "tags" in before and clean_tags(before["tags"]) == clean_tags(after.get("tags"))
    if "tags" in changes and same_tags:
        del changes["tags"]
    return changes


class RecommendationEditState(RecommendationFormFields, SessionState):
    """The edit form of one of the viewer's own recommendations."""

    found: bool = True
    editable: bool = True
    recommendation_id: str = ""
    _loaded_id: int = 0
    _before: dict = {}
    _saved_captions: dict[str, str] = {}

    def _route_id(self) -> int:
        raw = str(self.router.page.params.get("id", ""))
        return int(raw) if raw.isdigit() and len(raw) < 10 else 0

    async def _run(self, action):
        return await asyncio.to_thread(run_transaction, action)

    @rx.event
    async def load(self):
        """on_load: the author's current values; the 404 content for anyone else."""
        self.loaded, self.found, self.editable, self._loaded_id = False, True, True, 0
        self.photos, self._before, self._saved_captions = [], {}, {}
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        rid = self._route_id()
        self.recommendation_id = str(rid)

        def read(db):
            form = recommendation_form_for_edit(db, actor=viewer, recommendation_id=rid)
            return form, photo_views(db, rid), categories_list(db)

        try:
            form, photos, categories = await self._run(read)
        except NotFound:
            self.found, self.loaded = False, True
            return None
        except PermissionDenied as error:
            self.editable, self.form_error, self.loaded = False, error.message, True
            return None
        initial, months = initial_fields(form), sorted(int(m) for m in form.best_months or ())
        own = next((c for c in categories if c.id == form.category_id), None)
        self._start_form(initial, months, categories, own, city_id=form.city_id or 0)
        self._before = self._form_values(as_submitted(self.initial, months))
        self._loaded_id = rid
        self._apply_photos(photos)
        return None

    def _apply_photos(self, views: tuple[PhotoView, ...]) -> None:
        """Show the stored photos by position, keeping captions typed but not yet saved."""
        edited = {
            photo["id"]: photo["caption"]
            for photo in self.photos
            if photo["caption"] != self._saved_captions.get(photo["id"], "")
        }
        ordered = sorted(views, key=lambda view: view.position)
        self._saved_captions = {str(view.id): view.caption or "" for view in ordered}
        self.photos = [
            {"id": str(view.id), "preview": view.thumb_url,
             "caption": edited.get(str(view.id), view.caption or ""),
             "primary": "yes" if view.is_primary else "", "error": ""}
            for view in ordered
        ]  # fmt: skip

    async def _photo_action(self, action):
        """Run one photo service call for the verified viewer on the routed id."""
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        rid, now = self._route_id(), datetime.now(UTC)
        self._clear_photo_errors()
        try:
            views = await self._run(lambda db: action(db, viewer, rid, now))
        except ServiceError as error:
            self.errors = {**self.errors, "photos": error.message}
            return None
        self._apply_photos(views)
        return None

    @staticmethod
    def _photo_id(raw: object) -> int:
        text = str(raw)
        return int(text) if text.isdigit() and len(text) < 10 else 0

    @rx.event
    async def set_primary(self, photo_id: str):
        """Make a photo the primary one (saved at once)."""
        pid = self._photo_id(photo_id)
        return await self._photo_action(
            lambda db, v, rid, now: recommendation_photo_set_primary(
                db, actor=v, recommendation_id=rid, photo_id=pid, now=now
            )
        )

    @rx.event
    async def remove_photo(self, photo_id: str):
        """Remove a photo (saved at once; the next one becomes primary if needed)."""
        pid = self._photo_id(photo_id)
        return await self._photo_action(
            lambda db, v, rid, now: recommendation_photo_remove(
                db, actor=v, recommendation_id=rid, photo_id=pid, now=now
            )
        )

    @rx.event
    async def move_photo(self, photo_id: str, step: int):
        """Move a photo one place up (-1) or down (+1) (saved at once)."""
        ids = [int(photo["id"]) for photo in self.photos]
        pid = self._photo_id(photo_id)
        if pid not in ids:
            return None
        index = ids.index(pid)
        target = index + (1 if step == 1 else -1)
        if not 0 <= target < len(ids):
            return None
        ids[index], ids[target] = ids[target], ids[index]
        return await self._photo_action(
            lambda db, v, rid, now: recommendation_photos_reorder(
                db, actor=v, recommendation_id=rid, photo_ids_in_order=ids, now=now
            )
        )

    @rx.event
    def set_caption(self, photo_id: str, caption: str):
        """Edit a caption locally; "Save changes" stores it."""
        self.photos = [
            {**photo, "caption": str(caption)[:MAX_CAPTION_INPUT]}
            if photo["id"] == str(photo_id)
            else photo
            for photo in self.photos
        ]

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        """Add the chosen photos (at most 5 in all); each is checked and stored at once."""
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        rid, now = self._route_id(), datetime.now(UTC)
        self._clear_photo_errors()
        error, added = "", 0
        for upload in uploaded_files(files):
            data = await read_limited(upload)
            if data is None:
                error = error or SIZE_MESSAGE
                continue
            try:
                views = await self._run(
                    lambda db, data=data: recommendation_photo_add(
                        db, actor=viewer, recommendation_id=rid, upload=PhotoUpload(data), now=now
                    )
                )
            except ValidationFailed as failed:
                error = error or failed.field_errors.get("photos", failed.message)
                if error == TOO_MANY_PHOTOS:
                    break
                continue
            except ServiceError as failed:
                error = error or failed.message
                break
            self._apply_photos(views)
            added += 1
        self._photos_outcome(error, added)
        return rx.clear_selected_files(EDIT_UPLOAD_ID)

    @rx.event
    def photos_rejected(self, codes: list[str]):
        """The file picker refused files before upload (too many, or not an image type)."""
        self._clear_photo_errors()
        self._photos_outcome(rejected_message(codes), 0)

    def _caption_changes(self) -> dict[int, str]:
        return {
            int(photo["id"]): photo["caption"]
            for photo in self.photos
            if photo["caption"] != self._saved_captions.get(photo["id"], "")
        }

    @rx.event
    async def save(self, form: dict):
        """Save the changed fields (and captions) and go back to the recommendation."""
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        rid, now = self._route_id(), datetime.now(UTC)
        before = self._before if rid and rid == self._loaded_id else {}
        changes = changed_fields(before, self._form_values(form))
        captions = self._caption_changes() if before else {}
        too_long = {
            f"photos.{index}": CAPTION_ERROR
            for index, photo in enumerate(self.photos)
            if len(" ".join(photo["caption"].split())) > MAX_CAPTION
        }
        if too_long:
            self._show_errors({"photos": CAPTION_ERROR, **too_long})
            return None

        def write(db):
            if changes:
                recommendation_update(
                    db, actor=viewer, recommendation_id=rid, changes=changes, now=now
                )
            for photo_id, caption in captions.items():
                recommendation_photo_caption(
                    db, actor=viewer, recommendation_id=rid, photo_id=photo_id,
                    caption=caption, now=now,
                )  # fmt: skip

        try:
            if changes or captions:
                await self._run(write)
        except NotFound as error:
            self._show_errors({}, error.message)
            return None
        except ValidationFailed as error:
            self._show_errors(error.field_errors)
            return None
        except ServiceError as error:
            self._show_errors({}, error.message)
            return None
        self.errors, self.form_error = {}, ""
        return rx.redirect(f"/recommendations/{rid}")
