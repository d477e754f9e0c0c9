"""Site footer and the mobile bottom navigation."""

import reflex as rx

from citypulse.components.tokens import CONTENT_MAX_WIDTH, MOBILE_ONLY

FOOTER_LINKS = [
    ("About", "/about"),
    ("Features", "/features"),
    ("Terms", "/terms"),
    ("Privacy", "/privacy"),
]
CONTACT_EMAIL = "hello@citypulse.com"

BOTTOM_NAV = [
    ("Home", "/dashboard", "house"),
    ("Search", "/search", "search"),
    ("Create", "/recommendations/create", "circle-plus"),
    ("Trips", "/trips", "map"),
    ("Profile", "/profile/edit", "user"),
]


def site_footer() -> rx.Component:
    """Footer links and contact address."""
    return rx.el.footer(
        rx.flex(
            rx.el.nav(
                rx.hstack(
                    *[rx.link(label, href=href) for label, href in FOOTER_LINKS],
                    rx.link(CONTACT_EMAIL, href=f"mailto:{CONTACT_EMAIL}"),
                    spacing="4",
                    wrap="wrap",
                ),
                aria_label="Footer",
            ),
            rx.text("© CityPulse", size="2", color_scheme="gray"),
            justify="between",
            align="center",
            wrap="wrap",
            gap="3",
            max_width=CONTENT_MAX_WIDTH,
            margin_x="auto",
            padding="var(--space-4)",
        ),
        border_top="1px solid var(--gray-a5)",
        margin_bottom=["4rem", "4rem", "0"],
        width="100%",
    )


def bottom_nav() -> rx.Component:
    """Fixed bottom navigation shown below 768 px."""
    return rx.el.nav(
        rx.hstack(
            *[
                rx.link(
                    rx.vstack(
                        rx.icon(icon, size=20, aria_hidden="true"),
                        rx.text(label, size="1"),
                        align="center",
                        spacing="1",
                    ),
                    href=href,
                    underline="none",
                )
                for label, href, icon in BOTTOM_NAV
            ],
            justify="between",
            width="100%",
            padding_x="var(--space-5)",
            padding_y="var(--space-2)",
        ),
        aria_label="Mobile",
        display=MOBILE_ONLY,
        position="fixed",
        bottom="0",
        left="0",
        right="0",
        background="var(--color-panel-solid)",
        border_top="1px solid var(--gray-a5)",
        z_index="10",
    )
