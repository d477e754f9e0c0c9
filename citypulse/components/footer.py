"""Site footer and the mobile bottom navigation (items from `navigation`)."""

import reflex as rx

from citypulse.components.navigation import BOTTOM_NAV, SITE_LINKS, NavItem, nav_links
from citypulse.components.tokens import CONTENT_MAX_WIDTH, MOBILE_ONLY

CONTACT_EMAIL = "hello@citypulse.com"


def site_footer() -> rx.Component:
    """Footer links and contact address."""
    return rx.el.footer(
        rx.flex(
            rx.el.nav(
                rx.hstack(
                    *nav_links(SITE_LINKS, lambda item: rx.link(item.label, href=item.link)),
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


def _bottom_link(item: NavItem) -> rx.Component:
    return rx.link(
        rx.vstack(
            rx.icon(item.icon, size=20, aria_hidden="true"),
            rx.text(item.label, size="1"),
            align="center",
            spacing="1",
        ),
        href=item.link,
        underline="none",
        flex="1",
    )


def bottom_nav() -> rx.Component:
    """Fixed bottom navigation shown below 768 px: only pages that exist, for this viewer."""
    return rx.el.nav(
        rx.hstack(
            *nav_links(BOTTOM_NAV, _bottom_link),
            justify="between",
            width="100%",
            padding_x="var(--space-3)",
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
