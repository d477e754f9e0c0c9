"""Infinite scroll: a sentinel below a list that asks for the next page when seen."""

from __future__ import annotations

import reflex as rx
from reflex.event import no_args_event_spec

# Linked into the exported frontend, like moment.js.
_COMPONENT = rx.asset("infinite_scroll.js", shared=True)


class ScrollSentinel(rx.Component):
    """An empty element that fires `on_visible` whenever it scrolls into view."""

    library = _COMPONENT.importable_path
    tag = "ScrollSentinel"

    on_visible: rx.EventHandler[no_args_event_spec]


def scroll_sentinel(on_visible, **props) -> rx.Component:
    """Place below the last row; `on_visible` loads the next page (keyset)."""
    return ScrollSentinel.create(on_visible=on_visible, height="1px", **props)
