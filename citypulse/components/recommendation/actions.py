"""Like, save, share and report controls of the detail page (live counters)."""

import reflex as rx

from citypulse.state.recommendation_detail import RecommendationDetailState as S
from citypulse.state.recommendation_live import RecommendationLive as Live

FACEBOOK_SHARE = "https://www.facebook.com/sharer/sharer.php?u="
REPORT_REASONS = ["spam", "inappropriate", "misleading", "offensive", "copyright", "other"]


def _share_link(label: str, platform: str, href: rx.Var) -> rx.Component:
    return rx.menu.item(
        rx.link(label, href=href, is_external=True, underline="none", color="inherit"),
        on_select=S.share(platform),
    )


def share_menu() -> rx.Component:
    url = S.rec["share_url"].to(str)
    return rx.menu.root(
        rx.menu.trigger(rx.button(rx.icon("share-2"), "Share", variant="soft")),
        rx.menu.content(
            rx.menu.item("Copy link", on_select=[rx.set_clipboard(url), S.share("copy_link")]),
            _share_link("X", "twitter", "https://x.com/intent/post?url=" + url),
            _share_link("Facebook", "facebook", FACEBOOK_SHARE + url),
            _share_link("WhatsApp", "whatsapp", "https://wa.me/?text=" + url),
            _share_link("Email", "email", "mailto:?subject=CityPulse&body=" + url),
        ),
    )  # fmt: skip


def report_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.button(rx.icon("flag"), "Report", variant="ghost", color_scheme="red")
        ),
        rx.dialog.content(
            rx.dialog.title("Report this recommendation"),
            rx.form(
                rx.vstack(
                    rx.el.label("Reason", html_for="report-reason"),
                    rx.el.select(
                        *[rx.el.option(r.capitalize(), value=r) for r in REPORT_REASONS],
                        id="report-reason", name="reason",
                    ),
                    rx.el.label("Description (required for Other)", html_for="report-description"),
                    rx.text_area(id="report-description", name="description", max_length=1000),
                    rx.cond(S.error != "", rx.text(S.error, color_scheme="red", role="alert")),
                    rx.cond(S.report_message != "", rx.text(S.report_message, role="status")),
                    rx.hstack(
                        rx.dialog.close(rx.button("Close", variant="soft", type="button")),
                        rx.button("Send report", type="submit", color_scheme="red"),
                    ),
                    align="stretch",
                ),
                on_submit=S.report,
            ),
        ),
    )  # fmt: skip


def interaction_bar() -> rx.Component:
    """Live counters plus the buttons the viewer may use."""
    return rx.hstack(
        rx.button(
            rx.icon("heart"),
            rx.cond(S.liked, "Liked", "Like"),
            rx.text(Live.likes.to(str), aria_label="likes"),
            on_click=S.toggle_like,
            aria_pressed=rx.cond(S.liked, "true", "false"),
            variant=rx.cond(S.liked, "solid", "soft"),
            disabled=S.rec["is_author"].to(str) != "",
        ),
        rx.button(
            rx.icon("bookmark"),
            rx.cond(S.saved, "Saved", "Save"),
            rx.text(Live.saves.to(str), aria_label="saves"),
            on_click=S.toggle_save,
            aria_pressed=rx.cond(S.saved, "true", "false"),
            variant=rx.cond(S.saved, "solid", "soft"),
        ),
        share_menu(),
        rx.cond(S.rec["is_author"].to(str) == "", report_dialog()),
        rx.text(Live.views.to(str), " views", size="2", color_scheme="gray"),
        wrap="wrap",
        align="center",
        spacing="3",
    )
