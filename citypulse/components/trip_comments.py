"""The Comments tab of /trips/[id]: newest first, post / edit ("edited") / delete, comments
of blocked users collapsed as hidden (§4.6.9). Updates live (§6.3)."""

from __future__ import annotations

import reflex as rx

from citypulse.components.buddies import confirm_dialog
from citypulse.components.forms import field_error
from citypulse.components.moment import moment
from citypulse.components.removal_banner import removal_appeal
from citypulse.components.trip_companions import trip_watcher
from citypulse.state.trips.comments import TripCommentsState as S

BODY_MAX = 1000
NEW_FIELD = "trip-comment-body"


def _edit_form(row: rx.Var) -> rx.Component:
    field_id = "trip-comment-edit-" + row.id.to_string()
    return rx.form(
        rx.el.input(type="hidden", name="comment_id", value=row.id),
        rx.el.label("Edit your comment", html_for=field_id, font_weight="500",
                    font_size="var(--font-size-2)"),
        rx.text_area(id=field_id, name="body", default_value=row.body, max_length=BODY_MAX,
                     rows="3", aria_describedby=field_id + "-error"),
        rx.cond(S.edit_error != "", rx.text(S.edit_error, id=field_id + "-error",
                                            color_scheme="red", size="2", role="alert")),
        rx.hstack(
            rx.button("Save", type="submit", size="2"),
            rx.button("Cancel", type="button", size="2", variant="soft", color_scheme="gray",
                      on_click=S.cancel_edit),
            spacing="2", margin_top="var(--space-2)",
        ),
        on_submit=S.save_edit,
        reset_on_submit=False,
    )  # fmt: skip


def _shown(row: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.link(row.author_name, href=row.href, weight="medium"),
            rx.text("@", row.author_username, size="2", color_scheme="gray"),
            rx.text(moment(row.at_iso, row.at_text), size="1", color_scheme="gray"),
            rx.cond(row.edited, rx.badge("edited", variant="soft", color_scheme="gray")),
            spacing="2", align="center", wrap="wrap",
        ),
        rx.cond(
            row.removed,
            rx.callout(
                "Removed by moderation. Reason: " + row.removed_reason
                + " Only its author and moderators can see it.",
                color_scheme="red", size="1",
            ),
        ),
        rx.cond(
            row.removed,  # the author's part only: a moderator's row has none of it
            removal_appeal(
                row, "comment-appeal-" + row.id.to_string(),
                rx.cond(S.appeal_id == row.id, S.appeal_error, ""), S.appeal_removal,
                rx.el.input(type="hidden", name="comment_id", value=row.id),
            ),
        ),
        rx.cond(
            S.editing_id == row.id,
            _edit_form(row),
            rx.text(row.body, as_="p", white_space="pre-wrap", unicode_bidi="isolate"),
        ),
        rx.hstack(
            rx.cond(
                row.can_edit & (S.editing_id != row.id),
                rx.button("Edit", size="1", variant="ghost", aria_label="Edit your comment",
                          on_click=S.start_edit(row.id)),
            ),
            rx.cond(
                row.can_delete,
                confirm_dialog(
                    rx.button("Delete", size="1", variant="ghost", color_scheme="red",
                              aria_label="Delete the comment by " + row.author_name),
                    "Delete this comment?", "It will be removed for everyone.", "Delete",
                    S.delete(row.id),
                ),
            ),
            spacing="3",
        ),
        spacing="1", align="stretch",
    )  # fmt: skip


def _comment(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.cond(
            row.hidden,
            rx.text("Comment hidden (you blocked this user, or they blocked you)", size="2",
                    color_scheme="gray", font_style="italic"),
            _shown(row),
        ),
        key=row.id,
        padding_y="var(--space-3)",
        border_bottom="1px solid var(--gray-5)",
    )  # fmt: skip


def _new_comment() -> rx.Component:
    return rx.cond(
        S.can_post,
        rx.form(
            rx.vstack(
                rx.el.label("Add a comment", html_for=NEW_FIELD, font_weight="500",
                            font_size="var(--font-size-2)"),
                rx.text_area(id=NEW_FIELD, name="body", max_length=BODY_MAX, rows="3",
                             aria_describedby=f"{NEW_FIELD}-error"),
                field_error(S.body_error, NEW_FIELD),
                rx.button("Post comment", type="submit"),
                spacing="2", align="start", width="100%",
            ),
            key=S.draft_key.to_string(),
            on_submit=S.post,
            reset_on_submit=False,
            aria_label="New comment",
        ),
        rx.text("Only the trip's members can comment.", size="2", color_scheme="gray"),
    )  # fmt: skip


def trip_comments() -> rx.Component:
    """The Comments tab's content; mount it inside the trip page's tab panel."""
    return rx.box(
        trip_watcher(S.catch_up),
        rx.heading("Comments", as_="h2", size="5", margin_bottom="var(--space-2)"),
        rx.cond(
            S.loaded,
            rx.vstack(
                _new_comment(),
                rx.cond(S.error != "", rx.callout(S.error, icon="triangle_alert",
                                                  color_scheme="red", role="alert")),
                rx.cond(
                    S.rows.length() > 0,
                    rx.el.ul(rx.foreach(S.rows, _comment), aria_label="Comments",
                             list_style="none", padding="0", margin="0"),
                    rx.text("No comments yet.", size="2", color_scheme="gray"),
                ),
                rx.cond(S.has_more, rx.button("Show older comments", variant="soft",
                                              on_click=S.show_older)),
                spacing="4", align="stretch",
            ),
            rx.text("Loading comments…", role="status"),
        ),
        on_mount=S.load,
        on_unmount=S.leave_page,
    )  # fmt: skip
