"""One way to show a moment (issue 15 item 8): relative where natural ("3 minutes ago",
a date beyond a week), in the viewer's time zone and language, the full date and time on
hover. The browser formats it (only it knows the viewer's zone and language); the
server's UTC text is shown until then. View models carry both: `iso` and `text`
(see `citypulse.state.moments`).
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

# Linked into the exported frontend; moment.js imports time_format.js beside it.
_FORMAT = rx.asset("time_format.js", shared=True)
_COMPONENT = rx.asset("moment.js", shared=True)


class Moment(rx.Component):
    """`<time datetime=iso title=full local time>relative text</time>`."""

    library = _COMPONENT.importable_path
    tag = "Moment"

    value: Var[str]  # ISO 8601 with offset
    fallback: Var[str]  # the server's text, shown before the browser formats


def moment(iso: Var[str] | str, text: Var[str] | str = "", **props) -> rx.Component:
    """A moment for people to read; `text` is the server's UTC wording of the same time."""
    return Moment.create(value=iso, fallback=text, **props)
