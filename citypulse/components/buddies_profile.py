"""The buddy and block buttons on someone else's profile (§2.2 profile, §4.5).

Add buddy → Request sent (Cancel) → Respond (Accept / Decline) → Buddies ✓ (Remove);
Block / Unblock, each with a confirmation. "Add buddy" is shown disabled, with the reason,
when the service would refuse it (requests off, the 7-day cool-down, ...).
"""

from __future__ import annotations

import reflex as rx

from citypulse.components.buddies import (
    buddies_watcher,
    confirm_dialog,
    message_dialog,
    request_message,
)
from citypulse.state.profiles.profile import ProfileState
from citypulse.state.social.profile_buddy import ProfileBuddyState as S

NAME = "@" + ProfileState.person.username
REFUSAL_ID = "buddy-refusal"
# Until `load_buddy` has run for this profile, the previous profile's buttons hide.
BUTTONS_SHOWN = (S.buddy.state != "") & (S.buddy.username == ProfileState.person.username)


def _add_buddy() -> rx.Component:
    return rx.cond(
        S.buddy.can_request,
        message_dialog(
            rx.button(rx.icon("user-plus", aria_hidden="true"), "Add buddy"),
            title="Send " + NAME + " a buddy request",
            description="Add a short message if you like.",
            submit_label="Send request",
            on_submit=S.add_buddy,
            error=S.buddy_error,
            field_id="profile-request-message",
        ),
        rx.vstack(
            rx.button(rx.icon("user-plus", aria_hidden="true"), "Add buddy", disabled=True,
                      aria_describedby=REFUSAL_ID),
            rx.text(S.buddy.refusal, id=REFUSAL_ID, size="2", color_scheme="gray"),
            spacing="1",
            align="start",
        ),
    )  # fmt: skip


def _sent() -> rx.Component:
    return rx.hstack(
        rx.badge("Request sent", size="2", variant="soft"),
        rx.button("Cancel request", variant="soft", color_scheme="gray",
                  on_click=S.cancel_request),
        spacing="2",
        align="center",
    )  # fmt: skip


def _received() -> rx.Component:
    return rx.vstack(
        rx.text(NAME, " sent you a buddy request", size="2", weight="medium"),
        request_message(S.buddy.message),
        rx.hstack(
            rx.button("Accept", on_click=S.accept_request,
                      aria_label="Accept " + NAME + "'s request"),
            message_dialog(
                rx.button("Decline", variant="soft", color_scheme="gray",
                          aria_label="Decline " + NAME + "'s request"),
                title="Decline " + NAME + "'s request?",
                description="They can ask again after 7 days.",
                submit_label="Decline request",
                on_submit=S.decline_request,
                error=S.buddy_error,
                field_id="profile-decline-message",
            ),
            spacing="2",
        ),
        spacing="1",
        align="start",
    )  # fmt: skip


def _buddies() -> rx.Component:
    return rx.hstack(
        rx.badge("Buddies ✓", size="2", color_scheme="green", variant="soft"),
        confirm_dialog(
            rx.button("Remove buddy", variant="soft", color_scheme="red"),
            "Remove " + NAME + " from your buddies?",
            "You will no longer be buddies. They are not notified.",
            "Remove buddy",
            S.remove_buddy,
        ),
        spacing="2",
        align="center",
    )


def _block() -> rx.Component:
    return confirm_dialog(
        rx.button(rx.icon("ban", aria_hidden="true"), "Block", variant="ghost",
                  color_scheme="gray"),
        "Block " + NAME + "?",
        "You will no longer see each other's profiles or content, your buddy connection and "
        "requests are removed, and neither of you can send requests.",
        "Block",
        S.block,
    )  # fmt: skip


def _blocked() -> rx.Component:
    return rx.hstack(
        rx.text("You blocked ", NAME, ".", size="2"),
        confirm_dialog(
            rx.button("Unblock", variant="soft"),
            "Unblock " + NAME + "?",
            "You will see each other again. You will not be buddies again.",
            "Unblock",
            S.unblock,
        ),
        spacing="2",
        align="center",
    )


def buddy_actions() -> rx.Component:
    """The buttons for a signed-in visitor of someone else's profile (nothing otherwise)."""
    return rx.cond(
        BUTTONS_SHOWN,
        rx.vstack(
            buddies_watcher(S.buddies_changed),
            rx.hstack(
                rx.match(
                    S.buddy.state,
                    ("sent", _sent()),
                    ("received", _received()),
                    ("buddies", _buddies()),
                    ("blocked_by_me", _blocked()),
                    _add_buddy(),
                ),
                rx.cond(S.buddy.state != "blocked_by_me", _block()),
                spacing="3",
                align="start",
                wrap="wrap",
            ),
            rx.cond(S.buddy_error != "", rx.text(S.buddy_error, color_scheme="red", size="2",
                                                 role="alert")),
            rx.cond(S.buddy_notice != "", rx.text(S.buddy_notice, size="2", role="status")),
            spacing="2",
            align="start",
        ),
    )  # fmt: skip
