"""Placeholder until the content helper writes it."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.pages.registry import page


@page(route="/privacy", title="Privacy", access="P")
def privacy_page() -> rx.Component:
    return page_layout(page_heading("Privacy"))
