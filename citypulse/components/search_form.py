"""/search: the query and filter form, recent searches and saved searches."""

from __future__ import annotations

import reflex as rx

from citypulse.components.forms import alert, checkbox_field, field_error, field_label
from citypulse.state.search.page import SearchState as S

SORT_OPTIONS = (("relevance", "Relevance"), ("recent", "Newest"), ("rating", "Rating"),
                ("popular", "Most popular"), ("price_low", "Price: low to high"),
                ("price_high", "Price: high to low"))  # fmt: skip
DIFFICULTIES = (("easy", "Easy"), ("moderate", "Moderate"), ("hard", "Hard"), ("expert", "Expert"))
SELECT_STYLE = {"padding": "var(--space-1) var(--space-2)", "border_radius": "var(--radius-2)",
                "border": "1px solid var(--gray-a7)", "background": "var(--color-surface)",
                "color": "var(--gray-12)", "min_height": "2rem"}  # fmt: skip


def _select(label: str, name: str, value: rx.Var, options, any_label: str = "Any"):
    """A labelled native select; `options` are (value, label) pairs or a state list."""
    if isinstance(options, tuple):
        rendered = [rx.el.option(text, value=key) for key, text in options]
    else:
        rendered = [rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0]))]
    first = [rx.el.option(any_label, value="")] if any_label else []
    return rx.vstack(
        field_label(label, f"search-{name}"),
        rx.el.select(*first, *rendered, id=f"search-{name}", name=name, default_value=value,
                     aria_describedby=f"search-{name}-error", **SELECT_STYLE),
        field_error(S.field_errors.get(name, ""), f"search-{name}"),
        spacing="1",
    )  # fmt: skip


def _number(label: str, name: str, value: rx.Var, error_key: str) -> rx.Component:
    return rx.vstack(
        field_label(label, f"search-{name}"),
        rx.input(id=f"search-{name}", name=name, type="number", min=0, max=1000,
                 default_value=value, width="7rem",
                 aria_describedby=f"search-{error_key}-error"),
        spacing="1",
    )  # fmt: skip


def search_form() -> rx.Component:
    """Query and filters; "Search" opens the search's URL (one history entry)."""
    distance = rx.cond(S.near_label != "", rx.el.option("Distance", value="distance"))
    return rx.form(
        rx.vstack(
            rx.hstack(
                rx.box(
                    rx.input(id="search-q", name="q", type="search", default_value=S.q,
                             placeholder="Search places, people, cities", max_length=200,
                             aria_label="Search text", aria_describedby="search-q-error",
                             width="100%", size="3"),
                    flex="1",
                ),
                rx.button("Search", type="submit", size="3"),
                width="100%",
            ),
            field_error(S.field_errors.get("q", ""), "search-q"),
            rx.hstack(
                _select("Category", "category", S.category, S.categories),
                _number("Min price", "price_min", S.price_min, "price"),
                _number("Max price", "price_max", S.price_max, "price"),
                _select("Min rating", "min_rating", S.min_rating,
                        tuple((str(n), f"{n}+") for n in range(1, 6))),
                _select("Difficulty", "difficulty", S.difficulty, DIFFICULTIES),
                rx.vstack(
                    field_label("Sort by", "search-sort"),
                    rx.el.select(*[rx.el.option(text, value=key) for key, text in SORT_OPTIONS],
                                 distance, id="search-sort", name="sort", default_value=S.sort,
                                 **SELECT_STYLE),
                    spacing="1",
                ),
                spacing="4",
                wrap="wrap",
                align="end",
            ),
            field_error(S.field_errors.get("price", ""), "search-price"),
            field_error(S.field_errors.get("min_rating", ""), "search-min_rating"),
            field_error(S.field_errors.get("sort", ""), "search-sort"),
            rx.hstack(
                checkbox_field("Has photos", "search-photos", name="photos",
                               default_checked=S.has_photos),
                rx.cond(
                    S.near_label != "",
                    rx.hstack(
                        checkbox_field(S.near_label, "search-keep-near", name="keep_near",
                                       default_checked=True),
                        rx.el.label("Radius (km)", html_for="search-radius",
                                    font_size="var(--font-size-2)"),
                        rx.input(id="search-radius", name="radius", type="number", min=1,
                                 max=200, default_value=S.radius, width="6rem"),
                        align="center",
                        spacing="2",
                    ),
                ),
                rx.button(rx.icon("locate", size=16, aria_hidden="true"), "Near me",
                          type="button", variant="soft", on_click=S.near_me),
                spacing="4",
                align="center",
                wrap="wrap",
            ),
            field_error(S.field_errors.get("radius", ""), "search-radius"),
            field_error(S.field_errors.get("near", ""), "search-near"),
            rx.cond(S.location_message != "",
                    rx.callout(S.location_message, color_scheme="amber", role="status")),
            spacing="3",
            width="100%",
        ),
        key=S.form_key.to(str),
        on_submit=S.submit,
        reset_on_submit=False,
        role="search",
        aria_label="Search and filters",
        width="100%",
    )  # fmt: skip


def recent_searches() -> rx.Component:
    return rx.el.section(
        rx.hstack(
            rx.heading("Recent searches", as_="h2", size="3"),
            rx.cond(S.recent.length() > 0,
                    rx.button("Clear history", on_click=S.clear_recent, variant="ghost",
                              size="1", type="button")),
            justify="between", align="center", width="100%",
        ),
        rx.cond(
            S.recent.length() > 0,
            rx.el.ul(rx.foreach(S.recent, lambda entry: rx.el.li(rx.hstack(
                rx.link(entry.label, href=entry.href),
                rx.icon_button(rx.icon("x", size=14, aria_hidden="true"), size="1",
                               variant="ghost", type="button",
                               aria_label="Remove " + entry.label + " from history",
                               on_click=S.delete_recent(entry.id)),
                justify="between", align="center", width="100%",
            ))), list_style="none", padding="0", margin="0"),
            rx.text("Your searches appear here.", size="2", color_scheme="gray"),
        ),
        width="100%",
    )  # fmt: skip


def _saved_item(item: rx.Var) -> rx.Component:
    rename = rx.form(
        rx.hstack(
            rx.input(name="name", default_value=item.name, aria_label="New name",
                     max_length=100, size="1"),
            rx.button("Save", type="submit", size="1"),
            rx.button("Cancel", type="button", size="1", variant="soft", on_click=S.cancel_rename),
            spacing="1",
        ),
        field_error(S.rename_error, "rename-saved"),
        on_submit=S.rename_saved,
        reset_on_submit=False,
    )  # fmt: skip
    actions = rx.hstack(
        rx.link(item.name, href=item.href, aria_label="Run saved search " + item.name),
        rx.hstack(
            rx.button("Rename", size="1", variant="ghost", type="button",
                      aria_label="Rename " + item.name, on_click=S.start_rename(item.id)),
            rx.cond(
                item.archived,
                rx.button("Unarchive", size="1", variant="ghost", type="button",
                          aria_label="Unarchive " + item.name,
                          on_click=S.unarchive_saved(item.id)),
                rx.button("Archive", size="1", variant="ghost", type="button",
                          aria_label="Archive " + item.name, on_click=S.archive_saved(item.id)),
            ),
            rx.button("Delete", size="1", variant="ghost", color_scheme="red", type="button",
                      aria_label="Delete " + item.name, on_click=S.delete_saved(item.id)),
            spacing="1",
        ),
        justify="between", align="center", width="100%", wrap="wrap",
    )  # fmt: skip
    return rx.el.li(rx.cond(S.renaming == item.id, rename, actions))


def saved_searches() -> rx.Component:
    return rx.el.section(
        rx.heading("Saved searches", as_="h2", size="3"),
        rx.cond(
            S.status == "results",
            rx.form(
                rx.hstack(
                    rx.input(name="name", aria_label="Name for this search", max_length=100,
                             placeholder="Name this search", size="2", id="save-search-name",
                             aria_describedby="save-search-name-error"),
                    rx.button("Save search", type="submit", size="2"),
                    spacing="2",
                ),
                field_error(S.save_error, "save-search-name"),
                on_submit=S.save_search,
                reset_on_submit=True,
            ),
        ),
        rx.el.ul(rx.foreach(S.saved, _saved_item), list_style="none", padding="0",
                 margin="0"),
        rx.button(rx.cond(S.show_archived, "Hide archived", "Show archived"),
                  on_click=S.toggle_archived, variant="ghost", size="1", type="button"),
        rx.cond(S.show_archived,
                rx.el.ul(rx.foreach(S.archived, _saved_item), list_style="none", padding="0",
                         margin="0", aria_label="Archived saved searches")),
        width="100%",
    )  # fmt: skip


def form_errors() -> rx.Component:
    return alert(rx.cond(S.status == "invalid", "Fix the search above and try again.", ""))
