"""Steps of an attack: one event (or upload) from one page, and how a tab runs it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.security.support.discovery import Handler
from tests.security.support.wire import CraftedTab, Page
from tests.security.support.world import World
from tests.support.images import encode, pattern


@dataclass(frozen=True)
class Step:
    """One event (or, with `files`, one multipart upload) sent from `page`."""

    handler: str  # "<StateClass>.<handler>"
    payload: dict[str, Any] = field(default_factory=dict)
    page: Page = field(default_factory=Page)
    files: tuple[tuple[str, bytes, str], ...] = ()


Attack = Callable[[World], list[Step]]


def photo_file() -> tuple[str, bytes, str]:
    """A small real JPEG, as the photo pickers upload it."""
    return ("photo.jpg", encode(pattern((64, 48)), "JPEG"), "image/jpeg")


def one(handler: str, page_of: Callable[[World], Page] = lambda w: Page(), **payload: Any):
    """An attack of one step whose payload does not depend on the world."""
    return lambda w: [Step(handler, payload, page_of(w))]


def run_step(tab: CraftedTab, handlers: dict[str, Handler], step: Step) -> str:
    """Send the step from its page; every frame (and the HTTP reply of an upload)."""
    event = handlers[step.handler].event
    if step.files:
        return tab.upload(event, list(step.files), step.page)
    return tab.call(event, step.payload, step.page)
