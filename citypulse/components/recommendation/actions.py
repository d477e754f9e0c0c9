"""Like, save, share and report controls of the detail page (live counters)."""

import reflex as rx

from citypulse.components.counts import count_text
from citypulse.components.recommendation.live import live_count
from citypulse.components.recommendation.rating import SIGN_IN_HERE
from citypulse.components.report_dialog import report_dialog
from citypulse.components.trip_add import add_to_trip_button
from citypulse.state.moderation.reports import RECOMMENDATION_REPORT_REASONS
from citypulse.state.recommendations.detail import RecommendationDetailState as S
from citypulse.state.session import SessionState

FACEBOOK_SHARE = "https://www.facebook.com/sharer/sharer.php?u="


def _share_link(label: str, platform: str, href: rx.Var) -> rx.Component:
    return rx.menu.item(
        rx.link(label, href=href, is_external=True, underline="none", color="inherit"),
        on_select=S.share(platform),
    )


def share_menu() -> rx.Component:
    url = S.rec.share_url
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.icon("share-2"),
                "Share",
                rx.text(live_count("shares").to(str), aria_label="shares"),
                variant="soft",
            )
        ),
        rx.menu.content(
            rx.menu.item("Copy link", on_select=[rx.set_clipboard(url), S.share("copy_link")]),
            _share_link("X", "twitter", "https://x.com/intent/post?url=" + url),
            _share_link("Facebook", "facebook", FACEBOOK_SHARE + url),
            _share_link("WhatsApp", "whatsapp", "https://wa.me/?text=" + url),
            _share_link("Email", "email", "mailto:?subject=CityPulse&body=" + url),
        ),
    )  # fmt: skip


def recommendation_report() -> rx.Component:
    return report_dialog(
        "Report this recommendation",
        RECOMMENDATION_REPORT_REASONS,
        on_submit=S.report,
        on_open_change=S.set_report_open,
        is_open=S.report_open,
        error=S.report_error,
        login_href=SIGN_IN_HERE,
        field_prefix="report",
    )


def interaction_bar() -> rx.Component:
    """Live counters plus the buttons the viewer may use."""
    return rx.hstack(
        rx.button(
            rx.icon("heart"),
            rx.cond(S.liked, "Liked", "Like"),
            rx.text(live_count("likes").to(str), aria_label="likes"),
            on_click=S.toggle_like,
            aria_pressed=rx.cond(S.liked, "true", "false"),
            variant=rx.cond(S.liked, "solid", "soft"),
            disabled=S.rec.is_author,
        ),
        rx.button(
            rx.icon("bookmark"),
            rx.cond(S.saved, "Saved", "Save"),
            rx.text(live_count("saves").to(str), aria_label="saves"),
            on_click=S.toggle_save,
            aria_pressed=rx.cond(S.saved, "true", "false"),
            variant=rx.cond(S.saved, "solid", "soft"),
        ),
        share_menu(),
        rx.cond(SessionState.signed_in, add_to_trip_button()),
        rx.cond(~S.rec.is_author, recommendation_report()),
        rx.text(count_text(live_count("views"), "view", "views"), size="2", color_scheme="gray"),
        wrap="wrap",
        align="center",
        spacing="3",
    )
