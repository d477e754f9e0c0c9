"""Odd values for ids, query values and arguments, and the attacks rewritten with them.

Huge integers, 2^31 (one past the `integer` columns), unicode digits, signs, decimals,
NUL, empty and over-long text, JSON numbers where text is expected, and null.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from tests.security.support.steps import Step
from tests.security.support.wire import Page

OVER_LONG = "9" * 300 + "x" * 300
ODD_TEXTS = ("99999999999999999999", "2147483648", "²", "١٢", "-1", "0", "1.5", " 7",
             "a\x00b", "", OVER_LONG)  # fmt: skip
ODD_VALUES: tuple[Any, ...] = (*ODD_TEXTS, 99999999999999999999, -(2**63), 1e308, None)
# Also tried in one field at a time, the others valid, so they reach the storage.
STORED_ODD = ("a\x00b", OVER_LONG, "99999999999999999999")


def _every_leaf(payload: Any, value: Any) -> Any:
    if isinstance(payload, dict):
        return {key: _every_leaf(item, value) for key, item in payload.items()}
    return value


def _one_leaf_at_a_time(payload: dict, value: Any) -> Iterator[tuple[str, dict]]:
    for key, item in payload.items():
        if isinstance(item, dict):
            for name, changed in _one_leaf_at_a_time(item, value):
                yield f"{key}.{name}", {**payload, key: changed}
        else:
            yield key, {**payload, key: value}


def _from_pages(steps: list[Step], value: Any) -> list[Step]:
    text = "" if value is None else str(value)
    return [
        replace(step, page=Page(step.page.route, dict.fromkeys(step.page.params, text),
                                dict.fromkeys(step.page.search, text)))
        for step in steps
    ]  # fmt: skip


def odd_variants(steps: list[Step]) -> Iterator[tuple[str, list[Step]]]:
    """(what changed, steps): every argument odd, the route and query values odd, and
    each argument of the last step odd on its own (the earlier steps prepare the page)."""
    has_arguments = any(step.payload for step in steps)
    has_page_values = any(step.page.params or step.page.search for step in steps)
    for value in ODD_VALUES:
        if has_arguments:
            changed = [replace(step, payload=_every_leaf(step.payload, value)) for step in steps]
            yield f"arguments={value!r:.30}", changed
        if has_page_values:
            yield f"page values={value!r:.30}", _from_pages(steps, value)
    *before, last = steps
    for value in STORED_ODD:
        for name, payload in _one_leaf_at_a_time(last.payload, value):
            yield f"{name}={value!r:.30}", [*before, replace(last, payload=payload)]
