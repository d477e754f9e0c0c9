"""Links that look like buttons (one focusable <a>, never a button nested in a link)."""

import reflex as rx


def link_button(label: str, href, **props) -> rx.Component:
    """A navigation link styled as a Radix button."""
    return rx.button(rx.link(label, href=href, underline="none"), as_child=True, **props)
