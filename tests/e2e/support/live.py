"""A page's live connection, as a test sees it.

A page is rendered on the server and shows its controls before the app takes them over
(hydration) and before its state arrives over the live connection. A click in that gap
can be lost, and a page that looks loaded may not have received anything yet. Journeys
that act or assert right after a page load wait for `wait_until_live` first.
"""

from playwright.sync_api import Page, WebSocket, expect

# `main` carries Reflex's `is_hydrated` (citypulse/components/layout.py): "true" once the
# tab's state arrived and the page's on_load handlers ran.
LIVE_MAIN = 'main[data-hydrated="true"]'


def wait_until_live(page: Page) -> None:
    """Wait until the page's app runs and its state (with on_load's) has arrived."""
    expect(page.locator(LIVE_MAIN)).to_be_attached()


def record_frames(page: Page) -> list[str]:
    """Every message the server sends to this page over its live connections from now on."""
    frames: list[str] = []

    def on_socket(socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: frames.append(str(payload)))

    page.on("websocket", on_socket)
    return frames
