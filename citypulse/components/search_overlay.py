"""The header search overlay: an ARIA combobox with a listbox of suggestions.

Opened by its header button or Ctrl/Cmd+K (assets/search-shortcut.js clicks the button).
Focus stays in the input; the active option is announced through
`aria-activedescendant`.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.event import EventChain
from reflex_base.vars.function import ArgsFunctionOperation

from citypulse.state.search.overlay import NAVIGATION_KEYS
from citypulse.state.search.overlay import SearchOverlayState as S

TRIGGER_ID = "search-overlay-trigger"
LISTBOX_ID = "search-overlay-listbox"
KIND_ICONS = {"recent": "history", "place": "map-pin", "city": "building-2",
              "person": "user", "tag": "hash"}  # fmt: skip


def _navigation_keys_to_server() -> rx.Var:
    """The input's keydown handler: only the keys `S.key` acts on become server events.

    Every other key (each letter typed) was an event of its own: a round trip through the
    state and a delta, and Reflex sends a tab's events one at a time, so the debounced
    `typed` event waited behind the word's letters (bench.search_keystroke, issue 11)."""
    key = rx.Var("key", _var_type=str)
    send = rx.Var.create(EventChain.create(S.key(key), args_spec=lambda: (), key="on_key_down"))
    keys = rx.Var.create(list(NAVIGATION_KEYS))
    body = rx.Var(f"({keys}.includes(key) ? ({send})() : undefined)",
                  _var_data=send._get_all_var_data())  # fmt: skip
    return ArgsFunctionOperation.create(("key",), body)


def _option(label: rx.Var, detail: rx.Var, kind: rx.Var, index: rx.Var) -> rx.Component:
    active = S.active == index
    return rx.el.li(
        rx.hstack(
            rx.match(kind, *[(key, rx.icon(icon, size=16, aria_hidden="true"))
                             for key, icon in KIND_ICONS.items()],
                     rx.icon("search", size=16, aria_hidden="true")),
            rx.text(label, weight="medium"),
            rx.text(detail, size="1", color_scheme="gray"),
            spacing="2",
            align="center",
        ),
        id="search-option-" + index.to(str),
        role="option",
        aria_selected=rx.cond(active, "true", "false"),
        on_click=S.pick(index),
        on_mouse_down=rx.prevent_default,
        padding="var(--space-2)",
        border_radius="var(--radius-2)",
        background=rx.cond(active, "var(--accent-a4)", "transparent"),
        cursor="pointer",
    )  # fmt: skip


def _listbox() -> rx.Component:
    return rx.el.ul(
        rx.cond(
            S.showing_recent,
            rx.foreach(S.recent, lambda item, i: _option(item.label, "Recent search",
                                                        "recent", i)),
            rx.foreach(S.items, lambda item, i: _option(item.label, item.detail, item.kind, i)),
        ),
        id=LISTBOX_ID,
        role="listbox",
        aria_label=rx.cond(S.showing_recent, "Recent searches", "Suggestions"),
        list_style="none",
        padding="0",
        margin="0",
    )  # fmt: skip


def search_overlay() -> rx.Component:
    """The trigger button and the dialog (for signed-in viewers; /search is A)."""
    trigger = rx.button(
        rx.icon("search", size=16, aria_hidden="true"),
        rx.text("Search", display=["none", "none", "inline"]),
        rx.el.kbd("Ctrl K", aria_hidden="true", display=["none", "none", "inline"],
                  font_size="var(--font-size-1)"),
        id=TRIGGER_ID,
        variant="soft",
        color_scheme="gray",
        aria_label="Open search (Ctrl+K)",
        aria_haspopup="dialog",
        aria_keyshortcuts="Control+K Meta+K",
        on_click=S.open_overlay,
        type="button",
    )  # fmt: skip
    # The button opens the controlled dialog itself (a Radix trigger would wrap it in a
    # div carrying aria-expanded, which axe refuses).
    dialog = rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Search CityPulse", size="4"),
            rx.dialog.description(
                "Type at least 2 characters. Use the arrow keys and Enter to open a "
                "suggestion, Escape to close.",
                size="1",
                color_scheme="gray",
            ),
            rx.form(
                rx.input(
                    name="q",
                    value=S.text,
                    on_change=S.typed,
                    debounce_timeout=250,
                    on_key_down=_navigation_keys_to_server(),
                    type="search",
                    placeholder="Search places, people, cities",
                    max_length=200,
                    auto_focus=True,
                    auto_complete="off",
                    role="combobox",
                    aria_label="Search",
                    aria_expanded=rx.cond(S.open, "true", "false"),
                    aria_controls=LISTBOX_ID,
                    aria_autocomplete="list",
                    aria_activedescendant=S.active_id,
                    size="3",
                ),
                on_submit=S.go,
                reset_on_submit=False,
                role="search",
                margin_y="var(--space-3)",
            ),
            rx.cond(S.error != "", rx.text(S.error, color_scheme="red", size="2", role="alert")),
            _listbox(),
            rx.cond(
                S.showing_recent & (S.recent.length() > 0),
                rx.button(
                    "Clear history",
                    on_click=S.clear_history,
                    variant="ghost",
                    size="1",
                    type="button",
                    margin_top="var(--space-2)",
                ),
            ),
            rx.cond(
                S.showing_recent & (S.recent.length() == 0),
                rx.text("No recent searches.", size="2", color_scheme="gray"),
            ),
            rx.el.p(
                rx.cond(S.items.length() > 0, S.items.length().to(str) + " suggestions", ""),
                aria_live="polite",
                class_name="visually-hidden",
                position="absolute",
                width="1px",
                height="1px",
                overflow="hidden",
            ),
            max_width="36rem",
        ),
        open=S.open,
        on_open_change=S.set_open,
    )
    return rx.fragment(trigger, dialog)
