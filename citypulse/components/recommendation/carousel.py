"""Photo carousel with buttons and thumbnails (every control keyboard-operable)."""

import reflex as rx

from citypulse.state.recommendations.detail import RecommendationDetailState as S
from citypulse.state.recommendations.views import PhotoSlide


def _thumbnail(photo: rx.Var[PhotoSlide], index: rx.Var[int]) -> rx.Component:
    return rx.el.button(
        rx.image(
            src=photo.thumb,
            alt="",
            loading="lazy",
            decoding="async",
            custom_attrs={"width": "80", "height": "60"},
            style={"width": "80px", "height": "60px", "object_fit": "cover", "display": "block"},
        ),
        on_click=S.show_photo(index),
        aria_label="Show photo " + (index + 1).to(str),
        aria_pressed=rx.cond(S.photo_index == index, "true", "false"),
        border=rx.cond(
            S.photo_index == index, "2px solid var(--accent-9)", "2px solid transparent"
        ),
        padding="0",
        background="none",
        cursor="pointer",
    )


def carousel() -> rx.Component:
    """The current photo, previous/next buttons and the thumbnail strip, or "No photos"."""
    current = S.photos[S.photo_index]
    return rx.cond(
        S.photos.length() > 0,
        rx.vstack(
            # The page's largest paint: fetched first, at the size it is shown (the
            # 400-wide thumbnail on phones, the 800-wide copy in the desktop slot), with
            # its size known before it arrives.
            rx.image(
                src=current.url,
                src_set=current.srcset,
                sizes="(max-width: 440px) 100vw, 800px",  # = api/page_meta.IMAGE_SIZES (preload)
                alt=current.caption,
                # HTML attributes (Reflex sends width/height props as CSS).
                custom_attrs={"width": current.width.to(str), "height": current.height.to(str),
                              "fetchPriority": "high"},
                style={"width": "100%", "height": "auto", "max_height": "480px",
                       "object_fit": "cover", "border_radius": "var(--radius-3)"},
            ),
            rx.text(current.caption, size="2", color_scheme="gray", unicode_bidi="isolate"),
            rx.hstack(
                rx.icon_button(rx.icon("chevron-left"), aria_label="Previous photo",
                               on_click=S.show_photo(S.photo_index - 1), variant="soft"),
                rx.foreach(S.photos, _thumbnail),
                rx.icon_button(rx.icon("chevron-right"), aria_label="Next photo",
                               custom_attrs={"data-carousel-next": "true"},
                               on_click=S.show_photo(S.photo_index + 1), variant="soft"),
                align="center",
                wrap="wrap",
            ),
            rx.button(
                rx.cond(S.autoplay, "Pause slideshow", "Play slideshow"),
                on_click=S.toggle_autoplay,
                variant="ghost",
                size="1",
            ),
            width="100%",
            aria_label="Photos",
            role="region",
            # Read by /carousel-autoplay.js, which advances every 5 s while playing.
            custom_attrs={"data-carousel-playing": rx.cond(S.autoplay, "true", "false")},
        ),
        rx.callout("No photos", icon="image-off", color_scheme="gray"),
    )  # fmt: skip
