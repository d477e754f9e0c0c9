"""Counts with their unit in the right number ("1 view", "3 views", "No ratings yet")."""

import reflex as rx


def count_text(count: rx.Var, one: str, many: str) -> rx.Var:
    """ "1 <one>" or "<n> <many>"; `count` is an int var."""
    return rx.cond(count == 1, f"1 {one}", count.to(str) + f" {many}")


def rating_text(average: rx.Var, count: rx.Var) -> rx.Var:
    """ "★ 4.5 (2 ratings)", or "No ratings yet" instead of "★ 0.0 (0)"."""
    return rx.cond(
        count == 0,
        "No ratings yet",
        "★ " + average.to(str) + " (" + count_text(count, "rating", "ratings") + ")",
    )
