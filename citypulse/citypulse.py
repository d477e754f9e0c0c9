"""The Reflex app: theme, global styles, page registration and custom HTTP routes."""

import reflex as rx

import citypulse.pages  # noqa: F401  (registers every page)
from citypulse.api.routes import build_api
from citypulse.pages.registry import add_pages

app = rx.App(
    stylesheets=["/styles.css"],
    head_components=[rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml")],
    api_transformer=build_api(),
)
add_pages(app)
