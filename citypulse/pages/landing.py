"""`/` — the public landing page: hero, feature grid, sign-up and log-in calls to action."""

import reflex as rx

from citypulse.components.buttons import link_button
from citypulse.components.content import feature_card, feature_grid
from citypulse.components.layout import page_layout
from citypulse.pages.registry import page

LANDING_FEATURES = [
    (
        "City Recommendations",
        "Share the places you love, with photos, prices and ratings.",
        "map-pin",
    ),
    ("Travel Buddies", "Connect with travellers and locals who share your style.", "users"),
    (
        "Trip Planning",
        "Plan trips together: cities, a day-by-day itinerary, comments.",
        "calendar-days",
    ),
    ("Personalised Feed", "See what your buddies and people like you recommend.", "sparkles"),
    ("Advanced Search", "Find places by city, category, price, rating and season.", "search"),
    ("Achievements", "Earn badges as you explore and help others explore.", "award"),
]


@page(route="/", title="Discover cities with locals", access="P")
def landing_page() -> rx.Component:
    """Hero, feature grid and calls to action."""
    return page_layout(
        rx.vstack(
            rx.heading("Discover cities through the people who know them", as_="h1", size="9"),
            rx.text(
                "CityPulse is a travel social network: share recommendations, find travel "
                "buddies and plan trips together.",
                size="5",
                color_scheme="gray",
            ),
            rx.hstack(
                link_button("Sign up", "/signup", size="3"),
                link_button("Log in", "/login", size="3", variant="soft"),
                spacing="3",
            ),
            spacing="4",
            padding_y="var(--space-8)",
            max_width="48rem",
        ),
        rx.el.section(
            rx.heading("What you can do", as_="h2", size="6", margin_bottom="var(--space-4)"),
            feature_grid(*[feature_card(t, d, i) for t, d, i in LANDING_FEATURES]),
            aria_label="Features",
        ),
    )
