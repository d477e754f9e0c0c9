"""A feed card (§2.2 /dashboard): photo, title, author, city, category, average rating,
and Like, Save, Share and Report working from the card (the same services as the
recommendation page; the report dialog is the shared one)."""

from __future__ import annotations

import reflex as rx

from citypulse.components.counts import rating_text
from citypulse.components.report_dialog import report_dialog
from citypulse.state.feed.page import FeedState as S
from citypulse.state.moderation.reports import RECOMMENDATION_REPORT_REASONS

FACEBOOK_SHARE = "https://www.facebook.com/sharer/sharer.php?u="


def _photo(item: rx.Var) -> rx.Component:
    return rx.cond(
        item.thumb != "",
        rx.image(src=item.thumb, alt=item.title, loading="lazy", decoding="async",
                 custom_attrs={"width": "400", "height": "300"},
                 style={"width": "100%", "height": "160px", "object_fit": "cover"}),
        rx.center(rx.icon("image-off", aria_hidden="true"), height="160px", width="100%",
                  background="var(--gray-a3)"),
    )  # fmt: skip


def _share_link(item: rx.Var, label: str, platform: str, href: rx.Var) -> rx.Component:
    return rx.menu.item(
        rx.link(label, href=href, is_external=True, underline="none", color="inherit"),
        on_select=S.share(item.id, platform),
    )


def _share(item: rx.Var) -> rx.Component:
    url = item.share_url
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(rx.icon("share-2", aria_hidden="true"), "Share", variant="soft",
                      size="1", aria_label="Share " + item.title)
        ),
        rx.menu.content(
            rx.menu.item("Copy link",
                         on_select=[rx.set_clipboard(url), S.share(item.id, "copy_link")]),
            _share_link(item, "X", "twitter", "https://x.com/intent/post?url=" + url),
            _share_link(item, "Facebook", "facebook", FACEBOOK_SHARE + url),
            _share_link(item, "WhatsApp", "whatsapp", "https://wa.me/?text=" + url),
            _share_link(item, "Email", "email", "mailto:?subject=CityPulse&body=" + url),
        ),
    )  # fmt: skip


def _report(item: rx.Var) -> rx.Component:
    return report_dialog(
        "Report this recommendation",
        RECOMMENDATION_REPORT_REASONS,
        on_submit=S.report,
        on_open_change=lambda open: S.set_report_for(item.id, open),
        is_open=S.report_open & (S.report_for == item.id),
        error=S.report_error,
        login_href="/login",
        field_prefix="report-" + item.id.to(str),
    )


def _actions(item: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.button(
            rx.icon("heart", aria_hidden="true"),
            rx.cond(item.liked, "Liked", "Like"),
            rx.el.span(item.likes.to(str), aria_hidden="true"),
            on_click=S.toggle_like(item.id),
            aria_pressed=rx.cond(item.liked, "true", "false"),
            aria_label=rx.cond(item.liked, "Unlike ", "Like ")
            + item.title
            + ", "
            + item.likes.to(str)
            + " likes",
            variant=rx.cond(item.liked, "solid", "soft"),
            size="1",
        ),
        rx.button(
            rx.icon("bookmark", aria_hidden="true"),
            rx.cond(item.saved, "Saved", "Save"),
            on_click=S.toggle_save(item.id),
            aria_pressed=rx.cond(item.saved, "true", "false"),
            aria_label=rx.cond(item.saved, "Unsave ", "Save ") + item.title,
            variant=rx.cond(item.saved, "solid", "soft"),
            size="1",
        ),
        _share(item),
        _report(item),
        wrap="wrap",
        spacing="2",
        align="center",
    )


def feed_card(item: rx.Var) -> rx.Component:
    """`item` is a `state.feed.views.FeedCardView`."""
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.link(
                    rx.vstack(
                        _photo(item),
                        rx.heading(item.title, as_="h3", size="3"),
                        align="start",
                        spacing="2",
                        width="100%",
                    ),
                    href="/recommendations/" + item.id.to(str),
                    underline="none",
                    color="inherit",
                    width="100%",
                ),
                rx.text(
                    "by ",
                    rx.link(item.author_name, href="/profile/" + item.author_username),
                    size="2",
                ),
                rx.text(item.category, " · ", item.city, size="1", color_scheme="gray"),
                rx.text(rating_text(item.rating, item.ratings_count), size="2"),
                _actions(item),
                align="start",
                spacing="2",
            ),
            height="100%",
        ),
        class_name="feed-card",
    )
