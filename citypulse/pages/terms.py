"""`/terms` — the Terms of Service (PRODUCT.md §2.1; moderation rules per §4.13)."""

import reflex as rx

from citypulse.components.content import (
    bullet_list,
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

SERVICE = [
    "CityPulse is a travel social network. Members share recommendations for places in cities, "
    "with photos, prices and ratings; connect with each other as travel buddies; plan trips "
    "together with cities, a day-by-day itinerary, companions and comments; earn badges; and "
    "discover content through a personalised feed and search.",
    "Visitors who are not signed in can read public content. Everything else needs an account. "
    "We keep improving CityPulse, so features may be added, changed or retired over time.",
]

ACCOUNTS = [
    (
        "Accurate details",
        "Give your real name and an email address you control. Usernames are 3–30 lowercase "
        "letters, digits or underscores, and may not impersonate anyone or CityPulse itself.",
    ),
    (
        "Verification",
        "You must verify your email address before you can sign in with a password.",
    ),
    (
        "Security",
        "Keep your password private and use one you do not use elsewhere. You are responsible "
        "for activity on your account; you can review your sessions and log out everywhere from "
        "Settings.",
    ),
    (
        "One person, one account",
        "Accounts are personal. Do not share, sell or transfer them, or create accounts to get "
        "around a suspension or ban.",
    ),
    (
        "Leaving",
        "You can deactivate your account at any time. It is deleted for good 30 days later "
        "unless you log in again before then; see our Privacy Policy for the details.",
    ),
]

CONTENT = [
    "You keep ownership of what you post. By posting, you give CityPulse a worldwide, "
    "non-exclusive, royalty-free licence to host, store, display and adapt it (for example, "
    "resizing photos) only as needed to run the service and within the visibility you choose. "
    "The licence ends when your content is deleted.",
    "Every member agrees to these community guidelines:",
]

GUIDELINES = [
    "Be honest: recommend places from first-hand experience and keep prices and details accurate.",
    "Be respectful: no harassment, hate, threats or personal attacks.",
    "No spam, undisclosed advertising, or fake likes, ratings and reviews.",
    "Only post photos and text you have the right to share, and respect copyright.",
    "Respect privacy: do not post other people's personal information without their consent.",
    "Do not impersonate another person, brand or CityPulse.",
    "Nothing illegal, sexually explicit or dangerous, and nothing that puts travellers at risk.",
    "If something breaks these rules, report it rather than retaliating.",
]

ENFORCEMENT = [
    (
        "Reports",
        "Any member can report a recommendation, review, profile, trip or comment. Moderators "
        "review every report, and the person reported is never told who reported them.",
    ),
    (
        "Content removal",
        "Moderators may remove content that breaks these Terms, always with a stated reason. "
        "Removed posts stay visible only to their author and moderators; a removed review keeps "
        "its star rating but hides its text; a removed profile loses its bio, photos and links.",
    ),
    (
        "Warnings",
        "A warning has a severity of low, medium or high. It stays active for 180 days unless it "
        "is revoked sooner; expired and revoked warnings no longer count towards escalation.",
    ),
    (
        "Escalation",
        "When a warning is issued we count your active warnings, including the new one. A high "
        "warning that brings the count to 2 or more results in a ban; a medium warning that "
        "brings it to 3 or more, a 7-day suspension; a low warning that brings it to 5 or more, "
        "a 3-day suspension.",
    ),
    (
        "Suspensions",
        "A suspension lasts between 1 and 365 days and lifts automatically when it ends. It "
        "signs you out everywhere and hides your profile and content. Until it ends you can "
        "only see the reason, read your notifications, appeal, export your data and log out.",
    ),
    (
        "Bans",
        "A ban has the same effects as a suspension but no end date: it lasts until the account "
        "is reinstated. Reinstatement also clears any active warnings.",
    ),
    (
        "Appeals",
        "You may appeal each warning, suspension, ban or content removal once, within 30 days. "
        "Appeals are decided by an administrator or a moderator who did not take the original "
        "action; the decision and its reasoning are sent to you, and the decision is final.",
    ),
    (
        "Outcomes",
        "A granted appeal revokes the warning, lifts the suspension or ban (and revokes the "
        "warnings that led to it), or restores the removed content.",
    ),
]

DISCLAIMERS = [
    "Recommendations, ratings and reviews are the personal opinions of the members who post "
    "them. CityPulse does not visit, inspect or endorse the places listed, and does not "
    "guarantee that any information is accurate, complete or current.",
    "Prices, opening hours, access and conditions change. Check with the venue or an official "
    "source before you travel, and follow official travel, visa, health and safety advice.",
    "CityPulse does not screen its members. Use your own judgement when meeting buddies or "
    "travel companions: meet in public places and tell someone you trust about your plans.",
    "The service is provided “as is” and “as available”, without warranties of any kind, to the "
    "extent the law allows.",
]

LIABILITY = [
    "To the fullest extent permitted by law, CityPulse is not liable for indirect, incidental or "
    "consequential losses, or for loss of data, profits or opportunities, arising from your use "
    "of the service.",
    "We are not responsible for the conduct of members on or off CityPulse, for trips you arrange "
    "with them, or for any loss that results from relying on a recommendation.",
    "Nothing in these Terms limits liability that cannot be limited by law, or your statutory "
    "rights as a consumer.",
]

CHANGES = [
    "We may update these Terms as CityPulse evolves. The date at the top of this page always "
    "shows when they last changed.",
    "If a change materially affects your rights, we will tell you in the app or by email before "
    "it takes effect. If you keep using CityPulse after that, you accept the new Terms; if you do "
    "not agree, you can deactivate your account at any time.",
]


@page(
    route="/terms",
    title="Terms",
    access="P",
    description="The rules for using CityPulse, including community guidelines and moderation.",
)
def terms_page() -> rx.Component:
    """The Terms of Service."""
    return page_layout(
        page_heading(
            "Terms of Service",
            "The agreement between you and CityPulse, in plain language.",
        ),
        last_updated(*LAST_UPDATED),
        section(
            "Acceptance",
            rich_paragraph(
                "By creating an account, signing in with Google, or otherwise using CityPulse, "
                "you agree to these Terms and to our ",
                rx.link("Privacy Policy", href="/privacy"),
                ". If you do not agree, please do not use CityPulse.",
            ),
        ),
        section("Description of Service", *[paragraph(text) for text in SERVICE]),
        section("User Accounts", labelled_list(ACCOUNTS)),
        section(
            "User Content",
            *[paragraph(text) for text in CONTENT],
            bullet_list(*GUIDELINES),
        ),
        section(
            "Moderation & Enforcement",
            paragraph(
                "Moderators keep CityPulse safe and useful. Every action they take is recorded "
                "with a reason, and when an action affects you, you are told in the app and by "
                "email."
            ),
            labelled_list(ENFORCEMENT),
        ),
        section("Disclaimers", *[paragraph(text) for text in DISCLAIMERS]),
        section("Liability", *[paragraph(text) for text in LIABILITY]),
        section("Changes", *[paragraph(text) for text in CHANGES]),
        section(
            "Contact",
            rich_paragraph(
                "Questions about these Terms? Email us at ",
                rx.link(CONTACT_EMAIL, href=f"mailto:{CONTACT_EMAIL}"),
                ". For how we handle your data, see our ",
                rx.link("Privacy Policy", href="/privacy"),
                ".",
            ),
        ),
    )
