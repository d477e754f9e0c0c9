"""Drag to reorder (trip cities): a list whose rows the pointer can drag into a new order.

Rows are elements with `data-sort-id` and `draggable`; on a drop the list calls
`on_reorder` with the ids in their new order. Every row also offers Move up / Move
down buttons: drag reordering always has a keyboard equivalent (§2 WCAG, issue 12).
"""

from __future__ import annotations

import reflex as rx

_COMPONENT = rx.asset("trip_sortable.js", shared=True)


def _ids_spec(ids: rx.Var[list[str]]) -> tuple[rx.Var[list[str]]]:
    return (ids,)


class SortableList(rx.Component):
    """A <div> whose [data-sort-id] rows can be dragged; `on_reorder(ids)` on a drop."""

    library = _COMPONENT.importable_path
    tag = "SortableList"

    on_reorder: rx.EventHandler[_ids_spec]


def sortable_list(*rows: rx.Component, on_reorder, label, **props) -> rx.Component:
    """The rows in a labelled list (`label` names it for screen readers)."""
    return SortableList.create(
        rx.box(*rows, role="list", aria_label=label, **props), on_reorder=on_reorder
    )


def sortable_row(sort_id, *children: rx.Component, **props) -> rx.Component:
    """A draggable row of a `sortable_list` (`sort_id` names it in the reported order)."""
    return rx.box(
        *children,
        custom_attrs={"data-sort-id": sort_id, "draggable": "true"},
        role="listitem",
        cursor="grab",
        **props,
    )
