"""The rating form and the live ratings list of the detail page."""

import reflex as rx

from citypulse.components.counts import count_text
from citypulse.components.moment import moment
from citypulse.components.recommendation.live import live_count
from citypulse.components.removal_banner import removal_banner
from citypulse.components.report_dialog import report_dialog
from citypulse.state.moderation.reports import REVIEW_REPORT_REASONS
from citypulse.state.recommendations.detail import RecommendationDetailState as S
from citypulse.state.recommendations.views import RatingRow
from citypulse.state.session import SessionState

# Visitors sign in first and come back to this recommendation (rating, reporting).
SIGN_IN_HERE = "/login?next=%2Frecommendations%2F" + S.rec.id.to(str)
REVIEW_REMOVED = "Your review was removed by moderation"


def rating_form() -> rx.Component:
    """Stars + review for others; a note for the author; a sign-in prompt for visitors."""
    return rx.cond(
        ~SessionState.signed_in,
        rx.text(rx.link("Log in to rate", href=SIGN_IN_HERE), " this place."),
        rx.cond(
            S.rec.is_author,
            rx.text("You cannot rate your own recommendation", color_scheme="gray"),
            # A moderator reading a removed place gets no form the service would refuse.
            rx.cond(S.removal.shown, rx.fragment(), rx.vstack(
                # The viewer's own review, removed by a moderator: the reason and the appeal.
                removal_banner(
                    S.review_removal, field_id="review-appeal", error=S.review_appeal_error,
                    on_appeal=S.appeal_review_removal, title=REVIEW_REMOVED,
                ),
                rx.form(
                    rx.vstack(
                        rx.el.fieldset(
                            rx.el.legend("Your rating"),
                            rx.radio_group.root(
                                rx.hstack(
                                    *[
                                        rx.el.label(rx.radio_group.item(value=str(n)), f"{n} ★",
                                                    display="flex", gap="var(--space-1)")
                                        for n in range(1, 6)
                                    ],
                                    spacing="3",
                                ),
                                name="rating",
                                # A string: Radix compares it with the items' "1".."5".
                                default_value=S.my_rating.to_string(),
                                key=S.my_rating.to_string(),
                                aria_label="Your rating",
                            ),
                            border="none",
                            padding="0",
                        ),
                        rx.el.label("Review (optional)", html_for="rating-review"),
                        rx.text_area(id="rating-review", name="review", max_length=1000,
                                     default_value=S.my_review, key=S.my_review),
                        rx.cond(S.rating_error != "",
                                rx.text(S.rating_error, color_scheme="red", role="alert")),
                        rx.hstack(
                            rx.button("Submit rating", type="submit"),
                            rx.button("Cancel", type="reset", variant="soft"),
                            rx.cond(S.my_rating > 0,
                                    rx.button("Delete my rating", type="button", variant="ghost",
                                              color_scheme="red", on_click=S.delete_rating)),
                        ),
                        align="stretch",
                    ),
                    on_submit=S.submit_rating,
                ), align="stretch", spacing="4")),
        ),
    )  # fmt: skip


def _rating_row(item: rx.Var[RatingRow]) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.link(item.name, href="/profile/" + item.username),
            rx.text(item.stars, aria_label=item.rating.to(str) + " out of 5"),
            rx.text(moment(item.when_iso, item.when), size="1", color_scheme="gray"),
            rx.cond(
                SessionState.signed_in & ~item.is_own & (item.review != ""),
                rx.button(
                    rx.icon("flag", size=14), "Report review", size="1", variant="ghost",
                    color_scheme="red", on_click=S.open_review_report(item.rating_id.to_string()),
                    aria_label="Report the review by " + item.name,
                ),
            ),
            spacing="3",
            align="center",
        ),
        rx.cond(item.review_removed,
                rx.text("Review removed by a moderator", size="2", color_scheme="gray"),
                rx.text(item.review, size="2", unicode_bidi="isolate")),
        padding_y="var(--space-2)",
        border_bottom="1px solid var(--gray-a4)",
    )  # fmt: skip


def ratings_section() -> rx.Component:
    return rx.el.section(
        rx.heading("Ratings", as_="h2", size="5"),
        rx.text(
            rx.cond(
                live_count("ratings_count") == 0,
                "No ratings yet",
                "Average "
                + live_count("rating_label").to(str)
                + " from "
                + count_text(live_count("ratings_count"), "rating", "ratings"),
            ),
            aria_live="polite",
        ),
        rating_form(),
        report_dialog(
            "Report this review",
            REVIEW_REPORT_REASONS,
            on_submit=S.report_review,
            on_open_change=S.set_review_report_open,
            is_open=S.review_report_open,
            error=S.review_report_error,
            login_href=SIGN_IN_HERE,
            field_prefix="review-report",
            with_trigger=False,
        ),
        rx.cond(
            S.ratings.length() > 0,
            rx.vstack(rx.foreach(S.ratings, _rating_row), align="stretch", spacing="0"),
            rx.text("No ratings yet."),
        ),
        margin_top="var(--space-6)",
    )
