"""The photos part of the recommendation form: choose (uploads at once), caption, order.

Choosing or dropping files uploads them straight away (`photos_chosen` announces them,
so Publish / Save waits for photos still on their way). The page's state class decides
what the buttons do: the create form keeps photos until "Publish", the edit form saves
each action at once. `S.photos` rows (`PhotoSlot`) carry only display data.
"""

from __future__ import annotations

import reflex as rx

from citypulse.components.forms import field_error, notice

ACCEPTED_TYPES = {"image/jpeg": [], "image/png": [], "image/webp": []}
MAX_FILES = 5


def _rejected(S):
    """Send only the picker's error codes for refused files (never the files)."""
    return lambda rejected: S.photos_rejected(
        rx.Var(f"{rejected!s}.flatMap((r) => (r.errors || []).map((e) => e.code))").to(list[str])
    )


def _photo_row(S, photo: rx.Var, index: rx.Var) -> rx.Component:
    number = (index + 1).to(str)
    name = "photo " + number
    caption_id = "photo-caption-" + photo.id
    return rx.el.li(
        rx.flex(
            rx.image(
                src=photo.preview, alt="Photo " + number + " preview", width="160px",
                height="120px", object_fit="cover", border_radius="var(--radius-2)",
            ),
            rx.vstack(
                rx.el.label("Caption for photo " + number, html_for=caption_id,
                            font_size="var(--font-size-2)", font_weight="500"),
                rx.input(
                    id=caption_id, value=photo.caption, max_length=200, width="100%",
                    on_change=lambda value: S.set_caption(photo.id, value),
                ),
                rx.flex(
                    rx.cond(
                        photo.primary,
                        rx.badge("Primary photo", color_scheme="green"),
                        rx.button("Set as primary", type="button", size="1", variant="soft",
                                  aria_label="Set as primary: " + name,
                                  on_click=S.set_primary(photo.id)),
                    ),
                    rx.button("Move up", type="button", size="1", variant="soft",
                              aria_label="Move up: " + name, disabled=index == 0,
                              on_click=S.move_photo(photo.id, -1)),
                    rx.button("Move down", type="button", size="1", variant="soft",
                              aria_label="Move down: " + name,
                              disabled=index == S.photos.length() - 1,
                              on_click=S.move_photo(photo.id, 1)),
                    rx.button("Remove", type="button", size="1", variant="soft",
                              color_scheme="red", aria_label="Remove: " + name,
                              on_click=S.remove_photo(photo.id)),
                    gap="var(--space-2)", wrap="wrap", align="center",
                ),
                rx.cond(photo.error != "",
                        rx.text(photo.error, color_scheme="red", size="2", role="alert")),
                spacing="2", flex="1", min_width="12rem",
            ),
            gap="var(--space-3)", wrap="wrap",
        ),
        list_style="none", padding_y="var(--space-2)",
        border_bottom="1px solid var(--gray-5)",
    )  # fmt: skip


def photo_section(S, upload_id: str, *, saved_at_once: bool = False) -> rx.Component:
    """Up to 5 photos: a drop zone that uploads what is chosen, and the list of photos."""
    hint = "Up to 5 JPEG, PNG or WebP images, 10 MB each, uploaded as soon as you choose them."
    if saved_at_once:
        hint += " Adding, removing, ordering and the primary photo are saved at once."
    return rx.el.section(
        rx.heading("Photos", as_="h2", size="5", id=f"{upload_id}-heading"),
        rx.text(hint, id=f"{upload_id}-hint", size="2", color_scheme="gray"),
        rx.upload(
            rx.vstack(
                rx.icon("image-plus", aria_hidden="true"),
                rx.text("Drag photos here, or"),
                # The click reaches the drop zone, which opens the file picker.
                rx.button("Choose photos", type="button", variant="soft",
                          disabled=S.uploading, aria_describedby=f"{upload_id}-hint"),
                align="center", spacing="1",
            ),
            id=upload_id, multiple=True, accept=ACCEPTED_TYPES, max_files=MAX_FILES,
            no_keyboard=True,  # the button is the keyboard's way in
            # Announce the files, then send them: Publish / Save waits for what is announced.
            on_drop=[S.photos_chosen(), S.handle_upload(rx.upload_files(upload_id=upload_id))],
            on_drop_rejected=_rejected(S), disabled=S.uploading,
            border="2px dashed var(--gray-7)",
            border_radius="var(--radius-3)", padding="var(--space-5)", cursor="pointer",
            width="100%",
        ),
        rx.cond(S.uploading, rx.text("Uploading your photos…", role="status", size="2")),
        field_error(S.errors.photos, "rec-photos"),
        notice(S.photo_message),
        rx.el.ol(rx.foreach(S.photos, lambda photo, index: _photo_row(S, photo, index)),
                 padding="0", margin="0", aria_label="Your photos"),
        rx.cond(S.waiting_to_send,
                rx.text("Waiting for your photos to finish uploading, then it continues.",
                        role="status", size="2", weight="medium")),
        aria_labelledby=f"{upload_id}-heading",
        width="100%",
    )  # fmt: skip
