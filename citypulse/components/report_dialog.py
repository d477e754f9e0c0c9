"""The "Report" dialogs for recommendations, reviews, profiles and /buddies (§4.13.1)."""

from collections.abc import Sequence

import reflex as rx
from reflex.vars import Var

from citypulse.components.buttons import link_button
from citypulse.state.moderation.reports import PROFILE_REPORT_REASONS
from citypulse.state.session import SessionState
from citypulse.state.social.buddies import BuddiesState


def _report_trigger(login_href: Var[str]) -> rx.Component:
    """Visitors are asked to sign in before the form (and come back to this page)."""
    return rx.cond(
        SessionState.signed_in,
        rx.dialog.trigger(
            rx.button(rx.icon("flag"), "Report", variant="ghost", color_scheme="red")
        ),
        link_button("Report", login_href, variant="ghost", color_scheme="red"),
    )


def report_dialog(
    title: str | Var[str],
    reasons: Sequence[str],
    *,
    on_submit,
    on_open_change,
    is_open: Var[bool],
    error: Var[str],
    login_href: Var[str],
    field_prefix: str,
    with_trigger: bool = True,
) -> rx.Component:
    """A labelled reason select and description; the reasons come from the service.

    The dialog is controlled by the page state: sending closes it (the thanks is a
    toast), so a sent report never leaves an active "Send report" behind. Without its
    own trigger, the page opens it (one dialog for the rows of a list).
    """
    reason_id, description_id = f"{field_prefix}-reason", f"{field_prefix}-description"
    return rx.dialog.root(
        _report_trigger(login_href) if with_trigger else rx.fragment(),
        rx.dialog.content(
            rx.dialog.title(title),
            rx.form(
                rx.vstack(
                    rx.el.label("Reason", html_for=reason_id),
                    rx.el.select(
                        *[rx.el.option(r.capitalize(), value=r) for r in reasons],
                        id=reason_id,
                        name="reason",
                    ),
                    rx.el.label("Description (required for Other)", html_for=description_id),
                    rx.text_area(id=description_id, name="description", max_length=1000),
                    rx.cond(error != "", rx.text(error, color_scheme="red", role="alert")),
                    rx.hstack(
                        rx.dialog.close(rx.button("Close", variant="soft", type="button")),
                        rx.button("Send report", type="submit", color_scheme="red"),
                    ),
                    align="stretch",
                ),
                on_submit=on_submit,
            ),
        ),
        open=is_open,
        on_open_change=on_open_change,
    )


def user_report_dialog() -> rx.Component:
    """/buddies: one "Report user" dialog, opened by the rows' Report buttons."""
    return report_dialog(
        "Report @" + BuddiesState.report_name,
        PROFILE_REPORT_REASONS,
        on_submit=BuddiesState.report,
        on_open_change=BuddiesState.set_report_open,
        is_open=BuddiesState.report_open,
        error=BuddiesState.report_error,
        login_href="/login?next=%2Fbuddies",
        field_prefix="user-report",
        with_trigger=False,
    )


def user_report_button(row: rx.Var) -> rx.Component:
    """A row's "Report" button (the dialog is `user_report_dialog`)."""
    return rx.button(
        rx.icon("flag", size=14), "Report", variant="ghost", color_scheme="red",
        on_click=BuddiesState.open_report(row.user_id.to_string(), row.username),
        aria_label="Report @" + row.username,
    )  # fmt: skip
