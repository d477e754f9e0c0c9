"""`/recommendations/[id]` (P if visible): photos, details, live counters, ratings."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.counts import rating_text
from citypulse.components.layout import page_layout
from citypulse.components.recommendation.actions import interaction_bar
from citypulse.components.recommendation.carousel import carousel
from citypulse.components.recommendation.live import catch_up_hook, leave_hook, live_count
from citypulse.components.recommendation.rating import ratings_section
from citypulse.components.removal_banner import removal_banner
from citypulse.pages.not_found import not_found_page
from citypulse.pages.registry import page
from citypulse.state.recommendations.detail import RecommendationDetailState as S
from citypulse.state.session import SessionState


def _fact(label: str, value: rx.Var) -> rx.Component:
    return rx.cond(
        value.to(str) != "",
        rx.vstack(rx.text(label, size="1", color_scheme="gray"), rx.text(value), spacing="0"),
    )


def sidebar() -> rx.Component:
    return rx.card(
        rx.vstack(
            _fact("Price", S.rec.price),
            rx.vstack(
                rx.text("Average rating", size="1", color_scheme="gray"),
                rx.text(rating_text(live_count("rating_label"), live_count("ratings_count"))),
                spacing="0",
            ),
            _fact("Best time", S.rec.best_time),
            _fact("Best months", S.rec.best_months),
            _fact("Duration", S.rec.duration),
            _fact("Difficulty", S.rec.difficulty),
            _fact("Address", S.rec.address),
            _fact("Coordinates", S.rec.coordinates),
            rx.cond(
                S.rec.map_url != "",
                rx.link("Open in OpenStreetMap", href=S.rec.map_url, is_external=True),
            ),
            # Nearby search (§4.10 "near"): its coordinates, else its city's.
            rx.cond(
                SessionState.signed_in,
                rx.link("Places near this one", href="/search?near=" + S.rec.id.to(str)),
            ),
            spacing="3",
        ),
        min_width="16rem",
    )


def author_tools() -> rx.Component:
    return rx.cond(
        S.rec.is_author,
        rx.hstack(
            rx.badge(S.rec.visibility, variant="soft"),
            rx.link("Edit", href="/recommendations/" + S.rec.id.to(str) + "/edit"),
            rx.alert_dialog.root(
                rx.alert_dialog.trigger(rx.button("Delete", color_scheme="red", variant="soft")),
                rx.alert_dialog.content(
                    rx.alert_dialog.title("Delete this recommendation?"),
                    rx.alert_dialog.description("This cannot be undone"),
                    rx.hstack(
                        rx.alert_dialog.cancel(rx.button("Cancel", variant="soft")),
                        rx.alert_dialog.action(
                            rx.button("Delete", color_scheme="red", on_click=S.delete)
                        ),
                    ),
                ),
            ),
            spacing="3",
            align="center",
        ),
    )


def author_card() -> rx.Component:
    name, username = S.rec.author_name, S.rec.author_username
    return rx.card(
        rx.hstack(
            rx.avatar(src=S.rec.author_avatar, fallback="★", alt="Avatar of " + name),
            rx.vstack(
                rx.text("Created by", size="1", color_scheme="gray"),
                rx.link(name, href="/profile/" + username),
                spacing="0",
            ),
        ),
    )


def details() -> rx.Component:
    return rx.vstack(
        removal_banner(S.removal, field_id="removal-appeal", error=S.appeal_error,
                       on_appeal=S.appeal_removal),
        page_heading(S.rec.title),
        rx.hstack(
            # A place without a city has no city page to link to (an empty link is unnamed).
            rx.cond(S.rec.city != "", rx.link(S.rec.city, href=S.rec.city_link)),
            rx.badge(S.rec.category),
            author_tools(),
            wrap="wrap",
            align="center",
        ),
        rx.cond(S.message != "", rx.callout(S.message, role="status", color_scheme="green")),
        rx.cond(S.error != "", rx.callout(S.error, role="alert", color_scheme="red")),
        # A moderator reading removed content gets no buttons the services would refuse.
        rx.cond(S.removal.shown & ~S.rec.is_author, rx.fragment(), interaction_bar()),
        rx.flex(
            rx.vstack(
                carousel(),
                rx.text(S.rec.description, white_space="pre-wrap", unicode_bidi="isolate"),
                rx.hstack(
                    rx.foreach(S.tags, lambda tag: rx.link("#" + tag, href="/search?q=%23" + tag)),
                    wrap="wrap",
                ),
                flex="1",
                min_width="0",
            ),
            sidebar(),
            gap="var(--space-5)",
            direction=rx.breakpoints(initial="column", md="row"),
            width="100%",
        ),
        author_card(),
        ratings_section(),
        catch_up_hook(),
        align="stretch",
        spacing="4",
        width="100%",
    )  # fmt: skip


@page(
    route="/recommendations/[id]",
    title="Recommendation",
    access="P",
    on_load=(S.load,),
    live_title=S.page_title,
)
def recommendation_detail_page() -> rx.Component:
    """The page, or the 404 content when the recommendation is hidden from this viewer."""
    return rx.cond(
        S.found,
        page_layout(
            rx.cond(S.loaded, details(), rx.spinner(aria_label="Loading")),
            leave_hook(),
        ),
        not_found_page(),
    )
