"""`python -m bench.search_keystroke`: keystroke to rendered suggestions in Chromium (issue 11).

Needs the kept 1 M-recommendation database (`make bench-data`). Starts the app on it as
`make run` does (`bench.server.running_server`: migrated to head, no demo seed, its pages
exported into a web folder of its own, so the e2e tiers' `.web/` is never touched), signs
one active bench user in with a real server-side session (a cookie, no login form), opens
/dashboard, presses Ctrl+K and, per sample, clears the overlay's box and types a word at
80 ms per key, as a quick typist does.

In the page (an init script, so it is in place before the socket opens) it records, on
the page's own clock: the last keydown, the moment the debounced `typed` event leaves on
the websocket, and the first DOM mutation after which the listbox holds suggestions.
Printed per sample and as p50/p95/max:

- `key→shown`: last keystroke to suggestions on screen; it includes the overlay's
  deliberate 250 ms pause (PRODUCT.md §4.10.7: suggestions start "after a 250 ms pause");
- `sent→shown`: the event leaving the browser to suggestions on screen: the server (the
  suggestion queries on 1 M rows), the delta and React's render. The 150 ms target of
  issue 11 is checked on this part, i.e. on what follows the pause the spec asks for.

Then, per word, the events the page sent on the websocket and the server's CPU time
(all its processes): figures a busy machine does not blur as it blurs the latencies.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import UTC, datetime

from bench.finder import _percentile

TARGET_P95_MS = 150.0
TYPING_DELAY_MS = 80  # between keys: below the 250 ms debounce, so one request per word
WORDS = ("coffee", "garden", "kitchen", "market", "bakery", "tavern", "museum", "bistro",
         "golden", "hidden", "riverside", "zephyr", "sunny", "royal", "cellar", "bridge",
         "terrace", "sunset", "tower", "beach")  # fmt: skip

RECORDER = r"""
(() => {
  const kb = { sent: [], shown: [], lastKey: 0, showing: false, events: 0 };
  window.__kb = kb;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === "string" && data.includes('"reflex___state____state.')) kb.events += 1;
    if (typeof data === "string" && data.includes("search_overlay_state.typed")) {
      kb.sent.push(performance.now());
    }
    return send.call(this, data);
  };
  document.addEventListener("keydown", () => { kb.lastKey = performance.now(); }, true);
  const check = () => {
    const box = document.getElementById("search-overlay-listbox");
    const has = !!box && box.getAttribute("aria-label") === "Suggestions"
      && !!box.querySelector("[role=option]");
    if (has && !kb.showing) kb.shown.push(performance.now());
    kb.showing = has;
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, characterData: true });
})();
"""


def _sign_in(user_id: int) -> str:
    """An access token of a fresh server-side session for `user_id` (as bench tabs get)."""
    from citypulse.auth.sessions import session_start
    from citypulse.db import session_scope

    with session_scope() as db:
        issued = session_start(
            db, user_id=user_id, remember_me=True, user_agent="citypulse-bench",
            ip="127.0.0.1", now=datetime.now(UTC),
        )  # fmt: skip
        return issued.access_token


def _viewer() -> int:
    """An active, verified bench user with buddies (so buddies-only places count)."""
    import sqlalchemy as sa

    from citypulse.db import get_engine

    with get_engine().connect() as connection:
        return connection.execute(
            sa.text(
                "SELECT u.id FROM users u WHERE u.account_status = 'active' "
                "AND u.email_verified_at IS NOT NULL AND EXISTS (SELECT 1 FROM "
                "buddy_connections c WHERE c.requester_id = u.id AND c.status = 'accepted') "
                "ORDER BY u.id LIMIT 1"
            )
        ).scalar_one()


def measure(origin: str, token: str, samples: int) -> tuple[list[tuple[str, float, float]], int]:
    """(word, key→shown ms, sent→shown ms) per sample, and the events the page sent on
    the websocket during the samples (warm-ups excluded)."""
    from playwright.sync_api import sync_playwright

    from bench.paint import CHROMIUM, CHROMIUM_ARGS
    from citypulse.api.cookies import ACCESS_COOKIE

    results, skipped = [], 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": ACCESS_COOKIE, "value": token, "url": origin}])
        page = context.new_page()
        page.add_init_script(RECORDER)
        page.goto(f"{origin}/dashboard")
        trigger = page.get_by_role("button", name="Open search (Ctrl+K)")
        trigger.wait_for(state="visible", timeout=60_000)
        page.keyboard.press("Control+k")
        box = page.get_by_role("combobox", name="Search")
        box.wait_for(state="visible")
        events_before = 0
        for index in range(samples + 2):  # the first two warm the server up
            word = WORDS[index % len(WORDS)]
            if index == 2:
                events_before = page.evaluate("window.__kb.events")
            box.fill("")
            page.wait_for_function(
                "document.getElementById('search-overlay-listbox')"
                ".getAttribute('aria-label') === 'Recent searches'"
            )
            shown_before = page.evaluate("window.__kb.shown.length")
            box.press_sequentially(word, delay=TYPING_DELAY_MS)
            page.wait_for_function(f"window.__kb.shown.length > {shown_before}", timeout=30_000)
            key, sent, shown = page.evaluate(
                "(() => { const kb = window.__kb, shown = kb.shown.at(-1);"
                " return [kb.lastKey, Math.max(...kb.sent.filter((t) => t <= shown)), shown];"
                " })()"
            )
            if key > shown or sent < key:  # a pause mid-word: a prefix's request or
                skipped += 1  # suggestions, not this word's
            elif index >= 2:
                results.append((word, shown - key, shown - sent))
        events = page.evaluate("window.__kb.events") - events_before
        browser.close()
    if skipped:
        print(f"{skipped} sample(s) skipped: a pause mid-word sent a prefix's request")
    return results, events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search_keystroke", description=__doc__)
    parser.add_argument("--samples", type=int, default=40)
    options = parser.parse_args(argv)

    from bench import dataset
    from bench.__main__ import WORKDIR
    from bench.search import DATABASE
    from bench.server import running_server

    dataset.BENCH_DATABASE = DATABASE  # the kept 1 M database, never dropped here
    url = dataset.bench_database_url()
    dataset.use_bench_database(url)
    os.environ["SEED_DEMO_DATA"] = "false"  # the bench data only
    workdir = WORKDIR / "search-keystroke"
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"load average before: {os.getloadavg()}", flush=True)
    print(f"Starting the server; its log: {workdir}/server.log", flush=True)
    started = time.perf_counter()
    with running_server(url, 1, workdir, web_dir=workdir.parent / "search-web") as server:
        print(f"server up in {time.perf_counter() - started:.0f} s", flush=True)
        token = _sign_in(_viewer())
        cpu_before = server.usage().cpu_seconds
        results, events = measure(server.origin, token, options.samples)
        cpu = server.usage().cpu_seconds - cpu_before
    print(f"load average after: {os.getloadavg()}")
    # Per word typed (clearing the box included): what the load average does not blur.
    print(f"per word: {events / options.samples:.1f} websocket events, server CPU "
          f"{cpu * 1000 / options.samples:.1f} ms")  # fmt: skip
    print(f"{'word':<12} {'key→shown ms':>13} {'sent→shown ms':>14}")
    for word, key_ms, sent_ms in results:
        print(f"{word:<12} {key_ms:>13.1f} {sent_ms:>14.1f}")
    keys = [row[1] for row in results]
    sends = [row[2] for row in results]
    for label, values in (("key→shown", keys), ("sent→shown", sends)):
        print(f"{label:<12} n={len(values)} p50 {statistics.median(values):.1f} ms, "
              f"p95 {_percentile(values, 0.95):.1f} ms, max {max(values):.1f} ms")  # fmt: skip
    p95 = _percentile(sends, 0.95)
    verdict = "met" if p95 <= TARGET_P95_MS else "NOT met"
    print(f"target sent→shown p95 <= {TARGET_P95_MS:.0f} ms: {verdict} ({p95:.1f} ms)")
    return 0 if p95 <= TARGET_P95_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
