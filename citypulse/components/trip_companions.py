"""The Companions tab of /trips/[id]: members, invitations, join requests and the viewer's
own invitation, request or membership (§2.2, §4.6.5). Updates live (§6.3)."""

from __future__ import annotations

import reflex as rx

from citypulse.components.buddies import (
    confirm_dialog,
    message_dialog,
    person_list,
    person_summary,
    request_message,
    row_layout,
)
from citypulse.components.forms import field_error
from citypulse.state.trips.companions import TripCompanionsState as S
from citypulse.state.trips.live import TripLive

INVITE_FIELD = "trip-invite-username"


def trip_watcher(on_change: rx.EventHandler) -> rx.Component:
    """Runs `on_change` whenever the trip's channel moves (§6.3): the key re-mounts the box;
    the handler compares its part's epoch with the one it shows (first mount: nothing)."""
    return rx.fragment(
        rx.box(on_mount=on_change, display="none", aria_hidden="true"),
        key=TripLive.pull_serial.to_string(),  # companions and comments: never itinerary
    )


def _badge(row: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.badge(row.role_label, color_scheme="gray", variant="soft"),
        rx.cond(row.status_label != "", rx.badge(row.status_label, variant="outline")),
        spacing="1",
    )


def _actions(row: rx.Var) -> rx.Component:
    return rx.fragment(
        rx.cond(
            row.can_answer,
            rx.hstack(
                rx.button("Accept", size="2", aria_label="Accept @" + row.username + "'s request",
                          on_click=S.accept_request(row.user_id)),
                rx.button("Decline", size="2", variant="soft", color_scheme="gray",
                          aria_label="Decline @" + row.username + "'s request",
                          on_click=S.decline_request(row.user_id)),
                spacing="2",
            ),
        ),
        rx.cond(
            row.can_change_role,
            rx.button(row.role_button, size="2", variant="soft",
                      aria_label=row.role_button + ": @" + row.username,
                      on_click=S.set_role(row.user_id, row.next_role)),
        ),
        rx.cond(
            row.can_remove,
            confirm_dialog(
                rx.button(row.remove_label, size="2", variant="soft", color_scheme="red",
                          aria_label=row.remove_label + ": @" + row.username),
                row.remove_label + "?",
                row.full_name + " will no longer be on this trip.",
                row.remove_label,
                S.remove(row.user_id),
            ),
        ),
    )  # fmt: skip


def _row(row: rx.Var) -> rx.Component:
    return row_layout(person_summary(row, _badge(row), request_message(row.message)), _actions(row))


def _invite_form() -> rx.Component:
    return rx.cond(
        S.can_invite,
        rx.form(
            rx.vstack(
                rx.heading("Invite a companion", as_="h3", size="3"),
                rx.text(S.invite_note, size="2", color_scheme="gray"),
                rx.el.label("Username", html_for=INVITE_FIELD, font_weight="500",
                            font_size="var(--font-size-2)"),
                rx.hstack(
                    rx.input(id=INVITE_FIELD, name="username", max_length=100,
                             aria_describedby=f"{INVITE_FIELD}-error", placeholder="@username",
                             on_change=S.search_people),
                    rx.button("Invite", type="submit"),
                    spacing="2",
                    width="100%",
                ),
                field_error(S.invite_error, INVITE_FIELD),
                rx.el.label("Message (optional)", html_for="trip-invite-message",
                            font_weight="500", font_size="var(--font-size-2)"),
                rx.text_area(id="trip-invite-message", name="message", max_length=300, rows="2"),
                rx.cond(
                    S.candidates.length() > 0,
                    rx.el.ul(
                        rx.foreach(S.candidates, lambda c: rx.el.li(
                            rx.hstack(
                                rx.text(c.full_name, " (@", c.username, ")", size="2"),
                                rx.button("Invite", size="1", variant="soft", type="button",
                                          aria_label="Invite @" + c.username,
                                          on_click=S.invite_user(c.user_id)),
                                justify="between", width="100%",
                            ),
                            key=c.user_id,
                        )),
                        aria_label="People you can invite",
                        list_style="none", padding="0", margin="0", width="100%",
                    ),
                ),
                spacing="2",
                align="stretch",
            ),
            on_submit=S.invite,
            reset_on_submit=True,
            aria_label="Invite a companion",
        ),
        rx.cond(S.invite_note != "", rx.text(S.invite_note, size="2", color_scheme="gray")),
    )  # fmt: skip


def _own_standing() -> rx.Component:
    """The viewer's invitation, request, membership, or the Request to join button."""
    return rx.fragment(
        rx.cond(
            S.my_status == "invited",
            rx.callout(
                rx.hstack(
                    rx.text("You are invited to this trip."),
                    rx.button("Accept invitation", size="2", on_click=S.accept_invite),
                    rx.button("Decline invitation", size="2", variant="soft",
                              color_scheme="gray", on_click=S.decline_invite),
                    spacing="3", align="center", wrap="wrap",
                ),
                icon="mail",
            ),
        ),
        rx.cond(
            S.my_status == "requested",
            rx.hstack(
                rx.text("Your request to join is pending.", size="2"),
                rx.button("Cancel request", size="2", variant="soft", color_scheme="gray",
                          on_click=S.cancel_request),
                spacing="3", align="center",
            ),
        ),
        rx.cond(
            S.can_request,
            message_dialog(
                rx.button("Request to join"),
                title="Request to join",
                description="The owner and organizers will see your request.",
                submit_label="Send request",
                on_submit=S.request_join,
                error=S.error,
                field_id="trip-join-message",
            ),
        ),
        rx.cond(
            S.can_leave,
            confirm_dialog(
                rx.button("Leave trip", variant="soft", color_scheme="red"),
                "Leave this trip?",
                "You will no longer be a member; the owner can invite you again.",
                "Leave trip",
                S.leave,
            ),
        ),
    )  # fmt: skip


def trip_companions() -> rx.Component:
    """The Companions tab's content; mount it inside the trip page's tab panel."""
    return rx.box(
        trip_watcher(S.catch_up),
        rx.heading("Companions", as_="h2", size="5", margin_bottom="var(--space-2)"),
        rx.cond(
            S.loaded,
            rx.vstack(
                rx.text(S.members, " members · ", S.seats_taken, " of ", S.max_members,
                        " places taken or offered", size="2", color_scheme="gray"),
                rx.cond(S.notice != "", rx.callout(S.notice, icon="check", role="status")),
                rx.cond(S.error != "", rx.callout(S.error, icon="triangle_alert",
                                                  color_scheme="red", role="alert")),
                _own_standing(),
                person_list(S.rows, _row, label="Companions"),
                _invite_form(),
                spacing="4",
                align="stretch",
            ),
            rx.text("Loading companions…", role="status"),
        ),
        on_mount=S.load,
        on_unmount=S.leave_page,
    )  # fmt: skip
