"""`/privacy` — the Privacy Policy (PRODUCT.md §2.1; visibility §4.2, data lifecycle §5.6)."""

import reflex as rx

from citypulse.components.content import (
    info_table,
    labelled_list,
    last_updated,
    page_heading,
    paragraph,
    rich_paragraph,
    section,
)
from citypulse.components.footer import CONTACT_EMAIL
from citypulse.components.layout import page_layout
from citypulse.pages.registry import page

LAST_UPDATED = ("27 November 2026", "2026-11-27")

DATA_COLLECTED = [
    (
        "Account details",
        "Username, full name, email, your password (stored only as a one-way hash) and, if you "
        "use Google sign-in, your Google account ID. Used to create and secure your account and "
        "to send essential emails.",
    ),
    (
        "Profile",
        "Bio, photos, hometown and current location, phone, social links, cities visited, "
        "interests and travel preferences. Used to show your profile and personalise CityPulse.",
    ),
    (
        "Your content",
        "Recommendations, photos, ratings, reviews, trips, itineraries and comments. Used to "
        "publish them to the audience you choose. Photo metadata, including GPS, is removed.",
    ),
    (
        "Activity",
        "Likes, saves, shares, views, buddy connections, blocks and searches. Used for your feed, "
        "trending lists, search history, notifications and achievements.",
    ),
    (
        "Settings",
        "Privacy choices, email preferences and theme. Used to respect your choices.",
    ),
    (
        "Security data",
        "Sign-in sessions (browser description, last used), and IP addresses in logs. Used to keep "
        "your account safe, enforce rate limits and investigate abuse.",
    ),
    (
        "Moderation records",
        "Reports you file, and warnings, sanctions and appeals about you. Used to keep the "
        "community safe and to handle appeals fairly.",
    ),
]

VISIBILITY = [
    ("Public profile", "Everyone, including visitors who are not signed in."),
    (
        "Buddies-only profile",
        "Your buddies see it in full. Everyone else sees a limited card: photo, name and username.",
    ),
    ("Private profile", "Only you. Everyone else sees the limited card."),
    ("Email and phone", "Only you. They are never shown to other members."),
    ("Location", "Shown on your profile only while location sharing is on."),
    ("Social links", "Shown only while you choose to display them."),
    (
        "Recommendations and trips",
        "Whoever you choose for each one: public, buddies only or private.",
    ),
    ("Likes, saves and search history", "Only you. Others see only like and save totals."),
]

VISIBILITY_NOTES = [
    "Blocking works both ways: once either of you blocks the other, neither can see the other's "
    "profile or content, and no requests, invites or notifications pass between you.",
    "Moderators can see reported content and account details when handling a report or appeal. "
    "If you report something, the person you reported is never told it was you.",
]

COOKIES = [
    (
        "Session cookies",
        "Keep you signed in: 7 days, or 30 days with “Remember me”. They are secure, httpOnly "
        "and cannot be read by scripts. For visitors, a random ID lets us count a page view "
        "once per hour rather than on every reload; it is not linked to who you are.",
    ),
    (
        "Preference cookies",
        "Remember choices such as light, dark or system theme when you are not signed in.",
    ),
    (
        "No tracking",
        "No advertising, analytics or third-party tracking cookies, and no tracking across sites.",
    ),
]

RETENTION = [
    ("Notifications", "Read ones are deleted after 180 days; all are deleted after 365 days."),
    ("Search history", "Only your newest 100 searches are kept. Delete any or all at any time."),
    ("Deleted content", "Purged, with its photos, 30 days after you delete it."),
    ("Expired sign-in tokens and sessions", "Purged within 7 days of expiring."),
    ("Recommendation views", "Aggregated into totals after 90 days."),
    (
        "IP addresses in logs",
        "Truncated after 30 days. Logs never hold passwords, tokens or codes.",
    ),
    ("Data export files", "The download link expires after 24 hours."),
    ("Deactivated accounts", "Permanently deleted 30 days after deactivation."),
]

RIGHTS = [
    (
        "Access and export",
        "Use “Download my data” in Settings to get a ZIP of JSON files and your photos: your "
        "account, profile, content, interactions, buddies, trips, notifications, searches, "
        "achievements, reports and moderation history. It is ready within 2 minutes, the link "
        "works for 24 hours, and you can request one export every 24 hours.",
    ),
    (
        "Correct and control",
        "Edit your profile at any time, change who sees it, turn location sharing and social "
        "links on or off, and choose which emails you receive. Every optional email has a "
        "one-click unsubscribe link.",
    ),
    (
        "Deactivate",
        "Confirm with your password (or your username for Google-only accounts). Your profile "
        "and content are hidden at once, every session is signed out, and we email you the "
        "deletion date, with a reminder 7 days before. Log in within 30 days to reactivate.",
    ),
    (
        "Delete",
        "30 days after deactivation we permanently delete your account, data, photos and content. "
        "Reports you filed are kept anonymously and moderation records lose their link to you.",
    ),
]


@page(
    route="/privacy",
    title="Privacy",
    access="P",
    description="What CityPulse collects, who can see it, how long we keep it and your rights.",
)
def privacy_page() -> rx.Component:
    """The Privacy Policy."""
    return page_layout(
        page_heading(
            "Privacy Policy",
            "What we collect, who can see it, how long we keep it, and how you stay in control.",
        ),
        last_updated(*LAST_UPDATED),
        section(
            "Data we collect and why",
            paragraph(
                "We collect only what CityPulse needs to work. We do not sell your personal data "
                "or show third-party advertising."
            ),
            info_table(("Data", "What it is and why we use it"), DATA_COLLECTED),
            paragraph(
                "We rely on a few trusted providers to run the service, such as our email delivery "
                "provider and, if you choose it, Google sign-in. They process data only for us."
            ),
        ),
        section(
            "Who sees what",
            info_table(("Information", "Who can see it"), VISIBILITY),
            *[paragraph(text) for text in VISIBILITY_NOTES],
        ),
        section(
            "Cookies",
            paragraph("CityPulse uses session and preference cookies only."),
            labelled_list(COOKIES),
        ),
        section(
            "How long we keep data",
            info_table(("Data", "How long we keep it"), RETENTION),
        ),
        section("Your rights and choices", labelled_list(RIGHTS)),
        section(
            "Contact",
            rich_paragraph(
                "Questions, or a privacy request we have not covered? Email ",
                rx.link(CONTACT_EMAIL, href=f"mailto:{CONTACT_EMAIL}"),
                ". See also our ",
                rx.link("Terms of Service", href="/terms"),
                ".",
            ),
        ),
    )
