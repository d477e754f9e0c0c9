"""`/about` — mission, vision, values, who uses CityPulse and how to reach us (PRODUCT.md §2.1)."""

import reflex as rx

from citypulse.components.buttons import link_button
from citypulse.components.content import (
    card_grid_two,
    detail_card,
    feature_card,
    page_heading,
    paragraph,
    rich_paragraph,
    section,
    wide_section,
)
from citypulse.components.footer import CONTACT_EMAIL
from citypulse.components.layout import page_layout
from citypulse.pages.registry import page

MISSION = [
    "CityPulse exists to help people experience a city the way the people who live there do. "
    "Guidebooks go out of date and star ratings flatten everything into a number; a friend who "
    "knows the neighbourhood tells you which bakery sells out by nine, which viewpoint is worth "
    "the climb and what a fair price for dinner looks like.",
    "Our mission is to give every traveller that friend: honest, first-hand recommendations "
    "shared by travellers and locals, and the tools to meet them, plan with them and travel "
    "better together.",
]

VISION = [
    "We picture a world where arriving somewhere new never means starting from zero. Wherever "
    "you land, there is already a trail of places loved by people whose taste you trust, a few "
    "buddies who have been there before you, and perhaps someone heading the same way on the "
    "same dates.",
    "As that network grows, so does its memory: every recommendation, trip and review makes the "
    "next journey a little easier for someone else.",
]

VALUES = [
    (
        "Authentic Experiences",
        "We favour the places people genuinely love over the ones that pay to be seen. Every "
        "recommendation comes from a member who has been there and rates it honestly.",
        "compass",
    ),
    (
        "Real Connections",
        "Travel is better shared. Buddy connections are mutual and by request, so your network is "
        "made of people you chose, and you can block anyone at any time.",
        "handshake",
    ),
    (
        "Local Knowledge",
        "Residents know their city in ways no visitor can. We give locals and seasoned travellers "
        "a place to pass on the details that make a trip: best months, fair prices, hidden gems.",
        "map-pin",
    ),
    (
        "Quality Content",
        "Useful beats loud. Ratings, reviews and community reports keep recommendations accurate, "
        "and a dedicated moderation team acts on anything that misleads or harms.",
        "badge-check",
    ),
]

AUDIENCES = [
    (
        "Traveller",
        "Anyone who explores a city, whether for a weekend away or the place they call home.",
        "backpack",
        [
            "Shares recommendations with photos, prices and an honest rating",
            "Connects with travel buddies and plans trips together",
            "Discovers places through a personalised feed and search",
            "Earns badges and climbs the leaderboard along the way",
        ],
    ),
    (
        "Community Moderator",
        "Experienced members who keep CityPulse trustworthy, fair and welcoming.",
        "shield-check",
        [
            "Reviews reports from the community",
            "Removes content that breaks the guidelines, and restores it on appeal",
            "Issues warnings and, when needed, suspensions or bans",
            "Decides appeals on actions taken by other moderators",
        ],
    ),
]


@page(
    route="/about",
    title="About",
    access="P",
    description="Why we built CityPulse: our mission, vision and values.",
)
def about_page() -> rx.Component:
    """Mission, vision, values, audiences and contact details."""
    return page_layout(
        page_heading(
            "About CityPulse",
            "A travel social network built on the knowledge of people who know their cities.",
        ),
        section("Our Mission", *[paragraph(text) for text in MISSION]),
        section("Our Vision", *[paragraph(text) for text in VISION]),
        wide_section(
            "Our Values",
            card_grid_two(*[feature_card(title, text, icon) for title, text, icon in VALUES]),
            lead="Four principles guide every feature we build and every decision we make.",
        ),
        wide_section(
            "Who uses CityPulse",
            card_grid_two(*[detail_card(*audience) for audience in AUDIENCES]),
            lead="CityPulse is made by and for two kinds of members.",
        ),
        section(
            "Get in touch",
            rich_paragraph(
                "Questions, ideas, partnership enquiries or a bug to report? Write to us at ",
                rx.link(CONTACT_EMAIL, href=f"mailto:{CONTACT_EMAIL}"),
                " and a member of the team will get back to you.",
            ),
            rich_paragraph(
                "Curious about what you can do here? Take a look at our ",
                rx.link("features", href="/features"),
                ", or read our ",
                rx.link("Terms of Service", href="/terms"),
                " and ",
                rx.link("Privacy Policy", href="/privacy"),
                ".",
            ),
            rx.hstack(
                link_button("Join CityPulse", "/signup"),
                link_button("Log in", "/login", variant="soft"),
                spacing="3",
                margin_top="var(--space-2)",
            ),
        ),
    )
