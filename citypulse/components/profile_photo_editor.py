"""Avatar and cover upload with a keyboard-operable crop step (§2.2, §4.2.4).

The crop is chosen with three labelled range inputs (zoom 1–3×, horizontal and vertical
position); a frame over the preview and a result preview show the chosen square / 3:1
area. The server crops the original upload; nothing here is trusted.
"""

from __future__ import annotations

import reflex as rx

from citypulse.components.forms import field_error, notice
from citypulse.state.profiles.photos import ProfilePhotoState as P

ACCEPT = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]}
LABELS = {
    "avatar": ("Profile photo", "Choose a profile photo", "Remove profile photo"),
    "cover": ("Cover photo", "Choose a cover photo", "Remove cover photo"),
}


def _slider(kind: str, name: str, label: str, low: str, high: str, step: str, default,
            on_change, value_text) -> rx.Component:  # fmt: skip
    field_id = f"{kind}-crop-{name}"
    return rx.hstack(
        rx.el.label(label, html_for=field_id, font_size="var(--font-size-2)", min_width="9rem"),
        rx.el.input(type="range", id=field_id, min=low, max=high, step=step,
                    default_value=default, on_change=on_change,
                    aria_valuetext=value_text, key=P.upload_serial, width="12rem"),
        rx.text(value_text, size="1", color_scheme="gray", aria_hidden="true"),
        align="center",
        spacing="3",
    )  # fmt: skip


def crop_step(kind: str) -> rx.Component:
    """Preview with the crop frame, the three sliders, the result, Save and Cancel."""
    title = LABELS[kind][0]
    result_shape = (
        {"width": "8rem", "height": "8rem", "border_radius": "50%"}
        if kind == "avatar"
        else {"width": "18rem", "aspect_ratio": "3 / 1", "border_radius": "var(--radius-3)"}
    )
    return rx.vstack(
        rx.heading(f"Choose the crop of your {title.lower()}", as_="h3", size="3"),
        rx.box(
            rx.image(src=P.preview, alt=f"Uploaded {title.lower()} before cropping",
                     width="100%", display="block"),
            rx.box(position="absolute", left=P.frame.left, top=P.frame.top,
                   width=P.frame.width, height=P.frame.height,
                   border="2px solid white", box_shadow="0 0 0 9999px rgba(0, 0, 0, 0.55)",
                   border_radius="50%" if kind == "avatar" else "0", aria_hidden="true"),
            position="relative", overflow="hidden", max_width="24rem", width="100%",
        ),
        _slider(kind, "zoom", "Zoom", "1", "3", "0.1", 1, P.set_zoom, P.frame.zoom_label),
        _slider(kind, "x", "Horizontal position", "0", "100", "1", 50, P.set_offset_x,
                P.offset_x.to_string() + " %"),
        _slider(kind, "y", "Vertical position", "0", "100", "1", 50, P.set_offset_y,
                P.offset_y.to_string() + " %"),
        rx.text("Result", size="2", weight="medium"),
        rx.box(role="img", aria_label=f"Preview of the cropped {title.lower()}",
               background_image="url(" + P.preview + ")", background_size=P.frame.background_size,
               background_position=P.frame.background_position, background_repeat="no-repeat",
               **result_shape),
        rx.hstack(
            rx.button("Save photo", on_click=P.save_photo),
            rx.button("Cancel", variant="soft", color_scheme="gray", on_click=P.cancel),
            spacing="3",
        ),
        spacing="3",
        align="start",
        padding="var(--space-3)",
        border="1px solid var(--gray-6)",
        border_radius="var(--radius-3)",
    )  # fmt: skip


def photo_field(kind: str) -> rx.Component:
    """One of the two photos: current image, choose, remove, and the crop step."""
    title, choose, remove = LABELS[kind]
    current = P.avatar_url if kind == "avatar" else P.cover_url
    handler = P.upload_avatar if kind == "avatar" else P.upload_cover
    upload_id = f"{kind}-upload"
    shape = (
        {"width": "6rem", "height": "6rem", "border_radius": "50%"}
        if kind == "avatar"
        else {"width": "18rem", "aspect_ratio": "3 / 1", "border_radius": "var(--radius-3)"}
    )
    return rx.vstack(
        rx.heading(title, as_="h3", size="3"),
        rx.cond(
            current != "",
            rx.image(src=current, alt=f"Current {title.lower()}", object_fit="cover", **shape),
            rx.center(rx.text(f"No {title.lower()} yet", size="1", color_scheme="gray"),
                      background="var(--gray-3)", **shape),
        ),
        rx.hstack(
            rx.upload(
                rx.button(choose, type="button", variant="soft"),
                id=upload_id, multiple=False, max_files=1, accept=ACCEPT, no_keyboard=True,
                on_drop=handler(rx.upload_files(upload_id=upload_id)),
                border="none", padding="0",
            ),
            rx.cond(current != "",
                    rx.button(remove, type="button", variant="outline", color_scheme="red",
                              on_click=P.remove_photo(kind))),
            spacing="3",
            align="center",
        ),
        rx.text("JPEG, PNG or WebP, up to 10 MB.", size="1", color_scheme="gray"),
        field_error(getattr(P.errors, kind), f"{kind}-photo"),
        rx.cond(P.editing == kind, crop_step(kind)),
        spacing="2",
        align="start",
    )  # fmt: skip


def photos_section() -> rx.Component:
    return rx.el.section(
        rx.heading("Photos", as_="h2", size="5", margin_bottom="var(--space-3)"),
        rx.vstack(
            photo_field("avatar"),
            photo_field("cover"),
            notice(P.message),
            spacing="5",
            align="stretch",
        ),
        id="photos",
    )
