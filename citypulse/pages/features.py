"""`/features` — what CityPulse offers and how to get started (PRODUCT.md §2.1)."""

import reflex as rx

from citypulse.components.buttons import link_button
from citypulse.components.content import (
    feature_card,
    feature_grid,
    numbered_steps,
    page_heading,
    paragraph,
    rich_paragraph,
    section,
    wide_section,
)
from citypulse.components.layout import page_layout
from citypulse.pages.registry import page

MAIN_FEATURES = [
    (
        "City Recommendations",
        "Share the places you love with up to five photos, a price range, your own rating, the "
        "best months to go and tags. Choose whether each one is public, for buddies or private.",
        "map-pin",
    ),
    (
        "Travel Buddy Connections",
        "Send a buddy request with a personal note, find people by city, interests and travel "
        "style, and get suggestions from friends of your friends.",
        "users",
    ),
    (
        "Advanced Search",
        "Search places, people and cities in one box, with instant suggestions, your recent "
        "searches and up to 50 saved searches you can run again in a click.",
        "search",
    ),
    (
        "Travel History & Achievements",
        "Every city you recommend or visit on a completed trip joins your travel history. Unlock "
        "badges from bronze to platinum and see where you stand on the leaderboard.",
        "award",
    ),
    (
        "Find Travel Companions",
        "Discover trips heading to the same city on overlapping dates and ask to join, or browse "
        "completed trips from other travellers for inspiration.",
        "user-plus",
    ),
    (
        "Community Moderation",
        "Report anything that breaks the guidelines. Moderators review every report, and every "
        "decision can be appealed, so the community stays trustworthy and fair.",
        "shield-check",
    ),
]

MORE_FEATURES = [
    (
        "Like & Save",
        "Like a recommendation to thank its author, or save it to a private list for your next "
        "trip. Only you can see what you have saved.",
        "heart",
    ),
    (
        "Personalised Feed",
        "Your For You feed ranks new recommendations by your buddies, your interests, the cities "
        "you know or are heading to, and what is trending right now.",
        "sparkles",
    ),
    (
        "Discovery Feeds",
        "Catch up with everything your buddies share, or see what is trending across CityPulse "
        "over the last week or month. Category chips narrow any feed in a tap.",
        "trending-up",
    ),
    (
        "Smart Filtering",
        "Filter by city, distance, category, tags, price, minimum rating, difficulty and best "
        "months, then sort by relevance, rating, newest or price.",
        "sliders-horizontal",
    ),
    (
        "Travel Planning",
        "Plan trips with an ordered list of cities, a day-by-day itinerary, a wishlist of places "
        "and a comment thread. Invite up to 20 companions or share a read-only link.",
        "calendar-days",
    ),
]

STEPS = [
    (
        "Create Your Profile",
        "Sign up in a minute, verify your email and tell us your interests and travel style. "
        "You decide who can see your profile.",
    ),
    (
        "Share Recommendations",
        "Post the restaurants, viewpoints and hidden gems you love, with photos, prices and an "
        "honest rating.",
    ),
    (
        "Connect & Discover",
        "Add travel buddies, explore your personalised feed and search for your next "
        "destination, or find companions for a trip.",
    ),
    (
        "Track & Achieve",
        "Build your travel history city by city, complete trips with friends and unlock badges "
        "as you go.",
    ),
]


@page(
    route="/features",
    title="Features",
    access="P",
    description="Recommendations, travel buddies, search, trip planning and achievements.",
)
def features_page() -> rx.Component:
    """Feature grids, the four-step walkthrough and a sign-up call to action."""
    return page_layout(
        page_heading(
            "Features",
            "Everything you need to discover a city through its people, and to share your own.",
        ),
        wide_section(
            "Core features",
            feature_grid(*[feature_card(title, text, icon) for title, text, icon in MAIN_FEATURES]),
            lead="The heart of CityPulse: recommendations, people and trips.",
        ),
        wide_section(
            "More ways to explore",
            feature_grid(*[feature_card(title, text, icon) for title, text, icon in MORE_FEATURES]),
            lead="The details that turn a good trip into a great one.",
        ),
        wide_section(
            "How it works",
            numbered_steps(STEPS),
            lead="From sign-up to your first badge in four steps.",
        ),
        section(
            "Start Your Journey",
            paragraph(
                "Join a community of travellers and locals who share the places they love. "
                "Your next favourite spot is probably already on CityPulse."
            ),
            rx.hstack(
                link_button("Create your account", "/signup", size="3"),
                spacing="3",
                margin_y="var(--space-3)",
            ),
            rich_paragraph(
                "Already a member? ",
                rx.link("Log in", href="/login"),
                ". Want to know more about us first? Read ",
                rx.link("about CityPulse", href="/about"),
                ".",
            ),
        ),
    )
